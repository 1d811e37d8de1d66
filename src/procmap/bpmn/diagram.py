"""The BPMN diagram (DI) of one pool, placed and routed by `procmap.render`.

The SVG and the BPMN file of a process share one swimlane layout: lanes as bands in
role order, nodes in rank columns (`procmap.render.layout.compute_geometry`), edges
routed orthogonally in the channels between columns (`procmap.render.routing`). Only
two things are BPMN's own:

* the sizes: BPMN shapes have the sizes modelers draw (task 120 x 80, event 36, gateway
  50) and no caption under them (modelers draw event and gateway names themselves);
* the slots along and across the flow. The SVG asks Graphviz's ``dot`` for them; the
  BPMN export must work without Graphviz and be the same file on every machine, so
  `flow_slots` computes them here: columns by longest path (loops ignored), and the
  order inside a column by barycenter sweeps, which is what ``dot`` does too.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

from procmap.render.diagram import Diagram, Edge, Lane, Node, NodeKind
from procmap.render.layout import FlowSlot, Geometry, Rect, Size, compute_geometry
from procmap.render.routing import Route, route_edges
from procmap.render.text import clean_text, display_width
from procmap.render.theme import THEME
from procmap.render.visuals import NodeVisual, Part
from procmap.rules.graph import first_cycle_edges

#: shape sizes in BPMN DI units (pixels at 100%), what bpmn-js draws
SIZES = {"task": Size(120.0, 80.0), "event": Size(36.0, 36.0), "gateway": Size(50.0, 50.0)}
#: bpmn-js writes a lane's name in its left 30 px, and a pool's in the 30 px before that
HEADER = 30.0
COLUMN_GAP = 80.0  # between two columns: room for the channel's verticals and labels
SWEEPS = 8  # barycenter sweeps (down and up) over the columns
#: the render theme with BPMN's header band instead of the SVG's
THEME_BPMN = dataclasses.replace(THEME, header_min=HEADER, header_inset=0.0, margin=0.0,
                                 band_pad=24.0, row_gap=40.0)


@dataclass(frozen=True)
class ShapeIn:
    """A flow node to place: its BPMN id, lane (role id) and shape family."""

    id: str
    lane: str
    shape: str  # "task", "event" or "gateway"


@dataclass(frozen=True)
class FlowIn:
    source: str
    target: str
    label: str = ""


@dataclass
class PoolLayout:
    """Screen coordinates (y down) of everything in one pool, from `(x, y)`."""

    box: Rect
    lanes: list[Rect]
    shapes: dict[str, Rect]
    edges: list[list[tuple[float, float]]]
    labels: list[Rect | None]


_KINDS: dict[str, NodeKind] = {"task": "task", "event": "start", "gateway": "decision"}


def label_size(text: str) -> Size:
    """The box a flow's name is written in: ~9 px per latin character, 120 px wide at
    most, more lines when longer."""
    width = display_width(clean_text(text)) * 9 + 6
    return Size(min(120.0, max(24.0, width)), 14.0 * max(1, math.ceil(width / 120)))


def layout_pool(lanes: Sequence[str], shapes: Sequence[ShapeIn], flows: Sequence[FlowIn],
                x: float, y: float) -> PoolLayout:
    """Place and route one pool whose top-left corner is `(x, y)`."""
    diagram = Diagram(id="pool", title="", legend=False,
                      lanes=[Lane(id=lane, label="") for lane in lanes],
                      nodes=[Node(id=s.id, lane=s.lane, kind=_KINDS[s.shape], label="")
                             for s in shapes],
                      edges=[])
    back = _back_edges(shapes, flows)
    diagram.edges = [Edge(source=f.source, target=f.target, label=f.label,
                          loop_back=(f.source, f.target) in back) for f in flows]
    visuals = [NodeVisual(node=node, index=i, shape=Part(f"n{i}", {}), caption=None,
                          badge=None) for i, node in enumerate(diagram.nodes)]
    headers = [Part(f"h{i}", {}) for i in range(len(lanes))]
    sizes = {f"n{i}": SIZES[s.shape] for i, s in enumerate(shapes)}
    sizes.update((part.name, Size(0.0, 0.0)) for part in headers)
    slots = flow_slots(diagram, sizes)
    geometry = compute_geometry(diagram, visuals, headers, None, [], sizes, slots,
                                THEME_BPMN)
    label_sizes = {i: label_size(f.label) for i, f in enumerate(flows) if f.label}
    routes = route_edges(diagram, geometry, label_sizes, THEME_BPMN)
    return _placed(geometry, routes, label_sizes, shapes, x, y)


def _placed(geometry: Geometry, routes: list[Route], label_sizes: dict[int, Size],
            shapes: Sequence[ShapeIn], x: float, y: float) -> PoolLayout:
    box = geometry.lanes_box
    dx, dy = x + HEADER - box.x0, y - box.y0

    def move(point: tuple[float, float]) -> tuple[float, float]:
        return (point[0] + dx, point[1] + dy)

    placed = {s.id: Rect.around(move(geometry.nodes[i].center), geometry.nodes[i].shape)
              for i, s in enumerate(shapes)}
    labels: list[Rect | None] = []
    for i, route in enumerate(routes):
        size = label_sizes.get(i)
        labels.append(None if size is None or route.label_center is None
                      else Rect.around(move(route.label_center), size))
    return PoolLayout(box=Rect(x, y, box.x1 + dx, box.y1 + dy),
                      lanes=[band.shifted(dx, dy) for band in geometry.bands],
                      shapes=placed, edges=[[move(p) for p in r.points] for r in routes],
                      labels=labels)


def _back_edges(shapes: Sequence[ShapeIn], flows: Sequence[FlowIn]) -> set[tuple[str, str]]:
    successors: dict[str, list[str]] = {s.id: [] for s in shapes if s.shape == "event"}
    successors.update((s.id, []) for s in shapes if s.id not in successors)
    for flow in flows:
        successors[flow.source].append(flow.target)
    return set(first_cycle_edges(successors))


def flow_slots(diagram: Diagram, sizes: dict[str, Size]) -> list[FlowSlot]:
    """Column (longest path from the sources, loop edges left out) and order inside the
    column of every node, as `FlowSlot`s for `compute_geometry`."""
    index = {node.id: i for i, node in enumerate(diagram.nodes)}
    count = len(diagram.nodes)
    forward = [(index[e.source], index[e.target]) for e in diagram.edges
               if not e.loop_back and e.source != e.target]
    rank = _longest_path(count, forward)
    lane_of = {lane.id: i for i, lane in enumerate(diagram.lanes)}
    lane = [lane_of[node.lane] for node in diagram.nodes]
    order = _sweep(count, forward, rank, lane)
    columns = max(rank, default=-1) + 1
    width = [0.0] * columns
    for i in range(count):
        width[rank[i]] = max(width[rank[i]], sizes[f"n{i}"].w)
    centers, position = [], 0.0
    for column in range(columns):
        centers.append(position + width[column] / 2)
        position += width[column] + COLUMN_GAP
    return [FlowSlot(flow=centers[rank[i]], order=order[i]) for i in range(count)]


def _longest_path(count: int, edges: list[tuple[int, int]]) -> list[int]:
    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [0] * count
    for source, target in edges:
        successors[source].append(target)
        indegree[target] += 1
    rank = [0] * count
    ready = [i for i in range(count) if indegree[i] == 0]
    while ready:
        node = ready.pop()
        for target in successors[node]:
            rank[target] = max(rank[target], rank[node] + 1)
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return rank


def _sweep(count: int, edges: list[tuple[int, int]], rank: list[int],
           lane: list[int]) -> list[float]:
    """Order across the flow: lanes first (they are fixed bands), then the barycenter of
    the neighbours in the column before (down sweeps) or after (up sweeps)."""
    before: list[list[int]] = [[] for _ in range(count)]
    after: list[list[int]] = [[] for _ in range(count)]
    for source, target in edges:
        after[source].append(target)
        before[target].append(source)
    columns: dict[int, list[int]] = {}
    for i in range(count):
        columns.setdefault(rank[i], []).append(i)
    position = [float(i) for i in range(count)]
    for column in columns.values():
        _renumber(column, position, lane)
    ranks = sorted(columns)
    for sweep in range(SWEEPS):
        neighbours, order = (before, ranks) if sweep % 2 == 0 else (after, ranks[::-1])
        for r in order:
            column = columns[r]
            for i in column:
                near = [position[n] for n in neighbours[i]]
                if near:
                    position[i] = sum(near) / len(near)
            _renumber(column, position, lane)
    return [lane[i] * (count + 1) + position[i] for i in range(count)]


def _renumber(column: list[int], position: list[float], lane: list[int]) -> None:
    column.sort(key=lambda i: (lane[i], position[i], i))
    for place, i in enumerate(column):
        position[i] = float(place)
