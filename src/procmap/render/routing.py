"""Orthogonal edge routing for the swimlane layout.

Why our own router: neato's obstacle-avoiding splines take 80 s for 300 steps (the
visibility graph is roughly cubic), and they slip through the gap between a gateway and
its caption. The swimlane layout has a simple structure that makes routing cheap: nodes
sit in rank *columns*, and between two columns there is a free *channel* (``dot``
spaced the ranks, with extra room where edges have labels).

Every edge leaves its source on the downstream side (east for LR, bottom for TB) and
enters its target on the upstream side, with at most four bends:

* straight, when source and target are on one line and nothing is in between;
* a Z through one channel: turn right after the source (fan-out from gateways) or
  right before the target (fan-in to joins), whichever leg is free of nodes;
* three legs through a free *track* across the columns in between when neither is;
* rework (loop-back) edges go out downstream, along a free track back against the flow,
  and in upstream: a visible loop around the nodes, never through them.

Verticals sharing a channel get their own slots so they never overlap; labels go next
to the longest free leg. Everything works in (flow, cross) coordinates, see `Axes`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from procmap.render.diagram import Diagram
from procmap.render.layout import Geometry, NodeBox, Rect, Size
from procmap.render.theme import THEME, Theme

__all__ = ["Route", "route_edges", "spline_points"]

Point = tuple[float, float]
OBSTACLE_MARGIN = 6.0
TRACK_MARGIN = 6.0
SLOT_SPACING = 9.0
SLOT_OFFSET = 16.0  # first vertical from a column: room for a bend and an arrowhead


@dataclass(frozen=True)
class Route:
    points: list[Point]  # screen polyline: tail port, bends, head port
    label_center: Point | None = None


@dataclass
class _Plan:
    """A route before the channel slots are known (flow coordinates of verticals)."""

    edge: int
    start: Point  # (flow, cross) of the tail port
    end: Point  # (flow, cross) of the head port
    first_gap: int | None = None  # channel of the vertical after the source
    last_gap: int | None = None  # channel of the vertical before the target
    track: float | None = None  # cross coordinate of the middle leg
    first_flow: float = 0.0
    last_flow: float = 0.0
    arch: bool = False  # rework: up from the source, along the track, down into the target


@dataclass
class _Channels:
    """Free flow intervals between rank columns; gap k is before rank k."""

    gaps: list[tuple[float, float]]
    first: dict[int, list[_Plan]] = field(default_factory=lambda: defaultdict(list))
    last: dict[int, list[_Plan]] = field(default_factory=lambda: defaultdict(list))

    def center(self, gap: int) -> float:
        low, high = self.gaps[gap]
        return (low + high) / 2


def _channels(geometry: Geometry, theme: Theme) -> _Channels:
    spans = geometry.rank_spans
    if not spans:
        return _Channels(gaps=[])
    edge = theme.flow_pad - 4
    gaps = [(spans[0][0] - edge, spans[0][0])]
    gaps += [(spans[k - 1][1], spans[k][0]) for k in range(1, len(spans))]
    gaps.append((spans[-1][1], spans[-1][1] + edge))
    return _Channels(gaps=gaps)


class _Obstacles:
    """Node stacks per rank, and legs already routed, in (flow, cross) spans."""

    def __init__(self, geometry: Geometry) -> None:
        self.axes = geometry.axes
        self.by_rank: dict[int, list[tuple[int, tuple[float, float, float, float]]]] = (
            defaultdict(list))
        for index, box in enumerate(geometry.nodes):
            self.by_rank[box.rank].append((index, self.axes.span(box.stack)))
        self.legs: list[tuple[float, float, float]] = []  # (cross, flow0, flow1)
        _, _, cross0, cross1 = self.axes.span(geometry.lanes_box)
        self.cross_range = (cross0 + TRACK_MARGIN, cross1 - TRACK_MARGIN)

    def blocked(self, cross: float, ranks: range, skip: Sequence[int] = ()) -> bool:
        """Does a leg at ``cross`` through the columns of ``ranks`` hit a node?"""
        for rank in ranks:
            for index, (_, _, c0, c1) in self.by_rank.get(rank, ()):
                if index not in skip and c0 - OBSTACLE_MARGIN < cross < c1 + OBSTACLE_MARGIN:
                    return True
        return False

    def _gaps(self, ranks: range, flow0: float, flow1: float) -> list[tuple[float, float]]:
        """Free cross intervals through the columns of ``ranks`` (and past routed legs)."""
        spans = [(c0 - OBSTACLE_MARGIN, c1 + OBSTACLE_MARGIN)
                 for rank in ranks for _, (_, _, c0, c1) in self.by_rank.get(rank, ())]
        low, high = min(flow0, flow1), max(flow0, flow1)
        spans += [(c - TRACK_MARGIN, c + TRACK_MARGIN) for c, f0, f1 in self.legs
                  if f0 < high and low < f1]
        spans.sort()
        gaps: list[tuple[float, float]] = []
        cursor = self.cross_range[0]
        for c0, c1 in spans:
            if c0 > cursor:
                gaps.append((cursor, c0))
            cursor = max(cursor, c1)
        if cursor < self.cross_range[1]:
            gaps.append((cursor, self.cross_range[1]))
        return gaps

    def free_track(self, ranks: range, flow0: float, flow1: float,
                   ends: tuple[float, float]) -> float:
        """The cross coordinate of a free corridor through ``ranks``, close to ``ends``."""
        best, best_cost = (ends[0] + ends[1]) / 2, float("inf")
        for g0, g1 in self._gaps(ranks, flow0, flow1):
            if g1 - g0 < 2 * TRACK_MARGIN + 2:
                candidate = (g0 + g1) / 2
            else:
                candidate = min(max(ends[0], g0 + TRACK_MARGIN), g1 - TRACK_MARGIN)
            cost = abs(candidate - ends[0]) + abs(candidate - ends[1])
            if cost < best_cost:
                best, best_cost = candidate, cost
        return best

    def arch_track(self, ranks: range, flow0: float, flow1: float, limit: float,
                   feet: Sequence[tuple[int, int, float]]) -> float | None:
        """The closest free corridor on the upstream-cross side of ``limit`` (above, LR).

        ``feet`` are the vertical legs (rank, node, cross of its port) that must reach
        the corridor without crossing another node of their column.
        """
        for g0, g1 in reversed(self._gaps(ranks, flow0, flow1)):
            if g0 >= limit:
                continue
            top = min(g1, limit)
            candidate = (g0 + top) / 2 if top - g0 < 2 * TRACK_MARGIN else top - TRACK_MARGIN
            if all(self._vertical_free(rank, candidate, port, node) for rank, node, port in feet):
                return candidate
        return None

    def _vertical_free(self, rank: int, cross0: float, cross1: float, skip: int) -> bool:
        low, high = min(cross0, cross1), max(cross0, cross1)
        return not any(index != skip and c0 - OBSTACLE_MARGIN < high and low < c1 + OBSTACLE_MARGIN
                       for index, (_, _, c0, c1) in self.by_rank.get(rank, ()))

    def add_leg(self, cross: float, flow0: float, flow1: float) -> None:
        self.legs.append((cross, min(flow0, flow1), max(flow0, flow1)))


def _ports(box: NodeBox, geometry: Geometry) -> tuple[Point, Point]:
    """(out port, in port) in (flow, cross): downstream and upstream side of the shape."""
    flow, cross = geometry.axes.flow_cross(box.center)
    half = (box.shape.w if geometry.axes.direction == "LR" else box.shape.h) / 2
    return (flow + half, cross), (flow - half, cross)


def _plan(edge_index: int, tail: int, head: int, geometry: Geometry,
          obstacles: _Obstacles, channels: _Channels, fan_in: bool) -> _Plan:
    boxes = geometry.nodes
    rs, rt = boxes[tail].rank, boxes[head].rank
    start, end = _ports(boxes[tail], geometry)[0], _ports(boxes[head], geometry)[1]
    plan = _Plan(edge=edge_index, start=start, end=end)
    between = range(rs + 1, rt)
    if rt > rs:
        if abs(start[1] - end[1]) < 0.5 and not obstacles.blocked(start[1], between):
            return plan
        first_free = not obstacles.blocked(end[1], between, skip=(head,))
        last_free = not obstacles.blocked(start[1], between, skip=(tail,))
        if first_free and (not fan_in or not last_free):
            plan.first_gap = rs + 1
            obstacles.add_leg(end[1], channels.center(rs + 1), end[0])
            return plan
        if last_free:
            plan.last_gap = rt
            obstacles.add_leg(start[1], start[0], channels.center(rt))
            return plan
        span = between
    else:
        span = range(rt, rs + 1)
        arch = _arch(edge_index, tail, head, geometry, obstacles)
        if arch is not None:
            return arch
    plan.first_gap, plan.last_gap = rs + 1, rt
    flow0, flow1 = channels.center(rt), channels.center(rs + 1)
    plan.track = obstacles.free_track(span, flow0, flow1, (start[1], end[1]))
    obstacles.add_leg(plan.track, flow0, flow1)
    return plan


def _arch(edge_index: int, tail: int, head: int, geometry: Geometry,
          obstacles: _Obstacles) -> _Plan | None:
    """A rework edge as an arch over the nodes, from the source's top to the target's.

    Forward flow uses the sides of a shape, so the tops are free (captions and badges
    sit under the shape in LR, beside it in TB) and a rework loop reads as what it is.
    """
    boxes = geometry.nodes
    axes = geometry.axes
    (fs, cs), (ft, ct) = axes.flow_cross(boxes[tail].center), axes.flow_cross(boxes[head].center)
    half_s = (boxes[tail].shape.h if axes.direction == "LR" else boxes[tail].shape.w) / 2
    half_t = (boxes[head].shape.h if axes.direction == "LR" else boxes[head].shape.w) / 2
    if tail == head:  # a self-loop: two feet on one shape
        quarter = (boxes[tail].shape.w if axes.direction == "LR" else boxes[tail].shape.h) / 4
        fs, ft = fs + quarter, ft - quarter
    start, end = (fs, cs - half_s), (ft, ct - half_t)
    ranks = range(boxes[head].rank, boxes[tail].rank + 1)
    track = obstacles.arch_track(ranks, ft, fs, min(start[1], end[1]) - OBSTACLE_MARGIN,
                                 [(boxes[tail].rank, tail, start[1]),
                                  (boxes[head].rank, head, end[1])])
    if track is None:
        return None
    obstacles.add_leg(track, ft, fs)
    return _Plan(edge=edge_index, start=start, end=end, track=track, arch=True)


def _assign_slots(channels: _Channels) -> None:
    """Spread the verticals of each channel: fan-outs from its start, fan-ins from its end."""
    for gap, (low, high) in enumerate(channels.gaps):
        firsts = sorted(channels.first.get(gap, []), key=lambda p: -abs(p.end[1] - p.start[1]))
        lasts = sorted(channels.last.get(gap, []), key=lambda p: -abs(p.end[1] - p.start[1]))
        count = len(firsts) + len(lasts)
        if not count:
            continue
        width = high - low
        offset = min(SLOT_OFFSET, width / 4)
        step = min(SLOT_SPACING, (width - 2 * offset) / max(count - 1, 1))
        for k, plan in enumerate(firsts):
            plan.first_flow = low + offset + step * k
        for k, plan in enumerate(lasts):
            plan.last_flow = high - offset - step * k


def _register(plan: _Plan, channels: _Channels) -> None:
    """Book the channel slots a plan's verticals need (arches need none)."""
    if plan.arch:
        return
    if plan.first_gap is not None:
        channels.first[plan.first_gap].append(plan)
    if plan.last_gap is not None and (plan.track is not None or plan.first_gap is None):
        channels.last[plan.last_gap].append(plan)


