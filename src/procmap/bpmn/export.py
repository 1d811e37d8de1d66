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
  capacity, calendars...) goes into ``extensionElements`` in the ``procmap`` namespace
  (`procmap.bpmn.vocabulary`), so that ``procmap import`` restores the process exactly.

The XML is built with lxml (no string concatenation); user text goes through
`clean_text` (XML forbids C0 controls even as character references); ids are
``<Prefix>_`` + `ascii_xml_id` of the user id (ASCII only: modelers refuse anything
else). The diagram comes from `procmap.bpmn.diagram`, i.e. the render layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from procmap import __version__
from procmap.bpmn import vocabulary as v
from procmap.bpmn.codecs import (
    ascii_xml_id,
    duration_attributes,
    iso_duration,
    json_text,
    number,
    spelled_duration,
)
from procmap.model import Kind, ProcessEntry, Role, Step, Transition, Workspace
from procmap.model.lanes import process_lanes, step_lanes
from procmap.model.process import DEFAULT_AVAILABILITY
from procmap.render.text import clean_text

if TYPE_CHECKING:
    from lxml import etree

    from procmap.bpmn.diagram import PoolLayout
    from procmap.render.layout import Rect

__all__ = ["ascii_xml_id", "iso_duration", "render_bpmn_file", "spelled_duration",
           "to_bpmn"]

POOL_LEFT, POOL_TOP, POOL_GAP = 100.0, 60.0, 40.0


@dataclass
class _Node:
    id: str
    tag: str
    step: Step
    lane: str
    outcome: bool = False  # the exclusive gateway after an approval with 2+ outcomes
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    transition: Transition | None  # None: the approval -> outcome gateway link
    exclusive: bool  # a branch of an exclusive gateway: gets a conditionExpression


@dataclass
class _Lane:
    id: str
    role: str
    name: str
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
    layout: PoolLayout | None = None


def to_bpmn(entries: Sequence[ProcessEntry], workspace: Workspace) -> str:
    """BPMN 2.0 XML for `entries` (one pool each), roles looked up in `workspace`."""
    from lxml import etree

    if not entries:
        raise ValueError("to_bpmn needs at least one process")
    role_order = list(workspace.roles)
    roles = {rid: entry.role for rid, entry in workspace.roles.items()}
    pools: list[_Pool] = []
    top = POOL_TOP
    for index, entry in enumerate(entries):
        prefix = "" if len(entries) == 1 else f"P{index + 1}_"
        pool = _build_pool(entry, roles, role_order, prefix)
        pool.layout = _layout(pool, top)
        pools.append(pool)
        top = pool.layout.box.y1 + POOL_GAP
    first = ascii_xml_id(entries[0].process.id)
    collaboration = f"Collaboration_{first}"
    root = etree.Element(v.bpmn_tag("definitions"), nsmap=v.NSMAP)
    root.attrib.update({"id": f"Definitions_{first}",
                        "targetNamespace": "https://procmap.dev/processes",
                        "exporter": "procmap", "exporterVersion": __version__})
    collab = _sub(root, "collaboration", id=collaboration)
    for pool in pools:
        _sub(collab, "participant", id=pool.participant, name=_clean(pool.name),
             processRef=pool.process_id)
    for pool in pools:
        _process_xml(root, pool, roles)
    diagram = etree.SubElement(root, f"{{{v.NS_BPMNDI}}}BPMNDiagram", id="BPMNDiagram_1")
    plane = etree.SubElement(diagram, f"{{{v.NS_BPMNDI}}}BPMNPlane", id="BPMNPlane_1",
                             bpmnElement=collaboration)
    for pool in pools:
        _diagram_xml(plane, pool)
    etree.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + str(etree.tostring(root, encoding="unicode")) + "\n")


def render_bpmn_file(entry: ProcessEntry, workspace: Workspace) -> bytes:
    """The `.bpmn` file of one process, as `procmap render -o X.bpmn` writes it."""
    return to_bpmn([entry], workspace).encode("utf-8")


def _clean(text: str) -> str:
    return clean_text(text)


def _sub(parent: etree._Element, local: str, text: str | None = None,
         **attributes: str | None) -> etree._Element:
    """A child in the BPMN namespace (``procmap:x`` for procmap's own), attributes
    whose value is None left out."""
    from lxml import etree

    tag = v.procmap_tag(local[8:]) if local.startswith("procmap:") else v.bpmn_tag(local)
    element = etree.SubElement(parent, tag)
    for key, value in attributes.items():
        if value is not None:
            element.set(key, clean_text(value))
    if text is not None:
        element.text = clean_text(text)
    return element


# ---------------------------------------------------------------- structure


