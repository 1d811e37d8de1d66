"""Finding formatters: each returns a string; the CLI decides where it goes."""

from __future__ import annotations

import os
import sys

from procmap import formats

#: `validate --format` choices (the registry in `procmap.formats` is the source)
FINDING_FORMATS = ("auto", *formats.names("findings"))


def resolve_format(name: str) -> str:
    """`auto`: GitHub annotations inside GitHub Actions, text elsewhere."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_color(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
