"""`procmap diff` end to end, through the real CLI: directories and files."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from diffcases import (
    example_files,
    refund_text,
    replace_once,
    with_finance_approval,
    without_lead_review,
    write_repo,
)

REFUND = "refund-approval"


def _metrics(audit: dict[str, Any], process: str) -> dict[str, Any]:
    return next(p["metrics"] for p in audit["processes"] if p["id"] == process)


@pytest.fixture
def refund_change(tmp_path: Path) -> Path:
    """old/ and new/ under tmp_path: the refund example before and after adding a
    finance approval."""
    write_repo(tmp_path / "old", example_files())
    write_repo(tmp_path / "new", example_files(with_finance_approval(refund_text())))
    return tmp_path


def test_an_added_approval_shows_the_step_and_what_it_costs(
        run_cli: Any, refund_change: Path, audit_json: Callable[..., dict[str, Any]]
) -> None:
    result = run_cli(["diff", "old", "new", "--format", "json", "--fail-on", "never"],
                     cwd=refund_change)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    [process] = [p for p in report["processes"] if p["id"] == REFUND]
    assert process["status"] == "changed"
    assert [s["id"] for s in process["steps"]["added"]] == ["approve-finance"]
    assert process["steps"]["added"][0]["role"] == "finance-manager"
    assert process["steps"]["removed"] == [] and process["steps"]["changed"] == []
    added = {(t["from"], t["to"]) for t in process["transitions"]["added"]}
    assert added == {("approve-lead", "approve-finance"), ("approve-finance", "payout"),
                     ("approve-finance", "notify-rejection")}
    assert [(t["from"], t["to"]) for t in process["transitions"]["removed"]] == [
        ("approve-lead", "payout")]
    assert process["roles"]["added"] == ["finance-manager"]

    # every number agrees with what `procmap audit` says of each version
    old = _metrics(audit_json(refund_change / "old"), REFUND)
    new = _metrics(audit_json(refund_change / "new"), REFUND)
    for key in ("expected_lead_time_hours", "worst_lead_time_hours", "effort_hours",
                "approvals", "handoffs", "flow_efficiency", "steps"):
        metric = process["metrics"][key]
        assert metric["old"] == old[key] and metric["new"] == new[key], key
        assert metric["delta"] == pytest.approx(new[key] - old[key], abs=1e-4), key
        assert metric["percent"] == pytest.approx(
            (new[key] - old[key]) / old[key] * 100, abs=0.01), key
    for key in ("expected_lead_time_hours", "worst_lead_time_hours", "effort_hours",
                "approvals"):
        assert process["metrics"][key]["delta"] > 0, key  # an approval costs time
        assert process["metrics"][key]["worse"] is True, key
    assert process["metrics"]["steps"]["delta"] == 1
    role = "utilization.finance-manager"
    assert process["metrics"][role]["old"] is None
    assert process["metrics"][role]["new"] == new["utilization"]["finance-manager"]
    assert process["critical_path"]["new"] == new["critical_path"]

    markdown = run_cli(["diff", "old", "new", "--format", "markdown", "--fail-on",
                        "never"], cwd=refund_change).stdout
    head = markdown.split("<details>")[0]  # the summary, before anything folded
    lead = new["expected_lead_time_hours"] - old["expected_lead_time_hours"]
    effort = new["effort_hours"] - old["effort_hours"]
    approvals = new["approvals"] - old["approvals"]
    assert f"| **退款审批** (`{REFUND}`) | changed | 12 → 13 |" in head
    assert (f"{old['expected_lead_time_hours']:.2f} h → {new['expected_lead_time_hours']:.2f}"
            f" h ({lead:+.2f} h, {lead / old['expected_lead_time_hours'] * 100:+.1f}%)"
            in head)
    assert "**What it costs**" in head
    assert (f"each case takes {lead:.2f} h longer on average "
            f"({lead / old['expected_lead_time_hours'] * 100:+.1f}%)") in head
    assert f"{effort:.2f} h more work per case" in head
    assert f"{effort * 30:.1f} h more work per day at 30 cases/day" in head  # demand: 30/d
    assert f"{approvals:.2f} more approvals per case" in head
    assert "| `approve-finance` | 财务复核 | approval | `finance-manager` | 2h | 15m |" in (
        markdown)


def test_refund_change_markdown_matches_the_golden_file(
        run_cli: Any, refund_change: Path, golden_file: Callable[[str, str], None]) -> None:
    result = run_cli(["diff", "old", "new", "--format", "markdown"], cwd=refund_change)
    assert result.returncode == 0, result.stderr  # only warnings and info are introduced
    golden_file(result.stdout, "refund-approval.md")


def test_text_output_is_plain_when_not_a_terminal(run_cli: Any, refund_change: Path
                                                  ) -> None:
    result = run_cli(["diff", "old", "new"], cwd=refund_change)
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "procmap diff: old -> new"
    assert "refund-approval (退款审批): changed" in lines
    assert any(line.startswith("  + step approve-finance (财务复核): approval by "
                               "finance-manager") for line in lines)
    assert "  - transition approve-lead -> payout [批准, p=0.95]" in lines
    assert lines[-1].startswith("procmap diff: 1 process changed; 4 findings introduced")


def test_rich_output_on_a_terminal(run_cli: Any, refund_change: Path) -> None:
    result = run_cli(["diff", "old", "new"], cwd=refund_change,
                     env={"FORCE_COLOR": "1", "COLUMNS": "200"})
    assert result.returncode == 0
    assert "\x1b[" in result.stdout and "approve-finance" in result.stdout


def test_renamed_file_is_the_same_process(run_cli: Any, tmp_path: Path) -> None:
    write_repo(tmp_path / "old", example_files())
    write_repo(tmp_path / "new", example_files(refund_name="processes/refund.yaml"))
    report = json.loads(run_cli(["diff", "old", "new", "--format", "json"]).stdout)
    [process] = report["processes"]
    assert process["status"] == "changed"
    assert process["fields"] == [{"field": "file", "old": "refund-approval.yaml",
                                  "new": "processes/refund.yaml"}]
    assert process["steps"] == {"added": [], "removed": [], "changed": []}
    assert all(m["delta"] == 0 for m in process["metrics"].values())
    assert report["findings"]["introduced"] == [] == report["findings"]["resolved"]


SPREAD_PROCESS = """\
procmap: 1
id: refund
name: 退款
owner: agent
demand: 10/d
roles:
  - {id: agent, name: 客服, capacity: 2}
