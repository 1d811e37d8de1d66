"""YAML -> BPMN -> YAML: procmap's own exports import back to the same processes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from procmap.bpmn import import_bpmn
from procmap.bpmn.export import to_bpmn
from procmap.config import Config
from procmap.loader import load_text
from procmap.model import Process, Workspace, build_workspace
from procmap.pipeline import validate_paths

EXAMPLE_IDS = ["complaint-handling", "crm-admin-assignment", "customer-onboarding",
               "refund-approval"]


def _reload(text: str, name: str = "back.yaml") -> Process:
    workspace = build_workspace([load_text(text, name)])
    assert workspace.findings == []
    (entry,) = workspace.processes
    return entry.process


def _same_process(original: Process, back: Process) -> None:
    assert back.model_dump(exclude={"roles"}) == original.model_dump(exclude={"roles"})
    assert back.extensions == original.extensions
    for mine, theirs in zip(original.steps, back.steps, strict=True):
        assert theirs.extensions == mine.extensions
        assert [t.extensions for t in theirs.next] == [t.extensions for t in mine.next]


def _same_roles(back: Process, workspace: Workspace) -> None:
    for role in back.roles:
        original = workspace.roles[role.id].role
        assert role == original


@pytest.mark.parametrize("process_id", EXAMPLE_IDS)
def test_examples_come_back_unchanged(examples: Workspace, process_id: str,
                                      tmp_path: Path) -> None:
    entry = examples.process(process_id)
    assert entry is not None
    result = import_bpmn(to_bpmn([entry], examples).encode("utf-8"), f"{process_id}.bpmn")
    assert result.findings == []
    ((name, text),) = result.files()
    assert name == f"{process_id}.yaml"
    back = _reload(text)
    _same_process(entry.process, back)
    _same_roles(back, examples)
    # every role the process names is defined, so the file validates on its own...
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    findings = validate_paths([str(path)], Config()).findings
    if process_id == "customer-onboarding":  # ...except the process it calls
        assert [(f.rule, f.step) for f in findings] == [("unknown-reference",
                                                         "assign-admin")]
    else:
        assert findings == []


def test_all_examples_in_one_file_come_back(examples: Workspace, tmp_path: Path) -> None:
    result = import_bpmn(to_bpmn(examples.processes, examples).encode("utf-8"), "all.bpmn")
    assert result.findings == []
    files = result.files()
    assert [name for name, _ in files] == ["all-roles.yaml", *(
        f"{e.process.id}.yaml" for e in examples.processes)]
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
    validation = validate_paths([str(tmp_path)], Config())
    assert validation.findings == []
    for entry in examples.processes:
        back = validation.workspace.process(entry.process.id)
        assert back is not None
        _same_process(entry.process, back.process)
    for role_id, role in validation.workspace.roles.items():
        assert role.role == examples.roles[role_id].role


EVERYTHING = """
procmap: 1
id: "2nd.process"
name: 全字段 All fields
description: |-
  Two lines,
  with "quotes" & <angle brackets>.
owner: boss
version: "1.0"
sla: 2w3d4h12m
demand: 12.5/w
tags: [一, "two words", "yes"]
x-source: {system: ERP, ids: [1, 2]}
roles:
  - {id: boss, name: 经理, capacity: 1, availability: 37.5h/w, x-cost: 90}
  - {id: 客服, capacity: 2.5, reports_to: boss, description: 一线}
  - {id: viewer}
steps:
  - {id: "0-start", kind: start, next: "客服.登记"}
  - id: "客服.登记"
    name: 登记
    role: 客服
    duration: 1.2345h
    wait: 90m
    sla: 1d
    deadline: 3d
    accountable: boss
    consulted: [boss]
    informed: [viewer, boss]
    system: CRM
    x-ignore: [waiting-waste]
    next: ok
  - id: ok
    kind: approval
    role: boss
    of: refund
    next:
      - {to: "a_x41", when: "yes", probability: 0.25, x-note: 同意}
      - {to: "客服.登记", when: 驳回, probability: 0.75}
  - {id: "a_x41", kind: subprocess, process: other, role: 客服, next: wait}
  - {id: wait, kind: wait, role: 客服, wait: 1d, duration: 30m, next: both}
  - id: both
    kind: parallel
    next: [x, y]
  - {id: x, role: 客服, next: join}
  - {id: y, role: boss, next: join}
  - {id: join, kind: parallel, next: "end.1"}
  - {id: "end.1", kind: end, name: "end.1"}
