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
from procmap.i18n import _, named
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
                    yield ctx.at_step(RULE, entry, step.id, _(
                        "probability {value} is outside 0..1: a probability is the share of "
                        "cases taking this branch").format(
                        value=f"{transition.probability:g}"),
                        "next", index, "probability")
            if step.kind not in CHOICE_KINDS or len(step.next) < 2:
                continue
            given = [t.probability for t in step.next if t.probability is not None]
            if not given:
                continue
            if len(given) < len(step.next):
                missing = next(i for i, t in enumerate(step.next) if t.probability is None)
                yield ctx.at_step(RULE, entry, step.id, _(
                    "{step} gives probabilities for {given} of its {count} transitions: "
                    "give one for every transition (or none, for equally likely "
                    "branches)").format(step=named(step), given=len(given),
                                        count=len(step.next)), "next", missing, "to")
            elif abs(sum(given) - 1) > TOLERANCE:
                yield ctx.at_step(RULE, entry, step.id, _(
                    "the probabilities of {step} sum to {sum}, not 1: adjust them so "
                    "exactly one branch is taken").format(step=named(step),
                                                          sum=f"{sum(given):.3g}"), "next")
