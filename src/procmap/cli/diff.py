"""procmap diff: what a change to the process files does to the processes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from procmap.cli.common import (
    ConfigOption,
    FailOnOption,
    LangOption,
    OutputOption,
    configured,
    exit_code,
    format_choices,
    resolve,
    show,
    threshold,
    warn,
)
from procmap.i18n import _

DiffFormat = format_choices("diff")


def diff(
    revisions: Annotated[list[str], typer.Argument(
        metavar="OLD [NEW] [-- PATH...]",
        help=_("two files or directories; or a git revision (compared with the working "
               "tree), A..B, A...B or A B, optionally followed by paths to limit to"))],
    fmt: Annotated[DiffFormat, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False, help=_("auto: text"))] = "auto",
    fail_on: FailOnOption = "error",
    config: ConfigOption = None,
    output: OutputOption = None,
    lang: LangOption = None,
    simulate: Annotated[bool, typer.Option(
        "--simulate", help=_("also simulate the changed processes on both sides: p90 lead "
                    "time and SLA attainment (docs/simulate.md)"))] = False,
) -> None:
    """Compare two versions of process files: structure, metrics, findings.

    Processes are matched by id, so renamed files still match. Exit code 0: the change
    introduces no finding at or above --fail-on; 1: it does; 2: bad revision or path.

    Examples: procmap diff main; procmap diff origin/main...HEAD --format markdown;
    procmap diff old/ new/; procmap diff v1..v2 -- processes/
    """
    from procmap.diff import diff_arguments

    chosen = resolve("diff", "text" if getattr(fmt, "value", fmt) == "auto" else fmt)
    report = diff_arguments(revisions, _split(revisions), configured(lang, config),
                            simulate=simulate)
    if report.old.files == 0 and report.new.files == 0:
        warn(_("no procmap files on either side (a procmap file is YAML whose top level "
               "has `procmap: 1`)"))
    show(chosen, output, report)
    raise typer.Exit(exit_code(report.findings.failing, threshold(fail_on)))


def _split(arguments: Sequence[str]) -> int | None:
    """Where `--` stood among the arguments. The parser swallows it, so look at the
    command line; None when it cannot be told (then paths are told apart by git)."""
    argv = sys.argv[1:]
    if "--" not in argv:
        return None
    after = argv[argv.index("--") + 1:]
    if len(after) > len(arguments) or list(arguments[len(arguments) - len(after):]) != after:
        return None
    return len(arguments) - len(after)
