"""A step where cases mostly wait: the wait is most of the step's time, and long.

Fires when `wait` is at least `waiting-share` (80%) of wait + duration and at least
`waiting-min-hours` (1h). Waiting adds lead time without adding value: book the slot
earlier, start the step in parallel, or add capacity where the queue forms.

Failing:

    - {id: training, role: account-manager, wait: 1d, duration: 3h, next: kickoff}

Passing:

    - {id: training, role: account-manager, wait: 2h, duration: 3h, next: kickoff}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.rules.base import Option, Rule

RULE = Rule("waiting-waste", Severity.WARNING,
            "a step whose wait is >= {waiting-share} of its time and >= {waiting-min-hours}h",
            phase="audit", options=(
                Option("waiting-share", 0.80,
                       "share of a step's time (0..1) spent waiting from which it is waste",
                       maximum=1.0),
                Option("waiting-min-hours", 1.0,
                       "hours of waiting below which waiting-waste stays quiet")))


def check(ctx: AuditContext) -> Iterator[Finding]:
    share_threshold = ctx.threshold("waiting-share")
    minimum = ctx.threshold("waiting-min-hours")
    for analysis, metrics in ctx.analysed:
        lead_time = metrics.expected_lead_time_hours
        for step in analysis.entry.process.steps:
            time = metrics.step_time.get(step.id, 0.0)
            visits = metrics.visits.get(step.id, 0.0)
            if time <= 0 or visits <= 0 or step.wait < minimum - 1e-12:
                continue
            share = step.wait / time
            if share < share_threshold - 1e-12:
                continue
            cost = visits * step.wait
            of_lead = f", {wording.percent(cost / lead_time)} of the lead time" \
                if lead_time > 0 else ""
            yield ctx.at_step(RULE, analysis.entry, step.id, (
                f"'{step.id}' waits {wording.hours(step.wait)} for "
                f"{wording.hours(metrics.step_duration[step.id])} of work "
                f"({wording.percent(share)} waiting), {wording.hours(cost)} per case"
                f"{of_lead}; book or start it earlier, run it in parallel, or add capacity "
                "where the queue forms"), "wait", cost=cost)
