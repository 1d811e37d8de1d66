"""Property tests: random valid processes built from sequences, exclusive choices with
probabilities, rework loops (exit probability > 0) and parallel fork/join blocks."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from procmap.analysis.metrics import ProcessMetrics, analyse_process
from procmap.loader.document import Document
from procmap.model import Process, ProcessEntry

ROLES = ("a", "b", "c")


@st.composite
def process_steps(draw: st.DrawFn, *, loops: bool = True, parallel: bool = True
                  ) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    ids = (f"s{n}" for n in itertools.count())

    def minutes() -> str:
        return f"{draw(st.integers(0, 240))}m"

    def sequence(target: str, depth: int) -> str:
        """Blocks leading to `target`; returns the id of the first one."""
        for _ in range(draw(st.integers(1, 3))):
            target = block(target, depth)
        return target

    def block(target: str, depth: int) -> str:
        kinds = ["task"]
        if depth < 3:
            kinds.append("choice")
            if loops:
                kinds.append("loop")
            if parallel:
                kinds.append("parallel")
        kind = draw(st.sampled_from(kinds))
        if kind == "task":
            step = {"id": next(ids), "role": draw(st.sampled_from(ROLES)),
                    "duration": minutes(), "wait": minutes(), "next": target}
            if draw(st.booleans()):
                step["kind"] = "approval"
            steps.append(step)
            return str(step["id"])
        if kind == "choice":
            branches = [sequence(target, depth + 1)
                        for _ in range(draw(st.integers(2, 3)))]
            weights = [draw(st.integers(1, 10)) for _ in branches]
            decision = {"id": next(ids), "kind": "decision", "next": [
                {"to": b, "probability": w / sum(weights)} for b, w in zip(
                    branches, weights, strict=True)]}
            steps.append(decision)
            return str(decision["id"])
        if kind == "loop":
            check_id = next(ids)
            body = sequence(check_id, depth + 1)
            back = draw(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.8]))
            steps.append({"id": check_id, "kind": "decision", "next": [
                {"to": body, "probability": back}, {"to": target, "probability": 1 - back}]})
            return body
        join_id = next(ids)
        steps.append({"id": join_id, "kind": "parallel", "next": target})
        branches = list(dict.fromkeys(sequence(join_id, depth + 1)
                                      for _ in range(draw(st.integers(2, 3)))))
        if len(branches) < 2:
            branches.append(join_id)
        fork = {"id": next(ids), "kind": "parallel", "next": branches}
        steps.append(fork)
        return str(fork["id"])

    first = sequence("end", 0)
    steps.append({"id": "start", "kind": "start", "next": first})
    steps.append({"id": "end", "kind": "end"})
    if draw(st.booleans()):  # written in flow order, or backwards: both must work
        steps.reverse()
    return steps


def analyse(steps: list[dict[str, Any]]) -> ProcessMetrics:
    data = {"procmap": 1, "id": "p", "name": "p", "steps": steps}
    entry = ProcessEntry(Process.model_validate(data), Document("p.yaml", data, None))
    analysis = analyse_process(entry)
    assert analysis.metrics is not None, analysis.not_analysed
    return analysis.metrics


@given(process_steps())
def test_basic_invariants(steps: list[dict[str, Any]]) -> None:
    metrics = analyse(steps)
    assert metrics.visits["start"] == pytest.approx(1.0)
    assert metrics.visits["end"] == pytest.approx(1.0)
    assert all(v >= 0 for v in metrics.visits.values())
    assert metrics.effort_hours >= 0
    assert metrics.expected_lead_time_hours >= 0
    assert metrics.worst_lead_time_hours >= 0
    assert 0 <= metrics.flow_efficiency <= 1
    assert metrics.handoffs >= 0
    assert metrics.critical_path[0] == "start" and metrics.critical_path[-1] == "end"
    durations = {s["id"]: int(s.get("duration", "0m")[:-1]) / 60 for s in steps}
    assert metrics.effort_hours == pytest.approx(
        sum(metrics.visits[k] * durations[k] for k in durations), abs=1e-6)


@given(process_steps(loops=False))
def test_without_loops_the_worst_case_is_at_least_the_expected_one(
        steps: list[dict[str, Any]]) -> None:
    metrics = analyse(steps)
    assert metrics.worst_lead_time_hours >= metrics.expected_lead_time_hours - 1e-6
    assert all(v <= 1 + 1e-9 for v in metrics.visits.values())


@given(process_steps(parallel=False))
def test_without_parallel_steps_expected_lead_time_is_visits_times_time(
        steps: list[dict[str, Any]]) -> None:
    metrics = analyse(steps)
    total = sum(metrics.visits[k] * metrics.step_time[k] for k in metrics.visits)
    assert metrics.expected_lead_time_hours == pytest.approx(total, rel=1e-6, abs=1e-6)


@given(process_steps(), st.data())
def test_adding_a_step_never_lowers_effort(steps: list[dict[str, Any]],
                                           data: st.DataObject) -> None:
    before = analyse(steps).effort_hours
    edges = [(n, k) for n, step in enumerate(steps) for k in range(len(_next(step)))]
    source, number = data.draw(st.sampled_from(edges))
    changed = [dict(step) for step in steps]
    transitions = _next(changed[source])
    old = transitions[number]
    target = old["to"] if isinstance(old, dict) else old
    extra = {"id": "added", "role": "a", "duration": f"{data.draw(st.integers(0, 120))}m",
             "next": target}
    transitions[number] = {**old, "to": "added"} if isinstance(old, dict) else "added"
    changed[source]["next"] = transitions
    changed.append(extra)
    assert analyse(changed).effort_hours >= before - 1e-9


def _next(step: dict[str, Any]) -> list[Any]:
    value = step.get("next", [])
    return list(value) if isinstance(value, list) else [value]


KINDS = ("start", "end", "task", "approval", "decision", "parallel", "subprocess", "wait")


@st.composite
def arbitrary_steps(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Any graph at all, as validate would reject it: audit must still not crash."""
    count = draw(st.integers(1, 9))
    ids = [f"s{n}" for n in range(count)]
    steps = []
    for step_id in ids:
        targets = draw(st.lists(st.sampled_from([*ids, "missing"]), max_size=4))
        probabilities = st.one_of(st.none(), st.sampled_from([-1.0, 0.0, 0.3, 0.5, 1.0, 2.0]))
        steps.append({
            "id": step_id, "kind": draw(st.sampled_from(KINDS)),
            "role": draw(st.sampled_from([None, "a", "b"])),
            "duration": f"{draw(st.integers(0, 90))}m", "wait": f"{draw(st.integers(0, 9))}h",
            "process": "p",
            "next": [{"to": t, "probability": draw(probabilities)} for t in targets]})
    return steps


