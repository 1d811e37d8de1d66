"""A process has no `end` step.

An end says where a case is done: lead times, SLAs and "can every step finish?" are all
measured to it.

Failing:

    steps:
      - {id: received, kind: start, next: intake}
      - {id: intake, role: cs-agent}

Passing:

    steps:
      - {id: received, kind: start, next: intake}
      - {id: intake, role: cs-agent, next: closed}
      - {id: closed, kind: end}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("end-required", Severity.ERROR, "a process has no end step")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        if not any(s.kind is Kind.END for s in entry.process.steps):
            yield ctx.report(RULE, entry.doc, ("steps",), _(
                "this process has no end step: add one with `kind: end` and point the last "
                "steps' `next` at it"), key=True, process=entry.process.id)
