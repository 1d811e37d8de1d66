"""What every command shares: exit codes, errors, output, configuration."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

import typer

from procmap.findings import Finding, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# Arguments and options the checking commands share, declared once.
PathsArgument = Annotated[list[str] | None, typer.Argument(
    help="Files, directories (scanned recursively) or - for stdin [default: .]")]
ConfigOption = Annotated[str | None, typer.Option(
    "--config", help="procmap.toml to use (default: searched upwards from here)")]
FailOnOption = Annotated[str, typer.Option(
    "--fail-on", help="exit 1 on findings of this severity or worse: error | warning | "
    "info | never")]
ProcessOption = Annotated[list[str] | None, typer.Option(
    "--process", "-p", help="only this process id (repeatable)")]


def fail(message: str) -> NoReturn:
    """The command could not do its job: one line on stderr, exit code 2."""
    sys.stderr.write(f"procmap: error: {' '.join(message.split())}\n")
    raise typer.Exit(EXIT_ERROR)


def emit(text: str | bytes, output: str | None) -> None:
    """Write a result to stdout, or atomically to the file `output`."""
    if output is None or output == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
        return
    from procmap.io import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


def load_config(path: str | None) -> object:
    from procmap.config import ConfigError
    from procmap.config import load_config as load

    try:  # rule ids and thresholds are checked against the rule catalog, read from source
        return load(path)
    except ConfigError as exc:
        fail(str(exc))


def validated(paths: Sequence[str] | None, config_path: str | None) -> tuple[Any, Any]:
    """(validation, config) for PATH arguments: what every checking command starts with.
    A bad configuration or an unreadable path ends the command with exit code 2."""
    from procmap.config import Config
    from procmap.loader import InputError
    from procmap.pipeline import validate_paths

    settings = load_config(config_path)
    assert isinstance(settings, Config)
    try:
        return validate_paths(list(paths or ["."]), settings), settings
    except InputError as exc:
        fail(str(exc))


def exit_code(findings: Sequence[Finding], threshold: Severity | None) -> int:
    if threshold is None:
        return EXIT_OK
    return EXIT_FINDINGS if any(f.severity >= threshold for f in findings) else EXIT_OK


def print_findings(findings: Sequence[Finding], files: int, fmt: str,
                   output: str | None = None) -> None:
    """Findings in one of the formats every checking command shares."""
    from procmap.report import resolve_format, use_color

    fmt = resolve_format(fmt)
    if fmt == "text" and output is None and use_color():
        from rich.console import Console

        from procmap.report.rich_text import print_findings as print_rich

        print_rich(Console(highlight=False), findings, files)
        return
    if fmt == "text":
        from procmap.report import text as module
    elif fmt == "json":
        from procmap.report import json_report as module  # type: ignore[no-redef]
    elif fmt == "github":
        from procmap.report import github as module  # type: ignore[no-redef]
    elif fmt == "sarif":
        from procmap.report import sarif as module  # type: ignore[no-redef]
    else:
        fail(f"unknown format '{fmt}'")
    emit(module.render(findings, files), output)
