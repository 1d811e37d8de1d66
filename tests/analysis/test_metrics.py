"""Hand-worked metrics on small processes (rules.md definitions)."""

from __future__ import annotations

import pytest
from audit_helpers import analysis_of, audit_of, metrics_of, process

approx = pytest.approx


def test_sequential_process() -> None:
    # 30m + (1h wait + 2h) + (15m wait + 45m): every step once
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: t1}
        - {id: t1, role: a, duration: 30m, next: t2}
        - {id: t2, role: b, wait: 1h, duration: 2h, next: t3}
        - {id: t3, role: a, wait: 15m, duration: 45m, next: e}
        - {id: e, kind: end}
    """, header="demand: 8/d\n"))
    assert metrics.visits == {"s": 1, "t1": 1, "t2": 1, "t3": 1, "e": 1}
    assert metrics.effort_hours == approx(3.25)
    assert metrics.effort_by_role == {"a": approx(1.25), "b": approx(2.0)}
    assert metrics.expected_lead_time_hours == approx(4.5)
    assert metrics.worst_lead_time_hours == approx(4.5)
    assert metrics.critical_path == ["s", "t1", "t2", "t3", "e"]
    assert metrics.flow_efficiency == approx(3.25 / 4.5)
    assert metrics.handoffs == approx(2)  # a -> b -> a
    assert metrics.approvals == 0
    # 8 cases/d x 1.25 h / (2 people x 8 h/d)
    assert metrics.utilization == {"a": approx(0.625), "b": approx(1.0)}
    assert metrics.longest_to["t2"] == approx(3.5)


def test_exclusive_choice_with_probabilities() -> None:
    # d: 70% to fast (1h), 30% to slow (10h); both then close (30m)
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: d}
        - id: d
          kind: decision
          next:
            - {to: fast, when: easy, probability: 0.7}
            - {to: slow, when: hard, probability: 0.3}
        - {id: fast, role: a, duration: 1h, next: close}
        - {id: slow, role: b, wait: 8h, duration: 2h, next: close}
        - {id: close, role: a, duration: 30m, next: e}
        - {id: e, kind: end}
    """))
    assert metrics.visits["fast"] == approx(0.7)
    assert metrics.visits["slow"] == approx(0.3)
    assert metrics.visits["close"] == approx(1.0)
    assert metrics.effort_hours == approx(0.7 * 1 + 0.3 * 2 + 0.5)  # 1.8
    assert metrics.expected_lead_time_hours == approx(0.7 * 1 + 0.3 * 10 + 0.5)  # 4.2
    assert metrics.worst_lead_time_hours == approx(10.5)
    assert metrics.critical_path == ["s", "d", "slow", "close", "e"]
    # start and gateways are transparent and carry no role: only slow (b) -> close (a)
    assert metrics.handoffs == approx(0.3)


def test_equal_shares_when_no_probability_is_given() -> None:
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: d}
        - {id: d, kind: decision, next: [x, y, z]}
        - {id: x, role: a, duration: 3h, next: e}
        - {id: y, role: a, duration: 6h, next: e}
        - {id: z, role: a, duration: 9h, next: e}
        - {id: e, kind: end}
    """))
    assert metrics.visits["x"] == approx(1 / 3)
    assert metrics.expected_lead_time_hours == approx(6.0)


def test_rework_loop_visits_are_one_over_one_minus_p() -> None:
    # work (2h) -> check (30m): 25% go back to work, so visits = 1 / (1 - 0.25)
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: work}
        - {id: work, role: a, duration: 2h, next: check}
        - id: check
          kind: approval
          role: b
          duration: 30m
          next:
            - {to: work, when: redo, probability: 0.25}
            - {to: e, when: ok, probability: 0.75}
        - {id: e, kind: end}
    """))
    assert metrics.visits["work"] == approx(4 / 3)
    assert metrics.visits["check"] == approx(4 / 3)
    assert metrics.approvals == approx(4 / 3)
    assert metrics.effort_hours == approx(4 / 3 * 2.5)
    assert metrics.expected_lead_time_hours == approx(4 / 3 * 2.5)
    assert metrics.worst_lead_time_hours == approx(2.5)  # no loop-back is taken
    loop, = metrics.loops
    assert (loop.source, loop.target, loop.condition) == ("check", "work", "redo")
    assert loop.repetitions == approx(1 / 3)  # 4/3 x 0.25
    assert loop.cost_hours == approx(1 / 3 * 2.5)  # one pass of work + check
    assert loop.body == ("work", "check")
    assert metrics.handoffs == approx(2 * 4 / 3 - 1)  # a->b every pass, b->a on redo


