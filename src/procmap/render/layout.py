"""Swimlane geometry: where every part goes, given Graphviz's measurements and ranks.

Graphviz clusters cannot draw swimlanes: they float, overlap and reorder. So the
layout is split (see `procmap.render.graphviz` for the passes that feed this module):

* along the flow (x for ``LR``, y for ``TB``) each node keeps the rank coordinate that
  ``dot`` computed for the flow graph, which already leaves room for edge labels;
* across the flow, the position is ours: lane ``i`` gets a band after lane ``i - 1``,
  as thick as the rows it needs (the most nodes one rank has in that lane); nodes of a
  rank are put in rows in ``dot``'s order (its crossing reduction), as a block that
  follows the rows of their same-lane predecessors so straight runs stay straight.

Edges are routed afterwards by `procmap.render.routing` in the channels this leaves
between rank columns. Everything here is arithmetic on points in *screen* coordinates
(y grows downwards); `Geometry.to_graphviz` flips y for Graphviz. Nothing runs a binary,
so the geometry can be tested directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from procmap.render.diagram import Diagram, Direction
from procmap.render.theme import THEME, Theme
from procmap.render.visuals import LegendItem, NodeVisual, Part

__all__ = [
    "Axes",
    "FlowSlot",
    "Geometry",
    "NodeBox",
    "Rect",
    "Size",
    "compute_geometry",
    "proxy_size",
    "stack_offsets",
]

LEGEND_EDGE_LENGTH = 34.0


@dataclass(frozen=True)
class Size:
    w: float
    h: float


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    @property
    def size(self) -> Size:
        return Size(self.x1 - self.x0, self.y1 - self.y0)

    @staticmethod
    def around(center: tuple[float, float], size: Size) -> Rect:
        x, y = center
        return Rect(x - size.w / 2, y - size.h / 2, x + size.w / 2, y + size.h / 2)

    def union(self, other: Rect) -> Rect:
        return Rect(min(self.x0, other.x0), min(self.y0, other.y0),
                    max(self.x1, other.x1), max(self.y1, other.y1))

    def shifted(self, dx: float, dy: float) -> Rect:
        return Rect(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def overlaps(self, other: Rect, margin: float = 0.0) -> bool:
        return (self.x0 - margin < other.x1 and other.x0 < self.x1 + margin
                and self.y0 - margin < other.y1 and other.y0 < self.y1 + margin)


@dataclass(frozen=True)
class Axes:
    """Flow/cross coordinates <-> screen coordinates for one direction.

    The flow axis is the direction of the process (x for LR, y for TB); the cross axis
    is the one lanes are stacked along. Code written on (flow, cross) works for both.
    """

    direction: Direction

    def screen(self, flow: float, cross: float) -> tuple[float, float]:
        return (flow, cross) if self.direction == "LR" else (cross, flow)

    def flow_cross(self, point: tuple[float, float]) -> tuple[float, float]:
        return point if self.direction == "LR" else (point[1], point[0])

    def rect(self, flow0: float, cross0: float, flow1: float, cross1: float) -> Rect:
        x0, y0 = self.screen(flow0, cross0)
        x1, y1 = self.screen(flow1, cross1)
        return Rect(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def span(self, rect: Rect) -> tuple[float, float, float, float]:
        """(flow0, flow1, cross0, cross1) of a screen rectangle."""
        if self.direction == "LR":
            return rect.x0, rect.x1, rect.y0, rect.y1
        return rect.y0, rect.y1, rect.x0, rect.x1


@dataclass(frozen=True)
class FlowSlot:
    """What pass B (``dot`` on the flow graph) says about one node."""

    flow: float  # centre along the flow axis, points (any origin)
    order: float  # position across the flow; only the order within a rank is used


@dataclass(frozen=True)
class NodeBox:
    """A placed node: its shape and everything drawn with it (the stack)."""

    center: tuple[float, float]  # of the shape, screen
    shape: Size
    stack: Rect  # shape + caption + badge, screen
    rank: int
    lane: int


@dataclass
class Geometry:
    axes: Axes
    width: float = 0.0
    height: float = 0.0
    centers: dict[str, tuple[float, float]] = field(default_factory=dict)
    fixed_sizes: dict[str, Size] = field(default_factory=dict)
    bands: list[Rect] = field(default_factory=list)
    nodes: list[NodeBox] = field(default_factory=list)
    rank_spans: list[tuple[float, float]] = field(default_factory=list)  # flow extent
    lanes_box: Rect = field(default_factory=lambda: Rect(0, 0, 0, 0))
    legend_box: Rect | None = None

    def to_graphviz(self, point: tuple[float, float]) -> tuple[float, float]:
        """Screen coordinates to Graphviz points (origin bottom-left, y up)."""
        return (point[0], self.height - point[1])

    def gv_rect(self, rect: Rect) -> str:
        """A rectangle as a Graphviz ``bb`` value."""
        return (f"{rect.x0:.2f},{self.height - rect.y1:.2f},"
                f"{rect.x1:.2f},{self.height - rect.y0:.2f}")


def stack_offsets(visual: NodeVisual, sizes: dict[str, Size], direction: Direction,
                  theme: Theme = THEME) -> dict[str, tuple[float, float]]:
    """Centre of each part relative to the shape's centre.

    LR: caption and badge under the shape (edges enter and leave sideways). TB: edges
    enter at the top and leave at the bottom, so caption and badge go to the right.
    """
    shape = sizes[visual.shape.name]
    offsets = {visual.shape.name: (0.0, 0.0)}
    parts = [p for p in (visual.caption, visual.badge) if p is not None]
    if direction == "LR":
        y = shape.h / 2
        for part in parts:
            size = sizes[part.name]
            offsets[part.name] = (0.0, y + theme.part_gap + size.h / 2)
            y += theme.part_gap + size.h
        return offsets
    total = sum(sizes[p.name].h for p in parts) + theme.part_gap * (len(parts) - 1)
    y = -total / 2
    for part in parts:
        size = sizes[part.name]
        offsets[part.name] = (shape.w / 2 + 2 * theme.part_gap + size.w / 2, y + size.h / 2)
        y += size.h + theme.part_gap
    return offsets


def _stack_rect(visual: NodeVisual, sizes: dict[str, Size], direction: Direction,
                theme: Theme) -> Rect:
    """The stack around the shape centre (0, 0)."""
    rect = Rect.around((0, 0), sizes[visual.shape.name])
    for name, offset in stack_offsets(visual, sizes, direction, theme).items():
        rect = rect.union(Rect.around(offset, sizes[name]))
    return rect


def proxy_size(visual: NodeVisual, sizes: dict[str, Size], direction: Direction,
               theme: Theme = THEME) -> Size:
    """The box pass B lays out for a node: its stack, centred on the shape's centre."""
    rect = _stack_rect(visual, sizes, direction, theme)
    return Size(2 * max(-rect.x0, rect.x1), 2 * max(-rect.y0, rect.y1))


