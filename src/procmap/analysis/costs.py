"""The cost of every audit finding, computed from the model (rules.md).

A rule names the cause of a finding as model changes (`procmap.analysis.whatif`); the
finding's `cost_hours` is the expected lead time per case that the changes save, and its
`cost_money` the work they save, priced with the roles' `cost` (when every role with work
in the process has one).

Several findings on one step can share a cause (a rubber-stamp approval is also a
bottleneck): counted one after the other, largest first, each finding costs only what
removing its cause saves beyond the causes already counted, so the findings of one step
never add up to more than removing all their causes together, which is never more than
the process takes. A finding alone on its step costs exactly what removing its cause
saves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from procmap.analysis import wording
from procmap.analysis.whatif import Change, Saving
from procmap.i18n import _

if TYPE_CHECKING:
    from procmap.analysis.audit import AuditContext
    from procmap.analysis.metrics import ProcessAnalysis
    from procmap.findings import Finding


#: rules that say "this step takes long" whatever the reason: counted after the rules
#: that name the reason
_GENERAL = frozenset({"bottleneck-step"})


def settle_costs(findings: Sequence[Finding], ctx: AuditContext) -> list[Finding]:
    """`findings` with `cost_hours` and `cost_money` set for those that name a cause."""
    analyses = {a.id: a for a, _ in ctx.analysed}
    groups: dict[tuple[str, str | None], list[int]] = {}
    for n, finding in enumerate(findings):
        if finding.cause is not None and finding.process in analyses:
            groups.setdefault((finding.process, finding.step), []).append(n)
    result = list(findings)
    costs = {role: load.cost for role, load in ctx.roles.items()}
    for (process, _step), members in groups.items():
        analysis = analyses[process]
        priced = analysis.cost_per_case is not None
        alone = {n: ctx.saving(analysis, findings[n].cause or ()) for n in members}
        # largest first; on a tie the specific finding (a redundant approval) before
        # the general one (the step is a bottleneck), then the more severe
        members.sort(key=lambda n: (-alone[n].hours * findings[n].cause_share,
                                    findings[n].rule in _GENERAL,
                                    -int(findings[n].severity), findings[n].sort_key))
        counted: frozenset[Change] = frozenset()
        before = Saving()
        first = findings[members[0]].rule
        for n in members:
            counted = counted | (findings[n].cause or frozenset())
            after = ctx.saving(analysis, counted)
            share = findings[n].cause_share
            hours = share * max(0.0, after.hours - before.hours)
            money = _difference(after, before).money(costs) if priced else None
            money = None if money is None else share * money
            message = findings[n].message
            if hours < share * alone[n].hours - 1e-6:
                message += _(" (counted once: {shared} of it is the time `{rule}` reports "
                             "on this step)").format(
                                 shared=wording.hours(share * alone[n].hours - hours),
                                 rule=first)
            result[n] = replace(findings[n], cost_hours=hours, message=message,
                                cost_money=None if money is None else max(0.0, money))
            before = after
    return result


def _difference(after: Saving, before: Saving) -> Saving:
    roles = set(after.effort_by_role) | set(before.effort_by_role)
    return Saving(after.hours - before.hours, {
        r: after.effort_by_role.get(r, 0.0) - before.effort_by_role.get(r, 0.0)
        for r in roles})


def step_saving(ctx: AuditContext, analysis: ProcessAnalysis,
                changes: frozenset[Change]) -> float:
    """Hours of expected lead time per case that `changes` save (for messages)."""
    return ctx.saving(analysis, changes).hours