def test_nested_loops() -> None:
    # inner: b2 -> b1 with 0.5; outer: c -> a with 0.2
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: a1}
        - {id: a1, role: a, duration: 1h, next: b1}
        - {id: b1, role: b, duration: 1h, next: b2}
        - id: b2
          kind: decision
          next:
            - {to: b1, when: again, probability: 0.5}
            - {to: c1, when: on, probability: 0.5}
        - {id: c1, role: c, duration: 1h, next: c2}
        - id: c2
          kind: decision
          next:
            - {to: a1, when: restart, probability: 0.2}
            - {to: e, when: done, probability: 0.8}
        - {id: e, kind: end}
    """))
    outer = 1 / 0.8
    assert metrics.visits["a1"] == approx(outer)
    assert metrics.visits["b1"] == approx(outer * 2)
    assert metrics.visits["c1"] == approx(outer)
    assert metrics.expected_lead_time_hours == approx(outer * (1 + 2 + 1))
    assert [(loop.source, loop.target) for loop in metrics.loops] == [("b2", "b1"),
                                                                       ("c2", "a1")]


def test_parallel_fork_join_takes_the_longest_branch_and_sums_the_effort() -> None:
    # branches: x (2h + 1h wait), y1 -> y2 (1h + 4h), z (30m); then k (1h)
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: fork}
        - {id: fork, kind: parallel, next: [x, y1, z]}
        - {id: x, role: a, wait: 1h, duration: 2h, next: join}
        - {id: y1, role: b, duration: 1h, next: y2}
        - {id: y2, role: c, duration: 4h, next: join}
        - {id: z, role: a, duration: 30m, next: join}
        - {id: join, kind: parallel, next: k}
        - {id: k, role: a, duration: 1h, next: e}
        - {id: e, kind: end}
    """))
    assert metrics.visits["join"] == approx(1.0)  # passed once per set of branches
    assert metrics.visits["k"] == approx(1.0)
    assert metrics.effort_hours == approx(2 + 1 + 4 + 0.5 + 1)  # 8.5: all branches work
    assert metrics.expected_lead_time_hours == approx(5 + 1)  # the y branch, then k
    assert metrics.worst_lead_time_hours == approx(6)
    assert metrics.critical_path == ["s", "fork", "y1", "y2", "join", "k", "e"]
    assert metrics.flow_efficiency == 1.0  # effort 8.5h > 6h lead time: capped at 1
    # handoffs: a->(join)->a, b->c, c->(join)->a, a->(join)->a: b->c and c->a
    assert metrics.handoffs == approx(2)


def test_parallel_block_with_rework_inside_and_choice_inside_a_branch() -> None:
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: fork}
        - {id: fork, kind: parallel, next: [x, y]}
        - {id: x, role: a, duration: 2h, next: xc}
        - id: xc
          kind: decision
          next:
            - {to: x, when: redo, probability: 0.5}
            - {to: join, when: ok, probability: 0.5}
        - {id: y, role: b, duration: 3h, next: yd}
        - id: yd
          kind: decision
          next:
            - {to: y1, probability: 0.5}
            - {to: y2, probability: 0.5}
        - {id: y1, role: b, duration: 1h, next: join}
        - {id: y2, role: b, duration: 3h, next: join}
        - {id: join, kind: parallel, next: e}
        - {id: e, kind: end}
    """))
    # x branch: 2h x 2 visits = 4h; y branch: 3h + (1h + 3h) / 2 = 5h
    assert metrics.visits["x"] == approx(2)
    assert metrics.visits["join"] == approx(1)
    assert metrics.expected_lead_time_hours == approx(5)
    assert metrics.effort_hours == approx(4 + 5)


def test_parallel_block_inside_a_rework_loop() -> None:
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: fork}
        - {id: fork, kind: parallel, next: [x, y]}
        - {id: x, role: a, duration: 1h, next: join}
        - {id: y, role: b, duration: 2h, next: join}
        - {id: join, kind: parallel, next: check}
        - id: check
          kind: decision
          next:
            - {to: fork, when: redo, probability: 0.5}
            - {to: e, when: ok, probability: 0.5}
        - {id: e, kind: end}
    """))
    assert metrics.visits["fork"] == approx(2)
    assert metrics.visits["join"] == approx(2)
    assert metrics.expected_lead_time_hours == approx(2 * 2)
    assert metrics.effort_hours == approx(2 * 3)


