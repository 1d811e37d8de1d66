"""A work step nobody is accountable for beyond the person doing it (`procmap raci`).

RACI's "A" is who answers for the result. A step's `accountable` defaults to the process
`owner`, and only without an owner to the step's own role. That last fallback makes the
doer accountable for their own work, which is what the A column exists to avoid, so
this rule fires on a task, approval, wait or subprocess step that has no `accountable`
in a process that has no `owner` (or a step with neither role nor accountable). It runs
in `procmap raci`, not in `procmap audit`.

Failing:

    procmap: 1
    id: refund
    name: 退款
    steps:
      - {id: received, kind: start, next: payout}
      - {id: payout, role: finance, duration: 15m, next: done}
      - {id: done, kind: end}

Passing:

    procmap: 1
    id: refund
    name: 退款
    owner: cs-manager
    steps:
      - {id: received, kind: start, next: payout}
      - {id: payout, role: finance, duration: 15m, accountable: finance-manager, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.model import WORK_KINDS
from procmap.rules.base import Rule

RULE = Rule("missing-accountable", Severity.WARNING,
            "a work step with no accountable role but its own (no accountable, no owner)",
            phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for entry in ctx.entries:
        process = entry.process
        if process.owner is not None:
            continue
        for step in process.steps:
            if step.kind not in WORK_KINDS or step.accountable is not None:
                continue
            doer = f"'{step.role}' does it and" if step.role else "it has no role and"
            cost = step.duration
            effort = f" ({wording.hours(cost)} of work each time)" if cost else ""
            yield ctx.at_step(RULE, entry, step.id, (
                f"nobody but the doer answers for '{step.id}'{effort}: {doer} the process "
                "has no `owner`; set `owner:` on the process or `accountable:` on the step"),
                "id", role=step.role, cost=cost)
