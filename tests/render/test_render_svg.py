"""SVG structure and swimlane geometry, parsed back out of the rendered SVG."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest
from render_diagrams import GRAPHVIZ_MARKS, complaint_diagram, small_diagram
from render_svg_helpers import classes, groups, inside, parse_svg, shape_box, text_box

from procmap.render.diagram import Diagram
from procmap.render.graphviz import render_image
from procmap.render.xmlid import decode_xml_id, encode_xml_id

pytestmark = GRAPHVIZ_MARKS

SVG = "{http://www.w3.org/2000/svg}"


def _synthetic(direction: str) -> Diagram:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from render_bench import synthetic

    diagram = synthetic(60, lanes=6)
    diagram.direction = direction  # type: ignore[assignment]
    return diagram


DIAGRAMS: dict[str, Callable[[Any], Diagram]] = {
    "small": small_diagram,
    "complaint": complaint_diagram,
    "synthetic": _synthetic,
}


@pytest.fixture(params=sorted(DIAGRAMS))
def drawn(request: pytest.FixtureRequest, direction: str) -> tuple[Diagram, Any]:
    diagram = DIAGRAMS[request.param](direction)
    return diagram, parse_svg(render_image(diagram, "svg"))


def _bands(diagram: Diagram, root: object) -> list[tuple[float, float, float, float]]:
    by_id = {g.get("id"): g for g in groups(root, "lane")}
    return [shape_box(by_id[f"lane-{encode_xml_id(lane.id)}"]) for lane in diagram.lanes]


def test_lanes_and_steps_have_ids_and_classes(drawn: tuple[Diagram, Any]) -> None:
    diagram, root = drawn
    lanes = groups(root, "lane")
    assert [decode_xml_id(g.get("id")[len("lane-"):]) for g in lanes] == [
        lane.id for lane in diagram.lanes]
    for lane in lanes:
        first_shape = next(child for child in lane if child.tag in (f"{SVG}polygon",
                                                                     f"{SVG}rect"))
        assert first_shape is not None
    steps = groups(root, "step")
    assert sorted(decode_xml_id(g.get("id")[len("step-"):]) for g in steps) == sorted(
        node.id for node in diagram.nodes)
    for g in steps:
        assert {"node", "step"} <= classes(g)


def test_bands_follow_lane_order_and_do_not_overlap(drawn: tuple[Diagram, Any]) -> None:
    diagram, root = drawn
    bands = _bands(diagram, root)
    for before, after in pairwise(bands):
        if diagram.direction == "LR":  # stacked top to bottom (SVG y grows downwards)
            assert before[3] <= after[1] + 0.01
            assert (before[0], before[2]) == pytest.approx((after[0], after[2]))
        else:  # side by side, left to right
            assert before[2] <= after[0] + 0.01
            assert (before[1], before[3]) == pytest.approx((after[1], after[3]))


def test_every_step_is_inside_its_lane_band(drawn: tuple[Diagram, Any]) -> None:
    diagram, root = drawn
    bands = dict(zip((lane.id for lane in diagram.lanes), _bands(diagram, root), strict=True))
    lane_of = {encode_xml_id(node.id): node.lane for node in diagram.nodes}
    for g in groups(root, "step"):
        key = g.get("id")[len("step-"):]
        assert inside(shape_box(g), bands[lane_of[key]]), key
    for g in groups(root, "step-caption"):
        key = g.get("id")[len("caption-"):]
        assert inside(text_box(g), bands[lane_of[key]]), key
    for g in groups(root, "badge"):
        key = g.get("id")[len("badge-"):]
        assert inside(shape_box(g), bands[lane_of[key]]), key


def test_bands_are_drawn_before_steps_and_edges(drawn: tuple[Diagram, Any]) -> None:
    _, root = drawn
    order = [g for g in root.iter(f"{SVG}g") if classes(g) & {"lane", "node", "edge"}]
    first_other = next(i for i, g in enumerate(order) if "lane" not in classes(g))
    assert all("lane" not in classes(g) for g in order[first_other:])
    last_node = max(i for i, g in enumerate(order) if "node" in classes(g))
    first_edge = min(i for i, g in enumerate(order) if "edge" in classes(g))
    assert first_edge > last_node  # edges on top: never hidden behind a band or a step


def test_highlight_marks_critical_edges_and_bottlenecks() -> None:
    root = parse_svg(render_image(complaint_diagram("LR"), "svg"))
    critical = [g for g in groups(root, "critical") if "edge" in classes(g)]
    assert critical and all(
        g.find(f"{SVG}path").get("stroke") == "#e4572e" for g in critical)
    bottleneck = next(g for g in groups(root, "bottleneck"))
    assert "#e4572e" in {p.get("stroke") for p in bottleneck.iter(f"{SVG}path")}
    assert groups(root, "overloaded")
    assert any("等待占比 68%" in "".join(g.itertext()) for g in groups(root, "badge"))
    loop = next(g for g in groups(root, "loop-back"))
    assert loop.find(f"{SVG}path").get("stroke-dasharray")


def _path_points(d: str) -> list[tuple[float, float]]:
    values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    points = list(zip(values[0::2], values[1::2], strict=True))
    samples = []
    for a, b in pairwise(points):
        samples += [(a[0] + (b[0] - a[0]) * t / 8, a[1] + (b[1] - a[1]) * t / 8)
                    for t in range(9)]
    return samples


def test_edges_never_run_through_a_shape(drawn: tuple[Diagram, Any]) -> None:
    """Routed edges go around steps, badges and lane headers, never behind them."""
    _, root = drawn
    boxes = [shape_box(g) for css in ("step", "badge", "lane-header") for g in groups(root, css)]
    for edge in groups(root, "flow"):
        for x, y in _path_points(edge.find(f"{SVG}path").get("d")):
            for x0, y0, x1, y1 in boxes:
                assert not (x0 + 1.5 < x < x1 - 1.5 and y0 + 1.5 < y < y1 - 1.5), edge.get("id")
