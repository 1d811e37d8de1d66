"""BPMN 2.0 XML: processes as pools with lanes, plus a diagram (DI) laid out as swimlanes.

`to_bpmn` writes one ``definitions`` document for one or several processes: one
``collaboration`` with a ``participant`` (pool) per process, one ``lane`` per role in
`procmap.model.lanes.process_lanes` order, and a ``BPMNDiagram`` that any modeler can
open (bpmn-js, Camunda Modeler, Signavio...). The mapping, the extension namespace and
the id encoding are documented in docs/bpmn.md; in short:

* start/end -> ``startEvent``/``endEvent``; task -> ``userTask``; approval -> ``userTask``
  with ``procmap:kind="approval"``, followed by an ``exclusiveGateway``
  (``procmap:kind="approval-outcome"``) when it has 2+ outcomes; decision ->
  ``exclusiveGateway``; parallel -> ``parallelGateway``; subprocess -> ``callActivity``;
  wait -> ``intermediateCatchEvent`` with a ``timerEventDefinition``;
* transitions -> ``sequenceFlow`` named by ``when`` (plus a ``conditionExpression`` on
  the branches of an exclusive gateway);
* everything BPMN has no place for (durations, SLAs, probabilities, RACI, x- keys, role
  capacity...) goes into ``extensionElements`` in the ``procmap`` namespace, so that
  ``procmap import`` restores the process exactly.

The XML is written by hand (no global ElementTree namespace registry, deterministic
output). User text goes through `clean_text` (XML forbids C0 controls even as character
references) and `xml_escape`; ids are ``<Prefix>_`` + `ascii_xml_id` of the user id (ASCII
only: modelers refuse anything else).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from procmap import __version__
from procmap.model import Kind, ProcessEntry, Role, Step, Transition, Workspace
from procmap.model.lanes import process_lanes, step_lanes
from procmap.render.text import clean_text, display_width, xml_escape
from procmap.render.xmlid import encode_xml_id
from procmap.rules.graph import first_cycle_edges
from procmap.text.units import iso_duration, spelled_duration

__all__ = ["NS_PROCMAP", "ascii_xml_id", "iso_duration", "render_bpmn_file",
           "spelled_duration", "to_bpmn"]

NS_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS_BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
NS_DC = "http://www.omg.org/spec/DD/20100524/DC"
NS_DI = "http://www.omg.org/spec/DD/20100524/DI"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_PROCMAP = "https://procmap.dev/schema/bpmn/1"

# Geometry, in BPMN DI units (pixels at 100%). bpmn-js draws a pool's name in its left
# 30 px and a lane's name in the lane's own left 30 px, so content starts after both.
POOL_LEFT, POOL_TOP, POOL_GAP = 100.0, 60.0, 40.0
HEADER = 30.0
CONTENT_MARGIN = 30.0
COLUMN_WIDTH = 170.0
ROW_HEIGHT = 130.0
LANE_PADDING = 20.0
SIZES = {"task": (120.0, 80.0), "event": (36.0, 36.0), "gateway": (50.0, 50.0)}
Box = tuple[float, float, float, float]  # x, y, width, height

_TAGS = {
    Kind.START: "startEvent", Kind.END: "endEvent", Kind.TASK: "userTask",
    Kind.APPROVAL: "userTask", Kind.DECISION: "exclusiveGateway",
    Kind.PARALLEL: "parallelGateway", Kind.SUBPROCESS: "callActivity",
    Kind.WAIT: "intermediateCatchEvent",
}
_SHAPES = {"startEvent": "event", "endEvent": "event", "intermediateCatchEvent": "event",
           "userTask": "task", "callActivity": "task", "exclusiveGateway": "gateway",
           "parallelGateway": "gateway"}
# DEL, C1 controls, surrogates and the XML non-characters: JSON leaves them raw, XML
# cannot hold them, so they are written as JSON \u escapes instead.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def to_bpmn(entries: Sequence[ProcessEntry], workspace: Workspace) -> str:
    """BPMN 2.0 XML for `entries` (one pool each), roles looked up in `workspace`."""
    if not entries:
        raise ValueError("to_bpmn needs at least one process")
    role_order = list(workspace.roles)
    roles = {rid: entry.role for rid, entry in workspace.roles.items()}
    pools: list[_Pool] = []
    top = POOL_TOP
    for index, entry in enumerate(entries):
        prefix = "" if len(entries) == 1 else f"P{index + 1}_"
        pool = _build_pool(entry, roles, role_order, prefix, top)
        pools.append(pool)
        top = pool.y + pool.height + POOL_GAP
    first = ascii_xml_id(entries[0].process.id)
    collaboration = f"Collaboration_{first}"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<definitions xmlns="{NS_BPMN}" xmlns:bpmndi="{NS_BPMNDI}" xmlns:dc="{NS_DC}" '
        f'xmlns:di="{NS_DI}" xmlns:xsi="{NS_XSI}" xmlns:procmap="{NS_PROCMAP}" '
        f'id="Definitions_{first}" targetNamespace="https://procmap.dev/processes" '
        f'exporter="procmap" exporterVersion="{xml_escape(__version__)}">',
        f'  <collaboration id="{collaboration}">',
    ]
    for pool in pools:
        out.append(f'    <participant id="{pool.participant}" name="{_attr(pool.name)}" '
                   f'processRef="{pool.process_id}"/>')
    out.append("  </collaboration>")
    for pool in pools:
        out.extend(_process_xml(pool, roles))
    out.append('  <bpmndi:BPMNDiagram id="BPMNDiagram_1">')
    out.append(f'    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="{collaboration}">')
    for pool in pools:
        out.extend(_diagram_xml(pool))
    out.append("    </bpmndi:BPMNPlane>")
    out.append("  </bpmndi:BPMNDiagram>")
    out.append("</definitions>")
    return "\n".join(out) + "\n"


def render_bpmn_file(entry: ProcessEntry, workspace: Workspace) -> bytes:
    """The `.bpmn` file of one process, as `procmap render -o X.bpmn` writes it."""
    return to_bpmn([entry], workspace).encode("utf-8")


# ---------------------------------------------------------------- values as text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def ascii_xml_id(text: str) -> str:
    """A user id as the tail of a BPMN id: `encode_xml_id`, then every non-ASCII
    character escaped the same way (``_x5BA2_``). XML allows CJK in ids, but bpmn-js (and
    so Camunda Modeler) accepts only ASCII ones; `decode_xml_id` still reverses it."""
    return "".join(char if char.isascii() else (
        f"_x{ord(char):04X}_" if ord(char) <= 0xFFFF else f"_x{ord(char):06X}_")
        for char in encode_xml_id(text))


def _attr(text: str) -> str:
    """User text as an attribute value: cleaned, escaped, newlines kept as &#10;."""
    return xml_escape(clean_text(text)).replace("\n", "&#10;")


