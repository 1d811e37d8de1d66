"""A role's queue still grows at the end of the simulated run (`procmap simulate`).

When work arrives for a role faster than its people can do it (simulated utilization of
1 or more), its queue grows for as long as cases arrive: waiting times have no limit,
and every figure of the processes that use the role depends on the length of the run.
Add people, cut the work per case, or lower the demand.

One person, 30 hours of work a day.

Failing:

    demand: 10/d
    roles:
      - {id: clerk, capacity: 1, availability: 24h/d}
    steps:
      - {id: received, kind: start, next: check}
      - {id: check, role: clerk, duration: 3h, next: done}
      - {id: done, kind: end}

Two people.

Passing:

    demand: 10/d
    roles:
      - {id: clerk, capacity: 2, availability: 24h/d}
    steps:
      - {id: received, kind: start, next: check}
      - {id: check, role: clerk, duration: 3h, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Rule
from procmap.simulate.run import SimulateContext

RULE = Rule("unstable-queue", Severity.ERROR,
            "a role's queue still grows at the end of the simulated run", phase="simulate")


def check(ctx: SimulateContext) -> Iterator[Finding]:
    base = ctx.result.base
    roles = {r["id"]: r for r in base.figures.roles}
    for pool in base.model.pools:
        if pool.id not in base.figures.unstable:
            continue
        figures = roles[pool.id]
        entry = next((e for e in ctx.entries if any(
            s.role == pool.id for s in e.process.steps)), None)
        if entry is None:
            continue
        yield ctx.at_role(RULE, entry, pool.id, _(
            "the queue of {role} still grows at the end of the run: work arrives at "
            "{load} of what its people can do, so waiting has no limit ({queue} tasks "
            "waiting when the last case arrived); add people or cut the work per case")
            .format(role=pool.label, load=wording.percent(figures["utilization"] or 0.0),
                    queue=int(figures["queue_at_end"] or 0)),
            utilization=figures["utilization"])
