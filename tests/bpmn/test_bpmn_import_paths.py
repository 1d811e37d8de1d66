"""`procmap import -o DIR` writes only inside DIR: ids from the BPMN file are data."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from procmap.bpmn import import_bpmn
from procmap.bpmn.emit import file_name
from procmap.bpmn.output import OutputError, plan

if TYPE_CHECKING:
    from conftest import RunCli

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<definitions '
        'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:procmap="https://procmap.dev/schema/bpmn/1" id="d" targetNamespace="x">')


def _process(number: int, process_id: str) -> str:
    return (f'<process id="P{number}"><extensionElements><procmap:process id="{process_id}"/>'
            f'</extensionElements><startEvent id="s{number}"><outgoing>f{number}</outgoing>'
            f'</startEvent><endEvent id="e{number}"/><sequenceFlow id="f{number}" '
            f'sourceRef="s{number}" targetRef="e{number}"/></process>')


def _document(*ids: str) -> bytes:
    return (HEAD + "".join(_process(i, pid) for i, pid in enumerate(ids))
            + "</definitions>").encode()


@pytest.mark.parametrize("hostile", ["../../x", "/abs/path", "..", "a/../../b", "..\\x",
                                     "./.hidden", "x\x00y", "客服/../../登记"])
def test_ids_from_files_never_name_a_path(hostile: str) -> None:
    name = file_name(hostile)
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert ".." not in name.removesuffix(".yaml")
    result = import_bpmn(_document(hostile.replace("\x00", ""), "ok"), "evil.bpmn")
    for written, _ in result.files():
        assert os.path.basename(written) == written and not written.startswith(".")


def test_hostile_ids_are_written_inside_the_directory(run_cli: RunCli, tmp_path: Path
                                                      ) -> None:
    (tmp_path / "evil.bpmn").write_bytes(_document("../../x", "/tmp/abs-path"))
    (tmp_path / "out").mkdir()
    done = run_cli(["import", "evil.bpmn", "-o", "out", "--force"])
    assert done.returncode in (0, 1), done.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["evil-roles.yaml", "tmp-abs-path.yaml", "x.yaml"] or \
        written == ["tmp-abs-path.yaml", "x.yaml"]
    assert not (tmp_path.parent / "x.yaml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.bpmn", "out"]


def test_a_symlink_out_of_the_directory_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "two.bpmn").write_bytes(_document("first", "second"))
    outside = tmp_path / "outside.yaml"
    outside.write_text("keep me\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "second.yaml").symlink_to(outside)
    done = run_cli(["import", "two.bpmn", "-o", "out", "--force"])
    assert done.returncode == 2
    assert "outside the output directory" in done.stderr and "Traceback" not in done.stderr
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert not (tmp_path / "out" / "first.yaml").exists()  # nothing written at all


def test_plan_refuses_targets_outside(tmp_path: Path) -> None:
    result = import_bpmn(_document("a", "b"), "two.bpmn")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    with pytest.raises(OutputError, match="outside the output directory"):
        plan(result, str(tmp_path / "out"), force=True)
    os.remove(tmp_path / "out" / "a.yaml")
    targets = plan(result, str(tmp_path / "out"), force=True)
    assert [os.path.basename(p) for p, _ in targets] == ["a.yaml", "b.yaml"]