def _polyline(plan: _Plan) -> list[Point]:
    """(flow, cross) points of a planned route, without duplicate or collinear points."""
    points = [plan.start]
    if plan.arch and plan.track is not None:
        points += [(plan.start[0], plan.track), (plan.end[0], plan.track)]
    elif plan.track is not None:
        points += [(plan.first_flow, plan.start[1]), (plan.first_flow, plan.track),
                   (plan.last_flow, plan.track), (plan.last_flow, plan.end[1])]
    elif plan.first_gap is not None:
        points += [(plan.first_flow, plan.start[1]), (plan.first_flow, plan.end[1])]
    elif plan.last_gap is not None:
        points += [(plan.last_flow, plan.start[1]), (plan.last_flow, plan.end[1])]
    points.append(plan.end)
    return _simplify(points)


def _simplify(points: list[Point]) -> list[Point]:
    cleaned: list[Point] = []
    for point in points:
        if cleaned and _length((cleaned[-1], point)) < 0.01:
            continue
        if len(cleaned) >= 2:
            (ax, ay), (bx, by) = cleaned[-2], cleaned[-1]
            if (abs(ax - bx) < 0.01 and abs(bx - point[0]) < 0.01) or (
                    abs(ay - by) < 0.01 and abs(by - point[1]) < 0.01):
                cleaned[-1] = point
                continue
        cleaned.append(point)
    return cleaned


