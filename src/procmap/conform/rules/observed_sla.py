"""Observed SLA and deadline attainment below the `sla-attainment` threshold.

The share of cases done within the process's `sla` (first event to last), and of cases
reaching each step with a `deadline` in time, measured on the log. A warning when a share
is below `sla-attainment` (default 0.95, `[thresholds]`).

Failing:

    # cases really take 4-6 days
    sla: 3d

Passing:

    sla: 7d
"""

from __future__ import annotations

from collections.abc import Iterator

from procmap.conform.rules import ConformContext, label
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Option, Rule
from procmap.text.units import short_duration

RULE = Rule("observed-sla", Severity.WARNING,
            "the observed SLA or deadline attainment is below {sla-attainment}",
            phase="conform",
            options=(Option("sla-attainment", 0.95, "the least share of simulated cases "
                            "that must meet the SLA or a deadline (sla-attainment, "
                            "deadline-attainment)", minimum=0.0, maximum=1.0),))


def check(ctx: ConformContext) -> Iterator[Finding]:
    wanted = ctx.threshold("sla-attainment")
    for report in ctx.reports:
        data = report.data
        share = data["sla_attainment"]
        if share is not None and share < wanted:
            yield ctx.at_process(RULE, report, _(
                "{share} of the cases are done within the SLA of {sla}, below the "
                "threshold {wanted}; lead time p50 {p50}, p90 {p90}").format(
                share=f"{share:.1%}", sla=short_duration(data["sla_hours"]),
                wanted=f"{wanted:.0%}", p50=short_duration(data["lead_time_hours"]["p50"]),
                p90=short_duration(data["lead_time_hours"]["p90"])), "sla",
                sla_attainment=share)
        for step_id, reached in data["deadlines"].items():
            if reached is not None and reached < wanted:
                yield ctx.at(RULE, report, step_id, _(
                    "{share} of the cases reach '{step}' by its deadline, below the "
                    "threshold {wanted}").format(share=f"{reached:.1%}",
                                                 step=label(report, step_id),
                                                 wanted=f"{wanted:.0%}"),
                    "deadline", deadline_attainment=reached)
