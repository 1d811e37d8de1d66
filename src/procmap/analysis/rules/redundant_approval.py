"""An approval that repeats an earlier approval of the same thing.

On some path of the forward graph, an approval of the same thing (the same `of`, or both
without `of`) comes after one by the same role, or after one by a role above it in the
`reports_to` chain: a subordinate re-checking what the boss already approved. It adds
waiting and work, and no control.

Failing:

    roles:
      - {id: cs-lead, reports_to: cs-manager}
      - {id: cs-manager}
    steps:
      - id: approve-manager
        kind: approval
        role: cs-manager
        of: refund
        next: [{to: approve-lead, when: 批准}, {to: rejected, when: 驳回}]
      - id: approve-lead
        kind: approval
        role: cs-lead
        of: refund
        next: [{to: payout, when: 批准}, {to: rejected, when: 驳回}]

Passing:

    steps:
      - id: approve-manager
        kind: approval
        role: cs-manager
        of: refund
        next: [{to: payout, when: 批准}, {to: rejected, when: 驳回}]
"""

from collections.abc import Iterator

from procmap.analysis import whatif, wording
from procmap.analysis.audit import AuditContext
from procmap.analysis.metrics import ProcessAnalysis
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind, Step
from procmap.rules.base import Rule

RULE = Rule("redundant-approval", Severity.WARNING,
            "an approval of the same thing by the same role or one below an earlier approver",
            phase="audit")

Key = tuple[str | None, str]  # (of, role)


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        graph = analysis.graph
        lead_time = metrics.expected_lead_time_hours
        # approvals met on some forward path before each step: (of, role) -> first step
        before: list[dict[Key, int] | None] = [None] * len(graph)
        for node in graph.order:
            seen = before[node] or {}
            step = graph.steps[node]
            if step.kind is Kind.APPROVAL and step.role is not None:
                earlier = _earlier_approval(ctx, seen, step.of, step.role)
                if earlier is not None and metrics.visits[step.id] > 0:
                    yield _finding(ctx, analysis, lead_time, graph.steps[earlier], step)
                key: Key = (step.of, step.role)
                if key not in seen:
                    seen = {**seen, key: node}
            for target in graph.forward_successors[node]:
                current = before[target]
                if current is None:
                    before[target] = seen  # shared until it must change
                elif any(k not in current for k in seen):
                    before[target] = {**seen, **current}


def _finding(ctx: AuditContext, analysis: ProcessAnalysis, lead_time: float, first: Step,
             step: Step) -> Finding:
    cause = whatif.time(step.id)
    cost = ctx.saving(analysis, cause).hours
    role, first_role = ctx.role_label(step.role or ""), ctx.role_label(first.role or "")
    relation = _("the same role") if first.role == step.role else _(
        "{boss}, whom {role} reports to").format(boss=wording.name(first_role),
                                                 role=wording.name(role))
    what = wording.name(step.of) if step.of else _("the same thing")
    return ctx.at_step(RULE, analysis.entry, step.id, _(
        "{step} ({role}) approves {what} again after {first} (by {relation}) already "
        "did: dropping it saves {cost} per case ({share} of the lead time) for no lost "
        "control; drop it, or make the two approvals check different things").format(
            step=wording.name(step.label), role=role, what=what,
            first=wording.name(first.label), relation=relation, cost=wording.hours(cost),
            share=wording.percent(cost / lead_time) if lead_time > 0 else "0%"),
        "role", role=step.role, cost=cost, cause=cause)


def _earlier_approval(ctx: AuditContext, seen: dict[Key, int], of: str | None,
                      role: str) -> int | None:
    if (of, role) in seen:
        return seen[(of, role)]
    above = _chain_above(ctx, role)
    for boss in above:
        if (of, boss) in seen:
            return seen[(of, boss)]
    return None


def _chain_above(ctx: AuditContext, role_id: str) -> list[str]:
    chain: list[str] = []
    current = ctx.role(role_id)
    while current is not None and current.reports_to and current.reports_to not in chain \
            and current.reports_to != role_id:
        chain.append(current.reports_to)
        current = ctx.role(current.reports_to)
    return chain