Leg = tuple[Point, Point]


def _length(leg: Leg) -> float:
    (x0, y0), (x1, y1) = leg
    return abs(x1 - x0) + abs(y1 - y0)


def _leg_key(leg: Leg) -> tuple[bool, float, float, float]:
    """(horizontal?, fixed coordinate, low, high) of an axis-parallel leg."""
    (x0, y0), (x1, y1) = leg
    if abs(y1 - y0) < 0.01:
        return True, round(y0, 1), min(x0, x1), max(x0, x1)
    return False, round(x0, 1), min(y0, y1), max(y0, y1)


def _shared_legs(all_points: Sequence[Sequence[Point]]) -> list[set[int]]:
    """Per route, the indexes of legs that run on top of another route's leg (by more
    than 1 px). The legs of one line are swept in order of their start, so a diagram
    with many legs on one line costs n log n, not n^2."""
    by_line: dict[tuple[bool, float], list[tuple[float, float, int, int]]] = defaultdict(list)
    for route, points in enumerate(all_points):
        for k, leg in enumerate(pairwise(points)):
            horizontal, fixed, low, high = _leg_key(leg)
            by_line[(horizontal, fixed)].append((low, high, route, k))
    shared: list[set[int]] = [set() for _ in all_points]
    for legs in by_line.values():
        legs.sort()
        for index in _overlapping(legs):
            shared[legs[index][2]].add(legs[index][3])
    return shared


