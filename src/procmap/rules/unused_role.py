"""A role that no step, owner or RACI entry uses.

An unused role is a lane nobody works in: usually a renamed role left behind, or a
step that names the wrong role. (Being someone's `reports_to` does not count as use.)
A role catalog serves the whole repository, so its roles are checked when the catalog
is found by scanning a directory (`procmap validate .`), not when it is named next to
a few process files (`procmap audit refund.yaml roles.yaml`); a process's own roles
are always checked.

Failing:

    roles:
      - {id: cs-agent}
      - {id: night-shift}      # no step uses it
    steps:
      - {id: intake, role: cs-agent, next: done}

Passing:

    roles:
      - {id: cs-agent}
    steps:
      - {id: intake, role: cs-agent, next: done}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _, named
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("unused-role", Severity.WARNING, "a role that no step, owner or RACI entry uses")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    used: set[str] = set()
    for entry in ctx.processes:
        if entry.process.owner:
            used.add(entry.process.owner)
        for step in entry.process.steps:
            used.update(r for r in (step.role, step.accountable) if r)
            used.update(step.consulted)
            used.update(step.informed)
    for role_id, definition in ctx.workspace.roles.items():
        if definition.from_project or (definition.in_catalog
                                       and definition.doc.path in ctx.workspace.explicit):
            continue  # a catalog named next to some processes serves others we cannot see
        if role_id not in used:
            yield ctx.report(RULE, definition.doc, (*definition.path, "id"), _(
                "role {role} is not used by any step, owner or RACI entry: remove it, or "
                "assign it where it works").format(role=named(definition.role)),
                role=role_id)
