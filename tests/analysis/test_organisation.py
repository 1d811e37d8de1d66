"""Organisation-level capacity (rules.md): load summed over processes, queues from load,
planned delays, costs from the model, money, and advice that does not contradict itself."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from audit_helpers import audit_of, process

from procmap.analysis import whatif
from procmap.analysis.queueing import erlang_c_wait
from procmap.config import Config
from procmap.findings import Finding

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]

CATALOG = """\
procmap: 1
roles:
  - {id: cs-agent, name: 客服专员, capacity: 2, availability: 8h/d, cost: 85/h}
"""


def _simple(process_id: str, name: str, demand: str, minutes: int) -> str:
    return f"""\
procmap: 1
id: {process_id}
name: {name}
sla: 3d
demand: {demand}
steps:
  - {{id: start, kind: start, next: work}}
  - {{id: work, name: 处理, role: cs-agent, wait: 2h, duration: {minutes}m, next: done}}
  - {{id: done, kind: end}}
"""


# each process alone is under 85% of the shared pool (16h/d): 12h/d = 75% and
# 9.6h/d = 60%; together 135%
COMPLAINT = _simple("complaint", "客户投诉处理", "24/d", 30)
REFUND = _simple("refund", "退款审批", "16/d", 36)


def _rules(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_shared_load_over_capacity_is_a_role_overload_naming_every_process() -> None:
    result = audit_of(CATALOG, COMPLAINT, REFUND)
    overload = _rules(result.findings, "role-overload")
    assert len(overload) == 1
    finding = overload[0]
    assert finding.severity.label == "error" and finding.role == "cs-agent"
    assert finding.process == "complaint"  # the largest share
    assert "'客服专员' is 135% utilised" in finding.message
    assert "'客户投诉处理' 75%, '退款审批' 60%" in finding.message
    assert finding.extra["processes"] == {"complaint": 0.75, "refund": 0.6}
    load = result.roles["cs-agent"]
    assert load.utilization == pytest.approx(1.35)
    assert sum(load.processes.values()) == pytest.approx(load.utilization)
    assert load.queue_wait_hours is None
    # per-process utilization stays in each process's metrics
    by_id = {p.id: p for p in result.processes}
    assert by_id["complaint"].metrics is not None
    assert by_id["complaint"].metrics.utilization["cs-agent"] == pytest.approx(0.75)
    assert by_id["complaint"].within_sla is False and by_id["refund"].within_sla is False


def test_each_process_alone_is_quiet() -> None:
    for text in (COMPLAINT, REFUND):
        assert not _rules(audit_of(CATALOG, text).findings, "role-overload")


def test_the_cli_fails_and_no_report_calls_the_processes_within_sla(
        run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "complaint.yaml").write_text(COMPLAINT, encoding="utf-8")
    (tmp_path / "refund.yaml").write_text(REFUND, encoding="utf-8")
    done = run_cli(["audit", ".", "--format", "json"], cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert [r["id"] for r in data["roles"]] == ["cs-agent"]
    role = data["roles"][0]
    assert set(role) >= {"id", "utilization", "load_hours_per_day", "capacity_hours_per_day",
                         "processes", "queue_wait_hours", "cost"}
    assert role["utilization"] == 1.35 and role["load_hours_per_day"] == 21.6
    assert role["capacity_hours_per_day"] == 16.0 and role["cost"] == 85.0
    assert role["processes"] == {"complaint": 0.75, "refund": 0.6}
    assert role["queue_wait_hours"] is None
    for entry in data["processes"]:
        assert entry["metrics"]["within_sla"] is False
        assert entry["metrics"]["cost_per_case"] is not None
    overload = [f for f in data["findings"] if f["rule"] == "role-overload"]
    assert overload and "cost_hours" in overload[0] and overload[0]["cost_hours"] is None
    audit = [f for f in data["findings"] if f["rule"] != "unused-role"]  # validate's
    assert audit and all("cost_hours" in f for f in audit), audit
    for fmt in ("text", "markdown", "html"):
        report = run_cli(["audit", ".", "--format", fmt, "--fail-on", "never"],
                         cwd=tmp_path).stdout
        assert "met" in report and ", met" not in report and "✅" not in report, fmt
        assert "not met" in report, fmt


def test_queue_wait_is_erlang_c_of_the_organisation_wide_load() -> None:
    catalog = CATALOG.replace("capacity: 2, availability: 8h/d, cost: 85/h",
                              "capacity: 4, availability: 8h/d, cost: 85/h")
    result = audit_of(catalog, COMPLAINT, REFUND)
    load = result.roles["cs-agent"]
    # tasks per working hour of a person: (24 + 16) / 8h; mean duration 21.6h/d / 40
    expected = erlang_c_wait(40 / 8, 21.6 / 40, 4)
    assert load.queue_wait_hours == pytest.approx(expected)
    assert load.utilization == pytest.approx(0.675)


def test_money_per_case_and_per_finding() -> None:
    config = Config(currency="CNY")
    result = audit_of(CATALOG, COMPLAINT, config=config)
    complaint = result.processes[0]
    assert complaint.cost_per_case == pytest.approx(0.5 * 85)
    assert result.currency == "CNY"
    data = json.loads(__import__("procmap.report.writers", fromlist=["audit_json"])
                      .audit_json(result))
    assert data["currency"] == "CNY"
    assert data["processes"][0]["metrics"]["cost_per_case"] == 42.5


def test_cost_per_case_needs_every_role_priced() -> None:
    catalog = CATALOG.replace(", cost: 85/h", "")
    result = audit_of(catalog, COMPLAINT)
    assert result.processes[0].cost_per_case is None


def test_wait_steps_are_planned_not_waste() -> None:
    text = process("""
        - {id: s, kind: start, next: solve}
        - {id: solve, role: a, wait: 30m, duration: 1h, next: later}
        - {id: later, name: 7日内回访确认, kind: wait, role: a, duration: 3d, next: call}
        - {id: call, role: a, wait: 15m, duration: 15m, next: e}
        - {id: e, kind: end}
    """, header="sla: 5d\ndemand: 10/d\n")
    result = audit_of(text)
    assert not _rules(result.findings, "waiting-waste")
    bottleneck = _rules(result.findings, "bottleneck-step")
    assert [f.step for f in bottleneck] == ["later"]
    assert "planned delay" in bottleneck[0].message
    assert "add capacity" not in bottleneck[0].message
    metrics = result.processes[0].metrics
    assert metrics is not None
    assert metrics.effort_by_role == {"a": pytest.approx(1.25)}  # the timer takes no time
    assert metrics.tasks_by_role == {"a": pytest.approx(2.0)}


def test_a_bottleneck_with_slack_on_a_parallel_branch_is_not_flagged() -> None:
    text = process("""
        - {id: s, kind: start, next: fork}
        - {id: fork, kind: parallel, next: [long, short]}
        - {id: long, role: a, duration: 20h, next: join}
        - {id: short, role: b, duration: 4h, next: join}
        - {id: join, kind: parallel, next: e}
        - {id: e, kind: end}
    """, header="sla: 5d\n")
    result = audit_of(text)
    assert [f.step for f in _rules(result.findings, "bottleneck-step")] == ["long"]
    bottleneck = _rules(result.findings, "bottleneck-step")[0]
    assert bottleneck.cost_hours == pytest.approx(16.0)  # the short branch still takes 4h


def test_ping_pong_is_not_counted_across_a_fork_or_a_subprocess() -> None:
    forked = process("""
        - {id: s, kind: start, next: register}
        - {id: register, role: a, duration: 10m, next: fork}
        - {id: fork, kind: parallel, next: [x, y]}
        - {id: x, role: b, duration: 10m, next: join}
        - {id: y, role: a, duration: 10m, next: join}
        - {id: join, kind: parallel, next: reply}
        - {id: reply, role: a, duration: 10m, next: e}
        - {id: e, kind: end}
    """, header="sla: 1d\n")
    assert not _rules(audit_of(forked).findings, "ping-pong-handoff")
    caller = process("""
        - {id: s, kind: start, next: register}
        - {id: register, role: a, duration: 10m, next: call}
        - {id: call, kind: subprocess, process: q, role: b, next: reply}
        - {id: reply, role: a, duration: 10m, next: e}
        - {id: e, kind: end}
    """, header="sla: 1d\n")
    callee = process("""
        - {id: s, kind: start, next: w}
        - {id: w, role: c, duration: 10m, next: e}
        - {id: e, kind: end}
    """, header="sla: 1d\n").replace("id: p\n", "id: q\n", 1)
    assert not _rules(audit_of(caller, callee).findings, "ping-pong-handoff")


def test_ping_pong_advice_never_creates_a_self_approval() -> None:
    text = process("""
        - {id: s, kind: start, next: draft}
        - {id: draft, role: a, duration: 1h, next: approve}
        - id: approve
          kind: approval
          role: b
          wait: 2h
          duration: 10m
          next: [{to: send, when: ok}, {to: rejected, when: no}]
        - {id: send, role: a, duration: 10m, next: e}
        - {id: rejected, kind: end}
        - {id: e, kind: end}
    """, header="sla: 1d\n")
    result = audit_of(text)
    ping = _rules(result.findings, "ping-pong-handoff")
    assert len(ping) == 1
    assert "let 'a' do" not in ping[0].message and ping[0].suggestion is None
    assert "another rule would flag it" in ping[0].message
    assert not _rules(result.findings, "self-approval")


def test_ping_pong_advice_is_given_when_it_is_safe() -> None:
    text = process("""
        - {id: s, kind: start, next: register}
        - {id: register, role: a, duration: 10m, next: check}
        - {id: check, role: b, wait: 1h, duration: 10m, next: reply}
        - {id: reply, role: a, duration: 10m, next: e}
        - {id: e, kind: end}
    """, header="sla: 1d\n")
    ping = _rules(audit_of(text).findings, "ping-pong-handoff")
    assert len(ping) == 1 and "let 'a' do 'check'" in ping[0].message
    assert ping[0].cost_hours == pytest.approx(1.0)


def test_rework_cost_counts_the_sending_step_and_the_longest_branch() -> None:
    # the case: the step that sends cases back and parallel branches in the body
    text = process("""
        - {id: s, kind: start, next: fork}
        - {id: fork, kind: parallel, next: [x, y]}
        - {id: x, role: a, duration: 4h, next: join}
        - {id: y, role: b, duration: 2h, next: join}
        - {id: join, kind: parallel, next: review}
        - id: review
          kind: approval
          role: c
          duration: 3h
          next: [{to: fork, when: redo, probability: 0.5}, {to: e, when: ok, probability: 0.5}]
        - {id: e, kind: end}
    """, header="sla: 5d\n")
    result = audit_of(text)
    loop = _rules(result.findings, "rework-loop")[0]
    analysis = result.processes[0]
    assert analysis.metrics is not None
    # with the loop: 2 passes of (4h + 3h) = 14h; without: 7h
    assert analysis.metrics.expected_lead_time_hours == pytest.approx(14.0)
    assert loop.cost_hours == pytest.approx(7.0)


def test_findings_on_one_step_never_add_up_to_more_than_the_process() -> None:
    text = process("""
        - {id: s, kind: start, next: a1}
        - {id: a1, role: a, duration: 10m, next: check}
        - {id: check, role: b, wait: 70h, duration: 30m, next: a2}
        - {id: a2, role: a, duration: 10m, next: e}
        - {id: e, kind: end}
    """, header="sla: 5d\n")
    result = audit_of(text)
    analysis = result.processes[0]
    assert analysis.metrics is not None
    on_check = [f for f in result.findings if f.step == "check" and f.cost_hours is not None]
    assert {f.rule for f in on_check} >= {"waiting-waste", "ping-pong-handoff"}
    assert sum(f.cost_hours or 0.0 for f in on_check) <= \
        analysis.metrics.expected_lead_time_hours + 1e-9


def test_queue_underestimated_is_quiet_without_demand_and_for_wait_steps() -> None:
    text = process("""
        - {id: s, kind: start, next: work}
        - {id: work, role: a, duration: 45m, next: later}
        - {id: later, kind: wait, role: a, duration: 1d, next: e}
        - {id: e, kind: end}
    """, header="sla: 5d\n")
    assert not _rules(audit_of(text).findings, "queue-underestimated")


def test_whatif_leaves_the_original_process_alone() -> None:
    result = audit_of(CATALOG, COMPLAINT)
    analysis = result.processes[0]
    before = analysis.entry.process.model_dump()
    saving = whatif.saving(analysis, whatif.time("work"))
    assert saving.hours == pytest.approx(2.5)
    assert saving.effort_by_role == {"cs-agent": pytest.approx(0.5)}
    assert analysis.entry.process.model_dump() == before


def test_every_suggestion_on_the_examples_raises_no_other_finding(
        examples_result: object) -> None:
    from procmap.analysis import advice
    from procmap.analysis.audit import AuditResult

    assert isinstance(examples_result, AuditResult)
    suggested = [f for f in examples_result.findings if f.suggestion is not None]
    assert {f.rule for f in suggested} >= {"role-overload"}
    workspace = examples_result.workspace
    before = {advice.key(f) for f in advice.audit_findings(workspace, Config())}
    for finding in suggested:
        changed = advice.apply(workspace, finding.suggestion)
        after = advice.audit_findings(changed, Config())
        new = [f for f in after if advice.key(f) not in before and f.rule != finding.rule]
        assert not new, (finding.rule, finding.suggestion, [f.message for f in new])
        # and the finding itself goes away
        assert advice.key(finding) not in {advice.key(f) for f in after}, finding.message


def test_following_the_staffing_advice_clears_the_overload_and_shortens_the_queue(
        examples_result: object) -> None:
    from procmap.analysis import advice
    from procmap.analysis.audit import AuditResult
    from procmap.analysis.metrics import analyse_processes
    from procmap.analysis.organisation import role_loads

    assert isinstance(examples_result, AuditResult)
    overload = next(f for f in examples_result.findings if f.rule == "role-overload")
    changed = advice.apply(examples_result.workspace, overload.suggestion)
    loads = role_loads(changed, analyse_processes(changed, changed.processes))
    role = loads[overload.role or ""]
    assert role.utilization is not None and role.utilization < 0.85
    assert role.queue_wait_hours is not None  # finite again


def test_hostile_names_stay_on_one_line_and_escaped_in_every_report() -> None:
    from procmap.report.html_report import render as html
    from procmap.report.markdown import render as markdown

    hostile = json.dumps('x"<script>|{a}\\\n\u202e客服', ensure_ascii=False)
    catalog = CATALOG.replace("name: 客服专员", f"name: {hostile}")
    result = audit_of(catalog, COMPLAINT.replace("name: 客户投诉处理", f"name: {hostile}"),
                      REFUND)
    overload = _rules(result.findings, "role-overload")
    assert overload and "\n" not in overload[0].message
    page = html(result)
    assert "<script>" not in page
    report = markdown(result)
    assert "<script>" not in report
    assert all(line.count("|") >= 2 for line in report.splitlines() if line.startswith("| "))


def test_median_p90_durations_count_with_their_lognormal_mean() -> None:
    import math

    text = process("""
        - {id: s, kind: start, next: work}
        - {id: work, role: a, duration: {median: 2h, p90: 6h}, wait: {median: 1h, p90: 1h}, next: e}
        - {id: e, kind: end}
    """, header="sla: 1d\n")
    result = audit_of(text)
    metrics = result.processes[0].metrics
    assert metrics is not None
    sigma = math.log(3) / 1.2815515655446004
    mean = 2 * math.exp(sigma * sigma / 2)
    assert metrics.effort_hours == pytest.approx(mean)
    assert metrics.expected_lead_time_hours == pytest.approx(mean + 1.0)


def test_selecting_one_process_still_counts_the_whole_organisation() -> None:
    from audit_helpers import validation_of

    from procmap.analysis.audit import run_audit

    result = run_audit(validation_of(CATALOG, COMPLAINT, REFUND), Config(), only={"refund"})
    assert [p.id for p in result.processes] == ["refund"]
    overload = _rules(result.findings, "role-overload")
    assert len(overload) == 1 and overload[0].process == "refund"
    assert "'客户投诉处理' 75%, '退款审批' 60%" in overload[0].message
    assert result.processes[0].within_sla is False
