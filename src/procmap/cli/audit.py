"""procmap audit: validate, then analyse every process (metrics and findings)."""

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

AuditFormat = format_choices("audit")


def audit(
    paths: PathsArgument = None,
    fmt: Annotated[AuditFormat, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False,
        help=_("auto: github inside GitHub Actions, text elsewhere"))] = "auto",
    output: OutputOption = None,
    fail_on: FailOnOption = "error",
    config: ConfigOption = None,
    process: ProcessOption = None,
    diagrams: Annotated[bool, typer.Option(
        "--diagrams/--no-diagrams", help=_("html: embed swimlane diagrams (needs Graphviz)"))
    ] = True,
    lang: LangOption = None,
    observed: Annotated[str | None, typer.Option(
        "--observed", metavar="LOG", show_default=False,
        help=_("html: add what an event log shows (procmap conform)"))] = None,
) -> None:
    """Validate, then analyse every process: lead times, effort, utilization, handoffs,
    and findings (bottlenecks, redundant approvals, SLA risk), costliest first.

    Exit code 0: nothing at or above --fail-on; 1: findings that fail; 2: the audit could
    not run.

    Example: procmap audit processes/ --format markdown -o audit.md --fail-on warning
    """
    import gc

    from procmap.analysis.audit import run_audit

    # A short-lived process that builds a large, acyclic heap (YAML, models, graphs): the
    # cyclic collector would only rescan it, costing up to a third of a 10,000-step audit.
    gc.disable()
    chosen = resolve("audit", fmt)
    validation, settings = validated(paths, config, lang)
    only = check_processes(validation, process)
    result = run_audit(validation, settings, only=only)
    show(chosen, output, result, diagrams=diagrams,
         observed=_observed(observed, validation, settings, only))
    raise typer.Exit(exit_code(result.findings, threshold(fail_on)))


def _observed(log: str | None, validation: object, settings: object,
              only: set[str] | None) -> object:
    """--observed LOG: the conform result for the HTML report's "observed" section."""
    if log is None:
        return None
    from procmap.conform.run import Options, run_conform

    return run_conform(log, validation, settings,  # type: ignore[arg-type]
                       Options.from_config(settings, {}), only)  # type: ignore[arg-type]
