"""`procmap.bpmn.export`: BPMN 2.0 export, checked against the OMG schema, the mapping
documented in docs/bpmn.md, and the swimlane geometry of its diagram."""

from __future__ import annotations

import itertools
import math
import os
from pathlib import Path
from typing import Any

import pytest
from bpmn_helpers import HOSTILE, NS, assert_schema_valid, workspace_of
from hypothesis import given
from hypothesis import strategies as st

from procmap.bpmn.export import (
    ascii_xml_id,
    iso_duration,
    render_bpmn_file,
    spelled_duration,
    to_bpmn,
)
from procmap.model import ProcessEntry, Workspace
from procmap.model.fields import parse_duration
from procmap.model.lanes import process_lanes, step_lanes
from procmap.render.xmlid import decode_xml_id, is_ncname
from procmap.rules.graph import first_cycle_edges

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE_IDS = ["complaint-handling", "crm-admin-assignment", "customer-onboarding",
               "refund-approval"]


def entry(workspace: Workspace, process_id: str) -> ProcessEntry:
    found = workspace.process(process_id)
    assert found is not None
    return found


def q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def xml_ids(root: Any) -> list[str]:
    """The xsd:ID attributes: ids of BPMN and DI elements (procmap's own elements have
    an `id` attribute too, holding the procmap id)."""
    return [e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")
            and e.tag.startswith("{http://www.omg.org/spec/")]


def by_id(root: Any) -> dict[str, Any]:
    return {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")
            and e.tag.startswith("{http://www.omg.org/spec/")}


# ---------------------------------------------------------------- schema validity


@pytest.mark.parametrize("process_id", EXAMPLE_IDS)
def test_every_example_is_valid_bpmn(examples: Workspace, bpmn_schema: Any,
                                     process_id: str) -> None:
    assert_schema_valid(bpmn_schema, to_bpmn([entry(examples, process_id)], examples))


def test_all_examples_in_one_file_are_valid_bpmn(examples: Workspace,
                                                 bpmn_schema: Any) -> None:
    root = assert_schema_valid(bpmn_schema, to_bpmn(examples.processes, examples))
    participants = root.findall(".//bpmn:participant", NS)
    assert [p.get("processRef") for p in participants] == [
        f"Process_{e.process.id}" for e in examples.processes]
    ids = xml_ids(root)
    assert len(ids) == len(set(ids))


def test_render_bpmn_file_is_the_utf8_document(examples: Workspace) -> None:
    refund = entry(examples, "refund-approval")
    assert render_bpmn_file(refund, examples) == to_bpmn([refund], examples).encode("utf-8")


def test_no_process_is_an_error(examples: Workspace) -> None:
    with pytest.raises(ValueError):
        to_bpmn([], examples)


# ---------------------------------------------------------------- the mapping


