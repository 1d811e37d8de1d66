"""procmap doctor: what rendering needs, what is missing, and the fix."""

from __future__ import annotations

from typing import Annotated

import typer

from procmap.cli.common import (
    ConfigOption,
    LangOption,
    configured,
    format_choices,
    resolve,
    show,
)

DoctorFormat = format_choices("doctor", auto=False)


def doctor(
    fmt: Annotated[DoctorFormat, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False)] = "text",
    config: ConfigOption = None,
    lang: LangOption = None,
) -> None:
    """Check what rendering needs: Graphviz `dot` and a font with Chinese glyphs.

    Exit code 0 when everything is there, 1 when something is missing (with the command
    that installs it). dot, mmd and bpmn output need neither.

    Example: procmap doctor
    """
    from procmap.doctor import checks

    configured(lang, config)
    results = checks()
    show(resolve("doctor", fmt), None, results)
    raise typer.Exit(0 if all(r.ok for r in results) else 1)