steps:
  - {id: start, kind: start, next: work}
  - {id: work, name: 处理, role: agent, duration: DURATION, next: done}
  - {id: done, kind: end}
"""


def test_a_varying_duration_is_shown_as_written(run_cli: Any, tmp_path: Path) -> None:
    for side, written in (("old", "1h"), ("new", "{median: 1h, p90: 3h}")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "p.yaml").write_text(
            SPREAD_PROCESS.replace("DURATION", written), encoding="utf-8")
    text = run_cli(["diff", "old", "new"]).stdout
    assert "~ step work: duration 1h -> {median: 1h, p90: 3h} (mean 1.44h)" in text
    report = json.loads(run_cli(["diff", "old", "new", "--format", "json"]).stdout)
    [change] = report["processes"][0]["steps"]["changed"][0]["changes"]
    assert change["field"] == "duration" and change["old"] == 1.0
    # a lognormal with median 1h and p90 3h: mean = exp(sigma^2 / 2), sigma = ln 3 / z90
    sigma = math.log(3.0) / 1.2815515655446004
    assert change["new"] == pytest.approx(
        {"median": 1.0, "p90": 3.0, "mean": math.exp(sigma * sigma / 2)})


def test_added_and_removed_processes(run_cli: Any, tmp_path: Path) -> None:
    complaint = (Path(__file__).resolve().parents[2] / "examples" /
                 "complaint-handling.yaml").read_text(encoding="utf-8")
    write_repo(tmp_path / "old", {**example_files(), "complaint.yaml": complaint})
    write_repo(tmp_path / "new", {"roles.yaml": example_files()["roles.yaml"],
                                  "complaint.yaml": complaint})
    result = run_cli(["diff", "old", "new", "--format", "json"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    status = {p["id"]: p["status"] for p in report["processes"]}
    assert status == {"refund-approval": "removed", "complaint-handling": "unchanged"}
    assert report["summary"]["processes"]["removed"] == 1
    # the refund process's findings go with it; the roles only it used are now unused
    assert {f["process"] for f in report["findings"]["resolved"]} == {REFUND}
    introduced = report["findings"]["introduced"]
    assert {f["rule"] for f in introduced} == {"unused-role"}
    assert {"finance", "finance-manager"} <= {f["role"] for f in introduced}
    assert run_cli(["diff", "old", "new", "--fail-on", "warning"]).returncode == 1

    reverse = run_cli(["diff", "new", "old", "--format", "markdown", "--fail-on", "never"])
    assert "| **退款审批** (`refund-approval`) | added | 12 |" in reverse.stdout
    assert "1 other process unchanged." in reverse.stdout
    text = run_cli(["diff", "old", "new"]).stdout
    assert "refund-approval (退款审批): removed" in text
    assert "  - 12 steps in refund-approval.yaml" in text


def test_introduced_and_resolved_findings(run_cli: Any, tmp_path: Path) -> None:
    """Removing the lead's review resolves redundant-approval; the finance approval's
    long wait introduces waiting-waste. Lines move; matching does not care."""
    write_repo(tmp_path / "old", example_files())
    write_repo(tmp_path / "new", example_files(
        without_lead_review(with_finance_approval(refund_text()), to="approve-finance")))
    report = json.loads(run_cli(["diff", "old", "new", "--format", "json",
                                 "--fail-on", "never"]).stdout)
    introduced = {(f["rule"], f.get("step")) for f in report["findings"]["introduced"]}
    resolved = {(f["rule"], f.get("step")) for f in report["findings"]["resolved"]}
    assert ("redundant-approval", "approve-lead") in resolved
    assert ("waiting-waste", "approve-finance") in introduced
    assert not introduced & resolved
    # bank-transfer's findings are in both versions, on other lines: neither list
    assert not any(step == "bank-transfer" for _, step in introduced | resolved)
    [process] = report["processes"]
    assert [s["id"] for s in process["steps"]["removed"]] == ["approve-lead"]
    assert process["findings"]["resolved"] and process["findings"]["introduced"]


@pytest.mark.parametrize(("fail_on", "code"), [(None, 0), ("error", 0), ("warning", 1),
                                                ("info", 1), ("never", 0)])
def test_fail_on_applies_to_introduced_findings(run_cli: Any, refund_change: Path,
                                                fail_on: str | None, code: int) -> None:
    """The change introduces warnings and an info, no error; the old version's own
    warnings never fail a diff."""
    args = ["diff", "old", "new", "--format", "json"]
    result = run_cli(args + (["--fail-on", fail_on] if fail_on else []), cwd=refund_change)
    assert result.returncode == code, result.stderr


def test_an_introduced_error_fails_by_default(run_cli: Any, tmp_path: Path) -> None:
    broken = replace_once(refund_text(), "    role: finance\n    wait: 30m",
                          "    role: finanse\n    wait: 30m")
    write_repo(tmp_path / "old", example_files())
    write_repo(tmp_path / "new", example_files(broken))
    result = run_cli(["diff", "old", "new", "--format", "json"])
    assert result.returncode == 1
    report = json.loads(result.stdout)
    rules = [(f["rule"], f["severity"]) for f in report["findings"]["introduced"]]
    assert ("unknown-reference", "error") in rules
    [process] = report["processes"]
    assert process["steps"]["changed"] == [{"id": "payout", "name": "执行退款打款", "changes": [
        {"field": "role", "old": "finance", "new": "finanse"}]}]
    assert process["not_analysed"]["new"]  # validation errors block the audit
    # so the old version's audit findings are not "resolved": nobody checked them
    assert report["findings"]["resolved"] == []
    assert {f["rule"] for f in report["findings"]["unchecked"]} >= {"redundant-approval"}
    assert run_cli(["diff", "new", "old", "--format", "json"]).returncode == 0  # the fix


def test_step_field_changes(run_cli: Any, tmp_path: Path) -> None:
    text = refund_text()
    changed = replace_once(text, "    wait: 30m\n    duration: 20m\n",
                           "    wait: 1h\n    duration: 20m\n    sla: 4h\n")
    changed = replace_once(changed, "        probability: 0.85\n", "        probability: 0.8\n")
    changed = replace_once(changed, "        probability: 0.15\n", "        probability: 0.2\n")
    changed = replace_once(changed, "    consulted: [compliance]\n",
                           "    consulted: [compliance, legal]\n")
    write_repo(tmp_path / "old", example_files())
    write_repo(tmp_path / "new", example_files(changed))
    report = json.loads(run_cli(["diff", "old", "new", "--format", "json"]).stdout)
    [process] = report["processes"]
    assert process["steps"]["changed"] == [{"id": "check", "name": "核实订单与退款条件",
                                            "changes": [
        {"field": "wait", "old": 0.5, "new": 1.0},
        {"field": "sla", "old": None, "new": 4.0},
        {"field": "consulted", "old": ["compliance"], "new": ["compliance", "legal"]}]}]
    assert process["transitions"]["changed"] == [
        {"from": "eligible", "to": "approve-manager",
         "changes": [{"field": "probability", "old": 0.85, "new": 0.8}]},
        {"from": "eligible", "to": "notify-rejection",
         "changes": [{"field": "probability", "old": 0.15, "new": 0.2}]}]
    text_output = run_cli(["diff", "old", "new"]).stdout
    assert "  ~ step check: wait 30m -> 1h; sla none -> 4h; consulted compliance -> " \
           "compliance, legal" in text_output
    assert "  ~ transition eligible -> approve-manager: probability 0.85 -> 0.8" in (
        text_output)


def test_role_catalog_change_affects_processes(run_cli: Any, tmp_path: Path) -> None:
    roles = example_files()["roles.yaml"]
    write_repo(tmp_path / "old", example_files())
    write_repo(tmp_path / "new", {**example_files(), "roles.yaml": replace_once(
        roles, "    capacity: 3\n    availability: 7h/d\n    reports_to: finance-manager",
        "    capacity: 1\n    availability: 7h/d\n    reports_to: finance-manager")})
    report = json.loads(run_cli(["diff", "old", "new", "--format", "json"]).stdout)
    assert report["roles"]["changed"] == [{"id": "finance", "name": "财务专员", "changes": [
        {"field": "capacity", "old": 3.0, "new": 1.0}]}]
    [process] = report["processes"]
    assert process["status"] == "affected"  # not edited, but its utilization moved
    use = process["metrics"]["utilization.finance"]
    assert use["new"] == pytest.approx(use["old"] * 3, abs=1e-3)


def test_output_file_and_errors(run_cli: Any, refund_change: Path) -> None:
    result = run_cli(["diff", "old", "new", "--format", "markdown", "-o", "out/diff.md"],
                     cwd=refund_change)
    assert result.returncode == 0 and result.stdout == ""
    assert (refund_change / "out" / "diff.md").read_text(encoding="utf-8").startswith(
        "<!-- procmap-diff -->")
    for args in (["diff", "old", "missing"], ["diff", "old", "new", "--format", "html"],
                 ["diff", "old", "new", "--fail-on", "sometimes"], ["diff", "old"]):
        failed = run_cli(args, cwd=refund_change)
        assert failed.returncode == 2, args
        assert failed.stderr.startswith("procmap: error: "), failed.stderr
        assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr
    assert "is a path: name two to compare" in run_cli(["diff", "old"], cwd=refund_change
                                                       ).stderr


def test_markdown_escapes_user_text(run_cli: Any, tmp_path: Path) -> None:
    hostile = "退款 | <img src=x onerror=alert(1)> `rm -rf` @everyone [x](http://e)"
    text = replace_once(refund_text(), "    name: 登记退款申请\n",
                        f"    name: \"{hostile}\"\n")
    write_repo(tmp_path / "old", example_files())
    write_repo(tmp_path / "new", example_files(text))
    markdown = run_cli(["diff", "old", "new", "--format", "markdown"]).stdout
    assert "<img" not in markdown and "@everyone" not in markdown
    # backticks and brackets only ever appear escaped: no code span, no link
    assert not re.search(r"(?<!\\)`rm -rf", markdown)
    assert not re.search(r"(?<!\\)\]\(http", markdown)
    row = next(line for line in markdown.splitlines() if line.startswith("| `register` |"))
    assert row.count(" | ") == 1  # the | in the name is escaped: one table column boundary
    assert "退款 \\| &lt;img src=x onerror=alert(1)&gt; \\`rm -rf\\` &#64;everyone " in row


def test_no_difference(run_cli: Any, tmp_path: Path) -> None:
    write_repo(tmp_path / "old", example_files())
    write_repo(tmp_path / "new", example_files())
    markdown = run_cli(["diff", "old", "new", "--format", "markdown"])
    assert markdown.returncode == 0
    assert "No process differs between old and new." in markdown.stdout
    assert run_cli(["diff", "old/refund-approval.yaml", "new/refund-approval.yaml"]
                   ).returncode == 0
