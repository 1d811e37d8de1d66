"""`procmap audit` and `procmap raci` end to end, through a real subprocess."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


def test_json_report_of_the_examples(run_cli: RunCli,
                                     golden: Callable[[str, str], None]) -> None:
    done = run_cli(["audit", "examples", "--format", "json", "--config",
                    "examples/procmap.toml"], cwd=ROOT)
    assert done.returncode == 1, done.stderr  # the examples have deliberate errors
    golden(done.stdout, "audit/examples.json")
    report = json.loads(done.stdout)
    assert list(report) == ["version", "files", "findings", "processes", "roles", "currency",
                            "summary"]
    assert report["version"] == 1 and report["files"] == 5
    assert report["summary"] == {"error": 2, "warning": 5, "info": 2}
    assert report["currency"] == "CNY"
    roles = {r["id"]: r for r in report["roles"]}
    assert roles["cs-agent"]["utilization"] < 0.85  # the shared pool, four processes
    assert len(roles["cs-agent"]["processes"]) == 4
    assert roles["tech-support"]["queue_wait_hours"] is None
    assert all("cost_hours" in f and "cost_money" in f for f in report["findings"]
               if f["rule"] not in ("role-overload", "deadline-breach"))
    assert {p["id"]: p["metrics"]["within_sla"] for p in report["processes"]} == {
        "complaint-handling": False, "crm-admin-assignment": True,
        "customer-onboarding": True, "refund-approval": True}
    for process in report["processes"]:
        assert set(process) == {"id", "file", "metrics"}
        assert {"steps", "effort_hours", "expected_lead_time_hours", "worst_lead_time_hours",
                "critical_path", "flow_efficiency", "handoffs", "approvals", "visits",
                "utilization"} <= set(process["metrics"])
    complaint = next(p for p in report["processes"] if p["id"] == "complaint-handling")
    assert complaint["metrics"]["utilization"]["tech-support"] == 1.25
    assert complaint["metrics"]["expected_lead_time_hours"] == 107.4583  # 3d planned wait


def test_markdown_report_of_the_examples(run_cli: RunCli,
                                         golden: Callable[[str, str], None]) -> None:
    done = run_cli(["audit", "examples", "--format", "markdown", "--fail-on", "never",
                    "--config", "examples/procmap.toml"], cwd=ROOT)
    assert done.returncode == 0, done.stderr
    golden(done.stdout, "audit/examples.md")


@pytest.mark.parametrize(("fail_on", "code"), [
    ("error", 1), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_with_errors(run_cli: RunCli, fail_on: str, code: int) -> None:
    done = run_cli(["audit", "examples", "--fail-on", fail_on], cwd=ROOT)
    assert done.returncode == code, done.stderr


@pytest.mark.parametrize(("fail_on", "code"), [
    ("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_with_warnings_only(run_cli: RunCli, fail_on: str,
                                   code: int) -> None:
    done = run_cli(["audit", str(FIXTURES / "waiting-waste" / "fail" / "process.yaml"),
                    "--fail-on", fail_on])
    assert done.returncode == code, done.stderr


@pytest.mark.parametrize(("fail_on", "code"), [("warning", 0), ("info", 1)])
def test_fail_on_with_info_only(run_cli: RunCli, tmp_path: Path, fail_on: str,
                                code: int) -> None:
    targets = ["t1", "t2", "t3", "e"]
    steps = "".join(f"  - {{id: t{n}, role: a, duration: 30m, next: {to}}}\n"
                    for n, to in enumerate(targets))
    (tmp_path / "p.yaml").write_text(
        "procmap: 1\nid: p\nname: p\nroles: [{id: a, capacity: 2}]\nsteps:\n"
        "  - {id: s, kind: start, next: t0}\n" + steps + "  - {id: e, kind: end}\n",
        encoding="utf-8")
    done = run_cli(["audit", "p.yaml", "--fail-on", fail_on, "--format", "json"])
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["no-sla"]
    assert done.returncode == code, done.stderr


def test_plain_text_lists_summaries_and_findings_by_cost(
        run_cli: RunCli) -> None:
    done = run_cli(["audit", "examples", "--fail-on", "never"], cwd=ROOT)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("complaint-handling (客户投诉处理)")
    findings = [line for line in lines if line.startswith("examples/")]
    assert "error[deadline-breach]" in findings[0]
    assert lines[-1] == "procmap: 2 errors, 5 warnings, 2 info in 4 of 5 files"
    assert "\x1b[" not in done.stdout


def test_rich_text_on_a_terminal(run_cli: RunCli) -> None:
    done = run_cli(["audit", "examples", "--fail-on", "never"], cwd=ROOT,
                   env={"FORCE_COLOR": "1", "COLUMNS": "120"})
    assert done.returncode == 0
    assert "\x1b[" in done.stdout and "utilization" in done.stdout


def test_validation_errors_are_reported_and_the_process_is_not_analysed(
        run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "procmap: 1\nid: p\nname: p\nsla: 1h\nsteps:\n"
        "  - {id: s, kind: start, next: t}\n"
        "  - {id: t, role: nobody, wait: 5h, next: e}\n"
        "  - {id: e, kind: end}\n", encoding="utf-8")
    done = run_cli(["audit", "p.yaml", "--format", "json"])
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert {f["rule"] for f in report["findings"]} == {"unknown-reference"}
    assert report["processes"] == [{"id": "p", "file": "p.yaml", "metrics": None}]


def test_output_file_formats_and_process_filter(run_cli: RunCli,
                                                tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = run_cli(["audit", str(ROOT / "examples"), "--format", "html", "-o", str(out),
                    "--no-diagrams", "--process", "refund-approval", "--fail-on", "never"])
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "退款审批" in page
    assert "complaint-handling" not in page
    assert "<script" not in page and "http" not in page.replace(
        "http-equiv", "").split("</style>")[0]
    for fmt in ("github", "sarif"):
        done = run_cli(["audit", str(ROOT / "examples"), "--format", fmt])
        assert done.returncode == 1 and "redundant-approval" in done.stdout


def test_bad_arguments_exit_2(run_cli: RunCli) -> None:
    for args in (["audit", str(ROOT / "examples"), "--format", "pdf"],
                 ["audit", str(ROOT / "examples"), "--fail-on", "sometimes"],
                 ["audit", str(ROOT / "examples"), "--process", "nope"],
                 ["audit", "no/such/dir"],
                 ["raci", str(ROOT / "examples"), "--format", "xlsx"]):
        done = run_cli(args)
        assert done.returncode == 2, args
        assert done.stderr.startswith("procmap: error:") and "Traceback" not in done.stderr


def test_raci_formats(run_cli: RunCli) -> None:
    done = run_cli(["raci", "examples", "--format", "csv"], cwd=ROOT)
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.startswith("process,step,name,customer,cs-agent,cs-lead,cs-manager")
    row = next(r for r in rows if r.startswith("complaint-handling,propose-solution,"))
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert (cells["cs-agent"], cells["cs-lead"], cells["tech-support"],
            cells["customer"]) == ("R", "A", "C", "I")
    done = run_cli(["raci", "examples", "--format", "json"], cwd=ROOT)
    report = json.loads(done.stdout)
    refund = next(p for p in report["processes"] if p["id"] == "refund-approval")
    payout = next(s for s in refund["steps"] if s["id"] == "payout")
    assert (payout["R"], payout["A"], payout["A_from"]) == ("finance", "finance-manager",
                                                           "step")
    done = run_cli(["raci", "examples", "--format", "markdown"], cwd=ROOT)
    assert "| `register` | 登记投诉 |" in done.stdout
    done = run_cli(["raci", "examples"], cwd=ROOT)
    assert "propose-solution" in done.stdout and done.returncode == 0


def test_raci_reports_missing_accountable(run_cli: RunCli) -> None:
    path = str(FIXTURES / "missing-accountable" / "fail" / "process.yaml")
    done = run_cli(["raci", path, "--fail-on", "warning"])
    assert done.returncode == 1
    assert "warning[missing-accountable]" in done.stdout
    assert run_cli(["raci", path]).returncode == 0  # a warning: fails only on request
    done = run_cli(["audit", path, "--format", "json", "--fail-on", "never"])
    rules = {f["rule"] for f in json.loads(done.stdout)["findings"]}
    assert "missing-accountable" not in rules  # raci's rule, not audit's


def _call_chain(folder: Path, length: int) -> None:
    """p0 calls p1 calls ... p<length-1>, which does one hour of work."""
    for i in range(length):
        work = (f"  - {{id: call, kind: subprocess, process: p{i + 1}, role: r{i}, "
                "next: done}\n" if i < length - 1 else
                f"  - {{id: call, role: r{i}, duration: 1h, next: done}}\n")
        (folder / f"p{i}.yaml").write_text(
            f"procmap: 1\nid: p{i}\nname: P{i}\nowner: r{i}\n"
            + ("demand: 1/d\n" if i == 0 else "")
            + f"roles:\n  - {{id: r{i}}}\nsteps:\n  - {{id: start, kind: start, next: call}}\n"
            + work + "  - {id: done, kind: end}\n", encoding="utf-8")


def test_a_chain_of_1000_subprocess_calls_is_analysed(run_cli: RunCli,
                                                      tmp_path: Path) -> None:
    _call_chain(tmp_path, 1000)
    done = run_cli(["audit", ".", "--format", "json", "--fail-on", "never"], timeout=300)
    assert done.returncode == 0, done.stderr
    metrics = {p["id"]: p["metrics"] for p in json.loads(done.stdout)["processes"]}
    # the hour of work at the end of the chain is every caller's lead time
    assert metrics["p0"]["expected_lead_time_hours"] == pytest.approx(1.0)
    assert metrics["p999"]["expected_lead_time_hours"] == pytest.approx(1.0)
