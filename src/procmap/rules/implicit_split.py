"""A task, wait or subprocess step with several transitions.

Several ways out of a task is ambiguous: are they all taken (parallel work) or is one
chosen? procmap treats it as a parallel split; say so explicitly with a `parallel`
step, or make the choice a `decision`.

Failing:

    - id: diagnose
      role: tech-support
      next: [fix-remotely, send-engineer]

Passing:

    - {id: diagnose, role: tech-support, next: how-to-fix}
    - id: how-to-fix
      kind: decision
      next:
        - {to: fix-remotely, when: 远程可解决, probability: 0.8}
        - {to: send-engineer, when: 需上门, probability: 0.2}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.model import Kind
from procmap.rules.base import Rule, ValidateContext, kind_word

RULE = Rule("implicit-split", Severity.WARNING, "a task/wait/subprocess with several transitions")
_SPLITTING = frozenset({Kind.TASK, Kind.WAIT, Kind.SUBPROCESS})


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        for step in entry.process.steps:
            if step.kind in _SPLITTING and len(step.next) > 1:
                yield ctx.at_step(RULE, entry, step.id, _(
                    "{kind} {step} has {count} transitions and is read as a parallel split: "
                    "add a `parallel` step if all are taken, or a `decision` if one is "
                    "chosen").format(kind=kind_word(step.kind), step=named(step),
                                     count=len(step.next)), "next", key=True)
