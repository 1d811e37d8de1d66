"""A step that no path from the start reaches.

Such a step is dead: no case ever does it, yet it is drawn, counted and maintained.
Usually a `next` was mistyped or forgotten.
Not reported while some `next` of the process names a step that does not exist:
`unknown-reference` points at that typo, which cuts the graph.

Failing:

    steps:
      - {id: received, kind: start, next: done}
      - {id: legacy-check, role: qa, next: done}
      - {id: done, kind: end}

Passing:

    steps:
      - {id: received, kind: start, next: legacy-check}
      - {id: legacy-check, role: qa, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.model import Kind
from procmap.rules.base import Rule, ValidateContext
from procmap.rules.graph import has_dangling_transition, reachable

RULE = Rule("unreachable-step", Severity.ERROR, "a step no path from the start reaches")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        process = entry.process
        starts = [s.id for s in process.steps if s.kind is Kind.START]
        if not starts:
            continue  # single-start reports it; everything would be "unreachable"
        if has_dangling_transition(process):
            continue  # unknown-reference reports the cause; the rest would be its echo
        successors = {s.id: s.targets for s in process.steps}
        seen = reachable(successors, starts[:1])
        for step in process.steps:
            if step.id not in seen and step.kind is not Kind.START:
                yield ctx.at_step(RULE, entry, step.id, _(
                    "no path from the start reaches {step}: point some step's `next` at it, "
                    "or delete it").format(step=named(step)), "id", key=True)
