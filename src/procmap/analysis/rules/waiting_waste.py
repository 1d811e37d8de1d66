"""A step where cases mostly wait in a queue: the wait is most of the step's time, and long.

Fires when `wait` is at least `waiting-share` (80%) of wait + duration and at least
`waiting-min-hours` (1h), and removing the wait would shorten the expected lead time
(a wait on a parallel branch with enough slack costs nothing). Waiting adds lead time
without adding value: book the slot earlier, start the step in parallel, or add capacity
where the queue forms. A `wait` step (`kind: wait`) is a planned delay (a timer, a
scheduled follow-up), not a queue: it is never waste.

The cost is the expected lead time per case that removing the wait saves, computed from
the model with and without it.

Failing:

    - {id: training, role: account-manager, wait: 1d, duration: 3h, next: kickoff}

Passing:

    - {id: training, role: account-manager, wait: 2h, duration: 3h, next: kickoff}
    - {id: cooling-off, kind: wait, role: account-manager, duration: 7d, next: kickoff}
"""

from collections.abc import Iterator

from procmap.analysis import whatif, wording
from procmap.analysis.audit import AuditContext
from procmap.analysis.metrics import ProcessAnalysis
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind, Step
from procmap.rules.base import Option, Rule

RULE = Rule("waiting-waste", Severity.WARNING,
            "a step whose wait is >= {waiting-share} of its time and >= {waiting-min-hours}h",
            phase="audit", options=(
                Option("waiting-share", 0.80,
                       "share of a step's time (0..1) spent waiting from which it is waste",
                       maximum=1.0),
                Option("waiting-min-hours", 1.0,
                       "hours of waiting below which waiting-waste stays quiet")))


def saved_hours(ctx: AuditContext, analysis: ProcessAnalysis, step: Step) -> float:
    """Hours of expected lead time per case that removing the step's wait saves, when the
    wait is waste by this rule's thresholds; 0 otherwise."""
    metrics = analysis.metrics
    if metrics is None or step.kind is Kind.WAIT:
        return 0.0
    time = metrics.step_time.get(step.id, 0.0)
    if time <= 0 or metrics.visits.get(step.id, 0.0) <= 0 \
            or step.wait < ctx.threshold("waiting-min-hours") - 1e-12 \
            or step.wait / time < ctx.threshold("waiting-share") - 1e-12:
        return 0.0
    return ctx.saving(analysis, {whatif.wait(step.id)}).hours


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        lead_time = metrics.expected_lead_time_hours
        for step in analysis.entry.process.steps:
            saved = saved_hours(ctx, analysis, step)
            if saved <= 1e-9:
                continue
            time = metrics.step_time[step.id]
            yield ctx.at_step(RULE, analysis.entry, step.id, _(
                "{step} waits {wait} for {work} of work ({share} waiting); removing the "
                "wait saves {saved} per case ({of_lead} of the lead time): book or start it "
                "earlier, run it in parallel, or add capacity where the queue forms").format(
                    step=wording.name(step.label), wait=wording.hours(step.wait),
                    work=wording.hours(metrics.step_duration[step.id]),
                    share=wording.percent(step.wait / time), saved=wording.hours(saved),
                    of_lead=wording.percent(saved / lead_time)),
                "wait", cost=saved, cause={whatif.wait(step.id)})
