"""A step that holds a large share of the expected lead time.

A step's share is its expected visits x (wait + duration) over the expected lead time.
From `bottleneck-share` (30%) it is where the lead time is made: shortening anything
else hardly matters.

Failing:

    steps:
      - {id: received, kind: start, next: register}
      - {id: register, role: cs-agent, duration: 30m, next: diagnose}
      - {id: diagnose, role: tech-support, wait: 1d, duration: 2h, next: done}
      - {id: done, kind: end}

Passing:

    steps:                        # every step holds 25% of the lead time
      - {id: received, kind: start, next: register}
      - {id: register, role: cs-agent, wait: 30m, duration: 30m, next: diagnose}
      - {id: diagnose, role: tech-support, wait: 30m, duration: 30m, next: reply}
      - {id: reply, role: cs-agent, wait: 30m, duration: 30m, next: close}
      - {id: close, role: cs-agent, wait: 30m, duration: 30m, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.rules.base import Option, Rule

RULE = Rule("bottleneck-step", Severity.WARNING,
            "a step that holds a large share ({bottleneck-share} or more) of the expected "
            "lead time", phase="audit",
            options=(Option("bottleneck-share", 0.30,
                            "share of the expected lead time (0..1) from which one step is "
                            "a bottleneck", maximum=1.0),))


def check(ctx: AuditContext) -> Iterator[Finding]:
    threshold = ctx.threshold("bottleneck-share")
    for analysis, metrics in ctx.analysed:
        lead_time = metrics.expected_lead_time_hours
        if lead_time <= 0:
            continue
        for step in analysis.entry.process.steps:
            hours = metrics.expected_hours.get(step.id, 0.0)
            share = hours / lead_time
            if hours <= 0 or share < threshold - 1e-12:
                continue
            what = (f"its wait of {wording.hours(step.wait)}" if step.wait >= step.time / 2
                    else f"its work of {wording.hours(metrics.step_duration[step.id])}")
            yield ctx.at_step(RULE, analysis.entry, step.id, (
                f"'{step.id}' holds {wording.percent(share)} of the expected lead time "
                f"({wording.hours(hours)} of {wording.hours(lead_time)} per case); shorten "
                f"{what} first, nothing else moves the lead time as much"),
                cost=hours)
