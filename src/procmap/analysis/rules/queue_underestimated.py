"""A typed wait that the load on the role cannot give: the model promises a speed that
the people doing the work do not have.

With `demand` set, a role's queue follows from its organisation-wide load (every process
of the invocation): `queue_wait_hours`, the mean wait of an M/M/c queue (Erlang C, with
the role's capacity as servers). A step whose typed `wait` is less than `queue-share`
(half) of its role's queue wait, when that queue is at least `queue-min-hours` (15m),
underestimates its lead time. The finding's cost is how much longer the expected lead
time is with the queue the load gives. A role at utilization >= 1 has no finite queue:
`role-overload` reports it. `wait` steps (planned delays) take no role's time and queue
for no one.

Failing:

    demand: 16/d
    roles:
      - {id: tech-support, capacity: 2, availability: 8h/d}
    steps:
      - {id: received, kind: start, next: diagnose}
      - {id: diagnose, role: tech-support, wait: 15m, duration: 45m, next: done}
      - {id: done, kind: end}

Passing:

    demand: 16/d
    roles:
      - {id: tech-support, capacity: 2, availability: 8h/d}
    steps:
      - {id: received, kind: start, next: diagnose}
      - {id: diagnose, role: tech-support, wait: 1h, duration: 45m, next: done}
      - {id: done, kind: end}
"""

from __future__ import annotations

from collections.abc import Iterator

from procmap.analysis import whatif, wording
from procmap.analysis.advice import Suggestion, conflicts
from procmap.analysis.audit import AuditContext
from procmap.analysis.metrics import ProcessAnalysis
from procmap.analysis.organisation import RoleLoad
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind, Step
from procmap.rules.base import Option, Rule

RULE = Rule("queue-underestimated", Severity.WARNING,
            "a step's typed wait is less than {queue-share} of its role's queue wait "
            "(Erlang C from the organisation-wide load)", phase="audit", options=(
                Option("queue-share", 0.5,
                       "share of the role's queue wait (0..1) below which a typed wait "
                       "underestimates it", maximum=1.0),
                Option("queue-min-hours", 0.25,
                       "queue waits (hours) below which queue-underestimated stays quiet")))

_NO_QUEUE = frozenset({Kind.WAIT, Kind.SUBPROCESS, Kind.START, Kind.END, Kind.DECISION,
                       Kind.PARALLEL})


def check(ctx: AuditContext) -> Iterator[Finding]:
    share = ctx.threshold("queue-share")
    minimum = ctx.threshold("queue-min-hours")
    for analysis, metrics in ctx.analysed:
        for step in analysis.entry.process.steps:
            if step.kind in _NO_QUEUE or step.role is None or step.duration <= 0 \
                    or metrics.visits.get(step.id, 0.0) <= 0:
                continue
            load = ctx.roles.get(step.role)
            queue = load.queue_wait_hours if load is not None else None
            if load is None or queue is None or queue < minimum - 1e-12 \
                    or step.wait >= share * queue - 1e-12:
                continue
            yield _finding(ctx, analysis, step, load, queue)


def _finding(ctx: AuditContext, analysis: ProcessAnalysis, step: Step, load: RoleLoad,
             queue: float) -> Finding:
    hidden = max(0.0, whatif.lead_time_change(analysis, {whatif.set_wait(step.id, queue)},
                                              ctx.workspace))
    proposed = Suggestion((("wait", round(queue, 4)),), process=analysis.id, step=step.id)
    suggestion = None if conflicts(ctx, proposed, RULE.id) else proposed
    if suggestion is None:
        advice = _("add people to {role} until its queue matches the plan").format(
            role=wording.name(load.name))
    else:
        advice = _("write `wait: {queue}` so the model tells the truth, or add people to "
                   "{role}").format(queue=wording.hours(queue), role=wording.name(load.name))
    return ctx.at_step(RULE, analysis.entry, step.id, _(
        "{step} expects a wait of {typed}, but {role} at {utilization} across the "
        "organisation makes its tasks wait {queue} on average (Erlang C): the expected "
        "lead time is {hidden} per case longer than modelled; {advice}").format(
            step=wording.name(step.label), typed=wording.hours(step.wait),
            role=wording.name(load.name), utilization=wording.percent(load.utilization or 0),
            queue=wording.hours(queue), hidden=wording.hours(hidden), advice=advice),
        "wait" if "wait" in step.model_fields_set else "role", role=step.role, cost=hidden,
        suggestion=suggestion)
