"""procmap raci: the responsibility matrix (steps x roles, R/A/C/I) of each process."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from procmap.cli.common import (
    ConfigOption,
    FailOnOption,
    PathsArgument,
    ProcessOption,
    emit,
    exit_code,
    fail,
    validated,
)

if TYPE_CHECKING:
    from rich.console import Console

    from procmap.analysis.raci import RaciMatrix

RACI_FORMATS = ("text", "markdown", "csv", "json")
FAIL_ON = ("error", "warning", "info", "never")


def raci(
    paths: PathsArgument = None,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     help="text | markdown | csv | json")] = "text",
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="write the matrix to a file (atomically)")] = None,
    fail_on: FailOnOption = "error",
    config: ConfigOption = None,
    process: ProcessOption = None,
) -> None:
    """Print who is Responsible, Accountable, Consulted and Informed for every step, and
    the steps nobody is accountable for (missing-accountable).

    Example: procmap raci processes/ --format csv -o raci.csv
    """
    import sys

    from procmap.analysis.audit import run_audit
    from procmap.analysis.raci import build_matrices, to_csv, to_json, to_text
    from procmap.findings import Severity

    if fmt not in RACI_FORMATS:
        fail(f"unknown format '{fmt}': use one of {', '.join(RACI_FORMATS)}")
    if fail_on not in FAIL_ON:
        fail(f"unknown --fail-on '{fail_on}': use one of {', '.join(FAIL_ON)}")
    validation, settings = validated(paths, config)
    known = {e.process.id for e in validation.workspace.processes}
    if process and (missing := [p for p in process if p not in known]):
        fail(f"no process '{missing[0]}' in the files given")
    only = set(process) if process else None
    result = run_audit(validation, settings, only=only, phase="raci")
    entries = [e for e in validation.workspace.processes if only is None or e.process.id in only]
    matrices = build_matrices(validation.workspace, entries)
    findings = result.findings
    if fmt == "csv":
        emit(to_csv(matrices), output)
        from procmap.report.text import format_line

        for finding in findings:  # CSV stays a clean table: findings go to stderr
            sys.stderr.write(format_line(finding) + "\n")
    elif fmt == "json":
        emit(to_json(matrices, findings, result.files), output)
    elif fmt == "markdown":
        from procmap.report.markdown import render_raci

        emit(render_raci(matrices, findings), output)
    else:
        from procmap.report import use_color

        if output is None and use_color():
            from rich.console import Console

            _print_rich(Console(highlight=False), matrices)
            from procmap.report.rich_text import print_findings

            if findings:
                print_findings(Console(highlight=False), findings, result.files)
        else:
            emit(to_text(matrices, findings), output)
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    raise typer.Exit(exit_code(findings, threshold))


_STYLES = {"R": "bold green", "A": "bold magenta", "C": "cyan", "I": "dim"}


def _print_rich(console: Console, matrices: list[RaciMatrix]) -> None:
    from rich.table import Table
    from rich.text import Text

    for matrix in matrices:
        table = Table(title=Text(f"{matrix.name} ({matrix.process})", style="bold"),
                      caption=Text(matrix.file, style="dim"), title_justify="left")
        table.add_column("step", no_wrap=True)
        for role in matrix.roles:
            table.add_column(Text(role, overflow="fold"), justify="center", min_width=3)
        for row in matrix.rows:
            cells = []
            for role in matrix.roles:
                cell = Text()
                for n, letter in enumerate(row.letters(role).split("/")):
                    if letter:
                        cell.append(("/" if n else "") + letter, style=_STYLES[letter])
                cells.append(cell)
            table.add_row(Text(row.step), *cells)
        console.print(table)
