"""`procmap.bpmn` on hand-written BPMN: the rewrites from BPMN's shapes to format
1's, and safety against hostile XML."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from procmap.bpmn import BpmnReadError, ImportResult, import_bpmn, import_file
from procmap.bpmn.emit import slug
from procmap.config import Config
from procmap.pipeline import validate_paths

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" '
        'targetNamespace="https://example.com" name="Tests">\n')


def bpmn(body: str) -> bytes:
    return (HEAD + body + "\n</definitions>\n").encode("utf-8")


def run(body: str) -> ImportResult:
    return import_bpmn(bpmn(body), "t.bpmn")


def steps(result: ImportResult, index: int = 0) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in result.processes[index].data["steps"]}


def rules(result: ImportResult) -> Counter[tuple[str, str | None]]:
    return Counter((f.rule, f.extra.get("bpmn_id")) for f in result.findings)


def assert_valid(result: ImportResult, tmp_path: Path) -> None:
    paths = []
    for name, text in result.files():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    findings = validate_paths(paths, Config()).findings
    assert [f"{f.rule}: {f.message}" for f in findings] == []


EDGE_CASES = """
  <collaboration id="c"><participant id="pool" name="客服中心" processRef="p"/></collaboration>
  <process id="p">
    <laneSet id="ls">
      <lane id="l1" name="客服 专员"><flowNodeRef>s1</flowNodeRef><flowNodeRef>t1</flowNodeRef>
        <flowNodeRef>g1</flowNodeRef></lane>
      <lane id="l2" name="Team">
        <childLaneSet id="cls">
          <lane id="l2a" name="Lead"><flowNodeRef>t2</flowNodeRef><flowNodeRef>inc</flowNodeRef>
          </lane>
          <lane id="l2b"><flowNodeRef>t3</flowNodeRef></lane>
        </childLaneSet>
      </lane>
      <lane id="l3" name="Nobody"/>
    </laneSet>
    <startEvent id="s1" name="A"/>
    <startEvent id="s2" name="B"><timerEventDefinition/></startEvent>
    <task id="t1" name="登记 投诉"><standardLoopCharacteristics/></task>
    <exclusiveGateway id="g1" name="ok?" default="f4"/>
    <userTask id="t2" name="Check"/>
    <task id="t3" name="Fix"/>
    <inclusiveGateway id="inc"/>
    <intermediateThrowEvent id="lt" name="go"><linkEventDefinition name="L"/>
      </intermediateThrowEvent>
    <intermediateCatchEvent id="lc" name="go"><linkEventDefinition name="L"/>
      </intermediateCatchEvent>
    <task id="t4" name="After link"/>
    <intermediateCatchEvent id="w" name="Wait 2 days"><timerEventDefinition>
      <timeDuration xsi:type="tFormalExpression">P2D</timeDuration></timerEventDefinition>
    </intermediateCatchEvent>
    <callActivity id="ca" name="Elsewhere" calledElement="tns:Missing"/>
    <subProcess id="ev" triggeredByEvent="true"><startEvent id="es"/></subProcess>
    <textAnnotation id="ta"><text>hello</text></textAnnotation>
    <sequenceFlow id="f1" sourceRef="s1" targetRef="t1"/>
    <sequenceFlow id="f2" sourceRef="s2" targetRef="g1"/>
    <sequenceFlow id="f3" sourceRef="t1" targetRef="g1"/>
    <sequenceFlow id="f4" sourceRef="g1" targetRef="t2"/>
    <sequenceFlow id="f5" sourceRef="g1" targetRef="t3" name="bad">
      <conditionExpression xsi:type="tFormalExpression">${bad}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="f6" sourceRef="t2" targetRef="inc"/>
    <sequenceFlow id="f7" sourceRef="t3" targetRef="inc"/>
    <sequenceFlow id="f8" sourceRef="inc" targetRef="lt"/>
    <sequenceFlow id="f9" sourceRef="lc" targetRef="t4"/>
    <sequenceFlow id="f10" sourceRef="t4" targetRef="w"/>
    <sequenceFlow id="f11" sourceRef="t4" targetRef="ca">
      <conditionExpression>${again}</conditionExpression></sequenceFlow>
    <sequenceFlow id="f12" sourceRef="ta" targetRef="t4"/>
  </process>
