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
from procmap.i18n import _
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("reports-to-cycle", Severity.ERROR, "the reports_to chain loops")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    roles = ctx.workspace.roles
    done: set[str] = set()  # roles whose chain is known to end (or to loop, reported)
    for role_id in roles:
        # follow the chain from role_id until a role seen before: linear in all roles
        # together, since every role joins `done` once (2,000 roles took a minute before)
        position: dict[str, int] = {}
        chain: list[str] = []
        current: str | None = role_id
        while current is not None and current in roles and current not in done \
                and current not in position:
            position[current] = len(chain)
            chain.append(current)
            current = roles[current].role.reports_to
        done.update(chain)
        if current is None or current not in position:
            continue
        loop = chain[position[current]:]
        first = roles[loop[0]]
        yield ctx.report(RULE, first.doc, (*first.path, "reports_to"), _(
            "the reports_to chain loops: {chain}; the top of a chain reports to nobody "
            "(remove one `reports_to`)").format(chain=_shown(loop)), role=loop[0])


def _shown(loop: list[str]) -> str:
    if len(loop) <= 12:
        return " -> ".join([*loop, loop[0]])
    more = _("... ({count} more)").format(count=len(loop) - 10)
    return " -> ".join([*loop[:5], more, *loop[-5:], loop[0]])
