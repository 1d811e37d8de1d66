"""A role that cannot keep up with its demand across the organisation: the bottleneck.

People work in many processes at once, so a role's utilization is summed over every
process of the invocation that sets `demand` (rules.md, "Organisation-level capacity"):
load = sum of demand x the role's effort per case, utilization = load / (capacity x
availability). At 1 or more (threshold `utilization-error`) the work arrives faster than
the role can do it and the queue grows without bound: an error. From
`utilization-warning` (0.85) queues get long and erratic: a warning. The finding names
every process that makes up the load, largest share first, and is reported once, with
the process that adds most; a level set in procmap.toml replaces both severities.

The advice is computed to clear the warning: the smallest whole number of people that
brings the organisation-wide utilization below `utilization-warning`, or the effort per
case of the largest process that would. Its cost is the queueing per case (Erlang C) that
the staffing removes; none at utilization >= 1, where the queue has no bound.

Failing:

    demand: 40/d
    roles:
      - {id: tech-support, capacity: 4, availability: 6h/d}
    steps:
      - {id: received, kind: start, next: diagnose}
      - {id: diagnose, role: tech-support, duration: 45m, next: done}
      - {id: done, kind: end}

Passing:

    demand: 40/d
    roles:
      - {id: tech-support, capacity: 6, availability: 6h/d}
    steps:
      - {id: received, kind: start, next: diagnose}
      - {id: diagnose, role: tech-support, duration: 45m, next: done}
      - {id: done, kind: end}
"""

import math
from collections.abc import Iterator
from dataclasses import replace

from procmap.analysis import wording
from procmap.analysis.advice import Suggestion
from procmap.analysis.audit import AuditContext
from procmap.analysis.metrics import ProcessAnalysis
from procmap.analysis.organisation import RoleLoad, queue_wait
from procmap.findings import Finding, Severity
from procmap.i18n import _, ngettext
from procmap.rules.base import Option, Rule

RULE = Rule("role-overload", Severity.ERROR,
            "a role's utilization reaches the threshold (error >= "
            "{utilization-error}, warning >= {utilization-warning})", phase="audit", options=(
                Option("utilization-warning", 0.85,
                       "utilization from which role-overload warns (queues get long)",
                       maximum=10.0),
                Option("utilization-error", 1.0,
                       "utilization from which role-overload is an error (the queue grows "
                       "without bound)", maximum=10.0)))


def check(ctx: AuditContext) -> Iterator[Finding]:
    warning = ctx.threshold("utilization-warning")
    error = ctx.threshold("utilization-error")
    selected = {analysis.id: analysis for analysis, _ in ctx.analysed}
    for load in ctx.roles.values():
        utilization = load.utilization
        if utilization is None or utilization < warning - 1e-12:
            continue
        main = next((selected[p] for p in load.processes if p in selected), None)
        if main is None:
            continue  # none of the selected processes uses the role
        severity = Severity.ERROR if utilization >= error - 1e-12 else Severity.WARNING
        yield _finding(ctx, load, main, severity, warning)


def _contributors(ctx: AuditContext, load: RoleLoad) -> str:
    labels = {a.id: ctx.process_label(a.entry) for a in ctx.everything}
    return ", ".join(f"{wording.name(labels.get(p, p))} {wording.percent(share)}"
                     for p, share in load.processes.items())


def _people(load: RoleLoad, warning: float) -> int:
    """The fewest people that bring the utilization below `warning`."""
    assert load.load_hours_per_day is not None
    if warning <= 0:
        return math.ceil(load.capacity)
    return max(math.ceil(load.capacity),
               math.floor(load.load_hours_per_day / (load.availability * warning)) + 1)


def _cut_to(load: RoleLoad, main: ProcessAnalysis, warning: float) -> float | None:
    """Effort per case in `main` (whole minutes) below which the role's utilization is
    under `warning`; None when cutting `main` alone cannot get there."""
    metrics = main.metrics
    assert metrics is not None and load.load_hours_per_day is not None
    demand = metrics.demand_per_day or 0.0
    effort = metrics.effort_by_role.get(load.id, 0.0)
    others = load.load_hours_per_day - demand * effort
    if demand <= 0:
        return None
    target = (warning * load.capacity_hours_per_day - others) / demand
    minutes = math.ceil(target * 60 - 1e-9) - 1
    return minutes / 60 if minutes > 0 else None


def _finding(ctx: AuditContext, load: RoleLoad, main: ProcessAnalysis, severity: Severity,
             warning: float) -> Finding:
    utilization = load.utilization or 0.0
    people = _people(load, warning)
    staffed = replace(load, capacity=float(people))
    now, after = queue_wait(load), queue_wait(staffed)
    tasks = main.metrics.tasks_by_role.get(load.id, 0.0) if main.metrics else 0.0
    cost = None if now is None or after is None else max(0.0, (now - after) * tasks)
    queue = _("the queue grows without bound") if severity is Severity.ERROR else \
        _("tasks wait {wait} on average for a free person").format(
            wait=wording.hours(now or 0.0))
    cut = _cut_to(load, main, warning)
    staff = _("staff {people} people in all").format(people=people)
    advice = staff if cut is None else _(
        "{staff} or cut its work per case in {process} to {target}").format(
            staff=staff, process=wording.name(ctx.process_label(main.entry)),
            target=wording.hours(cut))
    message = _(
        "{role} is {percent} utilised across the organisation ({contributors}): "
        "{load}h/d of work against {capacity} x {availability}h/d = {supply}h/d, so "
        "{queue}; {advice}").format(
            role=wording.name(load.name), percent=wording.percent(utilization),
            contributors=_contributors(ctx, load),
            load=wording.number(load.load_hours_per_day or 0.0, 1),
            capacity=ngettext("{n} person", "{n} people", math.ceil(load.capacity)).format(
                n=wording.number(load.capacity)),
            availability=wording.number(load.availability, 1),
            supply=wording.number(load.capacity_hours_per_day, 1), queue=queue,
            advice=advice)
    extra: dict[str, object] = {"utilization": round(utilization, 4),
                                "processes": {p: round(v, 4)
                                              for p, v in load.processes.items()}}
    if cost is None:
        extra["cost_hours"] = None  # unbounded: the queue has no steady state
    return ctx.at_role(RULE, main.entry, load.id, message, cost=cost, severity=severity,
                       suggestion=Suggestion((("capacity", float(people)),), role=load.id),
                       **extra)