"""
OTHER = """
procmap: 1
id: other
name: Other
steps:
  - {id: s, kind: start, next: e}
  - {id: e, kind: end}
"""


def test_every_field_comes_back(bpmn_schema: Any, tmp_path: Path) -> None:
    from bpmn_helpers import assert_schema_valid

    workspace = build_workspace([load_text(EVERYTHING, "a.yaml"), load_text(OTHER, "b.yaml")])
    assert workspace.findings == []
    entry = workspace.process("2nd.process")
    assert entry is not None
    xml = to_bpmn([entry], workspace)
    assert_schema_valid(bpmn_schema, xml)
    result = import_bpmn(xml.encode("utf-8"), "x.bpmn")
    assert result.findings == []
    ((_, text),) = result.files()
    back = _reload(text)
    _same_process(entry.process, back)
    _same_roles(back, workspace)
    assert [r.id for r in back.roles] == ["boss", "客服", "viewer"]  # lanes, then others
    assert (ok := back.step("ok")) is not None and ok.next[0].extensions == {
        "x-note": "同意"}


HANDBOOK = """
procmap: 1
id: handbook
name: 客户投诉处理
purpose: |-
  Answer every complaint
  within two days.
scope: From the customer's call to the closing letter
roles:
  - id: 客服
    name: 客服专员
    calendar: mon-fri 09:00-18:00
    timezone: Asia/Shanghai
    cost: 85.5
steps:
  - {id: start, kind: start, next: 登记}
  - id: 登记
    role: 客服
    duration: {median: 30m, p90: 2h}
    wait: {median: 1h, p90: 1d}
    activity: [Register complaint, 登记投诉]
    instructions: |-
      Open the ticket; "quote" & <check> the order.
    inputs: [complaint letter]
    outputs: [ticket, 回执]
    next: wait
  - {id: wait, kind: wait, role: 客服, wait: {median: 4h, p90: 2d}, next: end}
  - {id: end, kind: end}
"""


def test_spreads_and_handbook_fields_come_back(bpmn_schema: Any) -> None:
    from bpmn_helpers import assert_schema_valid

    from procmap.model.fields import Spread

    workspace = build_workspace([load_text(HANDBOOK, "h.yaml")])
    assert workspace.findings == []
    entry = workspace.process("handbook")
    assert entry is not None
    xml = to_bpmn([entry], workspace)
    assert_schema_valid(bpmn_schema, xml)
    result = import_bpmn(xml.encode("utf-8"), "h.bpmn")
    assert result.findings == []
    ((_, text),) = result.files()
    back = _reload(text)
    _same_process(entry.process, back)
    _same_roles(back, workspace)
    step = back.step("登记")
    assert step is not None and isinstance(step.duration, Spread)
    assert (step.duration.median, step.duration.p90) == (0.5, 2.0)
    assert isinstance(step.wait, Spread) and (step.wait.median, step.wait.p90) == (1.0, 24.0)
    assert step.activity == ["Register complaint", "登记投诉"]
    assert step.outputs == ["ticket", "回执"] and step.inputs == ["complaint letter"]
    assert step.instructions == 'Open the ticket; "quote" & <check> the order.'
    assert back.purpose == "Answer every complaint\nwithin two days."
    assert back.scope == "From the customer's call to the closing letter"
    (role,) = back.roles
    assert (role.calendar, role.timezone, role.cost) == ("mon-fri 09:00-18:00",
                                                         "Asia/Shanghai", 85.5)
