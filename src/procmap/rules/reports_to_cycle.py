"""The `reports_to` chain loops.

`reports_to` is the authority chain audit uses to spot redundant approvals (a manager
re-approving what their own report approved). A loop (A reports to B, B to A) has no
top, so "who is above whom" has no answer.

Failing:

    roles:
      - {id: cs-lead, reports_to: cs-manager}
      - {id: cs-manager, reports_to: cs-lead}

Passing:

    roles:
      - {id: cs-lead, reports_to: cs-manager}
      - {id: cs-manager}
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("reports-to-cycle", Severity.ERROR, "the reports_to chain loops")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    roles = ctx.workspace.roles
    reported: set[str] = set()
    for role_id, entry in roles.items():
        chain = [role_id]
        current = entry.role.reports_to
        while current is not None and current in roles and current not in chain:
            chain.append(current)
            current = roles[current].role.reports_to
        if current is None or current not in chain:
            continue
        loop = chain[chain.index(current):]
        if reported.intersection(loop):
            continue
        reported.update(loop)
        first = roles[loop[0]]
        yield ctx.report(RULE, first.doc, (*first.path, "reports_to"), (
            f"the reports_to chain loops: {' -> '.join([*loop, loop[0]])}; the top of a chain "
            "reports to nobody (remove one `reports_to`)"), role=loop[0])
