"""A step from which no end can be reached: a trap.

A case that reaches it can never finish: a loop with no way out, or a step whose `next`
was forgotten. Audit could not compute lead times either (the expected time is
infinite).
Not reported while some `next` of the process names a step that does not exist:
`unknown-reference` points at that typo, which cuts the graph.

Failing:

    - {id: fix, role: tech-support, next: retest}
    - {id: retest, role: qa, next: fix}      # fix <-> retest, forever

Passing:

    - {id: fix, role: tech-support, next: retest}
    - id: retest
      kind: approval
      role: qa
      next:
        - {to: fix, when: 未通过, probability: 0.2}
        - {to: done, when: 通过, probability: 0.8}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.model import Kind
from procmap.rules.base import Rule, ValidateContext
from procmap.rules.graph import has_dangling_transition, reachable, reverse

RULE = Rule("no-path-to-end", Severity.ERROR, "a step from which no end can be reached")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        process = entry.process
        ends = [s.id for s in process.steps if s.kind is Kind.END]
        if not ends:
            continue  # end-required reports it
        if has_dangling_transition(process):
            continue  # unknown-reference reports the cause; the rest would be its echo
        known = process.step_index
        successors = {s.id: [t for t in s.targets if t in known] for s in process.steps}
        can_finish = reachable(reverse(successors), ends)
        for step in process.steps:
            if step.id not in can_finish:
                if not step.next:
                    why = _("it has no `next`")
                elif not successors[step.id]:  # unknown-reference reports the targets
                    why = _("its `next` names no step of this process")
                else:
                    why = _("every path from it loops or stops before reaching an end")
                yield ctx.at_step(RULE, entry, step.id, _(
                    "a case at {step} can never finish: {why}; add a transition towards an "
                    "end step").format(step=named(step), why=why), "id", key=True)
