"""BPMN XML -> `Model`: pools, lanes, flow nodes and sequence flows, with findings.

The reader maps each element to the closest procmap concept and reports, as an
``import-*`` finding with the element's id and line, everything that does not map
exactly (see docs/bpmn.md for the table). Structural rewrites that need the whole graph
(merge gateways, implicit starts and ends, several start events) happen afterwards in
`procmap.bpmn.rewrite`.

Files written by `procmap render --format bpmn` carry procmap's extension elements; the
reader restores steps, roles and transitions from them exactly.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from procmap.bpmn.codecs import read_duration
from procmap.bpmn.ir import LOSSY, NOTE, UNSUPPORTED, Flow, Model, Node, Process, Role
from procmap.bpmn.vocabulary import (
    ARTIFACTS,
    DATA,
    EVENTS,
    GATEWAYS,
    GLOBAL_TASKS,
    LIST_CHILDREN,
    NS_BPMN,
    NS_BPMNDI,
    NS_DC,
    NS_PROCMAP,
    PROCESS_FIELDS,
    ROLE_FIELDS,
    SPREAD_FIELDS,
    STEP_FIELDS,
    SUBPROCESSES,
    TASKS,
)
from procmap.bpmn.xml import Locator
from procmap.i18n import _

if TYPE_CHECKING:
    from lxml import etree

_B = f"{{{NS_BPMN}}}"
_P = f"{{{NS_PROCMAP}}}"
DI_NS, DC_NS = NS_BPMNDI, NS_DC

#: children of a process that carry no flow meaning of their own
_QUIET = frozenset({"documentation", "extensionElements", "laneSet", "auditing",
                    "monitoring", "sequenceFlow", "boundaryEvent"})
_NODE_QUIET = frozenset({"documentation", "extensionElements", "incoming", "outgoing",
                         "potentialOwner", "performer", "humanPerformer", "resourceRole",
                         "inputSet", "outputSet", "dataInput", "dataOutput",
                         "ioSpecification", "property", "eventDefinitionRef",
                         "conditionExpression", "completionCondition", "script",
                         "categoryValueRef", "rendering"})
#: children of an activity that describe the activity itself (reported by _node_children)
_OWN_CHILDREN = frozenset({"standardLoopCharacteristics", "multiInstanceLoopCharacteristics",
                           "dataInputAssociation", "dataOutputAssociation"})
_STEP_FIELDS = STEP_FIELDS
_ROLE_FIELDS = ROLE_FIELDS
_INTERRUPTING_ENDS = frozenset({"terminate", "error", "escalation", "cancel", "compensate"})


def local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_bpmn(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith(_B)


def clean_name(text: str | None) -> str | None:
    """Names lose the line breaks modelers put in for wrapping: 'Gateway\\n(Split)'."""
    if text is None:
        return None
    folded = " ".join(text.split())
    return folded or None


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _documentation(element: etree._Element) -> str | None:
    parts = [_text(d) for d in element.iterchildren(f"{_B}documentation")]
    joined = "\n\n".join(p for p in parts if p)
    return joined or None


def _procmap(element: etree._Element, name: str) -> etree._Element | None:
    extension = element.find(f"{_B}extensionElements")
    return None if extension is None else extension.find(f"{_P}{name}")


def _extensions(element: etree._Element) -> dict[str, Any]:
    found = element.find(f"{_P}extensions")
    if found is None or not found.text:
        return {}
    try:
        value = json.loads(found.text)
    except ValueError:
        return {}
    return {k: v for k, v in value.items() if str(k).startswith("x-")} if isinstance(
        value, dict) else {}


def _ref(value: str | None) -> str | None:
    """A QName reference without its prefix (``tns:Process_1`` -> ``Process_1``)."""
    return value.rsplit(":", 1)[-1] if value else None


class Reader:
    def __init__(self, root: etree._Element, raw: bytes, path: str) -> None:
        self.root = root
        self.locator = Locator(raw)
        self.model = Model(path, clean_name(root.get("name")))
        self.boxes = self._boxes()
        self.bounds = self._bounds()
        self.elements = {e.get("id"): e for e in root.iter() if _is_bpmn(e) and e.get("id")}
        self.boundary_ids = {i for i, e in self.elements.items() if local(e) == "boundaryEvent"}
        self.link_ends: dict[str, tuple[str, set[str]]] = {}

    # -- helpers

    def where(self, element: etree._Element) -> tuple[int, int]:
        return self.locator.locate(element)

    def report(self, rule: Any, element: etree._Element, message: str,
               process: Process | None = None, node: str | None = None) -> None:
        line, column = self.where(element)
        self.model.report(rule, line, column, message,
                          process=process.key if process else None, step=node,
                          element=local(element), bpmn_id=element.get("id"))

    def describe(self, element: etree._Element) -> str:
        name = clean_name(element.get("name"))
        ident = element.get("id")
        if name:
            return f"{local(element)} '{name}' ({ident})" if ident else \
                f"{local(element)} '{name}'"
        if ident:
            return f"{local(element)} {ident}"
        parent = element.getparent()  # an element without id: say whose it is
        owner = f" of {self.describe(parent)}" if parent is not None and _is_bpmn(
            parent) and local(parent) not in ("definitions", "process") else ""
        return f"a {local(element)}{owner}"

    def _bounds(self) -> dict[str, tuple[float, float]]:
        """(y, x) of every element the diagram draws: lanes are ordered by it."""
        return {element: (y, x) for element, (x, y, _w, _h) in self.boxes.items()}

    def _boxes(self) -> dict[str, tuple[float, float, float, float]]:
        found: dict[str, tuple[float, float, float, float]] = {}
        for shape in self.root.iter(f"{{{DI_NS}}}BPMNShape"):
            box = shape.find(f"{{{DC_NS}}}Bounds")
            element = shape.get("bpmnElement")
            if box is None or not element:
                continue
            try:
                found.setdefault(element, tuple(  # type: ignore[arg-type]
                    float(box.get(k, "0")) for k in ("x", "y", "width", "height")))
            except ValueError:
                continue
        return found

    # -- definitions

    def read(self) -> Model:
        pools, dropped = self._collaborations()
        for child in self.root:
            if local(child) in ("choreography", "globalConversation") and _is_bpmn(child):
                dropped.append(child)
        processes = list(self.root.iterchildren(f"{_B}process"))
        for element in processes:
            pool = pools.get(element.get("id", ""))
            name = self._process_name(element, pool, len(processes))
            process = self.read_process(element, name or element.get("id") or "process", pool)
            process.anonymous = name is None
        self._resolve_calls()
        self._report_dropped(dropped)
        return self.model

    def _collaborations(self) -> tuple[dict[str, etree._Element], list[etree._Element]]:
        """The pools by the process they hold, and the collaboration elements left out."""
        pools: dict[str, etree._Element] = {}
        dropped: list[etree._Element] = []
        for collaboration in self.root.iterchildren(f"{_B}collaboration"):
            for child in collaboration:
                kind = local(child)
                if kind == "participant":
                    ref = _ref(child.get("processRef"))
                    if ref:
                        pools.setdefault(ref, child)
                    else:
                        dropped.append(child)
                elif _is_bpmn(child) and kind not in ("documentation", "extensionElements"):
                    dropped.append(child)  # message flows, conversations, artifacts
        return pools, dropped

    def _process_name(self, element: etree._Element, pool: etree._Element | None,
                      count: int) -> str | None:
        """The pool's name, else the process's, else the file's when it has one process."""
        return (clean_name(pool.get("name")) if pool is not None else None) or clean_name(
            element.get("name")) or (self.model.name if count == 1 else None)

    def _report_dropped(self, dropped: list[etree._Element]) -> None:
        owner = {key: p for p in self.model.processes for key in p.nodes}
        for element in dropped:  # reported with the process they touch, if any
            ends = (element.get("sourceRef") or "", element.get("targetRef") or "")
            touched = next((owner[e] for e in ends if e in owner), None)
            if local(element) == "participant":
                self._unsupported(element, why=_(
                    "it is a pool without a process (a black box): format 1 has no "
                    "external participants"))
            else:
                self._unsupported(element, touched)

    def _unsupported(self, element: etree._Element, process: Process | None = None,
                     why: str = "") -> None:
        kind = local(element)
        if not why:
            if kind == "messageFlow":
                ends = [self.elements.get(element.get(k) or "") for k in ("sourceRef",
                                                                          "targetRef")]
                names = [clean_name(e.get("name")) or e.get("id") if e is not None else "?"
                         for e in ends]
                why = _("a message from '{source}' to '{target}'; message flows between "
                        "pools have no equivalent in format 1: note the hand-over in the "
                        "steps' descriptions").format(source=names[0], target=names[1])
            elif kind in DATA or (kind.endswith("Association") and kind.startswith("data")):
                why = _("data objects, stores and data associations are not part of format 1")
            elif kind in ARTIFACTS:
                why = _("artifacts (annotations, associations, groups) are not part of "
                        "format 1")
            else:
                why = _("format 1 has no equivalent")
        self.report(UNSUPPORTED, element, _("{what} is left out: {why}").format(
            what=self.describe(element), why=why), process)

    # -- processes

    def read_process(self, element: etree._Element, name: str,
                     pool: etree._Element | None) -> Process:
        line, _column = self.where(element)
        process = Process(key=element.get("id") or f"process-{len(self.model.processes)}",
                          name=name, line=line, bpmn_id=element.get("id"),
                          description=_documentation(element) or (
                              _documentation(pool) if pool is not None else None),
                          pooled=pool is not None)
        stored = _procmap(element, "process")
        if stored is not None:
            process.restored = True
            process.data = {k: stored.get(k) for k in PROCESS_FIELDS if stored.get(k)}
            tags = [t.text or "" for t in stored.iterchildren(f"{_P}tag")]
            if tags:
                process.data["tags"] = tags
            process.data.update(_extensions(stored))
            extension = element.find(f"{_B}extensionElements")
            for role in (extension if extension is not None else []):
                if role.tag == f"{_P}role" and role.get("id"):
                    self._restored_role(role)
        self.model.processes.append(process)
        lane_of = self._lanes(element, process)
        self._read_container(element, process, lane_of)
        return process

    def _restored_role(self, element: etree._Element) -> str:
        rid = element.get("id") or ""
        key = f"id:{rid}"
        data: dict[str, Any] = {field: element.get(attr) for attr, field in
                                _ROLE_FIELDS.items() if element.get(attr) is not None}
        data.update(_extensions(element))
        self.model.roles.setdefault(key, Role(key, data.get("name"), data, restored=True))
        return key

    def _lanes(self, element: etree._Element, process: Process) -> dict[str, str]:
        """flowNodeRef -> role key; the deepest lane wins. Lanes become roles in the
        order they are drawn (top to bottom), else in file order."""
        lane_of: dict[str, str] = {}
        leaves: list[tuple[etree._Element, str | None]] = []

        def walk(lane_set: etree._Element, parent_name: str | None) -> None:
            for lane in lane_set.iterchildren(f"{_B}lane"):
                name = clean_name(lane.get("name")) or parent_name
                children = [c for c in lane.iterchildren(f"{_B}childLaneSet")
                            if c.find(f"{_B}lane") is not None]
                if children:
                    for child in children:
                        walk(child, name)
                else:
                    leaves.append((lane, name))

        for lane_set in element.iterchildren(f"{_B}laneSet"):
            walk(lane_set, None)
        leaves.sort(key=lambda item: self.bounds.get(item[0].get("id", ""), (0.0, 0.0)))
        for lane, name in leaves:
            refs = [r.text.strip() for r in lane.iterchildren(f"{_B}flowNodeRef")
                    if r.text and r.text.strip()]
            if not refs:
                self.report(NOTE, lane, _("{what} has no elements: no role is made for "
                                          "it").format(what=self.describe(lane)), process)
                continue
            key = self._lane_role(lane, name, process)
            if key not in process.lanes:
                process.lanes.append(key)
            resolved = [r for r in refs if r in self.elements]
            for ref in resolved:
                lane_of[ref] = key
            if len(resolved) < len(refs):
                self._lane_from_diagram(lane, key, element, lane_of, process,
                                        [r for r in refs if r not in self.elements])
        return lane_of

    def _lane_role(self, lane: etree._Element, name: str | None, process: Process) -> str:
        stored = _procmap(lane, "role")
        if stored is not None and stored.get("id"):
            key = self._restored_role(stored)
            role = self.model.roles[key]
            if name and name != (role.name or stored.get("id")):  # renamed in a modeler
                role.name = role.data["name"] = name
            return key
        if name is None or not clean_name(lane.get("name")):
            name = name or process.name
            self.report(NOTE, lane, _("{what} has no name: its role is named '{name}' after "
                                      "the enclosing lane or pool").format(
                                          what=self.describe(lane), name=name), process)
        return self.model.role_for_name(name)

    def _lane_from_diagram(self, lane: etree._Element, key: str, container: etree._Element,
                           lane_of: dict[str, str], process: Process,
                           missing: list[str]) -> None:
        """A lane whose flowNodeRefs name nothing in the file: the flow nodes its DI
        shape contains (and that no other lane lists) are its elements."""
        box = self.boxes.get(lane.get("id") or "")
        found = []
        if box is not None:
            x, y, width, height = box
            for ident, (nx, ny, nw, nh) in self.boxes.items():
                cx, cy = nx + nw / 2, ny + nh / 2
                if (ident not in lane_of and x <= cx <= x + width and y <= cy <= y + height
                        and _flow_node(self.elements.get(ident), container)):
                    lane_of[ident] = key
                    found.append(ident)
        shown = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
        self.report(LOSSY if not found else NOTE, lane, _(
            "{what} lists elements that are not in the file ({missing}): {effect}").format(
                what=self.describe(lane), missing=shown,
                effect=_("its elements are taken from the diagram, where its shape "
                         "contains {count}").format(count=len(found)) if found else
                _("the diagram does not show which elements are in it either")), process)

    def _read_container(self, container: etree._Element, process: Process,
                        lane_of: dict[str, str], inherited: str | None = None) -> None:
        flows: list[etree._Element] = []
        boundaries: list[etree._Element] = []
        for child in container:
            if not _is_bpmn(child):
                continue
            kind = local(child)
            if kind == "sequenceFlow":
                flows.append(child)
            elif kind == "boundaryEvent":
                boundaries.append(child)
            elif kind in _QUIET or (container.tag != f"{_B}process" and (
                    kind in _NODE_QUIET or kind in _OWN_CHILDREN)):
                continue  # a sub-process's own markers: read with the sub-process step
            elif kind in DATA or kind in ARTIFACTS or kind == "dataStore":
                self._unsupported(child, process)
            else:
                self._node(child, process, lane_of, inherited)
        for flow in flows:
            self._flow(flow, process)
        for event in boundaries:
            self._boundary(event, process)
        _settle_outcomes(process)
        self._links(process)

    # -- flow nodes

    def _node(self, element: etree._Element, process: Process, lane_of: dict[str, str],
              inherited: str | None) -> None:
        node = self._new_node(element, process, lane_of, inherited)
        stored = _procmap(element, "step")
        if not self._read_kind(element, node, process, lane_of, stored is None):
            return
        if element.get("isForCompensation") == "true":
            self.report(LOSSY, element, _(
                "{what} is a compensation handler: imported as an ordinary step, not "
                "linked to what it compensates").format(what=self.describe(element)),
                process, node.key)
        self._node_children(element, node, process)
        if stored is not None:
            self._apply_stored_step(element, node, stored, lane_of)
        elif element.get(f"{_P}kind") == "approval":
            node.kind = "approval"
        process.nodes[node.key] = node

    def _new_node(self, element: etree._Element, process: Process, lane_of: dict[str, str],
                  inherited: str | None) -> Node:
        """The node with its name, place and role (its lane's, else its performer's)."""
        kind = local(element)
        ident = element.get("id") or f"node-{len(process.nodes)}"
        line, column = self.where(element)
        node = Node(key=ident, kind="task", element=kind,
                    name=clean_name(element.get("name")), line=line, column=column,
                    bpmn_id=element.get("id"), description=_documentation(element),
                    role=lane_of.get(ident, inherited))
        if node.role is None and kind in TASKS | SUBPROCESSES | {"callActivity"}:
            node.role = self._performer(element)
            if node.role is not None:
                self.report(NOTE, element, _(
                    "{what} is outside any lane: its role '{role}' comes from its performer "
                    "(potentialOwner)").format(what=self.describe(element),
                                               role=self.model.roles[node.role].name),
                    process, ident)
        return node

    def _read_kind(self, element: etree._Element, node: Node, process: Process,
                   lane_of: dict[str, str], unstored: bool) -> bool:
        """Sets the node's kind from its element (False: the element is left out)."""
        kind, ident = local(element), node.key
        if kind in TASKS:
            node.kind = "task"
        elif kind == "callActivity":
            self._call(element, node, process)
        elif kind in SUBPROCESSES:
            return self._subprocess(element, node, process, lane_of)
        elif kind in GATEWAYS:
            node.kind, node.gateway = GATEWAYS[kind], True
            node.role = lane_of.get(ident)
            if unstored and element.get(f"{_P}kind") == "approval-outcome":
                node.outcome_of = True
        elif kind in ("startEvent", "endEvent", "intermediateCatchEvent",
                      "intermediateThrowEvent"):
            node.role = lane_of.get(ident)
            self._event(element, node, process)
        else:
            self._unsupported(element, process)
            return False
        return True

    def _apply_stored_step(self, element: etree._Element, node: Node,
                           stored: etree._Element, lane_of: dict[str, str]) -> None:
        self._restore_step(stored, node)
        # names and lanes edited in a modeler win over the stored copy
        node.name = element.get("name") or None
        if stored.get("unnamed") == "true" and node.name == node.data.get("id"):
            node.name = None
        lane = lane_of.get(node.key, "")
        if "role" in node.data and lane.startswith("id:"):
            node.data["role"] = lane.removeprefix("id:")

    def _subprocess(self, element: etree._Element, node: Node, process: Process,
                    lane_of: dict[str, str]) -> bool:
        """A sub-process step (False: left out); an expanded one's content becomes a
        process of its own, called by the step."""
        kind, ident = local(element), node.key
        if element.get("triggeredByEvent") == "true":
            self._unsupported(element, process, why=_(
                "event sub-processes (started by an event while the process runs) have "
                "no equivalent in format 1; model the reaction as its own process"))
            return False
        node.kind = "subprocess"
        if kind != "subProcess":
            what = (_("an ad-hoc sub-process (its activities run in any order)")
                    if kind == "adHocSubProcess" else _("a transaction (with its rollback)"))
            self.report(LOSSY, element, _("{element} is {what}: imported as a plain "
                                          "sub-process").format(
                                              element=self.describe(element), what=what),
                        process, ident)
        if any(local(c) in TASKS | SUBPROCESSES | set(GATEWAYS) | {
                "startEvent", "endEvent", "callActivity", "intermediateCatchEvent",
                "intermediateThrowEvent"} for c in element):
            inner = self.read_inner(element, process, lane_of, node.role)
            node.called = inner.key
            self.report(NOTE, element, _(
                "{what} is an expanded sub-process: its content becomes the separate "
                "process '{name}', called by this step").format(
                    what=self.describe(element), name=inner.name), process, ident)
        return True

    def read_inner(self, element: etree._Element, parent: Process,
                   lane_of: dict[str, str], role: str | None) -> Process:
        line, _column = self.where(element)
        name = clean_name(element.get("name")) or element.get("id") or "sub-process"
        inner = Process(key=element.get("id") or name, name=name, line=line,
                        bpmn_id=element.get("id"), parent=parent.key,
                        pool_role=role or parent.pool_role)
        self.model.processes.append(inner)
        self._read_container(element, inner, lane_of, role)
        inner.lanes = [r for r in dict.fromkeys(n.role for n in inner.nodes.values()) if r]
        return inner

    def _performer(self, element: etree._Element) -> str | None:
        """The role of a task outside any lane, from its potentialOwner/performer."""
        for child in element:
            if local(child) in ("potentialOwner", "performer", "humanPerformer"):
                ref = _ref(_text(child.find(f"{_B}resourceRef")))
                resource = self.elements.get(ref) if ref else None
                name = clean_name(resource.get("name")) if resource is not None else None
                name = name or clean_name(child.get("name"))
                if name:
                    return self.model.role_for_name(name)
        return None

    def _call(self, element: etree._Element, node: Node, process: Process) -> None:
        called = _ref(element.get("calledElement"))
        target = self.elements.get(called) if called else None
        if target is not None and local(target) in GLOBAL_TASKS:
            node.kind = "task"
            node.data["x-bpmn-called-element"] = called
            self.report(NOTE, element, _(
                "{what} calls the global task '{task}': imported as a task").format(
                    what=self.describe(element),
                    task=clean_name(target.get("name")) or called),
                        process, node.key)
            return
        node.kind = "subprocess"
        if target is not None and local(target) == "process":
            node.called = called
        elif _procmap(element, "step") is None:
            if called:
                node.data["x-bpmn-called-element"] = called
            self.report(LOSSY, element, _(
                "{what} calls {called}, which is not a process in this file: set the "
                "step's `process` to the called process's procmap id").format(
                    what=self.describe(element),
                    called=repr(called) if called else _("nothing")), process, node.key)

    def _event(self, element: etree._Element, node: Node, process: Process) -> None:
        kind = local(element)
        triggers = [local(d).removesuffix("EventDefinition")
                    for d in self._definitions(element)]
        if kind == "startEvent":
            self._start_event(element, node, process, triggers)
        elif kind == "endEvent":
            self._end_event(element, node, process, triggers)
        elif "link" in triggers:
            self._link_event(element, node)
        elif kind == "intermediateCatchEvent":
            self._catch_event(element, node, process, triggers)
        else:  # intermediateThrowEvent: a milestone, or sending something
            self._throw_event(element, node, process, triggers)

    def _start_event(self, element: etree._Element, node: Node, process: Process,
                     triggers: list[str]) -> None:
        trigger = " + ".join(triggers)
        node.kind = "start"
        if triggers:
            node.data["x-bpmn-trigger"] = trigger
            self.report(NOTE, element, _(
                "{what} is {a_trigger} start event: format 1 starts have no trigger "
                "type; kept as x-bpmn-trigger").format(
                    what=self.describe(element), a_trigger=_a(trigger),
                    trigger=trigger), process, node.key)

    def _end_event(self, element: etree._Element, node: Node, process: Process,
                   triggers: list[str]) -> None:
        trigger = " + ".join(triggers)
        node.kind = "end"
        if not triggers:
            return
        node.data["x-bpmn-result"] = trigger
        if set(triggers) & _INTERRUPTING_ENDS:
            self.report(LOSSY, element, _(
                "{what} is {a_trigger} end event: in format 1 an end only ends its "
                "own path; kept as x-bpmn-result").format(
                    what=self.describe(element), a_trigger=_a(trigger),
                    trigger=trigger), process, node.key)
        else:
            self.report(NOTE, element, _(
                "{what} is {a_trigger} end event: kept as x-bpmn-result").format(
                    what=self.describe(element), a_trigger=_a(trigger),
                    trigger=trigger), process, node.key)

    def _link_event(self, element: etree._Element, node: Node) -> None:
        node.kind, node.gateway = "decision", True  # a go-to: folded away by rewrite
        link = element.find(f"{_B}linkEventDefinition")
        node.data["x-bpmn-link"] = (link.get("name") if link is not None else None) or (
            node.name or "")
        if link is not None:  # <target>/<source>: the other end, by definition id
            ends = {_text(c) or "" for c in link if local(c) in ("target", "source")}
            self.link_ends[node.key] = (link.get("id") or "", ends - {""})

    def _catch_event(self, element: etree._Element, node: Node, process: Process,
                     triggers: list[str]) -> None:
        trigger = " + ".join(triggers)
        node.kind = "wait"
        if triggers == ["timer"]:
            self._timer(element, node, process)
            return
        node.data["x-bpmn-trigger"] = trigger or "none"
        self.report(NOTE, element, _(
            "{what} waits for {a_trigger}: imported as a wait step without a "
            "duration; set `wait` to the usual waiting time").format(
                what=self.describe(element), a_trigger=_a(trigger or "trigger"),
                trigger=trigger or "trigger"), process,
                    node.key)

    def _throw_event(self, element: etree._Element, node: Node, process: Process,
                     triggers: list[str]) -> None:
        trigger = " + ".join(triggers)
        node.kind = "task"
        node.data["x-bpmn-event"] = f"{trigger or 'none'} throw"
        node.id_base = f"{triggers[0] if triggers else 'none'}-throw"  # not "task"
        rule = LOSSY if set(triggers) & _INTERRUPTING_ENDS else NOTE
        self.report(rule, element, _(
            "{what} is {a_trigger} intermediate throw event: imported as a task with "
            "no duration").format(what=self.describe(element),
                                  a_trigger=_a(trigger or "none"),
                                  trigger=trigger or "none"), process, node.key)

    def _definitions(self, element: etree._Element) -> list[etree._Element]:
        """An event's definitions: its own, and the shared ones its eventDefinitionRefs
        name (definitions at the top of the file, as MID Innovator and iGrafx write)."""
        found = [d for d in element if local(d).endswith("EventDefinition")]
        for ref in element.iterchildren(f"{_B}eventDefinitionRef"):
            shared = self.elements.get(_ref(_text(ref)) or "")
            if shared is not None and local(shared).endswith("EventDefinition"):
                found.append(shared)
            else:
                self.report(LOSSY, ref, _("{what} refers to the event definition {ref}, "
                                          "which is not in the file: its trigger is "
                                          "unknown").format(what=self.describe(element),
                                                            ref=_text(ref) or "''"))
        return found

    def _timer(self, element: etree._Element, node: Node, process: Process) -> None:
        from pydantic_core import PydanticCustomError

        from procmap.model.fields import parse_duration

        definition = next((d for d in self._definitions(element)
                           if local(d) == "timerEventDefinition"), None)
        duration = _text(definition.find(f"{_B}timeDuration")) if definition is not None \
            else None
        if duration:
            try:
                hours = parse_duration(duration)
            except PydanticCustomError:
                hours = None
            if hours is not None:
                from procmap.bpmn.codecs import spelled_duration

                node.data["wait"] = spelled_duration(hours)
                return
        other = None if definition is None else next(
            (local(c) for c in definition if local(c) in ("timeDate", "timeCycle")), None)
        node.data["x-bpmn-timer"] = duration or other or "none"
        what = (_("its duration '{duration}' is not ISO-8601").format(duration=duration)
                if duration else
                _("it has a {other} instead of a duration").format(other=other) if other
                else _("it gives no duration"))
        self.report(LOSSY, element, _(
            "{element} is a timer, but {what}: imported as a wait step without a "
            "duration; set `wait` by hand").format(element=self.describe(element),
                                                   what=what),
                    process, node.key)

    def _node_children(self, element: etree._Element, node: Node, process: Process) -> None:
        for child in element:
            kind = local(child)
            if not _is_bpmn(child) or kind in _NODE_QUIET or kind.endswith("EventDefinition"):
                continue
            if kind in ("standardLoopCharacteristics", "multiInstanceLoopCharacteristics"):
                loop = "loop" if kind.startswith("standard") else (
                    "multi-instance, sequential" if child.get("isSequential") == "true"
                    else "multi-instance, parallel")
                node.data["x-bpmn-loop"] = loop
                self.report(LOSSY, element, _(
                    "{what} has a {loop} marker: format 1 runs a step once per visit; "
                    "model the repetition as a rework loop, or set its duration to cover "
                    "all repetitions").format(what=self.describe(element), loop=loop),
                            process, node.key)
            elif kind in ("dataInputAssociation", "dataOutputAssociation"):
                self._unsupported(child, process)
            elif kind in TASKS | SUBPROCESSES | set(GATEWAYS) | {
                    "sequenceFlow", "startEvent", "endEvent", "callActivity",
                    "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
                    "laneSet"} | DATA | ARTIFACTS:
                continue  # the content of an expanded sub-process: read by read_inner
            else:
                self._unsupported(child, process)

    def _restore_step(self, stored: etree._Element, node: Node) -> None:
        node.restored = True
        data: dict[str, Any] = {f: stored.get(f) for f in _STEP_FIELDS
                                if stored.get(f) is not None}
        data["id"] = stored.get("id")
        for name in SPREAD_FIELDS:
            value = read_duration(stored.attrib, name)
            if value is not None:
                data[name] = value
        for field, child in LIST_CHILDREN.items():
            items = [c.text or "" for c in stored.iterchildren(f"{_P}{child}")]
            if items:
                data[field] = items
        for field in ("consulted", "informed"):
            roles = [c.get("role") for c in stored.iterchildren(f"{_P}{field}")]
            if roles:
                data[field] = roles
        data.update(_extensions(stored))
        node.kind = data.pop("kind", node.kind)
        node.data = data
        node.called = None
        node.gateway = False

    # -- flows

    def _flow(self, element: etree._Element, process: Process) -> None:
        source, target = element.get("sourceRef"), element.get("targetRef")
        nodes = process.nodes
        if source not in nodes or target not in nodes:
            self._dangling_flow(element, process, source, target)
            return
        flow = self._new_flow(element, source, target)
        stored = _procmap(element, "transition")
        if stored is not None:
            _restore_transition(element, flow, stored)
        nodes[source or ""].next.append(flow)

    def _dangling_flow(self, element: etree._Element, process: Process, source: str | None,
                       target: str | None) -> None:
        """A flow with an end that was not imported: left out (or read with its
        boundary event)."""
        if source in self.boundary_ids:
            return  # handled with its boundary event
        missing = target if source in process.nodes else source
        what = _("'{missing}', which was not imported").format(missing=missing) \
            if missing else _("nothing")
        self.report(UNSUPPORTED, element, _(
            "{flow} connects to {what}: the flow is left out").format(
                flow=self.describe(element), what=what), process)

    def _new_flow(self, element: etree._Element, source: str | None,
                  target: str | None) -> Flow:
        when = element.get("name")
        when = clean_name(when)
        condition = _text(element.find(f"{_B}conditionExpression"))
        flow = Flow(target=target or "", when=when or (clean_name(condition)
                                                       if condition else None),
                    condition=condition if when and condition and condition != when else None,
                    conditional=condition is not None)
        source_element = self.elements.get(source)
        if source_element is not None and source_element.get("default") == element.get("id"):
            flow.default = True
        return flow

    def _boundary(self, element: etree._Element, process: Process) -> None:
        """An event on an activity's border: a second way out of the activity. procmap
        puts a decision after the activity: 'completed' or the event's outcome."""
        activity = process.nodes.get(element.get("attachedToRef") or "")
        ident = element.get("id") or ""
        outgoing = [f for f in element.getparent().iterchildren(f"{_B}sequenceFlow")
                    if f.get("sourceRef") == ident and f.get("targetRef") in process.nodes]
        triggers = [local(d).removesuffix("EventDefinition")
                    for d in self._definitions(element)]
        if activity is None or not outgoing or "compensate" in triggers:
            self._unsupported(element, process, why=_boundary_left_out(activity, triggers))
            return
        outcome = process.nodes.get(f"{activity.key}#outcome") or _outcome(activity,
                                                                           process)
        merged = self._boundary_branches(element, outcome, outgoing, triggers)
        if merged == len(outgoing):
            self.report(NOTE, element, _(
                "{what} on '{activity}' leads where the activity leads: no branch of its "
                "own").format(what=self.describe(element),
                              activity=activity.name or activity.key), process, activity.key)
            return
        self._report_boundary_branch(element, process, activity, outcome)

    def _report_boundary_branch(self, element: etree._Element, process: Process,
                                activity: Node, outcome: Node) -> None:
        interrupting = element.get("cancelActivity", "true") != "false"
        effect = (_("interrupts the activity") if interrupting else
                  _("runs alongside the activity (non-interrupting)"))
        self.report(LOSSY, element, _(
            "{what} on '{activity}' {effect}: imported as one branch of the decision "
            "'{decision}' after it").format(what=self.describe(element),
                                            activity=activity.name or activity.key,
                                            effect=effect, decision=outcome.name),
            process, activity.key)

    def _boundary_branches(self, element: etree._Element, outcome: Node,
                           outgoing: list[etree._Element], triggers: list[str]) -> int:
        """Adds the event's flows to the outcome decision; returns how many of them
        merged into a branch the outcome already had."""
        trigger = " + ".join(triggers) or "none"
        label = clean_name(element.get("name")) or trigger
        data = self._boundary_data(element, trigger)
        merged = 0
        for flow in outgoing:
            target = flow.get("targetRef") or ""
            same = next((f for f in outcome.next if f.target == target), None)
            if same is not None:  # the event flows where the activity flows
                same.when = " / ".join(dict.fromkeys(w for w in (same.when, label) if w))
                merged += 1
                continue
            outcome.next.append(Flow(target, when=label, data=dict(data)))
        return merged

    def _boundary_data(self, element: etree._Element, trigger: str) -> dict[str, Any]:
        """What the branches of a boundary event keep: its trigger, and a timer's duration."""
        data: dict[str, Any] = {"x-bpmn-boundary": trigger}
        timer = next((d for d in self._definitions(element)
                      if local(d) == "timerEventDefinition"), None)
        if timer is not None and (duration := _text(timer.find(f"{_B}timeDuration"))):
            data["x-bpmn-timer"] = duration
        return data

    def _links(self, process: Process) -> None:
        """Link events are go-tos: each throw leads to the catch of the same name, or the
        one its definition names as `target` (or that names it as `source`). A throw
        that matches nothing ends its path; unnamed links never match each other."""
        links = [n for n in process.nodes.values() if "x-bpmn-link" in n.data]
        catches = [c for c in links if c.element == "intermediateCatchEvent"]
        for node in links:
            if node.element == "intermediateThrowEvent":
                node.next = [Flow(c.key) for c in catches if self._linked(node, c)]
                if not node.next:
                    node.kind, node.gateway = "end", False
                    what = f"{node.element} {node.bpmn_id or node.key}"
                    self.model.report(LOSSY, node.line, node.column, _(
                        "{what} is a link to no link catch event (no name, target or "
                        "source matches): its path ends here").format(what=what),
                        process=process.key, step=node.key, bpmn_id=node.bpmn_id)

    def _linked(self, throw: Node, catch: Node) -> bool:
        name = throw.data["x-bpmn-link"]
        if name and name == catch.data["x-bpmn-link"]:
            return True
        throw_id, targets = self.link_ends.get(throw.key, ("", set()))
        catch_id, sources = self.link_ends.get(catch.key, ("", set()))
        return bool((catch_id and catch_id in targets) or (throw_id and throw_id in sources))

    # -- after every process is read

    def _resolve_calls(self) -> None:
        """Processes without a pool of their own that are called by a call activity do
        their work in the caller's role."""
        processes = {p.key: p for p in self.model.processes}
        for process in self.model.processes:
            for node in process.nodes.values():
                callee = processes.get(node.called or "")
                if callee is not None and callee.called_by_role is None:
                    callee.called_by_role = node.role
                    if callee.anonymous and node.name:
                        callee.name, callee.anonymous = node.name, False