def _ranks(slots: Sequence[FlowSlot]) -> list[int]:
    """Rank index of every node: nodes of one dot rank share their flow coordinate."""
    keys = sorted({round(slot.flow, 1) for slot in slots})
    index = {key: rank for rank, key in enumerate(keys)}
    return [index[round(slot.flow, 1)] for slot in slots]


def _assign_rows(members: list[int], ranks: list[int], slots: Sequence[FlowSlot],
                 preds: dict[int, list[int]]) -> tuple[dict[int, float], int]:
    """Row (possibly fractional) of each node of one lane, and the lane's row count."""
    by_rank: dict[int, list[int]] = defaultdict(list)
    for node in members:
        by_rank[ranks[node]].append(node)
    row_count = max((len(group) for group in by_rank.values()), default=0)
    rows: dict[int, float] = {}
    for rank in sorted(by_rank):
        group = sorted(by_rank[rank], key=lambda n: (slots[n].order, n))
        wanted = []
        for i, node in enumerate(group):
            placed = [rows[p] for p in preds[node] if p in rows]
            if placed:
                wanted.append(sum(placed) / len(placed) - i)
        free = row_count - len(group)
        start = sum(wanted) / len(wanted) if wanted else free / 2
        start = min(max(start, 0.0), float(free))
        for i, node in enumerate(group):
            rows[node] = start + i
    return rows, row_count


@dataclass(frozen=True)
class _LaneMetrics:
    rows: dict[int, float]
    cross_before: float
    pitch: float
    content: float  # cross size of the rows themselves


def _lane_metrics(members: list[int], stacks: list[Rect], ranks: list[int],
                  slots: Sequence[FlowSlot], preds: dict[int, list[int]], axes: Axes,
                  theme: Theme) -> _LaneMetrics:
    rows, row_count = _assign_rows(members, ranks, slots, preds)
    if not members:
        return _LaneMetrics(rows={}, cross_before=0.0, pitch=0.0, content=0.0)
    spans = [axes.span(stacks[n]) for n in members]
    before = max(-span[2] for span in spans)
    after = max(span[3] for span in spans)
    pitch = before + after + theme.row_gap
    return _LaneMetrics(rows=rows, cross_before=before, pitch=pitch,
                        content=before + after + (row_count - 1) * pitch)