def _text(text: str) -> str:
    return xml_escape(clean_text(text))


def _json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


# ---------------------------------------------------------------- structure


@dataclass
class _Node:
    id: str
    tag: str
    step: Step
    lane: str
    outcome: bool = False  # the exclusive gateway after an approval with 2+ outcomes
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0

    @property
    def size(self) -> tuple[float, float]:
        return SIZES[_SHAPES[self.tag]]

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.size[0] / 2, self.y + self.size[1] / 2)


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    transition: Transition | None  # None: the approval -> outcome gateway link
    exclusive: bool  # a branch of an exclusive gateway: gets a conditionExpression
    waypoints: list[tuple[float, float]] = field(default_factory=list)
    label: Box | None = None


@dataclass
class _Lane:
    id: str
    role: str
    name: str
    y: float = 0.0
    height: float = 0.0
    nodes: list[str] = field(default_factory=list)


@dataclass
class _Pool:
    entry: ProcessEntry
    participant: str
    process_id: str
    name: str
    lanes: list[_Lane]
    nodes: dict[str, _Node]
    flows: list[_Flow]
    step_nodes: dict[str, str]  # step id -> id of the node its transitions leave from
    x: float = POOL_LEFT
    y: float = POOL_TOP
    width: float = 0.0
    height: float = 0.0