def test_elements_follow_the_mapping(examples: Workspace) -> None:
    from lxml import etree

    refund = entry(examples, "refund-approval")
    root = etree.fromstring(to_bpmn([refund], examples).encode())
    ids = by_id(root)
    expected = {"start": "startEvent", "end": "endEvent", "task": "userTask",
                "approval": "userTask", "decision": "exclusiveGateway",
                "parallel": "parallelGateway", "subprocess": "callActivity",
                "wait": "intermediateCatchEvent"}
    for step in refund.process.steps:
        element = ids[f"Step_{ascii_xml_id(step.id)}"]
        assert element.tag == q(f"bpmn:{expected[step.kind.value]}"), step.id
        assert element.get("name") == step.label
        stored = element.find("bpmn:extensionElements/procmap:step", NS)
        assert stored is not None and stored.get("id") == step.id
        assert stored.get("kind") == step.kind.value
        if step.description:
            assert element.findtext("bpmn:documentation", namespaces=NS) == step.description
    # approvals with several outcomes: a marked user task, then a marked gateway
    approval = ids["Step_approve-manager"]
    assert approval.get(q("procmap:kind")) == "approval"
    outcome = ids["Outcome_approve-manager"]
    assert outcome.tag == q("bpmn:exclusiveGateway")
    assert outcome.get(q("procmap:kind")) == "approval-outcome"
    flows = [f for f in root.iter(q("bpmn:sequenceFlow"))]
    into = [f for f in flows if f.get("targetRef") == "Outcome_approve-manager"]
    assert [f.get("sourceRef") for f in into] == ["Step_approve-manager"]
    out = {f.get("name"): f for f in flows if f.get("sourceRef") == "Outcome_approve-manager"}
    assert set(out) == {"批准", "驳回"}
    condition = out["批准"].find("bpmn:conditionExpression", NS)
    assert condition is not None and condition.text == "批准"
    assert condition.get(q("xsi:type")) == "tFormalExpression"
    assert out["批准"].find("bpmn:extensionElements/procmap:transition", NS).get(
        "probability") == "0.9"
    # a wait step is a timer catch event with its ISO-8601 duration
    timer = ids["Step_bank-transfer"].find("bpmn:timerEventDefinition/bpmn:timeDuration", NS)
    assert timer.text == "P1D" and timer.get(q("xsi:type")) == "tFormalExpression"
    # procmap data that BPMN has no place for
    payout = ids["Step_payout"].find("bpmn:extensionElements/procmap:step", NS)
    assert (payout.get("role"), payout.get("duration"), payout.get("wait"),
            payout.get("accountable"), payout.get("system")) == (
        "finance", "15m", "30m", "finance-manager", "财务系统")
    register = ids["Step_register"].find("bpmn:extensionElements/procmap:step", NS)
    assert [i.get("role") for i in register.findall("procmap:informed", NS)] == ["customer"]
    process = root.find("bpmn:process/bpmn:extensionElements/procmap:process", NS)
    assert (process.get("id"), process.get("sla"), process.get("demand")) == (
        "refund-approval", "5d", "30/d")
    assert [t.text for t in process.findall("procmap:tag", NS)] == list(refund.process.tags)


def test_decision_branches_have_conditions_and_other_flows_do_not(
        examples: Workspace) -> None:
    from lxml import etree

    onboarding = entry(examples, "customer-onboarding")
    root = etree.fromstring(to_bpmn([onboarding], examples).encode())
    fork = [f for f in root.iter(q("bpmn:sequenceFlow")) if f.get("sourceRef") == "Step_fork"]
    assert len(fork) == 3
    assert all(f.find("bpmn:conditionExpression", NS) is None for f in fork)
    call = by_id(root)["Step_assign-admin"]
    assert call.tag == q("bpmn:callActivity")
    assert call.get("calledElement") == "Process_crm-admin-assignment"


def test_an_approval_with_one_outcome_has_no_gateway() -> None:
    from lxml import etree

    workspace = workspace_of("""
procmap: 1
id: stamp
name: Stamp
roles: [{id: boss}]
steps:
  - {id: s, kind: start, next: ok}
  - {id: ok, kind: approval, role: boss, next: e}
  - {id: e, kind: end}
""")
    root = etree.fromstring(to_bpmn(workspace.processes, workspace).encode())
    assert root.find(".//bpmn:exclusiveGateway", NS) is None
    assert by_id(root)["Step_ok"].get(q("procmap:kind")) == "approval"


def test_lanes_are_roles_in_swimlane_order(examples: Workspace) -> None:
    from lxml import etree

    for item in examples.processes:
        root = etree.fromstring(to_bpmn([item], examples).encode())
        lanes = root.findall(".//bpmn:laneSet/bpmn:lane", NS)
        order = process_lanes(item.process, list(examples.roles))
        assert [lane.get("id") for lane in lanes] == [f"Lane_{ascii_xml_id(r)}" for r in order]
        assert [lane.get("name") for lane in lanes] == [
            examples.roles[r].role.label for r in order]
        placed = step_lanes(item.process, item.process.owner or "")
        for lane, role in zip(lanes, order, strict=True):
            refs = {r.text for r in lane.findall("bpmn:flowNodeRef", NS)}
            assert {f"Step_{s}" for s, r in placed.items() if r == role} <= refs
            stored = lane.find("bpmn:extensionElements/procmap:role", NS)
            assert stored.get("id") == role


