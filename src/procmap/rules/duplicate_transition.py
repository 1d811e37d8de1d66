"""A step lists the same target twice in `next`.

Two transitions to one step double-count that branch (its probability, its parallel
branch) and usually hide a copy-paste slip.

Failing:

    next:
      - {to: refund, when: 批准}
      - {to: refund, when: 部分批准}

Passing:

    next:
      - {to: refund, when: 批准 或 部分批准}
      - {to: notify-rejected, when: 驳回}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("duplicate-transition", Severity.ERROR, "a step lists the same target twice")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        for step in entry.process.steps:
            seen: set[str] = set()
            for index, transition in enumerate(step.next):
                if transition.to in seen:
                    target = entry.process.step(transition.to)
                    yield ctx.at_step(RULE, entry, step.id, _(
                        "{step} already has a transition to {target}: merge the two into "
                        "one (combine their conditions and probabilities)").format(
                        step=named(step), target=named(target or transition.to)),
                        "next", index, "to")
                seen.add(transition.to)