def _build_pool(entry: ProcessEntry, roles: dict[str, Role], role_order: list[str],
                prefix: str, top: float) -> _Pool:
    process = entry.process
    pid = ascii_xml_id(process.id)
    fallback = process.owner or (role_order[0] if role_order else "")
    lane_of = step_lanes(process, fallback)
    lanes = [_Lane(f"{prefix}Lane_{ascii_xml_id(role)}", role,
                   roles[role].label if role in roles else (role or process.label))
             for role in process_lanes(process, role_order)]
    nodes: dict[str, _Node] = {}
    exits: dict[str, str] = {}
    entries_: dict[str, str] = {}
    for step in process.steps:
        if step.id in entries_:  # a duplicate id (validate reports it): draw the first
            continue
        node = _Node(f"{prefix}Step_{ascii_xml_id(step.id)}", _TAGS[step.kind], step,
                     lane_of.get(step.id, fallback))
        nodes[node.id] = node
        entries_[step.id] = exits[step.id] = node.id
        if step.kind is Kind.APPROVAL and len(step.next) >= 2:
            gateway = _Node(f"{prefix}Outcome_{ascii_xml_id(step.id)}", "exclusiveGateway",
                            step, node.lane, outcome=True)
            nodes[gateway.id] = gateway
            exits[step.id] = gateway.id
    flows: list[_Flow] = []
    for step in process.steps:
        if entries_.get(step.id) not in nodes or nodes[entries_[step.id]].step is not step:
            continue
        source = exits[step.id]
        base = f"{prefix}Flow_{ascii_xml_id(step.id)}"
        if source != entries_[step.id]:
            flows.append(_Flow(f"{base}_0", entries_[step.id], source, None, False))
        exclusive = nodes[source].tag == "exclusiveGateway" and len(step.next) >= 2
        for number, transition in enumerate(step.next, start=1):
            if transition.to in entries_:
                flows.append(_Flow(f"{base}_{number}", source, entries_[transition.to],
                                   transition, exclusive))
    for flow in flows:
        nodes[flow.source].outgoing.append(flow.id)
        nodes[flow.target].incoming.append(flow.id)
    for node in nodes.values():
        for lane in lanes:
            if lane.role == node.lane:
                lane.nodes.append(node.id)
    pool = _Pool(entry, f"Participant_{pid}", f"Process_{pid}",
                 process.label, lanes, nodes, flows, exits, y=top)
    _layout(pool)
    return pool


# ---------------------------------------------------------------- layout


def _ranks(nodes: dict[str, _Node], flows: list[_Flow]) -> dict[str, int]:
    """Column of every node: its longest-path depth in the graph without loop edges."""
    successors: dict[str, list[str]] = {}
    starts = [n for n, node in nodes.items() if node.tag == "startEvent"]
    for node_id in starts + [n for n in nodes if n not in starts]:
        successors[node_id] = []
    for flow in flows:
        successors[flow.source].append(flow.target)
    back = set(first_cycle_edges(successors))
    indegree = dict.fromkeys(nodes, 0)
    forward: dict[str, list[str]] = {n: [] for n in nodes}
    for source, targets in successors.items():
        for target in targets:
            if (source, target) not in back:
                forward[source].append(target)
                indegree[target] += 1
    rank = dict.fromkeys(nodes, 0)
    ready = deque(n for n in successors if indegree[n] == 0)
    while ready:
        node_id = ready.popleft()
        for target in forward[node_id]:
            rank[target] = max(rank[target], rank[node_id] + 1)
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return rank


