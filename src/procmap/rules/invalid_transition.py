"""A transition into a `start`, out of an `end`, or from a step to itself without a
condition.

A start has no predecessors and an end no successors by definition; an unconditional
self-loop is a case that never leaves the step.

Failing:

    - {id: closed, kind: end, next: received}
    - {id: check, role: qa, next: check}

Passing:

    - id: check
      role: qa
      kind: decision
      next:
        - {to: check, when: 资料不全, probability: 0.2}
        - {to: closed, when: 通过, probability: 0.8}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.model import Kind
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("invalid-transition", Severity.ERROR,
            "a transition into a start, out of an end, or an unconditional self-loop")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        process = entry.process
        for step in process.steps:
            if step.kind is Kind.END and step.next:
                yield ctx.at_step(RULE, entry, step.id, _(
                    "end step {step} has a `next`: an end finishes the case; remove `next`, "
                    "or make this step a task").format(step=named(step)), "next", key=True)
                continue
            for index, transition in enumerate(step.next):
                target = process.step(transition.to)
                if target is not None and target.kind is Kind.START:
                    yield ctx.at_step(RULE, entry, step.id, _(
                        "{step} goes back to the start step {target}: nothing may enter a "
                        "start; point it at the first real step instead").format(
                        step=named(step), target=named(target)),
                        "next", index, "to")
                elif transition.to == step.id and not transition.when:
                    yield ctx.at_step(RULE, entry, step.id, _(
                        "{step} points at itself with no condition, so a case would never "
                        "leave it: add `when:` (and a probability) or remove the "
                        "loop").format(step=named(step)),
                        "next", index, "to")
