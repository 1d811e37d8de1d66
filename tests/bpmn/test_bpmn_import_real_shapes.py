"""The shapes real BPMN models use that once gave YAML `procmap validate` rejected
(issue 10.8): each imports into a valid process, and says what it changed."""

from __future__ import annotations

from pathlib import Path

from test_bpmn_import import assert_valid, rules, run, steps

DI = ('xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
      'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"')


def _flows(*pairs: str) -> str:
    return "".join(f'<sequenceFlow id="f{i}" sourceRef="{p.split(">")[0]}" '
                   f'targetRef="{p.split(">")[1]}"/>' for i, p in enumerate(pairs))


def test_boundary_event_flowing_where_the_activity_flows(tmp_path: Path) -> None:
    result = run('<process id="p"><startEvent id="s"/><task id="t" name="Work"/>'
                 '<boundaryEvent id="b" attachedToRef="t"><timerEventDefinition/>'
                 '</boundaryEvent><task id="u" name="Next"/><endEvent id="e"/>'
                 + _flows("s>t", "t>u", "b>u", "u>e") + "</process>")
    assert_valid(result, tmp_path)
    found = steps(result)
    assert found["work"]["next"] == "next"  # no decision with one way out
    assert not any(s.get("kind") == "decision" for s in found.values())


def test_activity_with_only_a_boundary_flow_keeps_its_completed_branch(tmp_path: Path
                                                                       ) -> None:
    result = run('<process id="p"><startEvent id="s"/><task id="t" name="Work"/>'
                 '<boundaryEvent id="b" name="Too late" attachedToRef="t">'
                 '<timerEventDefinition/></boundaryEvent><task id="x" name="Escalate"/>'
                 '<endEvent id="e"/>' + _flows("s>t", "b>x", "x>e") + "</process>")
    assert_valid(result, tmp_path)
    outcome = steps(result)["work-outcome"]
    assert [t["when"] for t in outcome["next"]] == ["completed", "Too late"]
    assert steps(result)[outcome["next"][0]["to"]]["kind"] == "end"


PIZZA = ('<process id="p"><startEvent id="s"/><parallelGateway id="split"/>'
         '<intermediateCatchEvent id="ask" name="Where is my pizza?"><messageEventDefinition/>'
         '</intermediateCatchEvent><task id="calm" name="Calm customer"/>'
         '<task id="bake" name="Bake"/><endEvent id="e"><terminateEventDefinition/>'
         '</endEvent>' + _flows("s>split", "split>ask", "split>bake", "ask>calm",
                                "calm>ask", "bake>e") + "</process>")


def test_a_loop_ended_by_a_terminate_end_gets_a_way_out(tmp_path: Path) -> None:
    result = run(PIZZA)
    assert_valid(result, tmp_path)
    found = steps(result)
    exit_ = found["where-is-my-pizza-exit"]
    assert exit_["kind"] == "decision"
    assert [t["when"] for t in exit_["next"]] == ["again", "the process ends elsewhere"]
    assert rules(result)[("import-lossy", "e")] == 1  # the terminate end, as before
    assert any("a loop that no path leaves" in f.message for f in result.findings)
    assert any("is a terminate end event" in f.message for f in result.findings)


def test_disconnected_elements_are_left_out_and_named(tmp_path: Path) -> None:
    result = run('<process id="p"><startEvent id="s"/><task id="t" name="Work"/>'
                 '<endEvent id="e"/><task id="lone" name="Lone task"/>'
                 '<task id="orphan" name="Orphan"/><endEvent id="e2"/>'
                 + _flows("s>t", "t>e", "orphan>e2") + "</process>")
    assert_valid(result, tmp_path)
    assert set(steps(result)) == {"s", "work", "e"}
    lost = {f.extra.get("bpmn_id") for f in result.findings
            if "not connected to the start" in f.message}
    assert lost == {"lone", "orphan", "e2"}
    assert all(f.rule == "import-lossy" for f in result.findings
               if "not connected" in f.message)


def test_shared_event_definitions_are_read() -> None:
    result = run('<timerEventDefinition id="T1"><timeDuration>PT2H</timeDuration>'
                 '</timerEventDefinition><errorEventDefinition id="E1"/>'
                 '<process id="p"><startEvent id="s"/><intermediateCatchEvent id="w" '
                 'name="Wait"><eventDefinitionRef>T1</eventDefinitionRef>'
                 '</intermediateCatchEvent><endEvent id="e" name="Failed">'
                 '<eventDefinitionRef>E1</eventDefinitionRef></endEvent>'
                 + _flows("s>w", "w>e") + "</process>")
    found = steps(result)
    assert found["wait"]["wait"] == "2h"
    assert found["failed"]["x-bpmn-result"] == "error"
    assert any("is an error end event" in f.message for f in result.findings)


