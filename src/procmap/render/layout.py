"""Swimlane geometry: where every part goes, given Graphviz's measurements and ranks.

Graphviz clusters cannot draw swimlanes: they float, overlap and reorder. So the
layout is split (see `procmap.render.graphviz` for the passes that feed this module):

* along the flow (x for ``LR``, y for ``TB``) each node keeps the rank coordinate that
  ``dot`` computed for the flow graph, which already leaves room for edge labels;
* across the flow, the position is ours: lane ``i`` gets a band after lane ``i - 1``,
  as thick as the rows it needs (the most nodes one rank has in that lane); nodes of a
  rank are put in rows in ``dot``'s order (its crossing reduction), as a block that
  follows the rows of their same-lane predecessors so straight runs stay straight.

Everything here is pure arithmetic on points, in *screen* coordinates (y grows
downwards); `Geometry.to_graphviz` flips y for Graphviz. Nothing runs a binary, so the
geometry can be tested directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from procmap.render.diagram import Diagram, Direction
from procmap.render.theme import THEME, Theme
from procmap.render.visuals import LegendItem, NodeVisual, Part

__all__ = ["FlowSlot", "Geometry", "Rect", "Size", "compute_geometry", "proxy_size"]

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


@dataclass(frozen=True)
class FlowSlot:
    """What pass B (``dot`` on the flow graph) says about one node."""

    flow: float  # centre along the flow axis, points (any origin)
    order: float  # position across the flow; only the order within a rank is used


@dataclass
class Geometry:
    width: float
    height: float
    centers: dict[str, tuple[float, float]] = field(default_factory=dict)
    fixed_sizes: dict[str, Size] = field(default_factory=dict)
    bands: list[Rect] = field(default_factory=list)
    legend_box: Rect | None = None

    def to_graphviz(self, point: tuple[float, float]) -> tuple[float, float]:
        """Screen coordinates to Graphviz points (origin bottom-left, y up)."""
        return (point[0], self.height - point[1])

    def gv_rect(self, rect: Rect) -> str:
        """A rectangle as a Graphviz ``bb`` value."""
        return f"{rect.x0:.2f},{self.height - rect.y1:.2f},{rect.x1:.2f},{self.height - rect.y0:.2f}"


@dataclass(frozen=True)
class _Stack:
    """A node's shape with its caption and badge stacked under it (text reads across)."""

    width: float
    above: float  # from the shape's centre up to the top of the shape
    below: float  # from the shape's centre down to the bottom of the badge
    offsets: dict[str, float]  # part name -> vertical offset of its centre


def _stack(visual: NodeVisual, sizes: dict[str, Size], theme: Theme) -> _Stack:
    shape = sizes[visual.shape.name]
    y = shape.h / 2
    offsets = {visual.shape.name: 0.0}
    width = shape.w
    for part in (visual.caption, visual.badge):
        if part is None:
            continue
        size = sizes[part.name]
        y += theme.part_gap
        offsets[part.name] = y + size.h / 2
        y += size.h
        width = max(width, size.w)
    return _Stack(width=width, above=shape.h / 2, below=y, offsets=offsets)


def proxy_size(visual: NodeVisual, sizes: dict[str, Size], direction: Direction,
               theme: Theme = THEME) -> Size:
    """The box pass B lays out for a node: its stack, centred on the shape's centre."""
    stack = _stack(visual, sizes, theme)
    if direction == "LR":
        return Size(stack.width, stack.above + stack.below)
    return Size(stack.width, 2 * max(stack.above, stack.below))


def _extents(stack: _Stack, direction: Direction) -> tuple[tuple[float, float], tuple[float, float]]:
    """((flow before, flow after), (cross before, cross after)) around the shape centre."""
    half = stack.width / 2
    if direction == "LR":
        return (half, half), (stack.above, stack.below)
    return (stack.above, stack.below), (half, half)


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


