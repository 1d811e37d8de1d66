"""A step whose own wait + duration exceeds its `sla`.

The step SLA runs from the step becoming ready to done; if the planned wait and work
alone take longer, the SLA is breached by every case, by design.

Failing:

    - {id: diagnose, role: tech-support, wait: 20h, duration: 6h, sla: 24h}

Passing:

    - {id: diagnose, role: tech-support, wait: 12h, duration: 6h, sla: 24h}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.model.fields import format_hours
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("sla-below-duration", Severity.WARNING, "a step whose wait + duration exceeds its sla")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        for step in entry.process.steps:
            if step.sla is not None and step.time > step.sla + 1e-9:
                yield ctx.at_step(RULE, entry, step.id, _(
                    "{step} plans {time} (wait {wait} + work {work}) against an SLA of "
                    "{sla}: every case breaches it; cut the wait or raise the SLA").format(
                    step=named(step), time=format_hours(step.time),
                    wait=format_hours(step.wait), work=format_hours(step.duration),
                    sla=format_hours(step.sla)), "sla")
