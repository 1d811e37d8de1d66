"""A `decision` or `parallel` fork with fewer than 2 transitions.

A decision with one way out decides nothing, and a fork with one branch runs nothing in
parallel: both make the diagram lie. (A `parallel` join has several incoming
transitions and one outgoing, which is right.)

Failing:

    - {id: check-type, kind: decision, next: resolve}

Passing:

    - id: check-type
      kind: decision
      next:
        - {to: resolve, when: 简单问题, probability: 0.7}
        - {to: escalate, when: 复杂问题, probability: 0.3}
"""

from collections import Counter
from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.model import Kind
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("decision-branches", Severity.ERROR,
            "a decision or parallel fork with fewer than 2 transitions")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        incoming = Counter(t.to for s in entry.process.steps for t in s.next)
        for step in entry.process.steps:
            if len(step.next) >= 2:
                continue
            if step.kind is Kind.DECISION:
                yield ctx.at_step(RULE, entry, step.id, _(
                    "decision {step} has {count} way(s) out: give it at least two "
                    "transitions with `when:` conditions, or make it a task").format(
                    step=named(step), count=len(step.next)), "kind")
            elif step.kind is Kind.PARALLEL and incoming[step.id] < 2:
                yield ctx.at_step(RULE, entry, step.id, _(
                    "parallel step {step} neither forks (2+ transitions out) nor joins "
                    "(2+ in): list the branches it starts in `next`, or remove it").format(
                    step=named(step)), "kind")