# ---------------------------------------------------------------- the diagram


def _geometry(root: Any) -> tuple[dict[str, tuple[float, ...]], dict[str, list[tuple[float,
                                                                                    float]]]]:
    shapes = {}
    for shape in root.iter(q("bpmndi:BPMNShape")):
        box = shape.find("dc:Bounds", NS)
        shapes[shape.get("bpmnElement")] = tuple(float(box.get(k)) for k in
                                                 ("x", "y", "width", "height"))
    edges = {edge.get("bpmnElement"): [(float(p.get("x")), float(p.get("y")))
                                       for p in edge.findall("di:waypoint", NS)]
             for edge in root.iter(q("bpmndi:BPMNEdge"))}
    return shapes, edges


def _on_border(point: tuple[float, float], box: tuple[float, ...]) -> bool:
    x, y = point
    bx, by, w, h = box
    inside = bx - 0.01 <= x <= bx + w + 0.01 and by - 0.01 <= y <= by + h + 0.01
    border = min(abs(x - bx), abs(x - bx - w), abs(y - by), abs(y - by - h)) < 0.01
    return inside and border


@pytest.mark.parametrize("process_id", EXAMPLE_IDS)
def test_diagram_is_a_swimlane_layout(examples: Workspace, process_id: str) -> None:
    from lxml import etree

    item = entry(examples, process_id)
    root = etree.fromstring(to_bpmn([item], examples).encode())
    shapes, edges = _geometry(root)
    ids = by_id(root)
    plane = root.find(".//bpmndi:BPMNPlane", NS)
    assert ids[plane.get("bpmnElement")].tag == q("bpmn:collaboration")
    pool = shapes[f"Participant_{process_id}"]
    lanes = root.findall(".//bpmn:lane", NS)
    # lanes: full-width bands inside the pool, in order, touching each other
    top = pool[1]
    for lane in lanes:
        x, y, w, h = shapes[lane.get("id")]
        assert (x, w) == (pool[0] + 30, pool[2] - 30)
        assert y == pytest.approx(top)
        top = y + h
    assert top == pytest.approx(pool[1] + pool[3])
    # every flow node inside its lane; every flow an edge
    nodes = [e for e in root.find("bpmn:process", NS)
             if e.find("bpmn:outgoing", NS) is not None or e.find("bpmn:incoming", NS) is not None]
    for lane in lanes:
        lx, ly, lw, lh = shapes[lane.get("id")]
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            x, y, w, h = shapes[ref.text]
            assert lx < x and x + w < lx + lw and ly < y and y + h < ly + lh, ref.text
    assert {n.get("id") for n in nodes} <= set(shapes)
    # columns: the longest-path rank in the forward graph (loops ignored)
    flows = [(f.get("sourceRef"), f.get("targetRef"), f.get("id"))
             for f in root.iter(q("bpmn:sequenceFlow"))]
    successors: dict[str, list[str]] = {n.get("id"): [] for n in nodes
                                        if n.tag == q("bpmn:startEvent")}
    successors.update({n.get("id"): [] for n in nodes if n.get("id") not in successors})
    for source, target, _ in flows:
        successors[source].append(target)
    back = set(first_cycle_edges(successors))
    rank = dict.fromkeys(successors, 0)
    for _ in successors:  # Bellman-Ford style relaxation on the DAG
        for source, target, _ in flows:
            if (source, target) not in back:
                rank[target] = max(rank[target], rank[source] + 1)
    centers = {n: shapes[n][0] + shapes[n][2] / 2 for n in successors}
    for node, column in rank.items():
        same = [centers[m] for m, c in rank.items() if c == column]
        assert max(same) - min(same) < 0.01  # one x per column
        assert all(centers[m] > centers[node] for m, c in rank.items() if c > column)
    # edges: orthogonal, from the source's border to the target's border
    for source, target, flow in flows:
        points = edges[flow]
        assert len(points) >= 2
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            assert math.isclose(x0, x1) or math.isclose(y0, y1), flow
        assert _on_border(points[0], shapes[source]), flow
        assert _on_border(points[-1], shapes[target]), flow