def _a(word: str) -> str:
    """'a timer', 'an error', 'an escalation'."""
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _restore_transition(element: etree._Element, flow: Flow, stored: etree._Element) -> None:
    """A flow written by procmap: its label and probability from the stored copy."""
    flow.when = element.get("name") or None
    flow.condition = None
    if stored.get("probability") is not None:
        flow.data["probability"] = float(stored.get("probability") or "nan")
    flow.data.update(_extensions(stored))


def _boundary_left_out(activity: Node | None, triggers: list[str]) -> str:
    """Why a boundary event is left out."""
    return (_("compensation has no equivalent in format 1") if "compensate" in triggers
            else _("it leads nowhere") if activity is not None
            else _("the activity it is attached to was not imported"))


def _flow_node(element: etree._Element | None, container: etree._Element) -> bool:
    """True for a flow node (task, event, gateway, sub-process) inside `container`."""
    if element is None or local(element) in ("lane", "participant", "sequenceFlow"):
        return False
    kind = local(element)
    if not (kind in TASKS or kind in SUBPROCESSES or kind in GATEWAYS or kind in EVENTS
            or kind == "callActivity"):
        return False
    parent = element.getparent()
    while parent is not None and parent is not container:
        parent = parent.getparent()
    return parent is container


def _outcome(activity: Node, process: Process) -> Node:
    """The decision after an activity with boundary events: 'completed', or an event."""
    outcome = Node(key=f"{activity.key}#outcome", kind="decision", element="",
                   name=f"{activity.name or activity.key}: outcome", role=activity.role,
                   line=activity.line, column=activity.column, id_base="outcome",
                   id_from=activity.key)
    outcome.next = activity.next or []
    if not outcome.next:  # only the boundary flows out: completing ends the path
        end = Node(key=f"{activity.key}#end", kind="end", element="", line=activity.line,
                   column=activity.column, id_base="end", id_from=activity.key)
        process.nodes[end.key] = end
        outcome.next = [Flow(end.key)]
    if len(outcome.next) == 1 and not outcome.next[0].when:
        outcome.next[0].when = "completed"
    activity.next = [Flow(outcome.key)]
    process.nodes[outcome.key] = outcome
    return outcome


def _settle_outcomes(process: Process) -> None:
    """An outcome decision whose branches all lead to one step is no choice: the activity
    leads there directly."""
    for outcome in [n for n in process.nodes.values() if n.key.endswith("#outcome")
                    and not n.element]:
        if len({f.target for f in outcome.next}) > 1:
            continue
        activity = process.nodes.get(outcome.key.removesuffix("#outcome"))
        if activity is None:
            continue
        activity.next = [Flow(f.target, data=f.data) for f in outcome.next[:1]]
        del process.nodes[outcome.key]


def read_model(root: etree._Element, raw: bytes, path: str) -> Model:
    return Reader(root, raw, path).read()