@given(arbitrary_steps())
def test_any_graph_is_analysed_or_reported_never_crashes(steps: list[dict[str, Any]]) -> None:
    data = {"procmap": 1, "id": "p", "name": "p", "steps": steps}
    entry = ProcessEntry(Process.model_validate(data), Document("p.yaml", data, None))
    analysis = analyse_process(entry)
    if analysis.metrics is None:
        assert analysis.endless_loop
    else:
        metrics = analysis.metrics
        numbers = [metrics.effort_hours, metrics.expected_lead_time_hours,
                   metrics.worst_lead_time_hours, metrics.handoffs, *metrics.visits.values()]
        assert all(n >= 0 and n == n and n != float("inf") for n in numbers)
        assert 0 <= metrics.flow_efficiency <= 1


# -- costs of findings: the lead time with the cause minus without it (rules.md) ----------

def _without(steps: list[dict[str, Any]], cause: frozenset[tuple[str, str, int]]
              ) -> list[dict[str, Any]]:
    """The process with a finding's cause removed, edited as data (independently of
    `procmap.analysis.whatif`)."""
    edited = [dict(step) for step in steps]
    by_id = {step["id"]: step for step in edited}
    for kind, step_id, index in cause:
        step = by_id[step_id]
        if kind == "wait":
            step["wait"] = "0m"
        elif kind == "work":
            step["duration"] = "0m"
        elif kind == "loop":
            transitions = [t if isinstance(t, dict) else {"to": t} for t in _next(step)]
            kept = [dict(t) for n, t in enumerate(transitions) if n != index]
            if all("probability" in t for t in kept):
                total = sum(t["probability"] for t in kept)
                for t in kept:
                    t["probability"] = t["probability"] / total
            step["next"] = kept
    return edited


def _audit(steps: list[dict[str, Any]]) -> Any:
    import yaml
    from audit_helpers import audit_of

    data = {"procmap": 1, "id": "p", "name": "p", "sla": "30d",
            "roles": [{"id": r, "capacity": 2} for r in ROLES], "steps": steps}
    return audit_of(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@settings(max_examples=40, deadline=None)
@given(process_steps())
def test_a_finding_costs_what_removing_its_cause_saves(steps: list[dict[str, Any]]) -> None:
    result = _audit(steps)
    analysis = result.processes[0]
    assume(analysis.metrics is not None)
    lead_time = analysis.metrics.expected_lead_time_hours
    causal = [f for f in result.findings if f.cause is not None]
    per_step: dict[str | None, list[Any]] = {}
    for finding in causal:
        per_step.setdefault(finding.step, []).append(finding)
    for findings in per_step.values():
        # several findings on one step never claim more than the process takes
        assert sum(f.cost_hours for f in findings) <= lead_time + 1e-6
        if len(findings) != 1:
            continue
        finding = findings[0]
        after = analyse(_without(steps, finding.cause)).expected_lead_time_hours
        # (a ping-pong bounce claims its share of the step's queue)
        assert finding.cost_hours == pytest.approx(
            finding.cause_share * max(0.0, lead_time - after), abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(process_steps())
def test_removing_any_step_time_saves_at_most_its_expected_hours(
        steps: list[dict[str, Any]]) -> None:
    from procmap.analysis import whatif

    result = _audit(steps)
    analysis = result.processes[0]
    assume(analysis.metrics is not None)
    metrics = analysis.metrics
    for step in steps:
        saved = whatif.saving(analysis, whatif.time(step["id"])).hours
        assert 0 <= saved <= metrics.expected_hours[step["id"]] + 1e-6