def _overlapping(legs: Sequence[tuple[float, float, int, int]]) -> set[int]:
    """Indexes of the legs (sorted by start) that overlap a leg of another route.

    Two legs with starts a <= b overlap by min(end_a, end_b) - b. Forward, a leg overlaps
    an earlier one when the furthest end among the earlier legs of other routes is more
    than 1 past its start (and it is longer than 1 itself); backward, it overlaps a later
    one when the nearest start among the later legs longer than 1 of other routes is
    more than 1 before its end. The best two of distinct routes answer each sweep."""
    found: set[int] = set()
    furthest: list[tuple[float, int]] = []
    for index, (low, high, route, _k) in enumerate(legs):
        if high - low > 1.0 and any(r != route and end - low > 1.0 for end, r in furthest):
            found.add(index)
        furthest = _best_two(furthest, high, route, larger=True)
    nearest: list[tuple[float, int]] = []
    for index in range(len(legs) - 1, -1, -1):
        low, high, route, _k = legs[index]
        if any(r != route and high - start > 1.0 for start, r in nearest):
            found.add(index)
        if high - low > 1.0:
            nearest = _best_two(nearest, low, route, larger=False)
    return found


def _best_two(best: list[tuple[float, int]], value: float, route: int, *, larger: bool
              ) -> list[tuple[float, int]]:
    """The best value of each of the two best routes, with (value, route) added."""
    mine = [v for v, r in best if r == route] + [value]
    kept = [(v, r) for v, r in best if r != route]
    kept.append((max(mine) if larger else min(mine), route))
    kept.sort(reverse=larger)
    return kept[:2]


