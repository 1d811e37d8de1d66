"""Probabilities are negative or over 1, or on an exclusive choice partly given or not
summing to 1.

On a decision or approval with several transitions exactly one is taken, so their
probabilities must all be given and sum to 1 (±0.001), or all be left out (the branches
then count as equally likely). Audit's expected lead time and visits depend on them.

Failing:

    next:
      - {to: resolve, probability: 0.7}
      - {to: escalate, probability: 0.2}

Passing:

    next:
      - {to: resolve, probability: 0.7}
      - {to: escalate, probability: 0.3}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.model import CHOICE_KINDS
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("probability-sum", Severity.ERROR,
            "probabilities partly given or not summing to 1 on an exclusive choice")
TOLERANCE = 0.001


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        for step in entry.process.steps:
            for index, transition in enumerate(step.next):
                if transition.probability is not None and not 0 <= transition.probability <= 1:
                    yield ctx.at_step(RULE, entry, step.id, (
                        f"probability {transition.probability:g} is outside 0..1: a "
                        "probability is the share of cases taking this branch"),
                        "next", index, "probability")
            if step.kind not in CHOICE_KINDS or len(step.next) < 2:
                continue
            given = [t.probability for t in step.next if t.probability is not None]
            if not given:
                continue
            if len(given) < len(step.next):
                missing = next(i for i, t in enumerate(step.next) if t.probability is None)
                yield ctx.at_step(RULE, entry, step.id, (
                    f"'{step.id}' gives probabilities for {len(given)} of its "
                    f"{len(step.next)} transitions: give one for every transition "
                    "(or none, for equally likely branches)"), "next", missing, "to")
            elif abs(sum(given) - 1) > TOLERANCE:
                yield ctx.at_step(RULE, entry, step.id, (
                    f"the probabilities of '{step.id}' sum to {sum(given):.3g}, not 1: "
                    "adjust them so exactly one branch is taken"), "next")
