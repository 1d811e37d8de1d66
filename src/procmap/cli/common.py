"""What every command shares: options, exit codes, notes, and showing a result.

A command is: parse options -> run the pipeline -> `show(format, output, result)` ->
`raise typer.Exit(code)`. Errors are `ProcmapError`s (or `fail(...)`), reported once by
the entry point (`procmap.cli.app.main`) with exit code 2.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

import typer

from procmap import formats
from procmap.errors import EXIT_ERROR, ProcmapError
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.text.escape import terminal

EXIT_OK, EXIT_FINDINGS = 0, 1
__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK"]

#: --fail-on levels, for every command that has the option
FAIL_ON = ("error", "warning", "info", "never")


def choices(name: str, values: Sequence[str]) -> type[enum.Enum]:
    """An Enum typer turns into a real choice (help, completion, error message)."""
    return enum.Enum(name, [(value, value) for value in values], type=str)  # type: ignore[return-value]


def format_choices(command: str, auto: bool = True) -> type[enum.Enum]:
    """The `--format` choices of a command, from the format registry."""
    return choices(f"{command.title()}Format",
                   (("auto",) if auto else ()) + formats.names(command))


FailOn = choices("FailOn", FAIL_ON)

# Arguments and options the commands share, declared once.
PathsArgument = Annotated[list[str] | None, typer.Argument(
    metavar="PATH", show_default=False,
    help=_("Files, directories (scanned recursively) or - for stdin [default: .]"))]
ConfigOption = Annotated[str | None, typer.Option(
    "--config", metavar="FILE",
    help=_("procmap.toml to use (default: searched upwards from here)"))]
FailOnOption = Annotated[FailOn, typer.Option(  # type: ignore[valid-type]
    "--fail-on", case_sensitive=False,
    help=_("exit 1 on findings of this severity or worse"))]
ProcessOption = Annotated[list[str] | None, typer.Option(
    "--process", "-p", metavar="ID", help=_("only this process id (repeatable)"))]
Lang = choices("Lang", ("zh", "en"))
LangOption = Annotated[Lang | None, typer.Option(  # type: ignore[valid-type]
    "--lang", case_sensitive=False, show_default=False,
    help=_("interface language of the output: zh or en (default: procmap.toml lang, "
           "else the locale)"))]
OutputOption = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FILE",
    help=_("write to FILE (atomically; - is stdout) instead of stdout"))]


class Verbosity:
    """-q/--quiet and -v/--verbose, set once by the root command."""

    level = 0  # -1 quiet, 0 normal, 1 verbose
    #: `procmap --lang zh COMMAND`: the language when the command has no --lang itself
    lang: str | None = None


def note(message: str) -> None:
    """A one-line note on stderr (`procmap: wrote x.svg`); silent with --quiet."""
    if Verbosity.level >= 0:
        sys.stderr.write(f"procmap: {terminal(message)}\n")


def detail(message: str) -> None:
    """A note only --verbose shows."""
    if Verbosity.level > 0:
        sys.stderr.write(f"procmap: {terminal(message)}\n")


def warn(message: str) -> None:
    if Verbosity.level >= 0:
        sys.stderr.write("procmap: " + _("warning") + f": {terminal(message)}\n")


def fail(message: str) -> NoReturn:
    """The command could not do its job: one line on stderr, exit code 2."""
    raise ProcmapError(message)


def value(option: Any) -> str:
    """The text of a choice option (an Enum member or, from Python callers, a str)."""
    return str(getattr(option, "value", option))


def threshold(fail_on: Any) -> Severity | None:
    level = value(fail_on)
    return None if level == "never" else Severity.parse(level)


def emit(data: str | bytes, output: str | None) -> None:
    """Write a result to stdout, or safely to `output` (`procmap.io.write_output`)."""
    from procmap.io import write_output

    write_output(output, data)


def show(fmt: formats.Format, output: str | None, *args: Any,
         findings: Sequence[Finding] = (), **options: Any) -> None:
    """Print or write a result in a registered format: rich on a colour terminal when
    the format has a terminal form, else the writer's text; findings the format cannot
    hold go to stderr."""
    from procmap.io import is_stdout
    from procmap.report import use_color

    if fmt.terminal and is_stdout(output) and use_color() and Verbosity.level >= 0:
        from rich.console import Console

        fmt.print_rich(Console(highlight=False), *args, **options)
    else:
        emit(fmt.write(*args, **options), output)
    if not fmt.findings:
        from procmap.report.text import format_line

        for finding in findings:
            sys.stderr.write(format_line(finding) + "\n")


def resolve(command: str, fmt: Any) -> formats.Format:
    """The registered format of `--format` (`auto`: github in GitHub Actions, else
    text; --quiet turns text into the one-line `parsable` form where there is one)."""
    from procmap.report import resolve_format

    name = value(fmt)
    if name == "auto":
        name = resolve_format("auto") if "github" in formats.names(command) else "text"
    if name == "text" and Verbosity.level < 0 and "parsable" in formats.names(command):
        name = "parsable"
    return formats.get(command, name)


def load_config(path: str | None) -> Any:
    from procmap.config import Config, find_config
    from procmap.config import load_config as load

    path = path or find_config()
    if path is None:
        return Config()  # defaults: no need to load every rule's module to check names
    from procmap.rules import rule_ids

    _check_config_file(path)
    detail(_("configuration: {path}").format(path=path))
    return load(path, known_rules=rule_ids())


#: a configuration is a few kilobytes; more is a wrong path (--config /dev/zero)
MAX_CONFIG_BYTES = 1_000_000


def _check_config_file(path: str) -> None:
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError as exc:
        fail(_("cannot read the configuration {path}: {reason}").format(
            path=path, reason=exc.strerror or exc))
    if not stat.S_ISREG(info.st_mode):
        fail(_("the configuration {path} is not a regular file: give a procmap.toml "
               "or a pyproject.toml").format(path=path))
    if info.st_size > MAX_CONFIG_BYTES:
        fail(_("the configuration {path} is {size} bytes, larger than any "
               "configuration (limit {limit}): is it the right file?").format(
            path=path, size=f"{info.st_size:,}", limit=f"{MAX_CONFIG_BYTES:,}"))


def _stdin_open() -> bool:
    """Whether there is a standard input to read (`procmap validate - <&-` has none)."""
    import os

    try:
        return sys.stdin is not None and not sys.stdin.closed and os.fstat(
            sys.stdin.fileno()) is not None
    except (OSError, ValueError):
        return False


def validated(paths: Sequence[str] | None, config_path: str | None,
              lang: Any = None) -> tuple[Any, Any]:
    """(validation, config) for PATH arguments: what every checking command starts with.
    The interface language is set (`--lang`, procmap.toml, the locale) before any
    message is made. A bad configuration or an unreadable path ends the command with
    exit code 2."""
    from procmap.i18n import ngettext
    from procmap.pipeline import validate_paths

    use_language(lang, None)  # until procmap.toml is read: its errors need a language
    if "-" in (paths or ()) and not _stdin_open():
        fail(_("standard input is closed: nothing to read for `-` (pipe a file in, or "
               "name the files)"))
    settings = load_config(config_path)
    use_language(lang, settings.lang)
    validation = validate_paths(list(paths or ["."]), settings)
    if validation.files == 0:
        warn(_("no procmap files found (a procmap file is YAML whose top level has "
               "`procmap: 1`)"))
    detail(ngettext("{count} file checked", "{count} files checked",
                    validation.files).format(count=validation.files))
    return validation, settings


def configured(lang: Any, config_path: str | None) -> Any:
    """The configuration, with the interface language set from it: for commands that
    read no process files (doctor, init, import, diff)."""
    use_language(lang, None)
    settings = load_config(config_path)
    use_language(lang, settings.lang)
    return settings


def check_processes(validation: Any, wanted: Sequence[str] | None) -> set[str] | None:
    """The process ids of -p (None: all); an id not in the files ends the command."""
    if not wanted:
        return None
    known = {e.process.id for e in validation.workspace.processes}
    missing = [p for p in wanted if p not in known]
    if missing:
        if known:
            fail(_("no process '{process}' in the files given (processes: {known})").format(
                process=missing[0], known=", ".join(sorted(known))))
        fail(_("no process '{process}' in the files given").format(process=missing[0]))
    return set(wanted)


def exit_code(findings: Sequence[Finding], threshold: Severity | None) -> int:
    if threshold is None:
        return EXIT_OK
    return EXIT_FINDINGS if any(f.severity >= threshold for f in findings) else EXIT_OK


def print_findings(findings: Sequence[Finding], files: int, fmt: str,
                   output: str | None = None) -> None:
    """Findings in one of the formats every checking command shares."""
    show(resolve("findings", fmt), output, findings, files)


def use_language(option: Any, configured: str | None) -> str:
    """Set the interface language from `--lang`, procmap.toml's `lang`, else the locale."""
    from procmap import i18n

    value = getattr(option, "value", option) or Verbosity.lang
    return i18n.set_language(i18n.resolve(value, configured))