def _layout(pool: _Pool) -> None:
    nodes = pool.nodes
    rank = _ranks(nodes, pool.flows)
    columns = max(rank.values(), default=0) + 1
    predecessors: dict[str, list[str]] = {}
    for flow in pool.flows:
        if rank[flow.source] < rank[flow.target]:
            predecessors.setdefault(flow.target, []).append(flow.source)
    # Rows inside each lane: a node takes the row of a same-lane predecessor when it is
    # free (straight runs stay straight), else the first free row of its column.
    row: dict[str, int] = {}
    taken: set[tuple[str, int, int]] = set()
    for node_id in sorted(nodes, key=lambda n: rank[n]):  # stable: file order in a column
        node = nodes[node_id]
        wanted = [row[p] for p in predecessors.get(node_id, ())
                  if p in row and nodes[p].lane == node.lane]
        chosen = next(r for r in itertools.chain(wanted, itertools.count())
                      if (node.lane, rank[node_id], r) not in taken)
        row[node_id] = chosen
        taken.add((node.lane, rank[node_id], chosen))
    grid = _Grid(pool.x + 2 * HEADER + CONTENT_MARGIN, rank)
    pool.width = 2 * HEADER + 2 * CONTENT_MARGIN + columns * COLUMN_WIDTH
    y = pool.y
    for lane in pool.lanes:
        rows = max((row[n] + 1 for n in lane.nodes), default=1)
        lane.y, lane.height = y, rows * ROW_HEIGHT + 2 * LANE_PADDING
        grid.channels.extend(y + LANE_PADDING + r * ROW_HEIGHT for r in range(rows + 1))
        for node_id in lane.nodes:
            node = nodes[node_id]
            width, height = node.size
            cx = grid.gap(rank[node_id]) + COLUMN_WIDTH / 2
            cy = y + LANE_PADDING + row[node_id] * ROW_HEIGHT + ROW_HEIGHT / 2
            node.x, node.y = cx - width / 2, cy - height / 2
            grid.columns.setdefault(rank[node_id], []).append(node)
        y += lane.height
    pool.height = y - pool.y
    labels: list[Box] = []
    for flow in pool.flows:
        flow.waypoints = grid.route(nodes[flow.source], nodes[flow.target])
        flow.label = _label_bounds(flow, labels)