def test_implicit_split_behaves_as_a_parallel_fork() -> None:
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: t}
        - {id: t, role: a, duration: 1h, next: [x, y]}
        - {id: x, role: b, duration: 2h, next: e1}
        - {id: y, role: c, duration: 5h, next: e2}
        - {id: e1, kind: end}
        - {id: e2, kind: end}
    """))
    assert metrics.visits["x"] == 1 and metrics.visits["y"] == 1
    assert metrics.expected_lead_time_hours == approx(6)  # 1h + the longer branch
    assert metrics.effort_hours == approx(8)


CALLED = """
procmap: 1
id: sub
name: sub
roles:
  - {id: a, capacity: 2}
  - {id: b, capacity: 2}
steps:
  - {id: s, kind: start, next: w}
  - {id: w, role: b, wait: 1h, duration: 30m, next: c}
  - id: c
    kind: decision
    next:
      - {to: w, when: redo, probability: 0.5}
      - {to: e, when: ok, probability: 0.5}
  - {id: e, kind: end}
"""


def test_subprocess_counts_the_called_process_lead_time_and_effort() -> None:
    # sub: w visited 2 times: lead time 2 x 1.5h = 3h, effort 2 x 30m = 1h of role b
    caller = """
        procmap: 1
        id: main
        name: main
        demand: 8/d
        roles:
          - {id: c, capacity: 1}
        steps:
          - {id: s, kind: start, next: prep}
          - {id: prep, role: c, duration: 1h, next: call}
          - {id: call, kind: subprocess, process: sub, role: c, wait: 2h, next: e}
          - {id: e, kind: end}
    """
    metrics = metrics_of(caller, CALLED)
    assert metrics.step_duration["call"] == approx(3)
    assert metrics.expected_lead_time_hours == approx(1 + 2 + 3)
    assert metrics.worst_lead_time_hours == approx(6)
    assert metrics.effort_hours == approx(1 + 1)
    # the call's effort is the called process's (role b), not the caller's role c
    assert metrics.effort_by_role == {"b": approx(1.0), "c": approx(1.0)}
    assert metrics.utilization["b"] == approx(8 * 1 / (2 * 8))


def test_subprocess_with_a_duration_is_an_ordinary_step() -> None:
    caller = """
        procmap: 1
        id: main
        name: main
        roles:
          - {id: c, capacity: 1}
        steps:
          - {id: s, kind: start, next: call}
          - {id: call, kind: subprocess, process: sub, role: c, duration: 2h, next: e}
          - {id: e, kind: end}
    """
    metrics = metrics_of(caller, CALLED)
    assert metrics.expected_lead_time_hours == approx(2)
    assert metrics.effort_by_role == {"c": approx(2)}


def test_a_loop_no_case_can_leave_is_an_endless_loop_finding() -> None:
    text = process("""
        - {id: s, kind: start, next: fix}
        - {id: fix, role: a, duration: 2h, next: retest}
        - id: retest
          kind: decision
          next:
            - {to: fix, when: again, probability: 1}
            - {to: e, when: ok, probability: 0}
        - {id: e, kind: end}
    """, header="sla: 1d\n")
    analysis = analysis_of(text)
    assert analysis.metrics is None
    assert analysis.endless_loop == ["fix", "retest"]
    result = audit_of(text)
    endless = [f for f in result.findings if f.rule == "endless-loop"]
    assert [(f.severity.label, f.line, f.step) for f in endless] == [("error", 16, "retest")]
    assert result.process_json() == [{"id": "p", "file": "p0.yaml", "metrics": None}]


def test_a_parallel_fork_that_feeds_its_own_loop_is_endless() -> None:
    analysis = analysis_of(process("""
        - {id: s, kind: start, next: a1}
        - {id: a1, role: a, duration: 1h, next: f}
        - {id: f, kind: parallel, next: [a1, out]}
        - {id: out, role: b, duration: 1h, next: e}
        - {id: e, kind: end}
    """))
    assert analysis.metrics is None and analysis.endless_loop == ["a1", "f"]


def test_a_branch_never_taken_has_no_visits() -> None:
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: d}
        - id: d
          kind: decision
          next:
            - {to: x, probability: 1}
            - {to: y, probability: 0}
        - {id: x, role: a, duration: 1h, next: e}
        - {id: y, role: a, wait: 100h, next: z}
        - id: z
          kind: decision
          next:
            - {to: y, probability: 1}
            - {to: e, probability: 0}
        - {id: e, kind: end}
    """))
    assert metrics.visits["y"] == 0 and metrics.visits["z"] == 0
    assert metrics.expected_lead_time_hours == approx(1)
    assert metrics.worst_lead_time_hours == approx(100)  # the forward graph counts it


