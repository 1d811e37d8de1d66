"""procmap validate: load and check files, for CI and pre-commit."""

from __future__ import annotations

from typing import Annotated

import typer

from procmap.cli.common import (
    ConfigOption,
    PathsArgument,
    exit_code,
    fail,
    print_findings,
    validated,
)

FormatOption = Annotated[str, typer.Option(
    "--format", "-f", help="auto | text | json | github | sarif (auto: github inside GitHub "
    "Actions, text elsewhere)")]


def validate(
    paths: PathsArgument = None,
    fmt: FormatOption = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="warnings fail too")] = False,
    config: ConfigOption = None,
    output: Annotated[str | None, typer.Option("--output", "-o",
                                               help="write the report to a file")] = None,
) -> None:
    """Check procmap files: YAML, format 1 and the process structure.

    Every problem is reported with file:line:col and how to fix it. Exit code 0: no
    errors; 1: errors (or warnings with --strict); 2: the check could not run.

    Example: procmap validate processes/ --format github
    """
    from procmap.findings import Severity
    from procmap.report import FINDING_FORMATS

    if fmt not in FINDING_FORMATS:
        fail(f"unknown format '{fmt}': use one of {', '.join(FINDING_FORMATS)}")
    result, _settings = validated(paths, config)
    if result.files == 0:
        import sys

        sys.stderr.write("procmap: warning: no procmap files found (a procmap file is YAML "
                         "whose top level has `procmap: 1`)\n")
    print_findings(result.findings, result.files, fmt, output)
    raise typer.Exit(exit_code(result.findings,
                               Severity.WARNING if strict else Severity.ERROR))