def _build_pool(entry: ProcessEntry, roles: dict[str, Role], role_order: list[str],
                prefix: str) -> _Pool:
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
        node = _Node(f"{prefix}Step_{ascii_xml_id(step.id)}", v.EXPORT_TAGS[step.kind],
                     step, lane_of.get(step.id, fallback))
        nodes[node.id] = node
        entries_[step.id] = exits[step.id] = node.id
        if step.kind is Kind.APPROVAL and len(step.next) >= 2:
            gateway = _Node(f"{prefix}Outcome_{ascii_xml_id(step.id)}", "exclusiveGateway",
                            step, node.lane, outcome=True)
            nodes[gateway.id] = gateway
            exits[step.id] = gateway.id
    flows = _flows(process.steps, nodes, entries_, exits, prefix)
    for flow in flows:
        nodes[flow.source].outgoing.append(flow.id)
        nodes[flow.target].incoming.append(flow.id)
    by_role = {lane.role: lane for lane in lanes}
    for node in nodes.values():
        if node.lane in by_role:
            by_role[node.lane].nodes.append(node.id)
    return _Pool(entry, f"Participant_{pid}", f"Process_{pid}", process.label, lanes,
                 nodes, flows)


def _flows(steps: list[Step], nodes: dict[str, _Node], entries_: dict[str, str],
           exits: dict[str, str], prefix: str) -> list[_Flow]:
    flows: list[_Flow] = []
    for step in steps:
        if entries_.get(step.id) not in nodes or nodes[entries_[step.id]].step is not step:
            continue
        source = exits[step.id]
        base = f"{prefix}Flow_{ascii_xml_id(step.id)}"
        if source != entries_[step.id]:
            flows.append(_Flow(f"{base}_0", entries_[step.id], source, None, False))
        exclusive = nodes[source].tag == "exclusiveGateway" and len(step.next) >= 2
        for number_, transition in enumerate(step.next, start=1):
            if transition.to in entries_:
                flows.append(_Flow(f"{base}_{number_}", source, entries_[transition.to],
                                   transition, exclusive))
    return flows


def _layout(pool: _Pool, top: float) -> PoolLayout:
    from procmap.bpmn.diagram import FlowIn, ShapeIn, layout_pool

    laned = {lane.role for lane in pool.lanes}
    shapes = [ShapeIn(n.id, n.lane if n.lane in laned else pool.lanes[0].role,
                      v.SHAPES[n.tag]) for n in pool.nodes.values()]
    flows = [FlowIn(f.source, f.target, clean_text(f.transition.when)
                    if f.transition and f.transition.when else "") for f in pool.flows]
    return layout_pool([lane.role for lane in pool.lanes], shapes, flows, POOL_LEFT, top)


# ---------------------------------------------------------------- semantic XML


def _process_xml(root: etree._Element, pool: _Pool, roles: dict[str, Role]) -> None:
    process = pool.entry.process
    element = _sub(root, "process", id=pool.process_id, name=_clean(process.label),
                   isExecutable="false")
    if process.description:
        _sub(element, "documentation", process.description)
    extension = _sub(element, "extensionElements")
    stored = _sub(extension, f"procmap:{v.PROCESS}", id=process.id, owner=process.owner,
                  version=process.version, sla=_opt_duration(process.sla),
                  demand=f"{number(process.demand)}/d" if process.demand is not None
                  else None, purpose=process.purpose, scope=process.scope)
    for tag in process.tags:
        _sub(stored, f"procmap:{v.TAG}", tag)
    _extensions(stored, process.extensions)
    laned = {lane.role for lane in pool.lanes}
    for role_id in _referenced_roles(pool, roles):
        if role_id not in laned:
            _role_element(extension, roles[role_id])
    lane_set = _sub(element, "laneSet", id=pool.process_id.replace("Process_", "LaneSet_", 1))
    for lane in pool.lanes:
        lane_element = _sub(lane_set, "lane", id=lane.id, name=lane.name)
        role = roles.get(lane.role)
        if role is not None:
            if role.description:
                _sub(lane_element, "documentation", role.description)
            _role_element(_sub(lane_element, "extensionElements"), role)
        for ref in lane.nodes:
            _sub(lane_element, "flowNodeRef", ref)
    for node in pool.nodes.values():
        _node_xml(element, node)
    for flow in pool.flows:
        _flow_xml(element, flow)


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


def _role_element(parent: etree._Element, role: Role) -> None:
    element = _sub(parent, f"procmap:{v.ROLE}", id=role.id, name=role.name,
                   capacity=number(role.capacity) if role.capacity != 1.0 else None,
                   availability=(f"{spelled_duration(role.availability)}/d"
                                 if role.availability != DEFAULT_AVAILABILITY else None),
                   reportsTo=role.reports_to, description=role.description,
                   calendar=role.calendar, timezone=role.timezone,
                   cost=number(role.cost) if role.cost is not None else None)
    _extensions(element, role.extensions)


