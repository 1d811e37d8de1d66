"""Cases bounce A -> B -> A between two roles on consecutive steps.

Steps without a role (events, decisions) are transparent. Each bounce is two handoffs,
two queues and usually a question the first role could have answered. Counted with the
expected number of times a case makes the round trip. Role changes across a parallel
fork or join are not bounces (the branches work side by side), nor is a `subprocess`
step (the called process's roles do its work), nor a planned `wait` step.

The cost is the queueing the bounce adds: the expected lead time the model saves without
the typed wait of the bounced step (the queue for the other role), in the share of the
step's visits that are bounces. The advice
"let A do it" is only given when no other rule would then flag the process (moving an
approval to the role whose work it approves would be a `self-approval`).

Failing:

    - {id: register, role: cs-agent, next: check}
    - {id: check, role: cs-lead, wait: 1h, duration: 10m, next: reply}
    - {id: reply, role: cs-agent, next: done}

Passing:

    - {id: register, role: cs-agent, next: check}
    - {id: check, role: cs-agent, duration: 10m, next: reply}
    - {id: reply, role: cs-agent, next: done}
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from procmap.analysis import whatif, wording
from procmap.analysis.advice import Suggestion, conflicts
from procmap.analysis.audit import AuditContext
from procmap.analysis.graph import ProcessGraph
from procmap.analysis.metrics import ProcessAnalysis
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind
from procmap.rules.base import Rule

RULE = Rule("ping-pong-handoff", Severity.WARNING,
            "A -> B -> A between two roles on consecutive steps", phase="audit")

#: steps that end a chain of consecutive steps: a bounce is never counted across them
_BOUNDARIES = frozenset({Kind.PARALLEL, Kind.SUBPROCESS, Kind.WAIT})


class _Neighbours:
    """The nearest role-bearing steps before and after each step, through transparent
    steps (events, decisions), with probabilities; stopping at `_BOUNDARIES`."""

    def __init__(self, graph: ProcessGraph) -> None:
        self.g = graph
        self._before: dict[int, dict[int, float]] = {}
        self._after: dict[int, dict[int, float]] = {}

    def _bearer(self, node: int) -> bool:
        return self.g.steps[node].role is not None

    def _boundary(self, node: int) -> bool:
        return self.g.steps[node].kind in _BOUNDARIES

    def before(self, node: int, visits: list[float]) -> dict[int, float]:
        """Role-bearing steps a case comes from into `node`: step -> expected arrivals."""
        return self._walk(node, self._before, lambda n: self._arrivals(n, visits))

    def after(self, node: int) -> dict[int, float]:
        """Role-bearing steps a case goes to from `node`: step -> probability."""
        return self._walk(node, self._after, self._departures)

    def _walk(self, node: int, memo: dict[int, dict[int, float]],
              compute: Callable[[int], dict[int, float]]) -> dict[int, float]:
        if node not in memo:
            memo[node] = {}  # a loop of transparent steps only: counted once
            memo[node] = compute(node)
        return memo[node]

    def _arrivals(self, node: int, visits: list[float]) -> dict[int, float]:
        result: dict[int, float] = {}
        for source, weight in self.g.predecessors[node]:
            if self._boundary(source):
                continue
            if self._bearer(source):
                result[source] = result.get(source, 0.0) + weight * visits[source]
                continue
            share = weight / self._out_weight(source)
            for step, count in self.before(source, visits).items():
                result[step] = result.get(step, 0.0) + count * share
        return result

    def _departures(self, node: int) -> dict[int, float]:
        result: dict[int, float] = {}
        for target, weight in self.g.successors[node]:
            if self._boundary(target):
                continue
            if self._bearer(target):
                result[target] = result.get(target, 0.0) + weight
                continue
            for step, share in self.after(target).items():
                result[step] = result.get(step, 0.0) + weight * share
        return result

    def _out_weight(self, node: int) -> float:
        return sum(w for _, w in self.g.successors[node]) or 1.0


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        graph = analysis.graph
        visits = [metrics.visits.get(step_id, 0.0) for step_id in graph.ids]
        neighbours = _Neighbours(graph)
        for node, step in enumerate(graph.steps):
            if step.role is None or step.kind in _BOUNDARIES:
                continue
            arriving: dict[str, float] = {}
            for source, count in neighbours.before(node, visits).items():
                role = graph.steps[source].role
                if role is not None and role != step.role:
                    arriving[role] = arriving.get(role, 0.0) + count
            leaving = neighbours.after(node)
            for role, count_in in arriving.items():
                back = [t for t in leaving if graph.steps[t].role == role]
                count = count_in * sum(leaving[t] for t in back)
                if count <= 1e-12:
                    continue
                yield _finding(ctx, analysis, step.id, role, count,
                               [graph.ids[t] for t in back])


def _finding(ctx: AuditContext, analysis: ProcessAnalysis, step_id: str, role: str,
             count: float, back: list[str]) -> Finding:
    entry = analysis.entry
    step = entry.process.step_index[step_id]
    cause = {whatif.wait(step_id)}
    visits = analysis.metrics.visits.get(step_id, 0.0) if analysis.metrics else 0.0
    share = min(1.0, count / visits) if visits > 0 else 0.0
    saved = share * ctx.saving(analysis, cause).hours
    first, other = ctx.role_label(role), ctx.role_label(step.role or "")
    proposed = Suggestion((("role", role),), process=analysis.id, step=step_id)
    suggestion = None if conflicts(ctx, proposed, RULE.id) else proposed
    if suggestion is not None:
        advice = _("let {first} do {step}, or give {first} what it needs up front").format(
            first=wording.name(first), step=wording.name(step.label))
    else:
        advice = _("give {first} what it needs up front (moving {step} to {first} is not "
                   "advised: another rule would flag it)").format(first=wording.name(first),
                                                    step=wording.name(step.label))
    return ctx.at_step(RULE, entry, step_id, _(
        "cases go {first} -> {other} -> {first} through {step} ({count} round trips per "
        "case), {saved} per case of extra queueing; {advice}").format(
            first=wording.name(first), other=wording.name(other),
            step=wording.name(step.label), count=wording.number(count),
            saved=wording.hours(saved), advice=advice),
        "role", role=step.role, cost=saved, cause=cause, suggestion=suggestion,
        cause_share=share)
