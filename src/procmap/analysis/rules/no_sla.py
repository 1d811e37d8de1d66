"""A process without an end-to-end `sla`.

Without a target nobody can tell a slow case from a normal one, and audit cannot check
the lead time. The finding says how long cases take today, as a starting point. (rules.md
also names "a customer-facing step chain with no sla/deadline": a process `sla` covers
every chain from the start to an end, so procmap reports the process; step `deadline`s
are milestones inside it and do not replace it.)

Failing:

    procmap: 1
    id: refund
    name: 退款
    steps: [...]

Passing:

    procmap: 1
    id: refund
    name: 退款
    sla: 5d
    steps: [...]
"""

import math
from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Rule

RULE = Rule("no-sla", Severity.INFO, "a process without sla", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        if analysis.entry.process.sla is not None:
            continue
        worst = metrics.worst_lead_time_hours
        suggestion = f"{max(1, math.ceil(worst / 24 - 1e-9))}d" if worst > 8 else \
            f"{max(1, math.ceil(worst - 1e-9))}h"
        # adding a target saves no lead time by itself: cost_hours 0
        yield ctx.at_process(RULE, analysis.entry, _(
            "{process} has no `sla`: cases take {expected} on average and up to {worst} "
            "with no target to hold them to; add `sla: {suggestion}` (or what you promise "
            "customers)").format(
                process=wording.name(ctx.process_label(analysis.entry)),
                expected=wording.hours(metrics.expected_lead_time_hours),
                worst=wording.hours(worst), suggestion=suggestion), "id", cost=0.0)
