"""The commands other than validate, by name (each module imports lazily)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from procmap.cli.doctor import doctor
from procmap.cli.init import init
from procmap.cli.render import render
from procmap.cli.schema import schema

COMMANDS: list[tuple[str, Callable[..., Any]]] = [
    ("render", render),
    ("schema", schema),
    ("init", init),
    ("doctor", doctor),
]
