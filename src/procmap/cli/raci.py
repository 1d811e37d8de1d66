"""procmap raci: the responsibility matrix (steps x roles, R/A/C/I) of each process."""

from __future__ import annotations

from typing import Annotated

import typer

from procmap.cli.common import (
    ConfigOption,
    FailOnOption,
    LangOption,
    OutputOption,
    PathsArgument,
    ProcessOption,
    check_processes,
    exit_code,
    format_choices,
    resolve,
    show,
    threshold,
    validated,
)
from procmap.i18n import _

RaciFormat = format_choices("raci", auto=False)


def raci(
    paths: PathsArgument = None,
    fmt: Annotated[RaciFormat, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False, help=_("csv: findings go to stderr"))
    ] = "text",
    output: OutputOption = None,
    fail_on: FailOnOption = "error",
    config: ConfigOption = None,
    process: ProcessOption = None,
    lang: LangOption = None,
) -> None:
    """Print who is Responsible, Accountable, Consulted and Informed for every step, and
    the steps nobody is accountable for (missing-accountable).

    Example: procmap raci processes/ --format csv -o raci.csv
    """
    from procmap.analysis.audit import run_audit
    from procmap.analysis.raci import build_matrices

    chosen = resolve("raci", fmt)
    validation, settings = validated(paths, config, lang)
    only = check_processes(validation, process)
    result = run_audit(validation, settings, only=only, phase="raci")
    entries = [e for e in validation.workspace.processes if only is None or e.process.id in only]
    matrices = build_matrices(validation.workspace, entries)
    names = {role_id: entry.role.name
             for role_id, entry in validation.workspace.roles.items() if entry.role.name}
    show(chosen, output, matrices, result.findings, result.files, findings=result.findings,
         names=names)
    raise typer.Exit(exit_code(result.findings, threshold(fail_on)))
