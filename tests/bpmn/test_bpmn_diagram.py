"""The BPMN diagram (DI) comes from the render layout: as few crossings as the SVG, and
the same file on every machine (no Graphviz involved)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from procmap.bpmn.diagram import FlowIn, ShapeIn, layout_pool
from procmap.bpmn.export import to_bpmn
from procmap.model import Workspace

Point = tuple[float, float]
DI = "{http://www.omg.org/spec/DD/20100524/DI}waypoint"
EDGE = "{http://www.omg.org/spec/BPMN/20100524/DI}BPMNEdge"


def crossings(edges: Sequence[Sequence[Point]]) -> int:
    """Segments of different edges crossing strictly inside both (orthogonal edges)."""
    horizontal, vertical = [], []
    for index, points in enumerate(edges):
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            if abs(y0 - y1) < 1e-6 and abs(x0 - x1) > 1e-6:
                horizontal.append((index, y0, min(x0, x1), max(x0, x1)))
            elif abs(x0 - x1) < 1e-6 and abs(y0 - y1) > 1e-6:
                vertical.append((index, x0, min(y0, y1), max(y0, y1)))
    return sum(1 for (i, y, x0, x1), (j, x, y0, y1) in itertools.product(horizontal, vertical)
               if i != j and x0 < x < x1 and y0 < y < y1)


def _di_edges(xml: str) -> list[list[Point]]:
    from lxml import etree

    root = etree.fromstring(xml.encode())
    return [[(float(p.get("x")), float(p.get("y"))) for p in edge.iter(DI)]
            for edge in root.iter(EDGE)]


@pytest.mark.graphviz
@pytest.mark.parametrize("process_id", ["complaint-handling", "crm-admin-assignment",
                                        "customer-onboarding", "refund-approval"])
def test_no_more_crossings_than_the_svg(examples: Workspace, process_id: str) -> None:
    from procmap.render.build import diagram_for
    from procmap.render.graphviz import layout_diagram

    entry = examples.process(process_id)
    assert entry is not None
    svg = [route.points for route in layout_diagram(diagram_for(entry, examples)).routes]
    bpmn = _di_edges(to_bpmn([entry], examples))
    assert crossings(bpmn) <= crossings(svg)


def test_the_diagram_is_the_same_every_time(examples: Workspace) -> None:
    assert to_bpmn(examples.processes, examples) == to_bpmn(examples.processes, examples)


def test_barycenter_order_untangles_a_crossing() -> None:
    """Two chains whose second halves are listed in the opposite order: file order would
    cross them, the sweeps do not."""
    shapes = [ShapeIn(i, "r", "task") for i in ("a", "b", "d", "c")]
    flows = [FlowIn("a", "c"), FlowIn("b", "d")]
    layout = layout_pool(["r"], shapes, flows, 0.0, 0.0)
    assert crossings(layout.edges) == 0
    assert layout.shapes["a"].center[1] == layout.shapes["c"].center[1]
    assert layout.shapes["b"].center[1] == layout.shapes["d"].center[1]


def test_loops_stay_inside_the_pool() -> None:
    shapes = [ShapeIn("s", "r1", "event"), ShapeIn("t", "r1", "task"),
              ShapeIn("g", "r2", "gateway"), ShapeIn("e", "r2", "event")]
    flows = [FlowIn("s", "t"), FlowIn("t", "g"), FlowIn("g", "t", "rework"),
             FlowIn("g", "e", "done")]
    layout = layout_pool(["r1", "r2"], shapes, flows, 100.0, 60.0)
    box = layout.box
    for points in layout.edges:
        assert all(box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1 for x, y in points)
    assert all(label is not None for label in layout.labels[2:])
    assert [lane.y0 for lane in layout.lanes] == [box.y0, layout.lanes[0].y1]
