"""PNG/PDF smoke tests, errors, and the review renders of a realistic CJK diagram."""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest
from render_diagrams import complaint_diagram, small_diagram

import procmap.render.graphviz as gv
from procmap.render import GraphvizMissing, RenderError, RenderWarning
from procmap.render.diagram import Diagram, Edge, Lane, Node
from procmap.render.graphviz import render_image
from procmap.render.layout import Axes, Geometry
from procmap.render.theme import THEME


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.graphviz
@pytest.mark.skipif(not gv.graphviz_available(), reason="Graphviz dot/neato not on PATH")
class TestImages:
    def test_png(self, complaint: Diagram) -> None:
        data = render_image(complaint, "png")
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 20_000
        width, height = _png_size(data)
        assert width > 1000 and height > 500

    def test_pdf(self, complaint: Diagram) -> None:
        data = render_image(complaint, "pdf")
        assert data.startswith(b"%PDF-")
        assert len(data) > 10_000

    def test_unreadably_large_png_warns(self, small: Diagram,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(gv, "_png_dpi", lambda geometry, theme: 30.0)
        with pytest.warns(RenderWarning, match="use svg or pdf"):
            assert render_image(small, "png").startswith(b"\x89PNG")

    def test_svg_is_utf8_xml(self, small: Diagram) -> None:
        assert render_image(small, "svg").decode("utf-8").lstrip().startswith("<?xml")

    def test_review_pngs(self, direction: str, tmp_path: Path) -> None:
        """The realistic complaint flow, written where a human can look at it.

        Set ``PROCMAP_REVIEW_DIR`` (e.g. /tmp/render-review) to keep the PNGs.
        """
        out = Path(os.environ.get("PROCMAP_REVIEW_DIR", "") or tmp_path)
        out.mkdir(parents=True, exist_ok=True)
        diagram = complaint_diagram(direction)  # type: ignore[arg-type]
        (out / f"complaint-{direction}.png").write_bytes(render_image(diagram, "png"))
        (out / f"complaint-{direction}.svg").write_bytes(render_image(diagram, "svg"))

    def test_empty_and_degenerate_diagrams(self, direction: str) -> None:
        cases = [
            Diagram(id="", title="", lanes=[], nodes=[], edges=[]),
            Diagram(id="e", title="Only lanes", lanes=[Lane("a", "A")], nodes=[], edges=[]),
            Diagram(id="e", title="Self loop", lanes=[Lane("a", "A")],
                    nodes=[Node("x", "a", "task", "X")],
                    edges=[Edge("x", "x", label="again", loop_back=True)]),
            Diagram(id="e", title="Unmarked cycle", lanes=[Lane("a", "A"), Lane("b", "")],
                    nodes=[Node("x", "a", "task", ""), Node("y", "b", "wait", "")],
                    edges=[Edge("x", "y"), Edge("y", "x")]),
        ]
        for diagram in cases:
            diagram.direction = direction  # type: ignore[assignment]
            assert b"</svg>" in render_image(diagram, "svg")

    def test_300_steps_render_every_step_and_flow(self) -> None:
        # How long this takes is measured by bench/render_bench.py (docs/benchmarks.md);
        # a hang is stopped by the Graphviz timeout (test_a_hanging_graphviz_...).
        import re
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
        from render_bench import synthetic

        diagram = synthetic(300)
        svg = render_image(diagram, "svg").decode("utf-8")
        groups = re.findall(r'<g id="[^"]*" class="([^"]*)"', svg)
        assert sum(c.startswith("node step ") for c in groups) == len(diagram.nodes) == 300
        assert sum(c.startswith("edge flow") for c in groups) == len(diagram.edges)


def test_missing_graphviz_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(GraphvizMissing, match="Graphviz 'neato' was not found"):
        render_image(small_diagram(), "svg")
    assert issubclass(GraphvizMissing, RenderError)


def test_unknown_format_and_bad_diagrams_are_render_errors() -> None:
    with pytest.raises(RenderError, match="unknown image format"):
        render_image(small_diagram(), "gif")  # type: ignore[arg-type]
    lanes = [Lane("a", "A")]
    bad = [
        Diagram(id="x", title="", lanes=lanes, nodes=[Node("n", "zz", "task", "")], edges=[]),
        Diagram(id="x", title="", lanes=lanes, nodes=[Node("n", "a", "task", "")] * 2, edges=[]),
        Diagram(id="x", title="", lanes=lanes, nodes=[Node("n", "a", "task", "")],
                edges=[Edge("n", "missing")]),
    ]
    for diagram in bad:
        with pytest.raises(RenderError):
            gv.to_dot(diagram)


def test_png_resolution_shrinks_for_huge_diagrams() -> None:
    small_dpi = gv._png_dpi(Geometry(axes=Axes("LR"), width=1500, height=500), THEME)
    assert small_dpi == THEME.png_dpi
    huge = Geometry(axes=Axes("LR"), width=40_000, height=3_000)
    dpi = gv._png_dpi(huge, THEME)
    assert huge.width / 72 * dpi <= 32_767
    assert (huge.width / 72 * dpi) * (huge.height / 72 * dpi) <= THEME.png_max_pixels


def test_a_hanging_graphviz_is_stopped_by_the_timeout(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    fake = tmp_path / "neato"
    fake.write_text("#!/bin/sh\nexec sleep 600\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(fake))
    with pytest.raises(RenderError, match=r"took longer than 0\.2s"):
        render_image(small_diagram(), "svg", timeout=0.2)
    assert gv.DEFAULT_TIMEOUT <= 300  # `procmap render` never waits forever


def test_graphviz_failure_is_a_render_error(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    fake = tmp_path / "neato"
    fake.write_text("#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(fake))
    with pytest.raises(RenderError, match="syntax error"):
        render_image(small_diagram(), "svg")
