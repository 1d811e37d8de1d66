"""procmap audit: validate, then analyse every process (metrics and findings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from procmap.cli.common import (
    ConfigOption,
    FailOnOption,
    PathsArgument,
    ProcessOption,
    exit_code,
    fail,
    validated,
)

if TYPE_CHECKING:
    from procmap.analysis.audit import AuditResult
    from procmap.model import Workspace

AUDIT_FORMATS = ("auto", "text", "json", "markdown", "html", "github", "sarif")
FAIL_ON = ("error", "warning", "info", "never")
#: larger processes are left out of the HTML report's diagrams (Graphviz takes ~15 s
#: for 1,000 nodes); `procmap render` draws them on their own
MAX_DIAGRAM_STEPS = 300


def audit(
    paths: PathsArgument = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="auto | text | json | markdown | html | github | sarif "
        "(auto: github inside GitHub Actions, text elsewhere)")] = "auto",
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="write the report to a file (atomically)")] = None,
    fail_on: FailOnOption = "error",
    config: ConfigOption = None,
    process: ProcessOption = None,
    diagrams: Annotated[bool, typer.Option(
        "--diagrams/--no-diagrams", help="html: embed swimlane diagrams (needs Graphviz)")
    ] = True,
) -> None:
    """Validate, then analyse every process: lead times, effort, utilization, handoffs,
    and findings (bottlenecks, redundant approvals, SLA risk), costliest first.

    Exit code 0: nothing at or above --fail-on; 1: findings that fail; 2: the audit could
    not run.

    Example: procmap audit processes/ --format markdown -o audit.md --fail-on warning
    """
    import gc

    from procmap.analysis.audit import run_audit
    from procmap.findings import Severity
    from procmap.report import resolve_format

    # A short-lived process that builds a large, acyclic heap (YAML, models, graphs): the
    # cyclic collector would only rescan it, costing up to a third of a 10,000-step audit.
    gc.disable()
    if fmt not in AUDIT_FORMATS:
        fail(f"unknown format '{fmt}': use one of {', '.join(AUDIT_FORMATS)}")
    if fail_on not in FAIL_ON:
        fail(f"unknown --fail-on '{fail_on}': use one of {', '.join(FAIL_ON)}")
    validation, settings = validated(paths, config)
    if process:
        known = {e.process.id for e in validation.workspace.processes}
        missing = [p for p in process if p not in known]
        if missing:
            fail(f"no process '{missing[0]}' in the files given"
                 + (f" (processes: {', '.join(sorted(known))})" if known else ""))
    if validation.files == 0:
        import sys

        sys.stderr.write("procmap: warning: no procmap files found (a procmap file is YAML "
                         "whose top level has `procmap: 1`)\n")
    result = run_audit(validation, settings, only=set(process) if process else None)
    _print(result, resolve_format(fmt), output, diagrams)
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    raise typer.Exit(exit_code(result.findings, threshold))


def _print(result: AuditResult, fmt: str, output: str | None, diagrams: bool) -> None:
    from procmap.cli.common import emit

    if fmt == "text":
        from procmap.report import use_color

        if output is None and use_color():
            from rich.console import Console

            from procmap.report.audit_text import print_rich

            print_rich(Console(highlight=False), result)
            return
        from procmap.report.audit_text import render as render_text

        emit(render_text(result), output)
    elif fmt == "json":
        from procmap.report.json_report import render as render_json

        emit(render_json(result.findings, result.files, processes=result.process_json()),
             output)
    elif fmt == "markdown":
        from procmap.report.markdown import render as render_markdown

        emit(render_markdown(result), output)
    elif fmt == "html":
        from procmap.report.html_report import render as render_html

        svgs = _diagrams(result, result.workspace) if diagrams else {}
        emit(render_html(result, svgs), output)
    else:
        from procmap.cli.common import print_findings

        print_findings(result.findings, result.files, fmt, output)


def _diagrams(result: AuditResult, workspace: Workspace) -> dict[str, str]:
    """Swimlane SVGs for the HTML report; none when the renderer or Graphviz is missing
    (the report is complete without them)."""
    try:
        from procmap.render.build import diagram_for
        from procmap.render.graphviz import render_image
    except Exception:  # the renderer is optional here: any import problem means no diagram
        return {}
    svgs: dict[str, str] = {}
    for analysis in result.processes:
        if analysis.metrics is None or len(analysis.entry.process.steps) > MAX_DIAGRAM_STEPS:
            continue
        try:
            diagram = diagram_for(analysis.entry, workspace, analysis, highlight=True)
            svgs[analysis.id] = render_image(diagram, "svg").decode("utf-8")
        except Exception:  # Graphviz missing or failing: the report goes without it
            return svgs
    return svgs
