"""Too few simulated cases finish within the process `sla` (`procmap simulate`).

The expected lead time can sit well inside the SLA while many customers still wait
longer: queues, rework and slow branches make a long tail. `procmap simulate` runs the
process with its demand and its people; this rule reports when the share of cases that
finish within the SLA is below the `sla-attainment` threshold (0.95 by default).

30% of the cases take a 3-day path, the SLA is 2 days.

Failing:

    sla: 2d
    demand: 10/d
    roles: [{id: clerk}]
    steps:
      - {id: received, kind: start, next: route}
      - {id: route, kind: decision, next: [{to: quick, probability: 0.7},
                                           {to: slow, probability: 0.3}]}
      - {id: quick, kind: wait, role: clerk, duration: 1h, next: done}
      - {id: slow, kind: wait, role: clerk, duration: 3d, next: done}
      - {id: done, kind: end}

The slow path takes a day.

Passing:

    sla: 2d
    demand: 10/d
    roles: [{id: clerk}]
    steps:
      - {id: received, kind: start, next: route}
      - {id: route, kind: decision, next: [{to: quick, probability: 0.7},
                                           {to: slow, probability: 0.3}]}
      - {id: quick, kind: wait, role: clerk, duration: 1h, next: done}
      - {id: slow, kind: wait, role: clerk, duration: 1d, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Option, Rule
from procmap.simulate.run import SimulateContext

SLA_ATTAINMENT = Option("sla-attainment", 0.95, "the least share of simulated cases that "
                        "must meet the SLA or a deadline (sla-attainment, "
                        "deadline-attainment)", minimum=0.0, maximum=1.0)
RULE = Rule("sla-attainment", Severity.WARNING,
            "fewer than {sla-attainment} of simulated cases finish within the process SLA",
            phase="simulate", options=(SLA_ATTAINMENT,))


def check(ctx: SimulateContext) -> Iterator[Finding]:
    wanted = ctx.threshold("sla-attainment")
    for figures in ctx.result.base.figures.processes:
        share = figures["sla_attainment"]
        entry = ctx.workspace.process(figures["id"])
        if share is None or entry is None or share >= wanted:
            continue
        yield ctx.at_process(RULE, entry, _(
            "only {share} of simulated cases finish within the SLA of {sla} (threshold "
            "{wanted}); the slowest 10% take {p90} or more").format(
                share=f"{share * 100:.1f}%", sla=wording.hours(figures["sla_hours"]),
                wanted=wording.percent(wanted),
                p90=wording.hours(figures["lead_time_hours"]["p90"] or 0.0)), "sla")
