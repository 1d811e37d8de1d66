"""The procmap command: a thin typer app. Heavy imports happen inside each command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from procmap import __version__
from procmap.cli.common import LangOption, Verbosity
from procmap.cli.validate import validate
from procmap.i18n import _


def _argument_help_without_python_types() -> None:
    """typer >= 0.20 appends the Python type to arguments in --help (`PATH <list[str]>`,
    `file <str>`); procmap's arguments have metavars that say what they are."""
    from typer.core import TyperArgument

    shown = getattr(TyperArgument, "display_type_rich", None)
    if shown is None:
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if self.metavar else shown(self, ctx)  # type: ignore[no-any-return]

    TyperArgument.display_type_rich = display_type_rich  # type: ignore[method-assign]


_argument_help_without_python_types()

app = typer.Typer(
    name="procmap",
    help=_("Business processes as code: validate, audit and draw process files.\n\n"
           "Example: procmap init demo && procmap validate demo && procmap audit demo"),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"procmap {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version,
                                          is_eager=True,
                                          help=_("print the version and exit"))] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_(
        "print only results and findings: no summary, notes or warnings (text output "
        "becomes one line per finding)"))] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help=_(
        "also say which configuration was used, how many files were checked, ..."))
    ] = False,
    debug: Annotated[bool, typer.Option("--debug",
                                        help=_("show tracebacks of internal errors"))
                     ] = False,
    lang: LangOption = None,
) -> None:
    Verbosity.lang = getattr(lang, "value", lang)
    if debug:
        os.environ["PROCMAP_DEBUG"] = "1"
    Verbosity.level = -1 if quiet else (1 if verbose else 0)


def _help(function: Callable[..., Any]) -> str:
    """A command's help: its docstring, in the interface language."""
    import inspect

    return _(inspect.cleandoc(function.__doc__ or ""))


app.command("validate", help=_help(validate))(validate)


def _register_optional() -> None:
    """Commands live in their own modules; each is registered by name here."""
    from procmap.cli import commands

    for name, function in commands.COMMANDS:
        app.command(name, help=_help(function))(function)


_register_optional()


def _error(message: str, code: int = 2, kind: str | None = None) -> int:
    """One line on stderr; returns the exit code."""
    from procmap.text.escape import terminal

    kind = kind or _("error")
    if sys.stderr is not None:
        sys.stderr.write(f"procmap: {kind}: {terminal(' '.join(message.split()))}\n")
    return code


def _show_warning(message: Any, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """procmap's own warnings (a diagram left out, ...) as one line, unless --quiet."""
    from procmap.text.escape import terminal

    if Verbosity.level >= 0 and sys.stderr is not None:
        sys.stderr.write("procmap: " + _("warning") + ": "
                         + terminal(" ".join(str(message).split())) + "\n")


def _prepare_streams() -> None:
    """Output that a console cannot encode (CJK on a cp1252 or ASCII console) is
    written as escapes instead of failing; a deleted working directory is named."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        os.getcwd()
    except OSError:
        sys.exit(_error(_("the current directory no longer exists (was it deleted?): cd "
                          "to an existing directory and run procmap again")))


# How each kind of failure ends the command; the first matching type wins.
# typer >= 0.22 has its own copy of click, whose exceptions are found through typer's.
_USAGE_ERROR: type[Exception] = typer.BadParameter.__mro__[1]
_CLICK_ERROR: type[Exception] = typer.BadParameter.__mro__[2]


def _usage(exc: Any) -> int:
    """Bad arguments: one line like every other error, with where to look."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # `procmap` alone: the help
        exc.show()
        return int(exc.exit_code)
    context = getattr(exc, "ctx", None)
    where = (_(" (see `{command} --help`)").format(command=context.command_path)
             if context is not None else "")
    return _error(exc.format_message().replace("Value error, ", "") + where,
                  exc.exit_code)


def _could_not(exc: Any) -> int:
    """A ProcmapError: the job could not be done."""
    if os.environ.get("PROCMAP_DEBUG"):
        raise exc
    return _error(str(exc), exc.exit_code)


def _interrupted(exc: BaseException) -> int:
    sys.stderr.write("procmap: " + _("interrupted") + "\n")
    return 130


def _broken_pipe(exc: BaseException) -> int:
    """`procmap ... | head`: the reader has what it wanted; no error at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


def _internal(exc: BaseException) -> int:
    if os.environ.get("PROCMAP_DEBUG") or "--debug" in sys.argv:
        raise exc
    return _error(_("{kind}: {error} (run again with --debug for the traceback, and "
                    "please report it)").format(kind=type(exc).__name__, error=exc),
                  kind=_("internal error"))


def _handlers() -> list[tuple[type[BaseException], Callable[[Any], int]]]:
    from procmap.errors import ProcmapError

    return [(_USAGE_ERROR, _usage),
            (_CLICK_ERROR, lambda exc: _error(exc.format_message(), exc.exit_code)),
            (ProcmapError, _could_not), (typer.Abort, _interrupted),
            (KeyboardInterrupt, _interrupted), (BrokenPipeError, _broken_pipe),
            (Exception, _internal)]


def main() -> None:
    """Entry point: no traceback ever reaches the user without --debug."""
    import warnings

    _prepare_streams()
    warnings.showwarning = _show_warning
    try:
        code = app(standalone_mode=False)
    except (Exception, KeyboardInterrupt) as exc:
        handler = next(h for kind, h in _handlers() if isinstance(exc, kind))
        code = handler(exc)
    sys.exit(code if isinstance(code, int) else 0)
