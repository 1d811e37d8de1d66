"""Approvals one after the other that could run in parallel.

Two consecutive approvals (nothing but gateways between them) make the case wait for
both in turn. Run side by side, the case waits only for the longer one: the cost is the
expected lead time the model saves when the shorter approval takes no time (it would run
inside the longer one), computed with and without it.

Failing:

    - id: approve-manager
      kind: approval
      role: cs-manager
      wait: 45m
      next: [{to: approve-finance, when: ok}, {to: rejected, when: no}]
    - id: approve-finance
      kind: approval
      role: finance
      wait: 45m
      next: [{to: payout, when: ok}, {to: rejected, when: no}]

Passing:

    - {id: ask, kind: parallel, next: [approve-manager, approve-finance]}
    - {id: approve-manager, kind: approval, role: cs-manager, wait: 45m, next: both}
    - {id: approve-finance, kind: approval, role: finance, wait: 45m, next: both}
    - {id: both, kind: parallel, next: decide}
"""

from collections.abc import Iterator

from procmap.analysis import whatif, wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind
from procmap.rules.base import Rule

RULE = Rule("serial-approvals", Severity.INFO,
            "consecutive approvals that could run in parallel", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        graph = analysis.graph
        for node, step in enumerate(graph.steps):
            visits = metrics.visits.get(step.id, 0.0)
            if step.kind is not Kind.APPROVAL or visits <= 0:
                continue
            for after, share in graph.next_with_role(node).items():
                second = graph.steps[after]
                if second.kind is not Kind.APPROVAL or after == node or share <= 0:
                    continue
                first_time = metrics.step_time[step.id]
                second_time = metrics.step_time[second.id]
                if min(first_time, second_time) <= 0:
                    continue
                # in parallel, the shorter approval runs inside the longer one
                shorter = second.id if second_time <= first_time else step.id
                cause = whatif.time(shorter)
                cost = ctx.saving(analysis, cause).hours
                if cost <= 1e-9:
                    continue
                yield ctx.at_step(RULE, analysis.entry, second.id, _(
                    "{second} ({second_time}) waits for {first} ({first_time}) to finish: "
                    "running both approvals in parallel saves {cost} per case; fork them "
                    "with a `parallel` step").format(
                        second=wording.name(second.label),
                        second_time=wording.hours(second_time),
                        first=wording.name(step.label), first_time=wording.hours(first_time),
                        cost=wording.hours(cost)),
                    role=second.role, cost=cost, cause=cause)