"""


def test_bpmn_shapes_become_format_1_shapes(tmp_path: Path) -> None:
    result = run(EDGE_CASES)
    got = steps(result)
    # two start events -> one start and a decision between what they start
    assert got["start"] == {"id": "start", "kind": "start", "next": "which-start"}
    assert got["which-start"]["next"] == [
        {"to": "登记-投诉", "when": "A"},
        {"to": "ok", "when": "B", "x-bpmn-trigger": "timer"}]
    # loop marker kept as data; role from the lane, CJK kept
    assert got["登记-投诉"]["role"] == "客服-专员"
    assert got["登记-投诉"]["x-bpmn-loop"] == "loop"
    # default flow and condition kept
    assert got["ok"]["next"] == [
        {"to": "check", "x-bpmn-default": True},
        {"to": "fix", "when": "bad", "x-condition": "${bad}"}]
    # nested lanes: leaf lanes are roles; an unnamed one takes its parent's name
    assert (got["check"]["role"], got["fix"]["role"]) == ("lead", "team")
    # the inclusive merge and the link events are folded into plain transitions
    assert got["check"]["next"] == "after-link" and got["fix"]["next"] == "after-link"
    # conditional flows out of a task -> a decision after it
    assert got["after-link"]["next"] == "after-link-choice"
    assert got["after-link-choice"]["next"] == [
        {"to": "wait-2-days"}, {"to": "elsewhere", "when": "${again}"}]
    # work outside any lane: the pool's role; a timer keeps its ISO duration
    assert got["wait-2-days"] == {"id": "wait-2-days", "name": "Wait 2 days",
                                  "kind": "wait", "role": "客服中心", "wait": "2d",
                                  "x-bpmn-id": "w", "next": "end"}
    # a call to a process not in the file; dead ends lead to one new end
    assert got["elsewhere"]["x-bpmn-called-element"] == "Missing"
    assert "process" not in got["elsewhere"] and got["elsewhere"]["next"] == "end"
    assert got["end"] == {"id": "end", "kind": "end"}
    assert list(result.roles) == ["客服-专员", "lead", "team", "客服中心"]
    assert rules(result) == Counter({
        ("import-lossy", "s1"): 1,  # several start events
        ("import-note", "s2"): 1,  # timer start
        ("import-lossy", "t1"): 1,  # loop marker
        ("import-note", "l2b"): 1,  # unnamed lane
        ("import-note", "l3"): 1,  # empty lane
        ("import-lossy", "t4"): 1,  # conditional flows out of a task
        ("import-lossy", "ca"): 1,  # calls something not in the file
        ("import-unsupported", "ev"): 1,  # event sub-process
        ("import-unsupported", "ta"): 1,  # text annotation
        ("import-unsupported", "f12"): 1,  # the flow from the annotation
        ("import-note", None): 3,  # folded merges, implicit end, pool role
    })
    assert_valid(result, tmp_path)


def test_no_start_event_and_parallel_gateways(tmp_path: Path) -> None:
    result = run("""
  <process id="p" name="Implicit">
    <task id="a" name="A"/><task id="b" name="B"/>
    <parallelGateway id="fork"/><parallelGateway id="pass"/><parallelGateway id="join"/>
    <task id="c" name="C"/><endEvent id="e"/>
    <sequenceFlow id="1" sourceRef="a" targetRef="fork"/>
    <sequenceFlow id="2" sourceRef="fork" targetRef="pass"/>
    <sequenceFlow id="3" sourceRef="pass" targetRef="join"/>
    <sequenceFlow id="4" sourceRef="fork" targetRef="c"/>
    <sequenceFlow id="5" sourceRef="c" targetRef="join"/>
    <sequenceFlow id="6" sourceRef="b" targetRef="join"/>
    <sequenceFlow id="7" sourceRef="join" targetRef="e"/>
  </process>""")
    got = steps(result)
    assert got["start"]["next"] == "start-split"
    assert got["start-split"] == {"id": "start-split", "kind": "parallel",
                                  "next": [{"to": "a"}, {"to": "b"}]}
    assert got["fork"]["next"] == [{"to": "join"}, {"to": "c"}]  # 'pass' folded away
    assert got["join"]["kind"] == "parallel" and got["join"]["next"] == "e"
    assert "pass" not in got
    assert_valid(result, tmp_path)


def test_procmap_approvals_restore_and_modeler_edits_win() -> None:
    """A renamed task and a task moved to another lane in a modeler keep the edits."""
    result = run("""
  <process id="Process_x" xmlns:procmap="https://procmap.dev/schema/bpmn/1">
    <extensionElements><procmap:process id="x"/></extensionElements>
    <laneSet id="ls">
      <lane id="Lane_a" name="A"><extensionElements><procmap:role id="a"/></extensionElements>
        <flowNodeRef>Step_ok</flowNodeRef><flowNodeRef>Outcome_ok</flowNodeRef></lane>
      <lane id="Lane_b" name="B"><extensionElements><procmap:role id="b"/></extensionElements>
      </lane>
    </laneSet>
    <startEvent id="Step_s" name="s"><extensionElements>
      <procmap:step id="s" unnamed="true" kind="start"/></extensionElements></startEvent>
    <userTask id="Step_ok" name="Approve it" procmap:kind="approval"><extensionElements>
      <procmap:step id="ok" unnamed="true" kind="approval" role="b" of="refund"/>
      </extensionElements></userTask>
    <exclusiveGateway id="Outcome_ok" procmap:kind="approval-outcome"/>
    <endEvent id="Step_e" name="e"><extensionElements><procmap:step id="e" kind="end"/>
      </extensionElements></endEvent>
    <sequenceFlow id="f0" sourceRef="Step_s" targetRef="Step_ok"/>
    <sequenceFlow id="f1" sourceRef="Step_ok" targetRef="Outcome_ok"/>
    <sequenceFlow id="f2" sourceRef="Outcome_ok" targetRef="Step_e" name="yes">
      <extensionElements><procmap:transition probability="0.5"/></extensionElements>
    </sequenceFlow>
    <sequenceFlow id="f3" sourceRef="Outcome_ok" targetRef="Step_s" name="no"/>
  </process>""")
    got = steps(result)
    assert result.processes[0].id == "x"
    assert got["s"] == {"id": "s", "kind": "start", "next": "ok"}  # unnamed stays unnamed
    assert got["e"] == {"id": "e", "name": "e", "kind": "end"}  # a name equal to the id
    assert got["ok"] == {"id": "ok", "name": "Approve it", "kind": "approval", "role": "a",
                         "of": "refund", "next": [{"to": "e", "when": "yes",
                                                   "probability": 0.5},
                                                  {"to": "s", "when": "no"}]}


@pytest.mark.parametrize(("name", "expected"), [
    ("Task 1", "task-1"), ("  Review & approve!  ", "review-approve"), ("A.1.0", "a.1.0"),
    ("客服 专员", "客服-专员"), ("CRM系统管理员", "crm系统管理员"),
    ("Rechnung klären", "rechnung-klären"), ("___", ""), ("x" * 100, "x" * 60),
    ("_leading", "leading"), ("2nd step", "2nd-step"),
])
def test_slugs(name: str, expected: str) -> None:
    assert slug(name) == expected


# ---------------------------------------------------------------- hostile input

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
  targetNamespace="x"><process id="p"><startEvent id="s" name="&lol9;"/></process>
</definitions>
"""


