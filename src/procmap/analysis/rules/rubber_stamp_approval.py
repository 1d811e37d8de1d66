"""An approval with a single outgoing transition: it can never reject.

An approval that always passes is a rubber stamp: it costs the approver's time and the
case's waiting, and stops nothing. Give it a rejecting outcome, or make it a task or a
notification (`informed`).

Failing:

    - {id: approve, kind: approval, role: cs-lead, duration: 10m, next: payout}

Passing:

    - id: approve
      kind: approval
      role: cs-lead
      duration: 10m
      next:
        - {to: payout, when: 批准, probability: 0.9}
        - {to: explain-rejection, when: 驳回, probability: 0.1}
"""

from collections.abc import Iterator

from procmap.analysis import whatif, wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind
from procmap.rules.base import Rule

RULE = Rule("rubber-stamp-approval", Severity.WARNING,
            "an approval with a single outgoing transition (no rejection path)", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        lead_time = metrics.expected_lead_time_hours
        for step in analysis.entry.process.steps:
            if step.kind is not Kind.APPROVAL or len({t.to for t in step.next}) != 1:
                continue
            cause = whatif.time(step.id)
            cost = ctx.saving(analysis, cause).hours
            yield ctx.at_step(RULE, analysis.entry, step.id, _(
                "approval {step} has one way out and can never reject: it takes {cost} per "
                "case ({share} of the lead time) for a check that stops nothing; add a "
                "rejecting transition, or make it a task or a notification").format(
                    step=wording.name(step.label), cost=wording.hours(cost),
                    share=wording.percent(cost / lead_time) if lead_time > 0 else "0%"),
                "next", key=True, role=step.role, cost=cost, cause=cause)
