"""The procmap command: a thin typer app. Heavy imports happen inside each command."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from procmap import __version__
from procmap.cli.validate import validate

app = typer.Typer(
    name="procmap",
    help="Business processes as code: validate, audit and draw process files.\n\n"
         "Example: procmap init demo && procmap validate demo && procmap audit demo",
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
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="print the version and exit")] = False,
    debug: Annotated[bool, typer.Option("--debug",
                                        help="show tracebacks of internal errors")] = False,
) -> None:
    if debug:
        os.environ["PROCMAP_DEBUG"] = "1"


app.command("validate")(validate)


def _register_optional() -> None:
    """Commands live in their own modules; each is registered by name here."""
    from procmap.cli import commands

    for name, function in commands.COMMANDS:
        app.command(name)(function)


_register_optional()


def main() -> None:
    """Entry point: no traceback ever reaches the user without --debug."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("procmap: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # an internal error: one line and exit code 2
        if os.environ.get("PROCMAP_DEBUG") or "--debug" in sys.argv:
            raise
        sys.stderr.write(f"procmap: internal error: {type(exc).__name__}: {exc} "
                         "(run again with --debug for the traceback, and please report it)\n")
        sys.exit(2)