# ---------------------------------------------------------------- hostile text



def test_hostile_names_and_ids_give_valid_bpmn(bpmn_schema: Any) -> None:
    workspace = workspace_of(HOSTILE)
    xml = to_bpmn(workspace.processes, workspace)
    assert not any(ord(c) < 32 and c not in "\n\t\r" for c in xml)
    root = assert_schema_valid(bpmn_schema, xml)
    ids = xml_ids(root)
    assert all(is_ncname(i) and i.isascii() for i in ids) and len(ids) == len(set(ids))
    elements = by_id(root)
    assert elements["Step__x0030_start"].get("name") == "Start\nhere"
    assert ascii_xml_id("客服.登记") == "_x5BA2__x670D_._x767B__x8BB0_"
    assert decode_xml_id(ascii_xml_id("客服.登记🎉_x")) == "客服.登记🎉_x"
    task = elements["Step__x5BA2__x670D_._x767B__x8BB0_"]
    assert task.get("name") == "登记  & <投诉>"
    assert task.findtext("bpmn:documentation", namespaces=NS) == "]]><!-- -->"
    assert decode_xml_id("_x0030_start") == "0start"
    assert elements["Step_a_x005F_x41"].find("bpmn:extensionElements/procmap:step",
                                             NS).get("id") == "a_x41"
    assert root.find("bpmn:process", NS).get("name") == "Evil <&\"'> ]]>  name 🎉"


def test_extension_json_survives_xml(bpmn_schema: Any) -> None:
    import json

    workspace = workspace_of(HOSTILE)
    root = assert_schema_valid(bpmn_schema, to_bpmn(workspace.processes, workspace))
    text = by_id(root)["Step_" + ascii_xml_id("客服.登记")].findtext(
        "bpmn:extensionElements/procmap:step/procmap:extensions", namespaces=NS)
    assert json.loads(text) == {"x-ticket": {"url": "https://x/?a=1&b=<2>",
                                             "ctrl": "\x1b[31m", "nested": [1, 2.5, None,
                                                                            True]}}


# ---------------------------------------------------------------- durations


@pytest.mark.parametrize(("hours", "spelled", "iso"), [
    (0.5, "30m", "PT30M"), (24.0, "1d", "P1D"), (28.0, "1d4h", "P1DT4H"),
    (1 / 6, "10m", "PT10M"), (24 * 17 + 4.2, "2w3d4h12m", "P17DT4H12M"),
    (0.0, "0m", "PT0S"), (1 / 120, "0.008333333333333333h", "PT30S"),
])
def test_duration_texts(hours: float, spelled: str, iso: str) -> None:
    assert spelled_duration(hours) == spelled
    assert iso_duration(hours) == iso


@given(st.floats(min_value=0, max_value=24 * 365 * 99, allow_nan=False))
def test_durations_parse_back(hours: float) -> None:
    assert parse_duration(spelled_duration(hours)) == pytest.approx(hours, abs=1e-9)
    assert parse_duration(iso_duration(hours)) == pytest.approx(hours, abs=1e-6)


# ---------------------------------------------------------------- golden file


def test_golden_export(examples: Workspace) -> None:
    """The whole document for one example: any change to the output shows in review.
    PROCMAP_UPDATE_GOLDEN=1 rewrites it."""
    text = to_bpmn([entry(examples, "crm-admin-assignment")], examples)
    path = GOLDEN / "crm-admin-assignment.bpmn"
    if os.environ.get("PROCMAP_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text(encoding="utf-8"), (
        "the BPMN export changed: if intended, rerun with PROCMAP_UPDATE_GOLDEN=1")
