"""A role that cannot keep up with the process's demand: the bottleneck.

Utilization = demand x the role's effort per case / (capacity x availability). At 1 or
more (threshold `utilization-error`) the work arrives faster than the role can do it and
the queue grows without bound: an error. From `utilization-warning` (0.85) queues get
long and erratic: a warning. Measured per process (its `demand`); a level set in
procmap.toml replaces both severities.

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

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.rules.base import Option, Rule

RULE = Rule("role-overload", Severity.ERROR,
            "a role's utilization reaches the threshold (error >= {utilization-error}, "
            "warning >= {utilization-warning})", phase="audit", options=(
                Option("utilization-warning", 0.85,
                       "utilization from which role-overload warns (queues get long)",
                       maximum=10.0),
                Option("utilization-error", 1.0,
                       "utilization from which role-overload is an error (the queue grows "
                       "without bound)", maximum=10.0)))


def check(ctx: AuditContext) -> Iterator[Finding]:
    warning = ctx.threshold("utilization-warning")
    error = ctx.threshold("utilization-error")
    for analysis, metrics in ctx.analysed:
        demand = metrics.demand_per_day
        if demand is None:
            continue
        for role_id, utilization in metrics.utilization.items():
            if utilization < warning - 1e-12:
                continue
            role = ctx.role(role_id)
            capacity = role.capacity if role is not None else 1.0
            availability = role.availability if role is not None else 8.0
            effort = metrics.effort_by_role[role_id]
            needed = demand * effort
            people = math.ceil(needed / (availability * warning) - 1e-9) if warning > 0 \
                else capacity
            target = capacity * availability * warning / demand if demand else 0.0
            severity = Severity.ERROR if utilization >= error - 1e-12 else Severity.WARNING
            queue = "the queue grows without bound" if severity is Severity.ERROR \
                else "queues get long and erratic"
            yield ctx.at_role(RULE, analysis.entry, role_id, (
                f"'{role_id}' is {wording.percent(utilization)} utilised in "
                f"'{analysis.id}' (utilization {wording.number(utilization, 2)}: "
                f"{wording.per_day_rate(demand)} x {wording.hours(effort)} = "
                f"{wording.number(needed, 1)}h/d of work against {wording.number(capacity)} x "
                f"{wording.number(availability, 1)}h/d = "
                f"{wording.number(capacity * availability, 1)}h/d), so {queue}; staff "
                f"{people} people or cut its work per case to {wording.hours(target)}"),
                cost=effort, severity=severity, utilization=round(utilization, 4))