def _node_xml(parent: etree._Element, node: _Node) -> None:
    step = node.step
    element = _sub(parent, node.tag, id=node.id,
                   name=None if node.outcome else _clean(step.label))
    if step.kind is Kind.APPROVAL:
        element.set(v.procmap_tag(v.KIND_ATTRIBUTE),
                    v.APPROVAL_OUTCOME if node.outcome else v.APPROVAL)
    if node.tag == "callActivity" and step.process:
        element.set("calledElement", f"Process_{ascii_xml_id(step.process)}")
    if step.description and not node.outcome:
        _sub(element, "documentation", step.description)
    if not node.outcome:
        _step_element(_sub(element, "extensionElements"), step)
    for flow in node.incoming:
        _sub(element, "incoming", flow)
    for flow in node.outgoing:
        _sub(element, "outgoing", flow)
    if node.tag == "intermediateCatchEvent":
        timer = _sub(element, "timerEventDefinition", id=f"Timer_{node.id}")
        _formal(_sub(timer, "timeDuration", iso_duration(step.time)))


def _formal(element: etree._Element) -> None:
    element.set(f"{{{v.NS_XSI}}}type", "tFormalExpression")


def _step_element(parent: etree._Element, step: Step) -> None:
    attributes: dict[str, str | None] = {
        "id": step.id, "unnamed": "true" if step.name is None else None,
        "kind": step.kind.value, "role": step.role}
    attributes.update(duration_attributes("duration", step.duration))
    attributes.update(duration_attributes("wait", step.wait))
    attributes.update({
        "sla": _opt_duration(step.sla), "deadline": _opt_duration(step.deadline),
        "accountable": step.accountable, "of": step.of, "process": step.process,
        "system": step.system, "instructions": step.instructions})
    element = _sub(parent, f"procmap:{v.STEP}", **attributes)
    for role in step.consulted:
        _sub(element, f"procmap:{v.CONSULTED}", role=role)
    for role in step.informed:
        _sub(element, f"procmap:{v.INFORMED}", role=role)
    for field_, child in v.LIST_CHILDREN.items():
        for item in getattr(step, field_):
            _sub(element, f"procmap:{child}", item)
    _extensions(element, step.extensions)


def _flow_xml(parent: etree._Element, flow: _Flow) -> None:
    transition = flow.transition
    element = _sub(parent, "sequenceFlow", id=flow.id,
                   name=transition.when if transition and transition.when else None,
                   sourceRef=flow.source, targetRef=flow.target)
    if transition is None:
        return
    stored = _sub(_sub(element, "extensionElements"), f"procmap:{v.TRANSITION}",
                  to=transition.to, probability=(repr(transition.probability)
                                                 if transition.probability is not None
                                                 else None))
    _extensions(stored, transition.extensions)
    if flow.exclusive and transition.when:
        _formal(_sub(element, "conditionExpression", transition.when))


def _opt_duration(hours: float | None) -> str | None:
    return None if hours is None else spelled_duration(hours)


def _extensions(parent: etree._Element, extensions: dict[str, object]) -> None:
    if extensions:
        _sub(parent, f"procmap:{v.EXTENSIONS}", json_text(extensions))


# ---------------------------------------------------------------- diagram XML


def _bounds(parent: etree._Element, box: Rect) -> None:
    from lxml import etree

    etree.SubElement(parent, f"{{{v.NS_DC}}}Bounds", x=_coordinate(box.x0),
                     y=_coordinate(box.y0), width=_coordinate(box.x1 - box.x0),
                     height=_coordinate(box.y1 - box.y0))


def _coordinate(value: float) -> str:
    return number(round(value, 2))


def _shape(plane: etree._Element, element: str, box: Rect, **extra: str) -> None:
    from lxml import etree

    shape = etree.SubElement(plane, f"{{{v.NS_BPMNDI}}}BPMNShape", id=f"DI_{element}",
                             bpmnElement=element, **extra)
    _bounds(shape, box)


def _diagram_xml(plane: etree._Element, pool: _Pool) -> None:
    from lxml import etree

    layout = pool.layout
    assert layout is not None
    _shape(plane, pool.participant, layout.box, isHorizontal="true")
    for lane, band in zip(pool.lanes, layout.lanes, strict=True):
        _shape(plane, lane.id, band, isHorizontal="true")
    for node in pool.nodes.values():
        marker = {"isMarkerVisible": "true"} if node.tag == "exclusiveGateway" else {}
        _shape(plane, node.id, layout.shapes[node.id], **marker)
    for flow, points, label in zip(pool.flows, layout.edges, layout.labels, strict=True):
        edge = etree.SubElement(plane, f"{{{v.NS_BPMNDI}}}BPMNEdge", id=f"DI_{flow.id}",
                                bpmnElement=flow.id)
        for x, y in points:
            etree.SubElement(edge, f"{{{v.NS_DI}}}waypoint", x=_coordinate(x),
                             y=_coordinate(y))
        if label is not None:
            _bounds(etree.SubElement(edge, f"{{{v.NS_BPMNDI}}}BPMNLabel"), label)