def _layout_legend(items: Sequence[LegendItem], sizes: dict[str, Size], left: float,
                   top: float, max_width: float, geometry: Geometry) -> None:
    pad, gap_inner, gap_items = 10.0, 6.0, 20.0
    x, y = left + pad, top + pad
    row_height = 0.0
    right = x
    for item in items:
        text = sizes[item.text.name]
        sample = Size(LEGEND_EDGE_LENGTH, 6.0) if item.edge else sizes[item.sample.name]
        width = sample.w + gap_inner + text.w
        if x > left + pad and x + width > left + max_width - pad:
            x, y = left + pad, y + row_height + 8
            row_height = 0.0
        height = max(sample.h, text.h)
        middle = y + height / 2
        if item.edge is not None and item.edge_tail is not None:
            geometry.centers[item.edge_tail.name] = (x, middle)
            geometry.centers[item.sample.name] = (x + sample.w, middle)
        else:
            geometry.centers[item.sample.name] = (x + sample.w / 2, middle)
        geometry.centers[item.text.name] = (x + sample.w + gap_inner + text.w / 2, middle)
        x += width + gap_items
        right = max(right, x - gap_items)
        row_height = max(row_height, height)
    geometry.legend_box = Rect(left, top, right + pad, y + row_height + pad)


def _predecessors(diagram: Diagram, visuals: Sequence[NodeVisual],
                  ranks: list[int]) -> dict[int, list[int]]:
    """Same-lane predecessors in earlier ranks: what a node's row should follow."""
    node_index = {visual.node.id: visual.index for visual in visuals}
    preds: dict[int, list[int]] = defaultdict(list)
    for edge in diagram.edges:
        tail, head = node_index[edge.source], node_index[edge.target]
        same_lane = visuals[tail].node.lane == visuals[head].node.lane
        if same_lane and ranks[tail] < ranks[head]:
            preds[head].append(tail)
    return preds


def compute_geometry(
    diagram: Diagram,
    visuals: Sequence[NodeVisual],
    headers: Sequence[Part],
    title: Part | None,
    legend: Sequence[LegendItem],
    sizes: dict[str, Size],
    slots: Sequence[FlowSlot],
    theme: Theme = THEME,
) -> Geometry:
    """Place every part. ``sizes`` come from pass A, ``slots`` from pass B."""
    axes = Axes(diagram.direction)
    stacks = [_stack_rect(v, sizes, diagram.direction, theme) for v in visuals]
    ranks = _ranks(slots)
    preds = _predecessors(diagram, visuals, ranks)
    lanes = [_lane_metrics(m, stacks, ranks, slots, preds, axes, theme)
             for m in _lane_members(diagram, visuals)]

    inset, pad, margin = theme.header_inset, theme.band_pad, theme.margin
    header_depth, header_cross = _header_band(diagram.direction,
                                              [sizes[part.name] for part in headers], theme)
    band_cross = [
        max(lane.content + 2 * pad, header_cross[i], 2 * pad + 24)
        for i, lane in enumerate(lanes)
    ]

    # Flow axis: dot's coordinates, shifted so the first node clears the header.
    lowest, highest = _flow_extent(stacks, slots, axes)
    title_size = sizes[title.name] if title is not None else Size(0, 0)
    top = margin + (title_size.h + 12 if title is not None else 0)
    lanes_start = margin if diagram.direction == "LR" else top  # along the flow axis
    cross_start = top if diagram.direction == "LR" else margin
    flow_origin = lanes_start + header_depth + theme.flow_pad - lowest
    flow_length = header_depth + 2 * theme.flow_pad + (highest - lowest)

    geometry = Geometry(axes=axes)
    if title is not None:
        geometry.centers[title.name] = (margin + title_size.w / 2, margin + title_size.h / 2)

    boxes: dict[int, NodeBox] = {}
    cross = cross_start
    for i, lane in enumerate(lanes):
        geometry.bands.append(axes.rect(lanes_start, cross, lanes_start + flow_length,
                                        cross + band_cross[i]))
        header = axes.rect(lanes_start + inset, cross + inset,
                           lanes_start + header_depth - inset, cross + band_cross[i] - inset)
        geometry.centers[headers[i].name] = header.center
        geometry.fixed_sizes[headers[i].name] = header.size
        first_row = cross + (band_cross[i] - lane.content) / 2 + lane.cross_before
        for node, row in lane.rows.items():
            center = axes.screen(flow_origin + slots[node].flow, first_row + row * lane.pitch)
            boxes[node] = _place_node(geometry, visuals[node], center, sizes, stacks[node],
                                      ranks[node], i, diagram.direction, theme)
        cross += band_cross[i]
    geometry.nodes = [boxes[i] for i in range(len(visuals))]
    geometry.rank_spans = _rank_spans(geometry.nodes, ranks, axes)

    lanes_box = axes.rect(lanes_start, cross_start, lanes_start + flow_length, cross)
    geometry.lanes_box = lanes_box
    _set_size(geometry, legend, sizes, margin, title_size.w)
    return geometry


