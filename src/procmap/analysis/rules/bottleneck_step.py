"""A step that holds a large share of the expected lead time.

A step's share is what removing its time (wait + duration) would save of the expected
lead time, computed from the model with and without it: a step on a parallel branch with
slack saves nothing and is no bottleneck, a step inside a loop counts every repetition.
From `bottleneck-share` (30%) it is where the lead time is made: shortening anything
else hardly matters. When the step's wait is queueing waste, `waiting-waste` reports it
instead (one finding per cause). A `wait` step (`kind: wait`) is a planned delay: the
finding says so and advises no capacity.

Failing:

    steps:
      - {id: received, kind: start, next: register}
      - {id: register, role: cs-agent, duration: 30m, next: diagnose}
      - {id: diagnose, role: tech-support, wait: 1d, duration: 8h, next: done}
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

from procmap.analysis import whatif, wording
from procmap.analysis.audit import AuditContext
from procmap.analysis.metrics import ProcessAnalysis
from procmap.analysis.rules import waiting_waste
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind, Step
from procmap.rules.base import Option, Rule

RULE = Rule("bottleneck-step", Severity.WARNING,
            "a step that holds a large share ({bottleneck-share} or more) of the expected "
            "lead time", phase="audit",
            options=(Option("bottleneck-share", 0.30,
                            "share of the expected lead time (0..1) from which one step is "
                            "a bottleneck", maximum=1.0),))


def _advice(step: Step, work: float) -> str:
    if step.kind is Kind.WAIT:
        return _("it is a planned delay (kind: wait), so more capacity would not shorten "
                 "it; shorten it only if the plan allows")
    if step.wait >= step.time / 2:
        return _("shorten its wait of {wait} first, nothing else moves the lead time as "
                 "much").format(wait=wording.hours(step.wait))
    return _("shorten its work of {work} first, nothing else moves the lead time as "
             "much").format(work=wording.hours(work))


def _ignores_waste(analysis: ProcessAnalysis, step: Step) -> bool:
    ignored = analysis.entry.process.extensions.get("x-ignore", ())
    ignored = [ignored] if isinstance(ignored, str) else ignored
    return waiting_waste.RULE.id in step.ignored_rules or (
        isinstance(ignored, list) and waiting_waste.RULE.id in ignored)


def check(ctx: AuditContext) -> Iterator[Finding]:
    threshold = ctx.threshold("bottleneck-share")
    waste_reported = ctx.config.severity("waiting-waste", waiting_waste.RULE.severity) \
        is not None
    for analysis, metrics in ctx.analysed:
        lead_time = metrics.expected_lead_time_hours
        if lead_time <= 0:
            continue
        for step in analysis.entry.process.steps:
            # removing a step saves at most its own expected hours: skip the rest cheaply
            if metrics.expected_hours.get(step.id, 0.0) < threshold * lead_time - 1e-9:
                continue
            cause = whatif.time(step.id)
            saved = ctx.saving(analysis, cause).hours
            if saved <= 1e-9 or saved / lead_time < threshold - 1e-12:
                continue
            if waste_reported and step.wait >= step.time / 2 and \
                    not _ignores_waste(analysis, step) and \
                    waiting_waste.saved_hours(ctx, analysis, step) > 1e-9:
                continue  # the wait is the bottleneck: waiting-waste reports it
            yield ctx.at_step(RULE, analysis.entry, step.id, _(
                "{step} holds {share} of the expected lead time ({saved} of {lead} per "
                "case); {advice}").format(
                    step=wording.name(step.label), share=wording.percent(saved / lead_time),
                    saved=wording.hours(saved), lead=wording.hours(lead_time),
                    advice=_advice(step, metrics.step_duration[step.id])),
                cost=saved, cause=cause)
