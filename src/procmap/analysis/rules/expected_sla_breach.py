"""The average case takes longer than the process `sla`.

The expected lead time weighs exclusive branches by probability, takes the longest of
parallel branches and counts loops by their expected repetitions. If it exceeds the SLA,
most cases breach it: the process is not designed to meet its promise.

Failing:

    sla: 1d
    steps:
      - {id: received, kind: start, next: diagnose}
      - {id: diagnose, role: tech-support, wait: 30h, duration: 2h, next: done}
      - {id: done, kind: end}

Passing:

    sla: 2d
    steps:
      - {id: received, kind: start, next: diagnose}
      - {id: diagnose, role: tech-support, wait: 30h, duration: 2h, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Rule

RULE = Rule("expected-sla-breach", Severity.WARNING,
            "the expected lead time exceeds the process sla", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        sla = metrics.sla_hours
        expected = metrics.expected_lead_time_hours
        if sla is None or expected <= sla + 1e-9:
            continue
        step, hours = max(metrics.expected_hours.items(), key=lambda item: item[1])
        yield ctx.at_process(RULE, analysis.entry, _(
            "cases take {expected} on average against the SLA of {sla}, {over} over; cut "
            "the biggest share first, {step} ({hours} per case, {share} of the lead "
            "time)").format(
                expected=wording.hours(expected), sla=wording.hours(sla),
                over=wording.hours(expected - sla),
                step=wording.name(ctx.step_label(analysis.entry, step)),
                hours=wording.hours(hours), share=wording.percent(hours / expected)),
            "sla", cost=expected - sla)