def _lane_metrics(members: list[int], stacks: list[_Stack], ranks: list[int],
                  slots: Sequence[FlowSlot], preds: dict[int, list[int]],
                  direction: Direction, theme: Theme) -> _LaneMetrics:
    rows, row_count = _assign_rows(members, ranks, slots, preds)
    if not members:
        return _LaneMetrics(rows={}, cross_before=0.0, pitch=0.0, content=0.0)
    crosses = [_extents(stacks[n], direction)[1] for n in members]
    before = max(c[0] for c in crosses)
    after = max(c[1] for c in crosses)
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
    direction = diagram.direction
    lane_index = {lane.id: i for i, lane in enumerate(diagram.lanes)}
    node_index = {visual.node.id: visual.index for visual in visuals}
    stacks = [_stack(visual, sizes, theme) for visual in visuals]
    ranks = _ranks(slots)

    preds: dict[int, list[int]] = defaultdict(list)
    for edge in diagram.edges:
        tail, head = node_index[edge.source], node_index[edge.target]
        same_lane = visuals[tail].node.lane == visuals[head].node.lane
        if same_lane and ranks[tail] < ranks[head]:
            preds[head].append(tail)

    members: list[list[int]] = [[] for _ in diagram.lanes]
    for visual in visuals:
        members[lane_index[visual.node.lane]].append(visual.index)
    lanes = [_lane_metrics(m, stacks, ranks, slots, preds, direction, theme) for m in members]

    inset, pad, margin = theme.header_inset, theme.band_pad, theme.margin
    header_sizes = [sizes[part.name] for part in headers]
    # Header band: a column on the left (LR) or a row on top (TB), the same for all lanes.
    if direction == "LR":
        header_depth = max([theme.header_min] + [s.w + 2 * inset for s in header_sizes])
        header_cross = [s.h + 2 * inset for s in header_sizes]
    else:
        header_depth = max([36.0] + [s.h + 2 * inset for s in header_sizes])
        header_cross = [max(s.w + 2 * inset, theme.header_min) for s in header_sizes]
    band_cross = [
        max(lane.content + 2 * pad, header_cross[i], 2 * pad + 24)
        for i, lane in enumerate(lanes)
    ]

    # Flow axis: dot's coordinates, shifted so the first node clears the header.
    flow_extents = [_extents(stack, direction)[0] for stack in stacks]
    if visuals:
        lowest = min(slots[i].flow - flow_extents[i][0] for i in range(len(visuals)))
        highest = max(slots[i].flow + flow_extents[i][1] for i in range(len(visuals)))
    else:
        lowest = highest = 0.0
    title_size = sizes[title.name] if title is not None else Size(0, 0)
    top = margin + (title_size.h + 12 if title is not None else 0)
    lanes_start = margin if direction == "LR" else top  # along the flow axis
    cross_start = top if direction == "LR" else margin
    flow_origin = lanes_start + header_depth + pad - lowest
    flow_length = header_depth + 2 * pad + (highest - lowest)

    geometry = Geometry(width=0, height=0)
    if title is not None:
        geometry.centers[title.name] = (margin + title_size.w / 2, margin + title_size.h / 2)

    def screen(flow: float, cross: float) -> tuple[float, float]:
        return (flow, cross) if direction == "LR" else (cross, flow)

    cross = cross_start
    for i, lane in enumerate(lanes):
        band = Rect(*screen(lanes_start, cross), *screen(lanes_start + flow_length,
                                                         cross + band_cross[i]))
        geometry.bands.append(band)
        header = Rect(*screen(lanes_start + inset, cross + inset),
                      *screen(lanes_start + header_depth - inset, cross + band_cross[i] - inset))
        geometry.centers[headers[i].name] = header.center
        geometry.fixed_sizes[headers[i].name] = header.size
        first_row = cross + (band_cross[i] - lane.content) / 2 + lane.cross_before
        for node, row in lane.rows.items():
            flow_at = flow_origin + slots[node].flow
            cross_at = first_row + row * lane.pitch
            cx, cy = screen(flow_at, cross_at)
            for name, offset in stacks[node].offsets.items():
                geometry.centers[name] = (cx, cy + offset)
        cross += band_cross[i]

    lanes_right = max((band.x1 for band in geometry.bands), default=margin)
    lanes_bottom = max((band.y1 for band in geometry.bands), default=top)
    right = max(lanes_right, margin + title_size.w)
    bottom = lanes_bottom
    if legend:
        _layout_legend(legend, sizes, margin, lanes_bottom + 14,
                       max(lanes_right - margin, 420.0), geometry)
        assert geometry.legend_box is not None
        right = max(right, geometry.legend_box.x1)
        bottom = geometry.legend_box.y1
    geometry.width = right + margin
    geometry.height = bottom + margin
    return geometry
