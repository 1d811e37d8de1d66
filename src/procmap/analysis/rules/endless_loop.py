"""A loop that no case can leave.

Every way out of the loop has probability 0 (for example `probability: 0` on the exit of
a decision), or a parallel fork inside the loop sends a token back on every branch:
expected visits and lead times are infinite, so audit cannot measure the process and
reports this instead of its metrics. Validate's `no-path-to-end` only sees loops with no
exit at all; this one sees exits that are never taken.

Failing:

    - {id: fix, role: tech-support, duration: 2h, next: retest}
    - id: retest
      kind: decision
      next:
        - {to: fix, when: 未通过, probability: 1}
        - {to: done, when: 通过, probability: 0}

Passing:

    - {id: fix, role: tech-support, duration: 2h, next: retest}
    - id: retest
      kind: decision
      next:
        - {to: fix, when: 未通过, probability: 0.2}
        - {to: done, when: 通过, probability: 0.8}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.rules.base import Rule

RULE = Rule("endless-loop", Severity.ERROR,
            "a loop whose exits all have probability 0: infinite visits", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis in ctx.all:
        if not analysis.endless_loop:
            continue
        graph = analysis.graph
        steps = [graph.index[s] for s in analysis.endless_loop]
        inside = set(steps)
        backs = sorted((e for e in graph.loop_backs if e[0] in inside and e[1] in inside),
                       key=lambda e: (graph.position[e[0]], graph.position[e[1]]))
        loop = wording.path(analysis.endless_loop, limit=6)
        message = (f"cases never leave the loop {loop}: its exits have probability 0 (or a "
                   "parallel fork inside it multiplies the work), so visits and lead time are "
                   "infinite; give a way out a probability above 0")
        if backs:
            source, target = backs[0]
            yield ctx.at_step(RULE, analysis.entry, graph.ids[source], message, "next",
                              graph.transition_index(source, target), "to")
        else:
            yield ctx.at_step(RULE, analysis.entry, analysis.endless_loop[0], message)
