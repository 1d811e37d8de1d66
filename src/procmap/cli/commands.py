"""The commands other than validate, by name (each module imports lazily)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from procmap.cli.audit import audit
from procmap.cli.conform import conform
from procmap.cli.diff import diff
from procmap.cli.doctor import doctor
from procmap.cli.handbook import handbook
from procmap.cli.import_bpmn import import_bpmn
from procmap.cli.init import init
from procmap.cli.raci import raci
from procmap.cli.render import render
from procmap.cli.schema import schema
from procmap.cli.simulate import simulate

COMMANDS: list[tuple[str, Callable[..., Any]]] = [
    ("audit", audit),
    ("raci", raci),
    ("render", render),
    ("schema", schema),
    ("init", init),
    ("doctor", doctor),
    ("import", import_bpmn),
    ("diff", diff),
    ("handbook", handbook),
    ("simulate", simulate),
    ("conform", conform),
]