def _label_candidates(points: Sequence[Point], size: Size, shared: set[int]) -> list[Point]:
    """Label centres beside the legs of a screen polyline: own legs first, longest first."""
    legs = sorted(enumerate(pairwise(points)),
                  key=lambda item: (item[0] in shared, -_length(item[1])))
    candidates: list[Point] = []
    for _, ((x0, y0), (x1, y1)) in legs:
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        if abs(y1 - y0) < 0.01:  # horizontal: above, then below
            if abs(x1 - x0) >= size.w + 6:
                candidates += [(mx, my - size.h / 2 - 2), (mx, my + size.h / 2 + 2)]
        elif abs(y1 - y0) >= size.h + 6:  # vertical: right, then left
            candidates += [(mx + size.w / 2 + 4, my), (mx - size.w / 2 - 4, my)]
    return candidates


class _RectIndex:
    """Rectangles bucketed on a coarse grid, so label placement stays fast at 1000 steps.

    Each rectangle carries an owner (the route it belongs to, or -1): a label may touch
    the legs of its own edge but nothing else.
    """

    CELL = 160.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[int, Rect]]] = defaultdict(list)
        self.outside: list[Rect] = []

    def _keys(self, rect: Rect) -> list[tuple[int, int]]:
        c = self.CELL
        return [(i, j) for i in range(int(rect.x0 // c), int(rect.x1 // c) + 1)
                for j in range(int(rect.y0 // c), int(rect.y1 // c) + 1)]

    def add(self, rect: Rect, owner: int = -1) -> None:
        for key in self._keys(rect):
            self.cells[key].append((owner, rect))

    def free(self, rect: Rect, owner: int, margin: float, legs: bool = True) -> bool:
        """No overlap with the outside, nodes, labels and (if ``legs``) other edges."""
        if any(rect.overlaps(other, margin) for other in self.outside):
            return False
        grown = Rect(rect.x0 - margin, rect.y0 - margin, rect.x1 + margin, rect.y1 + margin)
        return not any(
            who != owner and (legs or who < 0) and rect.overlaps(other, margin)
            for key in self._keys(grown) for who, other in self.cells.get(key, ()))


def _leg_rect(leg: Leg) -> Rect:
    (x0, y0), (x1, y1) = leg
    return Rect(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _place_label(route: int, points: Sequence[Point], size: Size, shared: set[int],
                 index: _RectIndex) -> Point:
    """Beside a leg, clear of nodes, other labels and other edges; else on the line."""
    candidates = _label_candidates(points, size, shared)
    for avoid_edges in (True, False):  # second round: may sit over another edge (masks it)
        for candidate in candidates:
            rect = Rect.around(candidate, size)
            if index.free(rect, route, 2.0, legs=avoid_edges):
                index.add(rect)
                return candidate
    own = [leg for k, leg in enumerate(pairwise(points)) if k not in shared]
    (x0, y0), (x1, y1) = max(own or list(pairwise(points)), key=_length)
    center = ((x0 + x1) / 2, (y0 + y1) / 2)  # on the line; its background masks it
    index.add(Rect.around(center, size))
    return center


def _outside(box: Rect) -> list[Rect]:
    """Four rectangles around the lanes, so that labels stay on the bands."""
    far = 1e6
    return [Rect(-far, -far, far, box.y0), Rect(-far, box.y1, far, far),
            Rect(-far, -far, box.x0, far), Rect(box.x1, -far, far, far)]


def route_edges(diagram: Diagram, geometry: Geometry, label_sizes: dict[int, Size],
                theme: Theme = THEME) -> list[Route]:
    """One route per `Diagram.edges` entry (same order), in screen coordinates."""
    index = {node.id: i for i, node in enumerate(diagram.nodes)}
    obstacles = _Obstacles(geometry)
    channels = _channels(geometry, theme)
    in_degree: dict[int, int] = defaultdict(int)
    for edge in diagram.edges:
        if not edge.loop_back:
            in_degree[index[edge.target]] += 1

    def span(i: int) -> int:
        edge = diagram.edges[i]
        ranks = geometry.nodes[index[edge.target]].rank, geometry.nodes[index[edge.source]].rank
        return abs(ranks[0] - ranks[1])

    plans: dict[int, _Plan] = {}
    for i in sorted(range(len(diagram.edges)), key=lambda i: (diagram.edges[i].loop_back, span(i))):
        edge = diagram.edges[i]
        tail, head = index[edge.source], index[edge.target]
        plan = _plan(i, tail, head, geometry, obstacles, channels, in_degree[head] > 1)
        _register(plan, channels)
        plans[i] = plan
    _assign_slots(channels)

    all_points = [[geometry.axes.screen(*p) for p in _polyline(plans[i])]
                  for i in range(len(diagram.edges))]
    shared = _shared_legs(all_points)
    occupied = _RectIndex()
    occupied.outside = _outside(geometry.lanes_box)
    for box in geometry.nodes:
        occupied.add(box.stack)
    for route, points in enumerate(all_points):
        for leg in pairwise(points):
            occupied.add(_leg_rect(leg), owner=route)
    routes: list[Route] = []
    for i, points in enumerate(all_points):
        size = label_sizes.get(i)
        label = (_place_label(i, points, size, shared[i], occupied)
                 if size is not None else None)
        routes.append(Route(points=points, label_center=label))
    return routes


def spline_points(points: Sequence[Point], radius: float, arrow: float) -> list[Point]:
    """Cubic Bezier control points (3n + 1) of a polyline with rounded corners.

    The last segment is shortened by ``arrow`` so that Graphviz's arrowhead (drawn from
    the spline's end to the port) ends exactly at the port.
    """
    pts = list(points)
    if len(pts) < 2:
        return pts
    (ax, ay), (bx, by) = pts[-2], pts[-1]
    length = abs(bx - ax) + abs(by - ay)
    if length > arrow:
        ratio = (length - arrow) / length
        pts[-1] = (ax + (bx - ax) * ratio, ay + (by - ay) * ratio)
    out: list[Point] = [pts[0]]

    def line_to(target: Point) -> None:
        (sx, sy) = out[-1]
        tx, ty = target
        out.extend([(sx + (tx - sx) / 3, sy + (ty - sy) / 3),
                    (sx + 2 * (tx - sx) / 3, sy + 2 * (ty - sy) / 3), target])

    for k in range(1, len(pts) - 1):
        prev, corner, nxt = pts[k - 1], pts[k], pts[k + 1]
        len_in = abs(corner[0] - prev[0]) + abs(corner[1] - prev[1])
        len_out = abs(nxt[0] - corner[0]) + abs(nxt[1] - corner[1])
        r = min(radius, len_in / 2, len_out / 2)
        if r < 0.5:
            line_to(corner)
            continue
        din = ((corner[0] - prev[0]) / len_in, (corner[1] - prev[1]) / len_in)
        dout = ((nxt[0] - corner[0]) / len_out, (nxt[1] - corner[1]) / len_out)
        enter = (corner[0] - din[0] * r, corner[1] - din[1] * r)
        leave = (corner[0] + dout[0] * r, corner[1] + dout[1] * r)
        line_to(enter)
        k_arc = 0.5523 * r
        out.extend([(enter[0] + din[0] * k_arc, enter[1] + din[1] * k_arc),
                    (leave[0] - dout[0] * k_arc, leave[1] - dout[1] * k_arc), leave])
    line_to(pts[-1])
    return out