@dataclass
class _Grid:
    """Columns of nodes and the free horizontal channels between rows, for routing.

    Nodes sit in the middle of their column and row, so the vertical line at a column
    boundary (`gap`) and the horizontal line at a row boundary (`channels`) never cross
    a shape: edges that cannot go straight use them."""

    left: float
    rank: dict[str, int]
    columns: dict[int, list[_Node]] = field(default_factory=dict)
    channels: list[float] = field(default_factory=list)
    used: dict[float, int] = field(default_factory=dict)

    def gap(self, column: int) -> float:
        """x of the boundary on the left of `column`."""
        return self.left + column * COLUMN_WIDTH

    def lane_x(self, column: int) -> float:
        """A vertical run in the gap left of `column`: successive runs in one gap are
        spread 8 px apart so that they do not draw over each other."""
        x = self.gap(column)
        count = self.used.get(x, 0)
        self.used[x] = count + 1
        return x + (count % 5 - 2) * 8

    def free(self, y: float, first: int, last: int) -> bool:
        """True if the horizontal line at `y` crosses no shape in columns first..last."""
        return not any(node.y - 4 <= y <= node.y + node.size[1] + 4
                       for column in range(first, last + 1)
                       for node in self.columns.get(column, ()))

    def clear_vertical(self, x: float, y0: float, y1: float, column: int,
                       skip: _Node) -> bool:
        low, high = min(y0, y1), max(y0, y1)
        return not any(node is not skip and node.x - 4 <= x <= node.x + node.size[0] + 4
                       and node.y < high and node.y + node.size[1] > low
                       for node in self.columns.get(column, ()))

    def channel(self, near: float, below: float | None = None) -> float:
        candidates = [c for c in self.channels if below is None or c > below]
        return min(candidates or self.channels, key=lambda c: abs(c - near))

    def route(self, source: _Node, target: _Node) -> list[tuple[float, float]]:
        """Orthogonal waypoints: left to right for forward flows; loops go back along a
        channel under the source and enter the target from the left."""
        (sx, sy), (tx, ty) = source.center, target.center
        s_right, s_bottom = source.x + source.size[0], source.y + source.size[1]
        t_left = target.x
        cs, ct = self.rank[source.id], self.rank[target.id]
        if source is target:
            below = self.channel(s_bottom, below=s_bottom)
            return [(s_right, sy), (s_right + 15, sy), (s_right + 15, below), (sx, below),
                    (sx, s_bottom)]
        if cs >= ct:  # a rework loop
            below = self.channel(s_bottom, below=s_bottom)
            back = self.lane_x(ct)
            return [(sx, s_bottom), (sx, below), (back, below), (back, ty), (t_left, ty)]
        between = (cs + 1, ct - 1)
        if abs(sy - ty) < 0.5 and self.free(sy, *between):
            return [(s_right, sy), (t_left, ty)]
        if (source.tag.endswith("Gateway") and self.free(ty, *between)
                and self.clear_vertical(sx, sy, ty, cs, source)):
            corner = source.y if ty < sy else s_bottom  # a split leaves by a corner
            return [(sx, corner), (sx, ty), (t_left, ty)]
        if (target.tag.endswith("Gateway") and self.free(sy, *between)
                and self.clear_vertical(tx, sy, ty, ct, target)):
            corner = target.y if sy < ty else target.y + target.size[1]
            return [(s_right, sy), (tx, sy), (tx, corner)]
        if self.free(sy, *between):
            bend = self.lane_x(ct)
            return [(s_right, sy), (bend, sy), (bend, ty), (t_left, ty)]
        if self.free(ty, *between):
            bend = self.lane_x(cs + 1)
            return [(s_right, sy), (bend, sy), (bend, ty), (t_left, ty)]
        out, into = self.lane_x(cs + 1), self.lane_x(ct)
        lane = self.channel((sy + ty) / 2)
        return [(s_right, sy), (out, sy), (out, lane), (into, lane), (into, ty), (t_left, ty)]


def _label_bounds(flow: _Flow, placed: list[Box]) -> Box | None:
    """Where a flow's `when` is written: beside its first segment, above or below it,
    else beside its last one, whichever does not cover a label already placed."""
    when = flow.transition.when if flow.transition else None
    if not when:
        return None
    text_width = display_width(clean_text(when)) * 9 + 6  # ~12 px per CJK character
    width = min(120.0, max(24.0, text_width))
    height = 14.0 * max(1, math.ceil(text_width / 120))
    points = flow.waypoints
    candidates: list[Box] = []
    for (x0, y0), (x1, y1), at_end in ((points[0], points[1], False),
                                       (points[-1], points[-2], True)):
        if abs(y0 - y1) < 0.5:  # a horizontal segment: above it, or below it
            x = x0 - width - 6 if at_end else min(x0, x1) + 6
            candidates += [(x, y0 - height - 3, width, height), (x, y0 + 3, width, height)]
        else:  # a vertical segment: beside it
            y = (y0 + y1) / 2 - height / 2
            candidates += [(x0 + 6, y, width, height), (x0 - width - 6, y, width, height)]
    box = next((c for c in candidates if not any(_overlap(c, p) for p in placed)),
               candidates[0])
    placed.append(box)
    return box


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and \
        b[1] < a[1] + a[3]


# ---------------------------------------------------------------- semantic XML


