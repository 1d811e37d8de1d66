"""Fixtures for the renderer tests: hand-made diagrams in both directions."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The helpers next to this file (render_diagrams, svg_geometry) must import under any
# pytest import mode, not only the default "prepend".
sys.path.insert(0, str(Path(__file__).parent))

from procmap.render.diagram import Diagram


@pytest.fixture(params=["LR", "TB"])
def direction(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def small() -> Diagram:
    from render_diagrams import small_diagram

    return small_diagram()


@pytest.fixture
def complaint(direction: str) -> Diagram:
    from render_diagrams import complaint_diagram

    return complaint_diagram(direction)  # type: ignore[arg-type]


@pytest.fixture
def hostile(direction: str) -> Diagram:
    from render_diagrams import hostile_diagram

    return hostile_diagram(direction)  # type: ignore[arg-type]
