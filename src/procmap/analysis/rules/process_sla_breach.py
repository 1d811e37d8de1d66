"""The worst case takes longer than the process `sla`.

The worst lead time is the longest start-to-end path by step time (wait + duration)
in the forward graph: every branch counts, no rework loop is taken. If it exceeds the
process SLA, some cases breach it by design, even without rework. The message names the
critical path and its longest step, the first place to cut.

Failing:

    sla: 1d
    steps:
      - {id: received, kind: start, next: check}
      - {id: check, role: cs-agent, wait: 20h, duration: 2h, next: refund}
      - {id: refund, role: finance, wait: 4h, duration: 30m, next: done}
      - {id: done, kind: end}

Passing:

    sla: 2d
    steps:
      - {id: received, kind: start, next: check}
      - {id: check, role: cs-agent, wait: 20h, duration: 2h, next: refund}
      - {id: refund, role: finance, wait: 4h, duration: 30m, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Rule

RULE = Rule("process-sla-breach", Severity.ERROR,
            "the worst lead time exceeds the process sla", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        sla = metrics.sla_hours
        worst = metrics.worst_lead_time_hours
        if sla is None or worst <= sla + 1e-9:
            continue
        path = metrics.critical_path
        longest = max(path, key=lambda s: metrics.step_time.get(s, 0.0))
        yield ctx.at_process(RULE, analysis.entry, _(
            "the worst case takes {worst} against the SLA of {sla}, {over} over, along "
            "{path}; shorten {step} ({time}) or raise the SLA").format(
                worst=wording.hours(worst), sla=wording.hours(sla),
                over=wording.hours(worst - sla), path=wording.path(path),
                step=wording.name(ctx.step_label(analysis.entry, longest)),
                time=wording.hours(metrics.step_time[longest])),
            "sla", cost=worst - sla)
