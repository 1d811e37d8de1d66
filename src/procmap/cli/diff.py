"""procmap diff: what a change to the process files does to the processes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from procmap.cli.common import ConfigOption, exit_code, fail, load_config

DIFF_FORMATS = ("auto", "text", "markdown", "json")
FAIL_ON = ("error", "warning", "info", "never")


def diff(
    revisions: Annotated[list[str], typer.Argument(
        metavar="OLD [NEW] [-- PATH...]",
        help="two files or directories; or a git revision (compared with the working "
             "tree), A..B, A...B or A B, optionally followed by paths to limit to")],
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="auto | text | markdown | json (auto: text)")] = "auto",
    fail_on: Annotated[str, typer.Option(
        "--fail-on", help="exit 1 when the change introduces a finding at or above: "
                          "error | warning | info | never")] = "error",
    config: ConfigOption = None,
    output: Annotated[str | None, typer.Option("--output", "-o",
                                               help="write the report to a file")] = None,
) -> None:
    """Compare two versions of process files: structure, metrics, findings.

    Processes are matched by id, so renamed files still match. Exit code 0: the change
    introduces no finding at or above --fail-on; 1: it does; 2: bad revision or path.

    Examples: procmap diff main; procmap diff origin/main...HEAD --format markdown;
    procmap diff old/ new/; procmap diff v1..v2 -- processes/
    """
    from procmap.config import Config
    from procmap.diff import DiffInputError, diff_arguments
    from procmap.findings import Severity

    if fmt not in DIFF_FORMATS:
        fail(f"unknown format '{fmt}': use one of {', '.join(DIFF_FORMATS)}")
    if fail_on not in FAIL_ON:
        fail(f"unknown --fail-on level '{fail_on}': use one of {', '.join(FAIL_ON)}")
    settings = load_config(config)
    assert isinstance(settings, Config)
    try:
        report = diff_arguments(revisions, _split(revisions), settings)
    except DiffInputError as exc:
        fail(str(exc))
    if report.old.files == 0 and report.new.files == 0:
        sys.stderr.write("procmap: warning: no procmap files on either side (a procmap "
                         "file is YAML whose top level has `procmap: 1`)\n")
    _print(report, "text" if fmt == "auto" else fmt, output)
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    raise typer.Exit(exit_code(report.findings.failing, threshold))


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


def _print(report: object, fmt: str, output: str | None) -> None:
    from procmap.cli.common import emit
    from procmap.diff.model import DiffReport
    from procmap.report import use_color

    assert isinstance(report, DiffReport)
    if fmt == "text" and output is None and use_color():
        from rich.console import Console

        from procmap.report.diff_text import print_rich

        print_rich(Console(highlight=False), report)
        return
    if fmt == "markdown":
        from procmap.report import diff_markdown as module
    elif fmt == "json":
        from procmap.report import diff_json as module  # type: ignore[no-redef]
    else:
        from procmap.report import diff_text as module  # type: ignore[no-redef]
    emit(module.render(report), output)
