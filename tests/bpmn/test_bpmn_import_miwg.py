"""`procmap import` on the BPMN MIWG reference models (real files from Trisotech,
Signavio, W4 and ITP exporters): what each becomes, what is reported, and that the
result validates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from procmap.bpmn import ImportResult, import_file
from procmap.config import Config
from procmap.pipeline import validate_paths

# Per file: processes (id, name, step kinds, transitions, roles), the catalog's roles,
# and the import findings as (rule, BPMN id or None, how many). Read from the models and
# their pictures: see the comments for the reasoning behind each expectation.
EXPECTED: dict[str, dict[str, Any]] = {
    # start -> 3 tasks -> end, no pool, no lanes: the role is named after the file
    "A.1.0": {
        "processes": [("a.1.0", "A.1.0", {"start": 1, "task": 3, "end": 1}, 4, ["a.1.0"])],
        "findings": [("import-note", None, 1)],
    },
    # an exclusive split to 3 tasks, merged again: the merge gateway is folded away
    "A.2.0": {
        "processes": [("a.2.0", "A.2.0", {"start": 1, "task": 4, "decision": 1, "end": 1},
                       8, ["a.2.0"])],
        "findings": [("import-note", None, 2)],
    },
    # two boundary events on a collapsed sub-process: a decision after it, lossy
    "A.3.0": {
        "processes": [("a.3.0", "A.3.0", {"start": 1, "task": 4, "subprocess": 1,
                                          "decision": 1, "end": 2}, 9, ["a.3.0"])],
        "findings": [("import-note", None, 1),
                     ("import-lossy", "_428dcbf5-8e5e-48e0-9c0c-d93003fa8c82", 1),
                     ("import-lossy", "_178e16eb-4c9e-4ea0-9644-7c5fb2b71825", 1)],
    },
    # a pool, a second process with two lanes (no pool of its own) holding two expanded
    # sub-processes (each becomes a process), a task splitting to both, message flows
    "A.4.0": {
        "processes": [
            ("pool", "Pool", {"start": 1, "task": 2, "end": 1}, 3, ["pool"]),
            ("wfp-6-2", "WFP-6-2", {"start": 1, "task": 2, "parallel": 1, "subprocess": 2,
                                    "end": 2}, 7, ["lane-1", "lane-2"]),
            ("expanded-sub-process-1", "Expanded Sub-Process 1",
             {"start": 1, "task": 1, "end": 1}, 2, ["lane-1"]),
            ("expanded-sub-process-2", "Expanded Sub-Process 2",
             {"start": 1, "task": 1, "end": 1}, 2, ["lane-2"]),
        ],
        "findings": [("import-note", None, 1),
                     ("import-note", "_ee35fa2c-dfea-40cf-a469-845b765a7b50", 1),
                     ("import-note", "_f52b6ad0-4dcc-4053-b696-b924dda01db5", 1),
                     ("import-note", "_6fed62c8-8241-4a1d-ae67-266fda7dcead", 1),
                     ("import-unsupported", "_b467921a-ef7b-44c5-bf78-fd624c400d17", 1),
                     ("import-unsupported", "_c311cc87-677e-47a4-bdb1-8744c4ec3147", 1)],
    },
    # the same model from Signavio: two pools with lanes
    "A.4.1": {
        "processes": [
            ("pool-1", "Pool 1", {"start": 1, "task": 2, "end": 1}, 3, ["lane-1"]),
            ("pool-2", "Pool 2", {"start": 1, "task": 2, "parallel": 1, "subprocess": 2,
                                  "end": 2}, 7, ["lane-2", "lane-3"]),
            ("expanded-sub-process-1", "Expanded Sub-Process 1",
             {"start": 1, "task": 1, "end": 1}, 2, ["lane-2"]),
            ("expanded-sub-process-2", "Expanded Sub-Process 2",
             {"start": 1, "task": 1, "end": 1}, 2, ["lane-3"]),
        ],
        "findings": [("import-note", "sid-34E8C3A5-5C2A-4593-AC67-038B737814D7", 1),
                     ("import-note", "sid-00A82BF4-1D0A-48DC-8389-C8AAF3E7F754", 1),
                     ("import-note", "sid-645780CC-D61F-4715-8B58-71679305245F", 1),
                     ("import-unsupported", "sid-96EF2D8F-C322-42B1-8C08-0DA05524C904", 1),
                     ("import-unsupported", "sid-D0B859BF-CBFB-4B35-BBC8-BCA308F6455C", 1)],
    },
    # every kind of element: call activities (to a process, to a global task, to a
    # process without a pool), data objects and stores, annotation, group, terminate end
    "B.1.0": {
        "processes": [
            ("call-activity-expanded", "Call Activity - Expanded",
             {"start": 1, "task": 1, "end": 1}, 2, ["lane-1"]),
            ("participant", "Participant", {"start": 1, "task": 3, "end": 1}, 4,
             ["participant"]),
            ("pool", "Pool", {"start": 1, "parallel": 1, "task": 3, "decision": 2,
                              "subprocess": 4, "end": 2}, 14, ["lane-1", "lane-2"]),
            ("sub-process-expanded", "Sub Process - Expanded",
             {"start": 1, "task": 1, "end": 1}, 2, ["lane-2"]),
            ("call-activity-collapsed", "Call Activity Collapsed",
             {"start": 1, "task": 1, "end": 1}, 2, ["lane-1"]),
        ],
        "findings": [
            ("import-note", None, 4),  # roles of work outside lanes (3), merges folded
            ("import-note", "_e314751e-5c3a-41f2-a1ae-4cb99efa0916", 1),  # timer start
            ("import-note", "_a38484e2-7bdb-48b1-b62e-139d51d6a147", 1),  # message start
            ("import-note", "_2ee553a1-cb03-41e3-b285-345c826fc88d", 1),  # message end
            ("import-note", "_fa3a8e53-5be0-4f0b-8680-d2498e255209", 1),  # global task
            ("import-note", "_7e6ccf38-e740-4537-a439-a8e984d066de", 1),  # expanded
            ("import-lossy", "_ae916437-d9aa-4e3d-a7c3-34998c410beb", 1),  # terminate
            ("import-unsupported", "DF1373655174778", 1),  # data object
            ("import-unsupported", "_3d35229f-2c75-4d5d-a066-2d14e46e442e", 1),
            ("import-unsupported", "_b9385abf-d293-40b7-848b-8add4db48415", 1),
            ("import-unsupported", "_73afd30d-7d54-4897-9350-1f7d301ef1b2", 1),
            ("import-unsupported", "_fa10ebaf-7088-4def-8cc3-d959b8876b06", 1),
            ("import-unsupported", "_4815ea6a-ede2-489b-8b37-2cdb2835b02c", 1),  # note
            ("import-unsupported", "_5362a7ef-ce7e-4a91-9c38-66c07b1b5f49", 1),
            ("import-unsupported", "_bd04180e-49f6-4cf0-a7d6-da59e2840b4b", 1),  # group
            ("import-unsupported", "_5d195b1c-ffea-4b53-b98f-78d9616a5038", 1),
            ("import-unsupported", "_9428f666-fc8a-41be-8a77-9b280e14e7ae", 1),
        ],
    },
    # the invoice collaboration: an unnamed lane, message events, an event-based gateway,
    # a timer without a duration, conditions on the decisions, lanes drawn in another
    # order than written (Team Assistant is on top in the picture)
    "C.1.0": {
        "processes": [
            ("team-assistant", "Team-Assistant", {"start": 1, "task": 4, "wait": 3,
                                                  "decision": 1, "end": 2}, 10,
             ["team-assistant"]),
            ("process-engine-invoice-receipt", "Process Engine - Invoice Receipt",
             {"start": 1, "task": 5, "decision": 2, "end": 2}, 10,
             ["team-assistant-2", "approver", "accountant"]),
        ],
        "findings": [
            ("import-note", "sid-744AEFB3-C93D-46A3-8976-EFA91784A51F", 1),  # no name
            ("import-note", "sid-36EA43D1-0FE6-4197-AC57-7A43785B784B", 1),
            ("import-note", "StartEvent_1", 1),
            ("import-note", "sid-40EC6574-E644-425C-8CE7-EE384F0C3520", 1),
            ("import-note", "sid-B548B980-12E3-408E-9AC4-7031B85A8F2D", 1),
            ("import-lossy", "sid-F0D29912-929D-491C-8D23-73BD80CF980A", 1),  # event gw
            ("import-lossy", "sid-0E349B8B-14A7-4565-988A-38F3A9B624D2", 1),  # 7 days
            ("import-unsupported", "sid-915AC9A0-CD35-4DF2-93F7-4535397622F8", 1),
            ("import-unsupported", "sid-AB6EB7C8-DF5E-42C2-88D0-FA166583AF15", 1),
            ("import-unsupported", "sid-7A070DED-8B83-48E1-88A1-5543C481E7BC", 1),
            ("import-unsupported", "sid-90902E27-C1CD-4F90-A8F2-486DA4F42117", 1),
            ("import-unsupported", "sid-0518A412-1ED3-4CFD-A75C-69FF37EFFC16", 1),
        ],
    },
    # no pool, no lanes, one task with a performer; boundary timer (PT2H) and message
    # events; a collapsed sub-process with no content
    "C.3.0": {
        "processes": [("fridge-repair-process", "Fridge Repair Process",
                       {"start": 1, "task": 4, "decision": 5, "subprocess": 1, "end": 3},
                       17, ["user", "fridge-repair-process"])],
        "findings": [
            ("import-note", None, 1),
            ("import-note", "_cc9778bd-edd8-4df2-ba15-56c310f90e62", 1),
            ("import-note", "_c73a5f4a-72f1-4e11-bb40-2f98da75fb9a", 1),  # performer
            ("import-lossy", "Bpmn_BoundaryEvent_sS9gABqGEeWDuOtG0oS24A", 1),
            ("import-lossy", "Bpmn_BoundaryEvent_LwKtwhqHEeWDuOtG0oS24A", 1),
        ],
    },
}


def _transitions(step: dict[str, Any]) -> int:
    value = step.get("next")
    return len(value) if isinstance(value, list) else int(value is not None)


@pytest.fixture(scope="module")
def imported(miwg: Path) -> dict[str, ImportResult]:
    return {path.stem: import_file(str(path)) for path in sorted(miwg.glob("*.bpmn"))}


def test_every_reference_model_is_covered(imported: dict[str, ImportResult]) -> None:
    assert set(imported) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_what_each_model_becomes(imported: dict[str, ImportResult], name: str) -> None:
    result = imported[name]
    got = [(p.id, p.data["name"], dict(Counter(s.get("kind", "task")
                                               for s in p.data["steps"])),
            sum(_transitions(s) for s in p.data["steps"]), p.roles)
           for p in result.processes]
    assert got == EXPECTED[name]["processes"]
    findings = Counter((f.rule, f.extra.get("bpmn_id")) for f in result.findings)
    assert findings == Counter({(rule, ident): n for rule, ident, n in
                                EXPECTED[name]["findings"]})
    for finding in result.findings:
        assert finding.line > 0 and finding.file.endswith(f"{name}.bpmn")
        if finding.extra.get("bpmn_id"):
            assert finding.extra["bpmn_id"] in finding.message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_model_imports_into_valid_processes(imported: dict[str, ImportResult],
                                                  name: str, tmp_path: Path) -> None:
    paths = []
    for file_name, text in imported[name].files():
        path = tmp_path / file_name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = validate_paths(paths, Config())
    assert result.files == len(paths)
    assert [f"{f.rule}: {f.message}" for f in result.findings] == []


def test_details_that_matter(imported: dict[str, ImportResult]) -> None:
    # C.1.0: names, conditions and the lanes in the order they are drawn
    invoice = next(p for p in imported["C.1.0"].processes
                   if p.id == "process-engine-invoice-receipt")
    steps = {s["id"]: s for s in invoice.data["steps"]}
    approved = steps["invoice-approved"]
    assert approved["name"] == "Invoice approved?"
    assert approved["next"] == [
        {"to": "prepare-bank-transfer", "when": "yes", "x-condition": "${approved}"},
        {"to": "rechnung-klären", "when": "no", "x-condition": "${!approved}"}]
    assert steps["prepare-bank-transfer"]["name"] == "Prepare Bank Transfer"
    assert steps["prepare-bank-transfer"]["x-bpmn-id"] == "prepareBankTransfer"
    assert list(imported["C.1.0"].roles)[1:] == ["team-assistant-2", "approver",
                                                 "accountant"]
    # the event-based gateway's branches are named after the events they wait for
    team = {s["id"]: s for s in imported["C.1.0"].processes[0].data["steps"]}
    assert [t["when"] for t in team["decision"]["next"]] == ["7 days",
                                                             "Invoice review needed"]
    assert team["7-days"]["kind"] == "wait" and "wait" not in team["7-days"]
    # C.3.0: a boundary timer keeps its duration, the decision names what happened
    fridge = {s["id"]: s for s in imported["C.3.0"].processes[0].data["steps"]}
    outcome = fridge["perform-repair-premium-level-outcome"]
    assert outcome["kind"] == "decision"
    assert outcome["next"][1] == {"to": "perform-emergency-repair", "when": "2 hours",
                                  "x-bpmn-boundary": "timer", "x-bpmn-timer": "PT2H"}
    assert fridge["perform-repair-standard-level"]["description"].startswith(
        "Standard service level")
    # B.1.0: call activities point at the processes they call
    pool = {s["id"]: s for s in next(p for p in imported["B.1.0"].processes
                                     if p.id == "pool").data["steps"]}
    assert pool["call-activity-expanded"]["process"] == "call-activity-expanded"
    assert pool["call-activity-collapsed"]["process"] == "call-activity-collapsed"
    assert pool["sub-process-expanded"]["process"] == "sub-process-expanded"
    assert "process" not in pool["collapsed-sub-process"]
    assert pool["call-activity-calling-a-global-task"].get("kind", "task") == "task"


def test_yaml_is_readable(imported: dict[str, ImportResult]) -> None:
    name, text = imported["C.3.0"].files()[0]
    assert name == "fridge-repair-process.yaml"
    lines = text.splitlines()
    assert lines[0].startswith("# Imported by `procmap import` from C.3.0.bpmn")
    assert any("line 422: import-lossy" in line for line in lines if line.startswith("#"))
    body = text[text.index("procmap: 1"):]
    assert body.index("\nid: ") < body.index("\nname: ") < body.index("\nroles:") < \
        body.index("\nsteps:")
    assert "\n  - id: receive-customer-request\n    name: Receive customer request\n" \
           "    kind: start\n" in body
    assert "\n\n  - id: analyse-customer-request\n" in body  # a blank line between steps