def test_loop_entered_in_the_middle_keeps_every_step_in_the_forward_graph() -> None:
    # `back` is written before `front`, but the loop is entered at `front`: the file-order
    # rule would cut the only way to `back` and to the end
    metrics = metrics_of(process("""
        - {id: s, kind: start, next: front}
        - id: back
          kind: decision
          next:
            - {to: front, probability: 0.5}
            - {to: e, probability: 0.5}
        - {id: front, role: a, duration: 1h, next: back}
        - {id: e, kind: end}
    """))
    assert metrics.visits["front"] == approx(2)
    assert metrics.worst_lead_time_hours == approx(1)
    assert metrics.critical_path == ["s", "front", "back", "e"]


def test_examples_numbers_match_the_readme(examples_result: object) -> None:
    from procmap.analysis.audit import AuditResult

    assert isinstance(examples_result, AuditResult)
    by_id = {p.id: p.metrics for p in examples_result.processes}
    complaint = by_id["complaint-handling"]
    assert complaint is not None
    assert complaint.visits["classify"] == approx(1.25)
    assert complaint.visits["tech-diagnosis"] == approx(0.375)
    assert complaint.utilization["tech-support"] == approx(1.25)
    # cs-agent is 17 people (the pool shared by the four processes); the planned 3-day
    # wait before the follow-up call adds 72h of lead time and no effort
    assert complaint.utilization["cs-agent"] == approx(0.6583, abs=1e-4)
    assert complaint.expected_lead_time_hours == approx(107.4583, abs=1e-4)
    assert complaint.worst_lead_time_hours == approx(153.5)
    assert complaint.effort_hours == approx(2.8021, abs=1e-4)
    assert complaint.flow_efficiency == approx(0.0261, abs=1e-3)
    assert complaint.longest_to["follow-up"] == approx(153.3333, abs=1e-4)
    assert complaint.longest_to["propose-solution"] == approx(79)
    assert complaint.loops[0].repetitions == approx(0.25)
    refund = by_id["refund-approval"]
    assert refund is not None
    assert refund.expected_lead_time_hours == approx(21.4147, abs=1e-4)
    assert refund.worst_lead_time_hours == approx(28.4167, abs=1e-4)
    assert refund.approvals == approx(1.615)
    assert refund.expected_hours["bank-transfer"] == approx(17.442)
    assert max(refund.utilization.values()) <= 0.355
    onboarding = by_id["customer-onboarding"]
    assert onboarding is not None
    assert onboarding.expected_lead_time_hours == approx(29.5)
    assert onboarding.worst_lead_time_hours == approx(29.5)
    assert onboarding.step_duration["assign-admin"] == approx(4.1667, abs=1e-4)
    assert onboarding.handoffs == approx(4)
    crm = by_id["crm-admin-assignment"]
    assert crm is not None
    assert crm.expected_lead_time_hours == approx(4.1667, abs=1e-4)
    assert crm.worst_lead_time_hours == approx(4.5, abs=1e-4)
    assert max(crm.expected_hours.values()) / crm.expected_lead_time_hours == approx(
        0.24, abs=1e-3)
    cs_agent = examples_result.roles["cs-agent"]
    assert cs_agent.utilization == approx(0.8112, abs=1e-4)  # the shared pool, < 85%
    assert list(cs_agent.processes) == ["complaint-handling", "refund-approval",
                                        "customer-onboarding", "crm-admin-assignment"]


def test_examples_deliberate_findings(examples_result: object) -> None:
    from procmap.analysis.audit import AuditResult

    assert isinstance(examples_result, AuditResult)
    found = {(f.process, f.rule, f.step or f.role, f.severity.label)
             for f in examples_result.findings}
    assert ("refund-approval", "redundant-approval", "approve-lead", "warning") in found
    assert ("complaint-handling", "role-overload", "tech-support", "error") in found
    assert ("complaint-handling", "deadline-breach", "propose-solution", "error") in found
    assert ("refund-approval", "serial-approvals", "approve-lead", "info") in found
    assert ("complaint-handling", "rework-loop", "satisfied", "info") in found
    assert not [f for f in examples_result.findings if f.process == "crm-admin-assignment"]
    # the training wait is waiting waste; one finding per cause (no bottleneck-step)
    assert {f.rule for f in examples_result.findings
            if f.process == "customer-onboarding"} == {"waiting-waste"}
    # planned delays are design: a bottleneck that says so, never waste
    planned = {(f.process, f.step) for f in examples_result.findings
               if f.rule == "bottleneck-step"}
    assert planned == {("complaint-handling", "follow-up-delay"),
                       ("refund-approval", "bank-transfer")}
    assert not [f for f in examples_result.findings if f.rule == "waiting-waste"
                and f.step in ("follow-up-delay", "bank-transfer")]
    deadline = next(f for f in examples_result.findings if f.rule == "deadline-breach")
    assert "79h" in deadline.message and "72h" in deadline.message
