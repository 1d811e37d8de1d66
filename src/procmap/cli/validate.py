"""procmap validate: load and check files, for CI and pre-commit."""

from __future__ import annotations

from typing import Annotated

import typer

from procmap.cli.common import (
    ConfigOption,
    LangOption,
    OutputOption,
    PathsArgument,
    exit_code,
    format_choices,
    resolve,
    show,
    validated,
)
from procmap.i18n import _

FindingsFormat = format_choices("findings")


def validate(
    paths: PathsArgument = None,
    fmt: Annotated[FindingsFormat, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False,
        help=_("auto: github inside GitHub Actions, text elsewhere; parsable: one line "
               "per finding, the same everywhere (for editors)"))] = "auto",
    strict: Annotated[bool, typer.Option("--strict", help=_("warnings fail too"))] = False,
    config: ConfigOption = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Check procmap files: YAML, format 1 and the process structure.

    Every problem is reported with file:line:col and how to fix it. Exit code 0: no
    errors; 1: errors (or warnings with --strict); 2: the check could not run.

    Example: procmap validate processes/ --format github
    """
    from procmap.findings import Severity

    result, _settings = validated(paths, config, lang)
    show(resolve("findings", fmt), output, result.findings, result.files)
    raise typer.Exit(exit_code(result.findings,
                               Severity.WARNING if strict else Severity.ERROR))
