"""Golden files for the text formats that need no Graphviz: DOT and Mermaid.

Run with ``PROCMAP_UPDATE_GOLDEN=1`` to rewrite them after an intended change, then
review the diff like code.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from render_diagrams import small_diagram

from procmap.render.diagram import Diagram
from procmap.render.graphviz import to_dot
from procmap.render.mermaid import to_mermaid

GOLDEN = Path(__file__).parent / "golden"


def _check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PROCMAP_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with PROCMAP_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("expense-claim.dot", to_dot),
        ("expense-claim.mmd", to_mermaid),
    ],
)
@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_golden(name: str, render: Callable[[Diagram], str], direction: str) -> None:
    diagram = small_diagram(direction)  # type: ignore[arg-type]
    stem, ext = name.rsplit(".", 1)
    _check_golden(f"{stem}-{direction}.{ext}", render(diagram))


def test_text_formats_need_no_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert to_dot(small_diagram()).startswith('digraph "process-expense-claim"')
    assert to_mermaid(small_diagram()).splitlines()[3] == "flowchart LR"