def external_entity(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
  targetNamespace="x"><process id="p"><startEvent id="s" name="&xxe;"/></process>
</definitions>
"""


@pytest.mark.parametrize("document", [
    BILLION_LAUGHS,
    "<!-- a comment first -->\n" + BILLION_LAUGHS.split("\n", 1)[1],
])
def test_entity_expansion_is_refused(document: str) -> None:
    with pytest.raises(BpmnReadError, match="DTD"):
        import_bpmn(document.encode("utf-8"), "lol.bpmn")


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    with pytest.raises(BpmnReadError, match="DTD") as caught:
        import_bpmn(external_entity(secret).encode("utf-8"), "xxe.bpmn")
    assert "TOP-SECRET" not in str(caught.value)


def test_a_dtd_the_prolog_scan_misses_is_still_refused(tmp_path: Path) -> None:
    """Past the 64 KiB the scan reads, the parser (entities off) and the doctype check
    still hold."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    document = external_entity(secret).replace(
        '<?xml version="1.0"?>\n', '<?xml version="1.0"?>\n' + "<!-- padding -->" * 5000)
    with pytest.raises(BpmnReadError) as caught:
        import_bpmn(document.encode("utf-8"), "xxe.bpmn")
    assert "TOP-SECRET" not in str(caught.value)


def test_utf16_dtd_is_refused() -> None:
    with pytest.raises(BpmnReadError, match="DTD"):
        import_bpmn(BILLION_LAUGHS.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
                    .encode("utf-16"), "lol.bpmn")


@pytest.mark.parametrize(("document", "message"), [
    (b"", "not well-formed"),
    (b"not xml at all", "not well-formed"),
    (b"<definitions><process id='p'/></definitions>", "not a BPMN 2.0 file"),
    (b"<html xmlns='http://www.w3.org/1999/xhtml'/>", "root element is <html>"),
    (b"<definitions xmlns='http://www.omg.org/spec/BPMN/20100501/MODEL'/>",
     "not the BPMN 2.0 namespace"),
    (HEAD.encode() + b"<process id='p'/></definitions>", "no process with flow elements"),
    (HEAD.encode() + b"<process id='p'><task id='t'>", "not well-formed"),
])
def test_unusable_files_are_one_clear_error(document: bytes, message: str) -> None:
    with pytest.raises(BpmnReadError, match=message):
        import_bpmn(document, "bad.bpmn")


def test_size_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import procmap.bpmn as package
    import procmap.bpmn.xml as xml

    monkeypatch.setattr(package, "MAX_BPMN_BYTES", 1000)
    monkeypatch.setattr(xml, "MAX_BPMN_BYTES", 1000)
    path = tmp_path / "big.bpmn"
    path.write_bytes(bpmn("<process id='p'>" + "<task id='t'/>" * 200 + "</process>"))
    with pytest.raises(BpmnReadError, match="over procmap's limit"):
        import_file(str(path))
    with pytest.raises(BpmnReadError, match="over procmap's limit"):
        import_bpmn(path.read_bytes(), "big.bpmn")
