"""A process that passes each case between roles too often.

Handoffs per case (changes of role between consecutive role-bearing steps, weighted by
how often each transition is taken) above `handoffs-per-case` (5). Every handoff is a
queue and a chance to lose information; the cost shown is the waiting at the steps a
handoff leads to.

Failing:

    - {id: a, role: cs-agent, next: b}
    - {id: b, role: cs-lead, wait: 1h, next: c}
    - {id: c, role: tech-support, wait: 1h, next: d}
    - {id: d, role: cs-agent, wait: 1h, next: e}
    - {id: e, role: finance, wait: 1h, next: f}
    - {id: f, role: cs-lead, wait: 1h, next: g}
    - {id: g, role: cs-agent, wait: 1h, next: done}

Passing:

    - {id: a, role: cs-agent, next: b}
    - {id: b, role: cs-lead, wait: 1h, next: c}
    - {id: c, role: cs-agent, wait: 1h, next: done}
"""

from collections.abc import Iterator

from procmap.analysis import whatif, wording
from procmap.analysis.audit import AuditContext
from procmap.analysis.metrics import ProcessAnalysis
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Option, Rule

RULE = Rule("handoff-heavy", Severity.WARNING,
            "handoffs per case above the threshold ({handoffs-per-case})", phase="audit",
            options=(Option("handoffs-per-case", 5.0,
                            "handoffs per case above which handoff-heavy warns"),))


def check(ctx: AuditContext) -> Iterator[Finding]:
    threshold = ctx.threshold("handoffs-per-case")
    for analysis, metrics in ctx.analysed:
        if metrics.handoffs <= threshold + 1e-9:
            continue
        lead_time = metrics.expected_lead_time_hours
        # the queues after handoffs: the typed waits of steps a case reaches from
        # another role
        cause = {whatif.wait(step_id) for step_id, arriving in metrics.roles_in.items()
                 if any(role != _role(analysis, step_id) for role in arriving)}
        saved = ctx.saving(analysis, cause).hours
        yield ctx.at_process(RULE, analysis.entry, _(
            "{process} passes a case between roles {handoffs} times (threshold {threshold}); "
            "the queues after handoffs add {saved} per case ({share} of the lead time): "
            "merge steps so one role finishes more of the work").format(
                process=wording.name(ctx.process_label(analysis.entry)),
                handoffs=wording.number(metrics.handoffs, 2),
                threshold=wording.number(threshold, 2), saved=wording.hours(saved),
                share=wording.percent(saved / lead_time) if lead_time > 0 else "0%"),
            "id", cost=saved)


def _role(analysis: ProcessAnalysis, step_id: str) -> str | None:
    step = analysis.entry.process.step_index.get(step_id)
    return step.role if step is not None else None
