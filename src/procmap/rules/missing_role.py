"""A task, approval, wait or subprocess step without a `role`.

The role is who does the work and which swimlane the step is drawn in. Without it the
step has no owner, no lane, and its effort counts against nobody's capacity. Events
and gateways (start, end, decision, parallel) take the lane of their neighbour.

Failing:

    - {id: refund, kind: task, duration: 15m, next: done}

Passing:

    - {id: refund, kind: task, role: finance, duration: 15m, next: done}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.model import WORK_KINDS
from procmap.rules.base import Rule, ValidateContext, kind_word

RULE = Rule("missing-role", Severity.ERROR, "a task/approval/wait/subprocess without a role")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        for step in entry.process.steps:
            if step.kind in WORK_KINDS and not step.role:
                yield ctx.at_step(RULE, entry, step.id, _(
                    "{kind} {step} has no `role`: say who does it (e.g. `role: cs-agent`); "
                    "the role is also its swimlane").format(kind=kind_word(step.kind),
                                                            step=named(step)), "id", key=True)
