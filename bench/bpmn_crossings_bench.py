"""Edge crossings of the BPMN export's diagram (DI) against the SVG's, on the benchmark
processes of `generate.py` (issue 9: the BPMN DI must have no more crossings than the
SVG; before the DI came from the render layout, a 332-step process had 38 against 18).

Stand-alone: ``python bench/bpmn_crossings_bench.py [--sizes 52,152,332]``. The SVG
column needs Graphviz (``dot``, ``neato``); without it only the BPMN column is shown.
A crossing is a point where two edges' orthogonal segments cross strictly inside both
(edges that meet at a shared port or run along each other are not counted). Numbers go
in docs/benchmarks.md; nothing is asserted.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from generate import catalog, process  # noqa: E402

from procmap.model import Workspace  # noqa: E402

Point = tuple[float, float]
_DI = "{http://www.omg.org/spec/DD/20100524/DI}waypoint"
_EDGE = "{http://www.omg.org/spec/BPMN/20100524/DI}BPMNEdge"


def crossings(edges: Sequence[Sequence[Point]]) -> int:
    """Proper crossings between segments of different polylines."""
    segments: list[tuple[int, Point, Point]] = []
    for index, points in enumerate(edges):
        segments += [(index, a, b) for a, b in itertools.pairwise(points) if a != b]
    count = 0
    for (i, a0, a1), (j, b0, b1) in itertools.combinations(segments, 2):
        if i != j and _cross(a0, a1, b0, b1):
            count += 1
    return count


def _cross(a0: Point, a1: Point, b0: Point, b1: Point) -> bool:
    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    eps = 1e-6
    d1, d2 = side(b0, b1, a0), side(b0, b1, a1)
    d3, d4 = side(a0, a1, b0), side(a0, a1, b1)
    return d1 * d2 < -eps * eps and d3 * d4 < -eps * eps and min(
        abs(d1), abs(d2), abs(d3), abs(d4)) > eps


def workspace_for(steps: int) -> Workspace:
    from procmap.loader import load_text
    from procmap.model import build_workspace

    return build_workspace([load_text(catalog(), "roles.yaml"),
                            load_text(process(f"p{steps}", steps, seed=steps), "p.yaml")])


def bpmn_edges(workspace: Workspace) -> list[list[Point]]:
    from lxml import etree

    from procmap.bpmn.export import to_bpmn

    root = etree.fromstring(to_bpmn(workspace.processes, workspace).encode())
    return [[(float(p.get("x")), float(p.get("y"))) for p in edge.iter(_DI)]
            for edge in root.iter(_EDGE)]


def svg_edges(workspace: Workspace) -> list[list[Point]] | None:
    if not (shutil.which("dot") and shutil.which("neato")):
        return None
    from procmap.render.build import diagram_for
    from procmap.render.graphviz import layout_diagram

    (entry,) = workspace.processes
    layout = layout_diagram(diagram_for(entry, workspace))
    return [list(route.points) for route in layout.routes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="52,152,332")
    args = parser.parse_args()
    print(f"{'steps':>6} {'edges':>6} {'BPMN DI':>8} {'SVG':>6}")
    for size in (int(s) for s in args.sizes.split(",")):
        workspace = workspace_for(size)
        bpmn = bpmn_edges(workspace)
        svg = svg_edges(workspace)
        shown = "n/a" if svg is None else str(crossings(svg))
        print(f"{size:6} {len(bpmn):6} {crossings(bpmn):8} {shown:>6}")


if __name__ == "__main__":
    main()