def _process_xml(pool: _Pool, roles: dict[str, Role]) -> list[str]:
    process = pool.entry.process
    out = [f'  <process id="{pool.process_id}" name="{_attr(process.label)}" '
           'isExecutable="false">']
    if process.description:
        out.append(f"    <documentation>{_text(process.description)}</documentation>")
    out.append("    <extensionElements>")
    out.append("      " + _element("procmap:process", {
        "id": process.id, "owner": process.owner, "version": process.version,
        "sla": _opt_duration(process.sla),
        "demand": f"{_number(process.demand)}/d" if process.demand is not None else None,
    }, [*(f"<procmap:tag>{_text(tag)}</procmap:tag>" for tag in process.tags),
        *_extensions(process.extensions)]))
    laned = {lane.role for lane in pool.lanes}
    for role_id in _referenced_roles(pool, roles):
        if role_id not in laned:
            out.append("      " + _role_element(roles[role_id]))
    out.append("    </extensionElements>")
    out.append(f'    <laneSet id="{pool.process_id.replace("Process_", "LaneSet_", 1)}">')
    for lane in pool.lanes:
        out.append(f'      <lane id="{lane.id}" name="{_attr(lane.name)}">')
        role = roles.get(lane.role)
        if role is not None:
            if role.description:
                out.append(f"        <documentation>{_text(role.description)}</documentation>")
            out.append(f"        <extensionElements>{_role_element(role)}</extensionElements>")
        out.extend(f"        <flowNodeRef>{node}</flowNodeRef>" for node in lane.nodes)
        out.append("      </lane>")
    out.append("    </laneSet>")
    for node in pool.nodes.values():
        out.extend(_node_xml(node))
    for flow in pool.flows:
        out.extend(_flow_xml(flow))
    out.append("  </process>")
    return out


def _referenced_roles(pool: _Pool, roles: dict[str, Role]) -> list[str]:
    """Every role the process names (lanes, owner, RACI) and their `reports_to` chains,
    in workspace order: the import needs them all to give a file that validates alone."""
    process = pool.entry.process
    wanted = {lane.role for lane in pool.lanes}
    wanted.update(r for r in (process.owner,) if r)
    for step in process.steps:
        wanted.update(r for r in (step.role, step.accountable) if r)
        wanted.update(step.consulted)
        wanted.update(step.informed)
    pending = [r for r in wanted if r in roles]
    while pending:
        boss = roles[pending.pop()].reports_to
        if boss and boss in roles and boss not in wanted:
            wanted.add(boss)
            pending.append(boss)
    return [r for r in roles if r in wanted]


def _role_element(role: Role) -> str:
    return _element("procmap:role", {
        "id": role.id, "name": role.name,
        "capacity": _number(role.capacity) if role.capacity != 1.0 else None,
        "availability": (f"{spelled_duration(role.availability)}/d"
                         if role.availability != 8.0 else None),
        "reportsTo": role.reports_to,
        "description": role.description,
    }, list(_extensions(role.extensions)))


def _node_xml(node: _Node) -> list[str]:
    step = node.step
    attrs = f'id="{node.id}"'
    if not node.outcome:
        attrs += f' name="{_attr(step.label)}"'
    if step.kind is Kind.APPROVAL:
        attrs += f' procmap:kind="{"approval-outcome" if node.outcome else "approval"}"'
    if node.tag == "callActivity" and step.process:
        attrs += f' calledElement="Process_{ascii_xml_id(step.process)}"'
    out = [f"    <{node.tag} {attrs}>"]
    if step.description and not node.outcome:
        out.append(f"      <documentation>{_text(step.description)}</documentation>")
    if not node.outcome:
        out.append(f"      <extensionElements>{_step_element(step)}</extensionElements>")
    out.extend(f"      <incoming>{flow}</incoming>" for flow in node.incoming)
    out.extend(f"      <outgoing>{flow}</outgoing>" for flow in node.outgoing)
    if node.tag == "intermediateCatchEvent":
        out.append(f'      <timerEventDefinition id="Timer_{node.id}">'
                   f'<timeDuration xsi:type="tFormalExpression">{iso_duration(step.time)}'
                   "</timeDuration></timerEventDefinition>")
    out.append(f"    </{node.tag}>")
    return out


