"""A rework loop, with how often cases repeat it and what that costs.

Each loop-back transition (a transition to an earlier step inside a loop) is reported
with its expected repetitions per case and the expected hours per case spent repeating
the loop body (the steps on forward paths from the loop-back's target to its source).
Info, and a warning from `rework-warning` (0.3) repetitions per case.

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

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.rules.base import Option, Rule

RULE = Rule("rework-loop", Severity.INFO,
            "a loop, with its expected repetitions and cost (warning from "
            "{rework-warning} per case)", phase="audit",
            options=(Option("rework-warning", 0.30,
                            "expected repetitions per case from which rework-loop warns"),))


def check(ctx: AuditContext) -> Iterator[Finding]:
    threshold = ctx.threshold("rework-warning")
    for analysis, metrics in ctx.analysed:
        lead_time = metrics.expected_lead_time_hours
        for loop in metrics.loops:
            severity = Severity.WARNING if loop.repetitions >= threshold - 1e-12 \
                else Severity.INFO
            when = f" ({loop.condition})" if loop.condition else ""
            share = f" ({wording.percent(loop.cost_hours / lead_time)} of the lead time)" \
                if lead_time > 0 else ""
            cause = f"'{loop.condition}'" if loop.condition else "the rework"
            yield ctx.at_step(RULE, analysis.entry, loop.source, (
                f"cases go back from '{loop.source}' to '{loop.target}'{when} "
                f"{wording.number(loop.repetitions)} times on average, repeating "
                f"{len(loop.body)} steps for {wording.hours(loop.cost_hours)} per case{share};"
                f" remove the cause of {cause} so the work is right the first time"),
                "next", loop.transition, "to", cost=loop.cost_hours, severity=severity)