def test_unnamed_link_events_do_not_loop(tmp_path: Path) -> None:
    result = run('<process id="p"><startEvent id="s"/><task id="t" name="Work"/>'
                 '<intermediateThrowEvent id="lt"><linkEventDefinition id="L1">'
                 '<target>L2</target></linkEventDefinition></intermediateThrowEvent>'
                 '<intermediateCatchEvent id="lc"><linkEventDefinition id="L2"/>'
                 '</intermediateCatchEvent><task id="u" name="After"/>'
                 '<intermediateThrowEvent id="lt2"><linkEventDefinition/>'
                 '</intermediateThrowEvent><endEvent id="e"/>'
                 + _flows("s>t", "t>lt", "lc>u", "u>lt2") + "</process>")
    assert_valid(result, tmp_path)
    found = steps(result)
    assert found["work"]["next"] == "after"  # through the link, matched by target
    assert found[found["after"]["next"]]["kind"] == "end"  # the unmatched throw ends
    assert not any(s.get("kind") == "decision" for s in found.values())


def test_unnamed_message_throw_is_named_after_what_it_does(tmp_path: Path) -> None:
    result = run('<process id="p"><startEvent id="s"/><intermediateThrowEvent '
                 'id="sid-0D29912F-AAAA"><messageEventDefinition/></intermediateThrowEvent>'
                 '<endEvent id="e"/>' + _flows("s>sid-0D29912F-AAAA", "sid-0D29912F-AAAA>e")
                 + "</process>")
    assert_valid(result, tmp_path)
    assert "message-throw" in steps(result)
    assert "task" not in steps(result)


def test_sub_elements_are_not_left_out_constructs() -> None:
    result = run('<process id="p"><startEvent id="s"/><scriptTask id="t" name="Run">'
                 '<script>x = 1</script><categoryValueRef>c1</categoryValueRef>'
                 '</scriptTask><endEvent id="e"/>' + _flows("s>t", "t>e") + "</process>")
    assert [f.message for f in result.findings if "left out" in f.message] == []


def test_lanes_whose_refs_do_not_resolve_use_the_diagram(tmp_path: Path) -> None:
    body = ('<process id="p"><laneSet id="ls"><lane id="l1" name="客服">'
            '<flowNodeRef>gone-1</flowNodeRef></lane><lane id="l2" name="财务">'
            '<flowNodeRef>pay</flowNodeRef></lane></laneSet>'
            '<startEvent id="s"/><task id="t" name="登记"/><task id="pay" name="打款"/>'
            '<endEvent id="e"/>' + _flows("s>t", "t>pay", "pay>e") + "</process>"
            f'<bpmndi:BPMNDiagram {DI}><bpmndi:BPMNPlane bpmnElement="p">'
            '<bpmndi:BPMNShape bpmnElement="l1"><dc:Bounds x="0" y="0" width="600" '
            'height="100"/></bpmndi:BPMNShape><bpmndi:BPMNShape bpmnElement="l2">'
            '<dc:Bounds x="0" y="100" width="600" height="100"/></bpmndi:BPMNShape>'
            '<bpmndi:BPMNShape bpmnElement="t"><dc:Bounds x="100" y="10" width="100" '
            'height="80"/></bpmndi:BPMNShape><bpmndi:BPMNShape bpmnElement="pay">'
            '<dc:Bounds x="300" y="110" width="100" height="80"/></bpmndi:BPMNShape>'
            "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>")
    result = run(body)
    assert_valid(result, tmp_path)
    found = steps(result)
    assert found["登记"]["role"] == "客服" and found["打款"]["role"] == "财务"
    assert any("lists elements that are not in the file (gone-1)" in f.message
               for f in result.findings)


def test_findings_speak_chinese() -> None:
    from procmap import i18n

    i18n.set_language("zh")
    try:
        result = run(PIZZA)
    finally:
        i18n.set_language("en")
    messages = [f.message for f in result.findings]
    assert any("处于一个没有出口的循环中" in m for m in messages), messages
    assert any("结束事件" in m for m in messages)
