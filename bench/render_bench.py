"""Time `render_image(..., "svg")` on synthetic swimlane diagrams (50 / 300 / 1000 steps).

Stand-alone: ``python bench/render_bench.py [--repeat N] [--sizes 50,300,1000]``.
Needs the Graphviz binaries. The diagrams are deterministic: a main path that walks
through 12 lanes, with a decision every 7 steps (a branch that rejoins 2-4 steps later),
a parallel fork/join every 11 steps and a rework loop every 13 steps.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from procmap.render.diagram import Diagram, Edge, Lane, Node
from procmap.render.graphviz import render_image

LANES = 12


def synthetic(steps: int, lanes: int = LANES) -> Diagram:
    """A process of ``steps`` nodes spread over ``lanes`` roles."""
    lane_list = [Lane(f"role{i}", f"角色 Role {i}") for i in range(lanes)]
    nodes = [Node("s0", "role0", "start", "Start")]
    edges: list[Edge] = []
    for i in range(1, steps - 1):
        lane = f"role{(i * 5 + i // 3) % lanes}"
        kind = "task"
        if i % 7 == 0:
            kind = "decision"
        elif i % 11 == 0:
            kind = "parallel"
        elif i % 5 == 0:
            kind = "approval"
        nodes.append(Node(f"s{i}", lane, kind, f"步骤 {i} step with a longer name",  # type: ignore[arg-type]
                          details=(f"{i % 50 + 5}m",)))
        edges.append(Edge(f"s{i - 1}", f"s{i}"))
        if kind in ("decision", "parallel") and i + 3 < steps - 1:
            edges.append(Edge(f"s{i}", f"s{i + 3}", label="other (20%)"))
        if i % 13 == 0 and i > 4:
            edges.append(Edge(f"s{i}", f"s{i - 4}", label="rework", loop_back=True))
    nodes.append(Node(f"s{steps - 1}", "role0", "end", "End"))
    edges.append(Edge(f"s{steps - 2}", f"s{steps - 1}"))
    return Diagram(id=f"synthetic-{steps}", title=f"Synthetic {steps} steps",
                   lanes=lane_list, nodes=nodes, edges=edges)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="50,300,1000")
    parser.add_argument("--direction", choices=["LR", "TB"], default="LR")
    args = parser.parse_args()
    print(f"{'steps':>6} {'lanes':>5} {'edges':>5} {'median s':>9} {'min s':>7} {'svg KB':>7}")
    for size in (int(s) for s in args.sizes.split(",")):
        diagram = synthetic(size)
        diagram.direction = args.direction
        times = []
        svg = b""
        for _ in range(args.repeat):
            start = time.perf_counter()
            svg = render_image(diagram, "svg", timeout=600)
            times.append(time.perf_counter() - start)
        print(f"{size:>6} {LANES:>5} {len(diagram.edges):>5} {statistics.median(times):>9.2f} "
              f"{min(times):>7.2f} {len(svg) / 1024:>7.0f}")


if __name__ == "__main__":
    main()
