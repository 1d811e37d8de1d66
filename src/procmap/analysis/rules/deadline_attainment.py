"""Too few simulated cases reach a step within its `deadline` (`procmap simulate`).

A `deadline` is a milestone measured from the start of the case. Among the simulated
cases that reach the step, this rule reports when the share that reach it in time is
below the `sla-attainment` threshold (0.95 by default).

40% of the cases wait two days before the milestone.

Failing:

    demand: 10/d
    roles: [{id: clerk}]
    steps:
      - {id: received, kind: start, next: route}
      - {id: route, kind: decision, next: [{to: quick, probability: 0.6},
                                           {to: slow, probability: 0.4}]}
      - {id: quick, kind: wait, role: clerk, duration: 1h, next: answer}
      - {id: slow, kind: wait, role: clerk, duration: 2d, next: answer}
      - {id: answer, kind: wait, role: clerk, duration: 1h, deadline: 1d, next: done}
      - {id: done, kind: end}

The slow path takes 12 hours.

Passing:

    demand: 10/d
    roles: [{id: clerk}]
    steps:
      - {id: received, kind: start, next: route}
      - {id: route, kind: decision, next: [{to: quick, probability: 0.6},
                                           {to: slow, probability: 0.4}]}
      - {id: quick, kind: wait, role: clerk, duration: 1h, next: answer}
      - {id: slow, kind: wait, role: clerk, duration: 12h, next: answer}
      - {id: answer, kind: wait, role: clerk, duration: 1h, deadline: 1d, next: done}
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
RULE = Rule("deadline-attainment", Severity.WARNING,
            "fewer than {sla-attainment} of simulated cases reach a step by its deadline",
            phase="simulate", options=(SLA_ATTAINMENT,))


def check(ctx: SimulateContext) -> Iterator[Finding]:
    wanted = ctx.threshold("sla-attainment")
    for figures in ctx.result.base.figures.processes:
        entry = ctx.workspace.process(figures["id"])
        if entry is None:
            continue
        for step_id, share in figures["deadlines"].items():
            step = entry.process.step(step_id)
            if share is None or step is None or step.deadline is None or share >= wanted:
                continue
            yield ctx.at_step(RULE, entry, step_id, _(
                "only {share} of simulated cases reach '{step}' within its deadline of "
                "{deadline} (threshold {wanted})").format(
                    share=f"{share * 100:.1f}%", step=step.label,
                    deadline=wording.hours(step.deadline), wanted=wording.percent(wanted)),
                "deadline")