def _step_element(step: Step) -> str:
    children = [f'<procmap:consulted role="{_attr(r)}"/>' for r in step.consulted]
    children += [f'<procmap:informed role="{_attr(r)}"/>' for r in step.informed]
    children += _extensions(step.extensions)
    return _element("procmap:step", {
        "id": step.id, "unnamed": "true" if step.name is None else None,
        "kind": step.kind.value, "role": step.role,
        "duration": spelled_duration(step.duration) if step.duration else None,
        "wait": spelled_duration(step.wait) if step.wait else None,
        "sla": _opt_duration(step.sla), "deadline": _opt_duration(step.deadline),
        "accountable": step.accountable, "of": step.of, "process": step.process,
        "system": step.system,
    }, children)


def _flow_xml(flow: _Flow) -> list[str]:
    transition = flow.transition
    name = f' name="{_attr(transition.when)}"' if transition and transition.when else ""
    out = [f'    <sequenceFlow id="{flow.id}"{name} sourceRef="{flow.source}" '
           f'targetRef="{flow.target}">']
    if transition is not None:
        out.append("      <extensionElements>" + _element("procmap:transition", {
            "to": transition.to,
            "probability": (repr(transition.probability)
                            if transition.probability is not None else None),
        }, list(_extensions(transition.extensions))) + "</extensionElements>")
        if flow.exclusive and transition.when:
            out.append('      <conditionExpression xsi:type="tFormalExpression">'
                       f"{_text(transition.when)}</conditionExpression>")
    out.append("    </sequenceFlow>")
    return out


def _opt_duration(hours: float | None) -> str | None:
    return None if hours is None else spelled_duration(hours)


def _extensions(extensions: dict[str, object]) -> list[str]:
    if not extensions:
        return []
    return [f"<procmap:extensions>{_text(_json(extensions))}</procmap:extensions>"]


def _element(tag: str, attributes: dict[str, str | None], children: Iterable[str]) -> str:
    attrs = "".join(f' {key}="{_attr(value)}"' for key, value in attributes.items()
                    if value is not None)
    inner = "".join(children)
    return f"<{tag}{attrs}>{inner}</{tag}>" if inner else f"<{tag}{attrs}/>"


# ---------------------------------------------------------------- diagram XML


def _bounds(x: float, y: float, width: float, height: float) -> str:
    return (f'<dc:Bounds x="{_coordinate(x)}" y="{_coordinate(y)}" '
            f'width="{_coordinate(width)}" height="{_coordinate(height)}"/>')


def _coordinate(value: float) -> str:
    return _number(round(value, 2))


def _diagram_xml(pool: _Pool) -> list[str]:
    out = [f'      <bpmndi:BPMNShape id="DI_{pool.participant}" '
           f'bpmnElement="{pool.participant}" isHorizontal="true">'
           f"{_bounds(pool.x, pool.y, pool.width, pool.height)}</bpmndi:BPMNShape>"]
    for lane in pool.lanes:
        out.append(f'      <bpmndi:BPMNShape id="DI_{lane.id}" bpmnElement="{lane.id}" '
                   f'isHorizontal="true">'
                   f"{_bounds(pool.x + HEADER, lane.y, pool.width - HEADER, lane.height)}"
                   "</bpmndi:BPMNShape>")
    for node in pool.nodes.values():
        marker = ' isMarkerVisible="true"' if node.tag == "exclusiveGateway" else ""
        out.append(f'      <bpmndi:BPMNShape id="DI_{node.id}" bpmnElement="{node.id}"'
                   f"{marker}>{_bounds(node.x, node.y, *node.size)}</bpmndi:BPMNShape>")
    for flow in pool.flows:
        points = "".join(f'<di:waypoint x="{_coordinate(x)}" y="{_coordinate(y)}"/>'
                         for x, y in flow.waypoints)
        label = (f"<bpmndi:BPMNLabel>{_bounds(*flow.label)}</bpmndi:BPMNLabel>"
                 if flow.label else "")
        out.append(f'      <bpmndi:BPMNEdge id="DI_{flow.id}" bpmnElement="{flow.id}">'
                   f"{points}{label}</bpmndi:BPMNEdge>")
    return out
