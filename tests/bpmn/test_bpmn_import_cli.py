"""`procmap import` end to end, through a real subprocess."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bpmn_helpers import EXAMPLES, MIWG

from procmap.bpmn.export import to_bpmn
from procmap.config import Config
from procmap.pipeline import validate_paths

if TYPE_CHECKING:
    from conftest import RunCli
    from procmap.model import Workspace

CJK = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
    targetNamespace="https://example.com">
  <collaboration id="c"><participant id="pool" name="退款审批" processRef="p"/></collaboration>
  <process id="p">
    <laneSet id="ls">
      <lane id="l1" name="客服专员"><flowNodeRef>s</flowNodeRef><flowNodeRef>t</flowNodeRef>
        <flowNodeRef>g</flowNodeRef><flowNodeRef>e1</flowNodeRef></lane>
      <lane id="l2" name="财务"><flowNodeRef>pay</flowNodeRef><flowNodeRef>e2</flowNodeRef></lane>
    </laneSet>
    <startEvent id="s" name="收到申请"/>
    <userTask id="t" name="核实订单"><documentation>核对订单状态</documentation></userTask>
    <exclusiveGateway id="g" name="是否符合条件"/>
    <serviceTask id="pay" name="打款"/>
    <endEvent id="e1" name="已驳回"/><endEvent id="e2" name="已退款"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="g"/>
    <sequenceFlow id="f3" sourceRef="g" targetRef="pay" name="符合"/>
    <sequenceFlow id="f4" sourceRef="g" targetRef="e1" name="不符合"/>
    <sequenceFlow id="f5" sourceRef="pay" targetRef="e2"/>
  </process>
</definitions>
"""


def test_one_process_to_a_file_validates(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "refund.bpmn"
    source.write_text(CJK, encoding="utf-8")
    done = run_cli(["import", "refund.bpmn", "-o", "out/refund.yaml"])
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "out" / "refund.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Imported by `procmap import` from refund.bpmn (BPMN 2.0)")
    assert "id: 退款审批\nname: 退款审批\n" in text
    assert "  - id: 客服专员\n" in text and "role: 财务\n" in text
    assert "      - to: 打款\n        when: 符合\n" in text
    assert "procmap: imported 1 process and 2 roles into out/refund.yaml; 0 findings" \
        in done.stderr
    check = run_cli(["validate", "out/refund.yaml"])
    assert check.returncode == 0, check.stdout


def test_stdout_and_the_validation_of_what_it_prints(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "refund.bpmn").write_text(CJK, encoding="utf-8")
    done = run_cli(["import", "refund.bpmn"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Imported by")
    assert "procmap: 1\n" in done.stdout
    # procmap's own extension data with a duration that is none: the finding names
    # <stdout> (a flow left out no longer breaks the result: import repairs that)
    broken = CJK.replace(
        '<documentation>核对订单状态</documentation>',
        '<extensionElements><procmap:step xmlns:procmap="https://procmap.dev/schema/bpmn/1" '
        'id="t" kind="task" role="x" duration="soon"/></extensionElements>')
    (tmp_path / "broken.bpmn").write_text(broken, encoding="utf-8")
    done = run_cli(["import", "broken.bpmn"])
    assert done.returncode == 1
    assert "<stdout>:" in done.stderr and "error[" in done.stderr


@pytest.mark.skipif(not MIWG.is_dir(), reason="the BPMN MIWG models are not there")
def test_several_processes_need_a_directory(run_cli: RunCli, tmp_path: Path) -> None:
    model = str(MIWG / "B.1.0.bpmn")
    done = run_cli(["import", model])
    assert done.returncode == 2
    assert "holds 5 processes" in done.stderr and "-o DIR" in done.stderr
    assert done.stdout == ""
    done = run_cli(["import", model, "-o", "b1.yaml"])
    assert done.returncode == 2 and not (tmp_path / "b1.yaml").exists()
    done = run_cli(["import", model, "-o", "b1"])
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "b1").iterdir())
    assert written == ["B.1.0-roles.yaml", "call-activity-collapsed.yaml",
                       "call-activity-expanded.yaml", "participant.yaml", "pool.yaml",
                       "sub-process-expanded.yaml"]
    assert "warning[import-unsupported]" in done.stderr
    assert "B.1.0.bpmn:209:" in done.stderr  # findings point into the BPMN file
    assert run_cli(["validate", "b1"]).returncode == 0
    # existing files are kept unless --force
    done = run_cli(["import", model, "-o", "b1"])
    assert done.returncode == 2 and "already exists" in done.stderr
    assert run_cli(["import", model, "-o", "b1", "--force"]).returncode == 0
    # --strict: what did not map exactly fails the run
    assert run_cli(["import", model, "-o", "b1", "--force", "--strict"]).returncode == 1


@pytest.mark.parametrize("document", [
    '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">'
    '<startEvent id="s" name="&x;"/></process></definitions>',
    "<not xml",
])
def test_bad_files_exit_2_without_a_traceback(run_cli: RunCli, tmp_path: Path, document: str
                                               ) -> None:
    (tmp_path / "bad.bpmn").write_text(document, encoding="utf-8")
    done = run_cli(["import", "bad.bpmn", "-o", "out"])
    assert done.returncode == 2
    assert done.stderr.startswith("procmap: error: bad.bpmn")
    assert "Traceback" not in done.stderr and "root:" not in done.stderr
    assert not (tmp_path / "out").exists()
    assert run_cli(["import", "missing.bpmn"]).returncode == 2


def test_round_trip_through_the_command_line(run_cli: RunCli, tmp_path: Path,
                                             examples: Workspace) -> None:
    """render's BPMN (the same function) imported back by the CLI validates with the
    catalog it came from."""
    entry = examples.process("refund-approval")
    assert entry is not None
    (tmp_path / "refund.bpmn").write_text(to_bpmn([entry], examples), encoding="utf-8")
    done = run_cli(["import", "refund.bpmn", "-o", "back/"])
    assert done.returncode == 0, done.stderr
    result = validate_paths([str(tmp_path / "back")], Config())
    assert result.findings == []
    assert result.workspace.processes[0].process.model_dump(exclude={"roles"}) == \
        entry.process.model_dump(exclude={"roles"})
    assert (EXAMPLES / "refund-approval.yaml").exists()