def _lane_members(diagram: Diagram, visuals: Sequence[NodeVisual]) -> list[list[int]]:
    """The nodes of each lane, in order."""
    lane_index = {lane.id: i for i, lane in enumerate(diagram.lanes)}
    members: list[list[int]] = [[] for _ in diagram.lanes]
    for visual in visuals:
        members[lane_index[visual.node.lane]].append(visual.index)
    return members


def _header_band(direction: Direction, header_sizes: list[Size], theme: Theme
                 ) -> tuple[float, list[float]]:
    """Header band: a column on the left (LR) or a row on top (TB), the same for all
    lanes. Its depth along the flow, and each header's extent across it."""
    inset = theme.header_inset
    if direction == "LR":
        header_depth = max([theme.header_min] + [s.w + 2 * inset for s in header_sizes])
        header_cross = [s.h + 2 * inset for s in header_sizes]
    else:
        header_depth = max([36.0] + [s.h + 2 * inset for s in header_sizes])
        header_cross = [max(s.w + 2 * inset, theme.header_min) for s in header_sizes]
    return header_depth, header_cross


def _flow_extent(stacks: list[Rect], slots: Sequence[FlowSlot], axes: Axes
                 ) -> tuple[float, float]:
    """The lowest and highest flow coordinate the nodes reach in dot's layout."""
    flow_spans = [axes.span(stack)[:2] for stack in stacks]
    lowest = min((slots[i].flow + flow_spans[i][0] for i in range(len(stacks))), default=0.0)
    highest = max((slots[i].flow + flow_spans[i][1] for i in range(len(stacks))),
                  default=0.0)
    return lowest, highest


def _place_node(geometry: Geometry, visual: NodeVisual, center: tuple[float, float],
                sizes: dict[str, Size], stack: Rect, rank: int, lane: int,
                direction: Direction,
                theme: Theme) -> NodeBox:
    """Center a node's parts around `center`; its box."""
    for name, (dx, dy) in stack_offsets(visual, sizes, direction, theme).items():
        geometry.centers[name] = (center[0] + dx, center[1] + dy)
    return NodeBox(center=center, shape=sizes[visual.shape.name],
                   stack=stack.shifted(*center), rank=rank, lane=lane)


def _rank_spans(nodes: list[NodeBox], ranks: list[int], axes: Axes
                ) -> list[tuple[float, float]]:
    """Each rank's extent along the flow axis."""
    rank_count = max(ranks, default=-1) + 1
    spans: list[list[float]] = [[float("inf"), float("-inf")] for _ in range(rank_count)]
    for box in nodes:
        flow0, flow1, _, _ = axes.span(box.stack)
        spans[box.rank][0] = min(spans[box.rank][0], flow0)
        spans[box.rank][1] = max(spans[box.rank][1], flow1)
    return [(low, high) for low, high in spans]


def _set_size(geometry: Geometry, legend: Sequence[LegendItem], sizes: dict[str, Size],
              margin: float, title_width: float) -> None:
    """Lay out the legend below the lanes; the drawing's width and height."""
    lanes_box = geometry.lanes_box
    right = max(lanes_box.x1, margin + title_width)
    bottom = lanes_box.y1
    if legend:
        _layout_legend(legend, sizes, margin, lanes_box.y1 + 14,
                       max(lanes_box.x1 - margin, 420.0), geometry)
        assert geometry.legend_box is not None
        right = max(right, geometry.legend_box.x1)
        bottom = geometry.legend_box.y1
    geometry.width = right + margin
    geometry.height = bottom + margin
