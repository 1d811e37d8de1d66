"""The longest path from the case start to a step exceeds that step's `deadline`.

A `deadline` is a milestone: from the start of the case to this step done. It is
measured on the longest start-to-step path in the forward graph (no rework taken), so a
breach means some cases miss the milestone by design.

Failing:

    steps:
      - {id: received, kind: start, next: diagnose}
      - {id: diagnose, role: tech-support, wait: 3d, duration: 2h, next: propose}
      - {id: propose, role: cs-agent, duration: 30m, deadline: 3d, next: done}
      - {id: done, kind: end}

Passing:

    steps:
      - {id: received, kind: start, next: diagnose}
      - {id: diagnose, role: tech-support, wait: 2d, duration: 2h, next: propose}
      - {id: propose, role: cs-agent, duration: 30m, deadline: 3d, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Rule

RULE = Rule("deadline-breach", Severity.ERROR,
            "the longest start-to-step time exceeds the step's deadline", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        for step in analysis.entry.process.steps:
            if step.deadline is None or step.id not in metrics.longest_to:
                continue
            longest = metrics.longest_to[step.id]
            if longest <= step.deadline + 1e-9:
                continue
            path = metrics.longest_path_to(step.id)
            slowest = max(path, key=lambda s: metrics.step_time.get(s, 0.0))
            entry = analysis.entry
            yield ctx.at_step(RULE, entry, step.id, _(
                "{step} is done {longest} after the case starts on the longest path "
                "({path}), {over} past its deadline of {deadline}; shorten {slowest} "
                "({slowest_time}) or move the deadline").format(
                    step=wording.name(step.label), longest=wording.hours(longest),
                    path=wording.path(path), over=wording.hours(longest - step.deadline),
                    deadline=wording.hours(step.deadline),
                    slowest=wording.name(ctx.step_label(entry, slowest)),
                    slowest_time=wording.hours(metrics.step_time[slowest])),
                "deadline", cost=longest - step.deadline)
