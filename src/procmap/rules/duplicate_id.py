"""Two steps in a process, or two roles or two processes in one invocation, share an id.

Ids are how transitions, RACI entries and subprocess calls refer to things: with two
definitions, every reference is ambiguous. Step ids are unique within their process;
role ids and process ids across all files validated together.

Failing:

    steps:
      - {id: review, role: cs-lead, next: review-2}
      - {id: review, role: cs-manager, next: done}

Passing:

    steps:
      - {id: lead-review, role: cs-lead, next: manager-review}
      - {id: manager-review, role: cs-manager, next: done}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("duplicate-id", Severity.ERROR, "two steps, roles or processes share an id")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        first: dict[str, int] = {}
        for index, step in enumerate(entry.process.steps):
            if step.id in first:
                yield ctx.report(RULE, entry.doc, ("steps", index, "id"), _(
                    "step id '{id}' is already used by step #{number} of this process: "
                    "give each step its own id").format(id=step.id,
                                                        number=first[step.id] + 1),
                    process=entry.process.id, step=step.id)
            else:
                first[step.id] = index
    roles: dict[str, str] = {}
    for definition in ctx.workspace.role_definitions:
        role_id = definition.role.id
        if role_id in roles:
            yield ctx.report(RULE, definition.doc, (*definition.path, "id"), _(
                "role id '{id}' is already defined in {file}: define each role once "
                "(shared roles belong in a role catalog)").format(id=role_id,
                                                                  file=roles[role_id]),
                role=role_id)
        else:
            roles[role_id] = definition.doc.path
    processes: dict[str, str] = {}
    for entry in ctx.processes:
        if entry.process.id in processes:
            yield ctx.report(RULE, entry.doc, ("id",), _(
                "process id '{id}' is already used by {file}: give each process its own "
                "id").format(id=entry.process.id, file=processes[entry.process.id]),
                process=entry.process.id)
        else:
            processes[entry.process.id] = entry.doc.path
