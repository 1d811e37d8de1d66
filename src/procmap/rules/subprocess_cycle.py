"""Processes call each other in a loop through `subprocess` steps.

A process that (directly or through others) calls itself has no finite lead time and
could not be drawn or audited. Validate the processes together so the loop is seen.

Failing:

    # onboarding.yaml
    - {id: assign-admin, kind: subprocess, role: crm-admin, process: crm-admin-assignment}
    # crm-admin-assignment.yaml
    - {id: onboard-again, kind: subprocess, role: sales, process: onboarding}

Passing:

    # crm-admin-assignment.yaml calls nothing back
    - {id: bind-admin, role: crm-admin, system: CRM, next: done}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.model import Kind, ProcessEntry
from procmap.rules.base import Rule, ValidateContext
from procmap.rules.graph import first_cycle_edges

RULE = Rule("subprocess-cycle", Severity.ERROR, "processes call each other in a loop")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    entries: dict[str, ProcessEntry] = {}
    for entry in ctx.processes:
        entries.setdefault(entry.process.id, entry)
    calls = {pid: [s.process for s in e.process.steps
                   if s.kind is Kind.SUBPROCESS and s.process in entries]
             for pid, e in entries.items()}
    for caller, callee in first_cycle_edges(calls):
        entry = entries[caller]
        step = next(s for s in entry.process.steps
                    if s.kind is Kind.SUBPROCESS and s.process == callee)
        process = entry.process
        if caller == callee:
            message = _("{process} calls itself: a subprocess loop never finishes; model the "
                        "repeat as a rework loop inside one process instead").format(
                process=named(process))
        else:
            message = _("{process} calls {callee}, which calls back into it: a subprocess "
                        "loop never finishes; model the repeat as a rework loop inside one "
                        "process instead").format(process=named(process),
                                                  callee=named(entries[callee].process))
        yield ctx.at_step(RULE, entry, step.id, message, "process")
