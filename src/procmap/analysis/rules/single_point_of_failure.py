"""A step every case passes, done by a role with a capacity of one person.

A dominator of the ends (every path from the start to any end passes it) owned by a
role with `capacity: 1` (the default): when that person is away, every case stops.

Failing:

    roles:
      - {id: compliance}          # capacity 1 by default
    steps:
      - {id: received, kind: start, next: check}
      - {id: check, role: compliance, duration: 20m, next: done}
      - {id: done, kind: end}

Passing:

    roles:
      - {id: compliance, capacity: 2}
    steps:
      - {id: received, kind: start, next: check}
      - {id: check, role: compliance, duration: 20m, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.advice import Suggestion
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind
from procmap.rules.base import Rule

RULE = Rule("single-point-of-failure", Severity.WARNING,
            "a step every case passes, owned by a role with capacity 1", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        graph = analysis.graph
        for node in graph.end_dominators:
            step = graph.steps[node]
            role = ctx.role(step.role)
            if role is None or step.kind in (Kind.START, Kind.END) or role.capacity > 1:
                continue
            hours = metrics.expected_hours.get(step.id, 0.0)
            # a second person keeps cases moving when one is away; the model's lead time
            # (people present) does not change: cost_hours 0
            yield ctx.at_step(RULE, analysis.entry, step.id, _(
                "every case passes {step}, done by {role} with a capacity of {capacity} "
                "person: {hours} per case stops whenever that person is away; train a second "
                "person (capacity: 2) or name a backup role").format(
                    step=wording.name(step.label), role=wording.name(role.label),
                    capacity=wording.number(role.capacity), hours=wording.hours(hours)),
                "role", role=role.id, cost=0.0,
                suggestion=Suggestion((("capacity", 2.0),), role=role.id))
