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

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
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
        wait = metrics.handoff_wait_hours
        share = f" ({wording.percent(wait / lead_time)} of the lead time)" \
            if lead_time > 0 else ""
        yield ctx.at_process(RULE, analysis.entry, (
            f"'{analysis.id}' passes a case between roles {wording.number(metrics.handoffs, 2)}"
            f" times (threshold {wording.number(threshold, 2)}), with "
            f"{wording.hours(wait)} per case of queueing after handoffs{share}; merge steps so "
            "one role finishes more of the work"), "id", cost=wait)
