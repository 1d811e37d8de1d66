"""A rework loop, with how often cases repeat it and what that costs.

Each loop-back transition (a transition to an earlier step inside a loop) is reported
with its expected repetitions per case and its cost: the expected lead time with the
loop minus without it, where "without" gives the loop-back's probability to the step's
other transitions in proportion to theirs (rules.md). Every step of the repeated body
counts in full, parallel branches inside it by their longest. Info, and a warning from
`rework-warning` (0.3) repetitions per case.

Failing:

    - {id: fix, role: tech-support, duration: 2h, next: retest}
    - id: retest
      kind: approval
      role: qa
      next:
        - {to: fix, when: 未通过, probability: 0.4}
        - {to: done, when: 通过, probability: 0.6}

Passing:

    - {id: fix, role: tech-support, duration: 2h, next: retest}
    - id: retest
      kind: approval
      role: qa
      next:
        - {to: done, when: 通过}
        - {to: escalate, when: 未通过}
"""

from collections.abc import Iterator

from procmap.analysis import whatif, wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Option, Rule
from procmap.text.escape import one_line

RULE = Rule("rework-loop", Severity.INFO,
            "a loop, with its expected repetitions and cost (warning from "
            "{rework-warning} per case)", phase="audit",
            options=(Option("rework-warning", 0.30,
                            "expected repetitions per case from which rework-loop warns"),))


def check(ctx: AuditContext) -> Iterator[Finding]:
    threshold = ctx.threshold("rework-warning")
    for analysis, metrics in ctx.analysed:
        lead_time = metrics.expected_lead_time_hours
        entry = analysis.entry
        for loop in metrics.loops:
            severity = Severity.WARNING if loop.repetitions >= threshold - 1e-12 \
                else Severity.INFO
            cause = {whatif.loop_back(loop.source, loop.transition)}
            saved = ctx.saving(analysis, cause).hours
            when = f" ({one_line(loop.condition)})" if loop.condition else ""
            reason = wording.name(loop.condition) if loop.condition else _("the rework")
            yield ctx.at_step(RULE, entry, loop.source, _(
                "cases go back from {source} to {target}{when} {repetitions} times on "
                "average, repeating {count} steps; the loop adds {saved} per case ({share} of "
                "the lead time): remove the cause of {reason} so the work is right the "
                "first time").format(
                    source=wording.name(ctx.step_label(entry, loop.source)),
                    target=wording.name(ctx.step_label(entry, loop.target)), when=when,
                    repetitions=wording.number(loop.repetitions), count=len(loop.body),
                    saved=wording.hours(saved),
                    share=wording.percent(saved / lead_time) if lead_time > 0 else "0%",
                    reason=reason),
                "next", loop.transition, "to", cost=saved, severity=severity, cause=cause)
