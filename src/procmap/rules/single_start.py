"""A process has no `start` step, or more than one.

Every case enters a process at one point; without it, nothing says where the work
begins, and with two, lead times and reachability have no single origin.

Failing:

    steps:
      - {id: intake, role: cs-agent, next: done}
      - {id: done, kind: end}

Passing:

    steps:
      - {id: received, kind: start, next: intake}
      - {id: intake, role: cs-agent, next: done}
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.model import Kind
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("single-start", Severity.ERROR, "a process has no start step, or more than one")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        starts = [s for s in entry.process.steps if s.kind is Kind.START]
        if not starts:
            yield ctx.report(RULE, entry.doc, ("steps",), _(
                "this process has no start step: add one with `kind: start` whose `next` is "
                "the first step"), key=True, process=entry.process.id)
        for extra in starts[1:]:
            yield ctx.at_step(RULE, entry, extra.id, _(
                "a second start step (the first is {first}): a process has one start; make "
                "this a task, or join the entries with a decision after the start").format(
                first=named(starts[0])),
                "kind")
