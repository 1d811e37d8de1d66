"""What every audit report shows, computed once: text, markdown, HTML and JSON read the
same figures from here, so they cannot disagree.

- `sla_view`: the SLA verdict. A process is called within its SLA only when rules.md's
  `within_sla` is true: an `sla`, an expected lead time within it, and no role it uses
  at utilization >= 1 (an overloaded role's queue grows without bound, whatever the
  typed waits say).
- `role_rows`: the organisation-wide role table (utilization summed over every process
  of the invocation, each process's share, Erlang C queue wait, cost per hour).
- `process_roles`: per process, each role's effort and cost per case, its typed wait
  beside the queue its load gives, and its utilization here and organisation-wide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from procmap.analysis import wording
from procmap.i18n import _
from procmap.model import Kind

if TYPE_CHECKING:
    from procmap.analysis.audit import AuditResult
    from procmap.analysis.metrics import ProcessAnalysis
    from procmap.analysis.organisation import RoleLoad
    from procmap.findings import Finding


@dataclass(frozen=True)
class SlaView:
    sla: float | None
    within: bool | None  # rules.md's within_sla
    text: str  # for people: "7d, met", "3d, not met: '技术支持' is 125% utilised"

    @property
    def mark(self) -> str:
        return {True: "✓", False: "✗", None: ""}[self.within]


@dataclass(frozen=True)
class RoleRow:
    id: str
    name: str
    utilization: float | None
    load_hours_per_day: float | None
    capacity_hours_per_day: float
    processes: list[tuple[str, float]]  # (process name, share of utilization)
    queue_wait_hours: float | None
    cost: float | None  # per person-hour
    warning: float  # utilization-warning in use

    @property
    def level(self) -> str:
        """"over" at utilization >= 1, "high" from utilization-warning, else ""."""
        return load_level(self.utilization, self.warning)

    @property
    def queue_text(self) -> str:
        if self.utilization is None:
            return ""
        return wording.queue(self.queue_wait_hours)


@dataclass(frozen=True)
class ProcessRoleRow:
    id: str
    name: str
    effort_hours: float  # per case
    cost_per_case: float | None
    typed_wait_hours: float | None  # visit-weighted typed wait of its work steps here
    queue_wait_hours: float | None  # organisation-wide (Erlang C)
    utilization_here: float | None  # this process's demand only
    utilization: float | None  # organisation-wide
    overloaded: bool


def load_level(utilization: float | None, warning: float) -> str:
    """"over" at utilization >= 1, "high" from `warning` (the configured
    utilization-warning of role-overload), else ""."""
    if utilization is None:
        return ""
    return "over" if utilization >= 1 - 1e-12 else "high" \
        if utilization >= warning - 1e-12 else ""


def sla_view(analysis: ProcessAnalysis, result: AuditResult) -> SlaView:
    from procmap.analysis.organisation import overloaded_roles

    sla = analysis.entry.process.sla
    metrics = analysis.metrics
    if sla is None:
        return SlaView(None, None, _("no SLA"))
    within = analysis.within_sla
    if metrics is None:
        return SlaView(sla, None, wording.hours(sla))
    reasons = []
    if metrics.expected_lead_time_hours > sla + 1e-9:
        reasons.append(_("expected {expected} is over").format(
            expected=wording.hours(metrics.expected_lead_time_hours)))
    for role in overloaded_roles(analysis, result.roles):
        load = result.roles[role]
        reasons.append(_("{role} is {percent} utilised, its queue grows without bound"
                         ).format(role=wording.name(load.name),
                                  percent=wording.percent(load.utilization or 0.0)))
    if within:
        text = _("{sla}, met").format(sla=wording.hours(sla))
        if metrics.worst_lead_time_hours > sla + 1e-9:
            text = _("{sla}, met on average; the worst case takes {worst}").format(
                sla=wording.hours(sla), worst=wording.hours(metrics.worst_lead_time_hours))
        return SlaView(sla, True, text)
    return SlaView(sla, False, _("{sla}, not met: {reasons}").format(
        sla=wording.hours(sla), reasons="; ".join(reasons)))


def process_name(result: AuditResult, process_id: str) -> str:
    for analysis in result.processes:
        if analysis.id == process_id:
            return analysis.entry.process.name or process_id
    for entry in result.workspace.processes:
        if entry.process.id == process_id:
            return entry.process.name or process_id
    return process_id


def role_rows(result: AuditResult) -> list[RoleRow]:
    """Every role with work in an analysed process, across processes."""
    return [_role_row(result, load) for load in result.roles.values()]


def _role_row(result: AuditResult, load: RoleLoad) -> RoleRow:
    return RoleRow(load.id, load.name, load.utilization, load.load_hours_per_day,
                   load.capacity_hours_per_day,
                   [(process_name(result, p), share) for p, share in load.processes.items()],
                   load.queue_wait_hours, load.cost, result.utilization_warning)


def process_roles(analysis: ProcessAnalysis, result: AuditResult) -> list[ProcessRoleRow]:
    metrics = analysis.metrics
    if metrics is None:
        return []
    rows = []
    for role, hours in metrics.effort_by_role.items():
        load = result.roles.get(role)
        cost = load.cost if load is not None else None
        rows.append(ProcessRoleRow(
            role, load.name if load is not None else role, hours,
            None if cost is None else hours * cost, _typed_wait(analysis, role),
            load.queue_wait_hours if load is not None else None,
            metrics.utilization.get(role),
            load.utilization if load is not None else None,
            load is not None and load.overloaded))
    return rows


def _typed_wait(analysis: ProcessAnalysis, role: str) -> float | None:
    metrics = analysis.metrics
    assert metrics is not None
    visits = waited = 0.0
    for step in analysis.entry.process.steps:
        if step.role != role or step.kind in (Kind.WAIT, Kind.SUBPROCESS):
            continue
        count = metrics.visits.get(step.id, 0.0)
        visits += count
        waited += count * step.wait
    return waited / visits if visits > 0 else None


def money(result: AuditResult, amount: float | None) -> str:
    """An amount in the configured currency ("" for None)."""
    return "" if amount is None else wording.money(amount, result.currency)


def cost_text(finding: Finding, currency: str | None = None) -> str:
    """What a finding costs, for a table cell: money and hours per case, and the
    utilization of a `role-overload`."""
    parts = []
    if finding.cost_money is not None:
        parts.append(wording.money(finding.cost_money, currency))
    if finding.cost_hours is not None:
        parts.append(wording.hours(finding.cost_hours))
    text = _("{cost} per case").format(cost=" · ".join(parts)) if parts else ""
    utilization = finding.extra.get("utilization")
    if isinstance(utilization, (int, float)):
        load = _("{percent} utilised").format(percent=wording.percent(utilization))
        return f"{load}, {text}" if text else load
    return text
