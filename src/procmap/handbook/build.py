"""What the handbook shows, gathered once: plain objects the templates only print.

Everything here is user text or numbers; escaping is the templates' job (autoescape).
People see names (客服专员) and ids stay in links and anchors.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procmap.i18n import N_, _
from procmap.render.xmlid import encode_xml_id
from procmap.text.units import day_duration

if TYPE_CHECKING:
    from procmap.analysis.audit import AuditResult
    from procmap.analysis.metrics import ProcessAnalysis
    from procmap.config import Config
    from procmap.findings import Finding
    from procmap.handbook.history import Revision
    from procmap.model import ProcessEntry, Role, Step, Transition, Workspace

__all__ = ["Handbook", "build_handbook", "file_stem"]

KIND_LABELS = {
    "start": N_("Start"), "end": N_("End"), "task": N_("Task"), "approval": N_("Approval"),
    "decision": N_("Decision"), "parallel": N_("Parallel"), "subprocess": N_("Subprocess"),
    "wait": N_("Wait"),
}
SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
_PLAIN = re.compile(r"\w[\w.-]*")
#: a page's file name without ".html", in bytes (file systems allow 255)
MAX_STEM_BYTES = 200


def file_stem(item_id: str) -> str:
    """A page's file name (without .html) for a process or role id: the id itself when
    it is a safe file name, else encoded as render's SVG ids (`_xHHHH_`, reversible, so
    two ids never share a file)."""
    stem = item_id if _PLAIN.fullmatch(item_id) and "_x" not in item_id \
        else encode_xml_id(item_id)
    if len(stem.encode("utf-8")) <= MAX_STEM_BYTES:
        return stem
    # file names end at 255 bytes: a long encoded id keeps its start and a hash of all
    digest = hashlib.sha256(item_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    head = stem.encode("utf-8")[:MAX_STEM_BYTES - 17].decode("utf-8", "ignore")
    return f"{head}-{digest}"


def duration(hours: float | None) -> str:
    return "" if hours is None else day_duration(hours)


@dataclass(frozen=True)
class Ref:
    """A link to a process or role page (`page` False: no page, show the text only)."""

    kind: str  # "processes" or "roles"
    id: str
    label: str
    stem: str
    page: bool = True


@dataclass
class Branch:
    target: Ref | None  # a step of the same process (anchor) or None
    target_label: str
    when: str
    probability: str


@dataclass
class StepView:
    number: int
    id: str
    anchor: str
    name: str
    kind: str
    kind_label: str
    role: Ref | None
    duration: str
    wait: str
    sla: str
    deadline: str
    system: str
    description: str
    instructions: Any  # Markup or ""
    inputs: list[str]
    outputs: list[str]
    accountable: Ref | None
    consulted: list[Ref]
    informed: list[Ref]
    subprocess: Ref | None
    of: str
    branches: list[Branch] = field(default_factory=list)
    work: bool = True


@dataclass
class FindingView:
    severity: str
    severity_label: str
    rule: str
    where: str
    message: str


@dataclass
class RaciView:
    roles: list[Ref]
    rows: list[tuple[StepView, list[str]]]


@dataclass
class ProcessView:
    ref: Ref
    entry: ProcessEntry
    description: str
    purpose: str
    scope: str
    owner: Ref | None
    version: str
    sla: str
    demand: str
    tags: list[str]
    file: str
    steps: list[StepView]
    raci: RaciView
    kpis: list[tuple[str, str, str]]  # label, value, css class
    findings: list[FindingView]
    calls: list[Ref]
    called_by: list[Ref] = field(default_factory=list)
    history: list[Revision] = field(default_factory=list)
    svg: Any = None  # sanitised Markup, filled by the site writer

    @property
    def decisions(self) -> list[StepView]:
        return [s for s in self.steps if s.branches and len(s.branches) > 1]


@dataclass
class Duty:
    process: Ref
    step: StepView


@dataclass
class LoadRow:
    process: Ref
    effort: str  # per case
    per_day: str  # hours per day at the process's demand
    utilization: str


@dataclass
class RoleView:
    ref: Ref
    role: Role | None
    description: str
    reports_to: Ref | None
    reports: list[Ref] = field(default_factory=list)
    owns: list[Ref] = field(default_factory=list)
    does: list[Duty] = field(default_factory=list)
    approvals: list[Duty] = field(default_factory=list)
    accountable: list[Duty] = field(default_factory=list)
    consulted: list[Duty] = field(default_factory=list)
    informed: list[Duty] = field(default_factory=list)
    load: list[LoadRow] = field(default_factory=list)
    hours_per_day: float = 0.0
    utilization: str = ""
    findings: list[FindingView] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Handbook:
    title: str
    processes: list[ProcessView]
    roles: list[RoleView]
    findings: list[Finding]
    files: int
    currency: str | None = None

    def search_items(self) -> list[dict[str, str]]:
        """The offline search index: a process, each of its steps, each role."""
        items: list[dict[str, str]] = []
        process_kind, step_kind, role_kind = _("process"), _("step"), _("role")
        for view in self.processes:
            url = f"processes/{view.ref.stem}.html"
            items.append({"t": view.ref.label, "k": process_kind, "u": url,
                          "x": " ".join([view.ref.label, view.ref.id, view.description,
                                         view.purpose, view.scope, *view.tags])})
            for step in view.steps:
                if not step.work:
                    continue
                text = " ".join([step.name, step.id, step.description, step.system,
                                 str(step.instructions), *step.inputs, *step.outputs,
                                 step.role.label if step.role else ""])
                items.append({"t": f"{step.name} · {view.ref.label}", "k": step_kind,
                              "u": f"{url}#{step.anchor}", "x": _plain(text)})
        for role in self.roles:
            items.append({"t": role.ref.label, "k": role_kind,
                          "u": f"roles/{role.ref.stem}.html",
                          "x": " ".join([role.ref.label, role.ref.id, role.description])})
        return items


_TAGS = re.compile(r"<[^>]*>")


def _plain(text: str) -> str:
    """Search text without the tags of rendered Markdown."""
    return _TAGS.sub(" ", text)


# ------------------------------------------------------------------ building


class _Refs:
    """Links to the pages of this handbook (roles and processes that have one)."""

    def __init__(self, workspace: Workspace, entries: Sequence[ProcessEntry]) -> None:
        self.roles = workspace.roles
        self.processes = {e.process.id: e for e in entries}
        self.all_processes = {e.process.id: e for e in workspace.processes}

    def role(self, role_id: str | None) -> Ref | None:
        if not role_id:
            return None
        entry = self.roles.get(role_id)
        label = entry.role.label if entry is not None else role_id
        return Ref("roles", role_id, label, file_stem(role_id), page=True)

    def process(self, process_id: str | None) -> Ref | None:
        if not process_id:
            return None
        entry = self.all_processes.get(process_id)
        label = entry.process.label if entry is not None else process_id
        return Ref("processes", process_id, label, file_stem(process_id),
                   page=process_id in self.processes)


def _finding_view(finding: Finding) -> FindingView:
    label = finding.severity.label
    where = f"{finding.file}:{finding.line}:{finding.column}"
    return FindingView(label, _(SEVERITY_LABELS.get(label, label)), finding.rule, where,
                       finding.message)


def _step_view(number: int, step: Step, process_steps: dict[str, Step], refs: _Refs,
               markdown: Callable[[str], Any]) -> StepView:
    from procmap.model import WORK_KINDS

    kind = step.kind.value
    branches = [_branch(transition, process_steps) for transition in step.next]
    return StepView(
        number=number, id=step.id, anchor="step-" + encode_xml_id(step.id), name=step.label,
        kind=kind, kind_label=_(KIND_LABELS[kind]), role=refs.role(step.role),
        duration=duration(step.duration) if step.duration else "",
        wait=duration(step.wait) if step.wait else "", sla=duration(step.sla),
        deadline=duration(step.deadline), system=step.system or "",
        description=step.description or "",
        instructions=markdown(step.instructions) if step.instructions else "",
        inputs=list(step.inputs), outputs=list(step.outputs),
        accountable=refs.role(step.accountable),
        consulted=[r for r in map(refs.role, step.consulted) if r],
        informed=[r for r in map(refs.role, step.informed) if r],
        subprocess=refs.process(step.process) if kind == "subprocess" else None,
        of=step.of or "", branches=branches, work=step.kind in WORK_KINDS)


def _branch(transition: Transition, process_steps: dict[str, Step]) -> Branch:
    """Where a step's transition leads: a link to the target step, its condition and
    its probability."""
    target = process_steps.get(transition.to)
    return Branch(
        Ref("steps", transition.to, target.label if target else transition.to,
            "step-" + encode_xml_id(transition.to), page=target is not None),
        target.label if target else transition.to, transition.when or "",
        "" if transition.probability is None else f"{transition.probability * 100:.0f}%")


def _raci(matrix: Any, steps: dict[str, StepView], refs: _Refs) -> RaciView:
    roles = [r for r in map(refs.role, matrix.roles) if r]
    rows = [(steps[row.step], [row.letters(role) for role in matrix.roles])
            for row in matrix.rows if row.step in steps]
    return RaciView(roles, rows)


def _kpis(analysis: ProcessAnalysis | None, workspace: Workspace,
          currency: str | None) -> list[tuple[str, str, str]]:
    from procmap.analysis import wording

    if analysis is None or analysis.metrics is None:
        return []
    metrics = analysis.metrics
    sla = analysis.entry.process.sla
    kpis = [(_("expected lead time"), wording.hours(metrics.expected_lead_time_hours), ""),
            (_("worst lead time"), wording.hours(metrics.worst_lead_time_hours), "")]
    if sla is not None:
        met = metrics.worst_lead_time_hours <= sla + 1e-9
        kpis.append((_("SLA"), f"{wording.hours(sla)} {'✓' if met else '✗'}",
                     "ok" if met else "error"))
    kpis += [(_("flow efficiency"), wording.percent(metrics.flow_efficiency), ""),
             (_("effort per case"), wording.hours(metrics.effort_hours), ""),
             (_("handoffs per case"), wording.number(metrics.handoffs), ""),
             (_("approvals per case"), wording.number(metrics.approvals), "")]
    cost = _cost_per_case(metrics.effort_by_role, workspace)
    if cost is not None:
        kpis.append((_("cost per case"), f"{cost:,.2f}" + (f" {currency}" if currency else ""),
                     ""))
    return kpis


def _cost_per_case(effort_by_role: dict[str, float], workspace: Workspace) -> float | None:
    total, priced = 0.0, False
    for role_id, hours in effort_by_role.items():
        entry = workspace.roles.get(role_id)
        if entry is not None and entry.role.cost is not None:
            total += hours * entry.role.cost
            priced = True
    return total if priced else None


def _process_view(entry: ProcessEntry, analysis: ProcessAnalysis | None, matrix: Any,
                  findings: Iterable[Finding], refs: _Refs, workspace: Workspace,
                  currency: str | None, markdown: Callable[[str], Any]) -> ProcessView:
    process = entry.process
    steps = [_step_view(n, step, process.step_index, refs, markdown)
             for n, step in enumerate(process.steps, 1)]
    by_id = {s.id: s for s in steps}
    calls = [s.subprocess for s in steps if s.subprocess is not None]
    ref = refs.process(process.id)
    assert ref is not None
    return ProcessView(
        ref=ref, entry=entry, description=process.description or "",
        purpose=process.purpose or "", scope=process.scope or "",
        owner=refs.role(process.owner), version=process.version or "",
        sla=duration(process.sla),
        demand="" if process.demand is None else f"{process.demand:g}/d",
        tags=list(process.tags), file=entry.file, steps=steps,
        raci=_raci(matrix, by_id, refs),
        kpis=_kpis(analysis, workspace, currency),
        findings=[_finding_view(f) for f in findings],
        calls=list({c.id: c for c in calls}.values()))


def build_handbook(result: AuditResult, config: Config, extra: Sequence[Finding] = (),
                   title: str | None = None) -> Handbook:
    """The handbook of the audited processes (`result`), with `extra` findings (the
    handbook's own rule) shown where they belong."""
    from procmap.analysis.raci import build_matrices
    from procmap.handbook.markdown import to_html

    workspace = result.workspace
    entries = [a.entry for a in result.processes]
    refs = _Refs(workspace, entries)
    matrices = {m.process: m for m in build_matrices(workspace, entries)}
    findings = sorted([*result.findings, *extra], key=lambda f: f.sort_key)
    by_process: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.process is not None:
            by_process.setdefault(finding.process, []).append(finding)
    currency = getattr(config, "currency", None)
    views = [_process_view(a.entry, a, matrices[a.id], by_process.get(a.id, ()), refs,
                           workspace, currency, to_html) for a in result.processes]
    for view in views:
        for callee in view.calls:
            for other in views:
                if other.ref.id == callee.id:
                    other.called_by.append(view.ref)
    roles = _role_views(views, result, refs, findings)
    return Handbook(title or _("Operating handbook"), views, roles, findings,
                    result.files, currency)


# ------------------------------------------------------------------ roles


def _role_views(views: Sequence[ProcessView], result: AuditResult, refs: _Refs,
                findings: Sequence[Finding]) -> list[RoleView]:
    """A page for every role the processes name, and every role defined with them."""
    workspace = result.workspace
    named: dict[str, RoleView] = {}

    def view(role_id: str) -> RoleView:
        if role_id not in named:
            ref = refs.role(role_id)
            assert ref is not None
            entry = workspace.roles.get(role_id)
            role = entry.role if entry is not None else None
            named[role_id] = RoleView(ref, role, (role.description or "") if role else "",
                                      refs.role(role.reports_to) if role else None)
        return named[role_id]

    for role_id, entry in workspace.roles.items():
        if not entry.from_project:
            view(role_id)
    for process in views:
        _collect_duties(process, view)
    for role_view in list(named.values()):
        if role_view.reports_to is not None:
            view(role_view.reports_to.id)
    for role_id, role_view in named.items():
        role_view.reports = [other.ref for other in named.values()
                             if other.role is not None and other.role.reports_to == role_id]
    _load(named, result)
    for finding in findings:
        if finding.role in named and finding.step is None:
            named[finding.role].findings.append(_finding_view(finding))
    for role_view in named.values():
        role_view.facts = _facts(role_view.role)
    order = {role_id: n for n, role_id in enumerate(workspace.roles)}
    return sorted(named.values(), key=lambda r: (order.get(r.ref.id, len(order)), r.ref.id))


def _collect_duties(process: ProcessView, view: Callable[[str], RoleView]) -> None:
    if process.owner is not None:
        view(process.owner.id).owns.append(process.ref)
    for step in process.steps:
        duty = Duty(process.ref, step)
        if step.role is not None:
            view(step.role.id).does.append(duty)
            if step.kind == "approval":
                view(step.role.id).approvals.append(duty)
        accountable = step.accountable or (process.owner if step.work else None)
        if accountable is not None:
            view(accountable.id).accountable.append(duty)
        for ref in step.consulted:
            view(ref.id).consulted.append(duty)
        for ref in step.informed:
            view(ref.id).informed.append(duty)


def _load(named: dict[str, RoleView], result: AuditResult) -> None:
    """Each role's work per case and per day in every process, and its utilization
    across all of them (hours per day over capacity x availability)."""
    from procmap.analysis import wording

    for analysis in result.processes:
        metrics = analysis.metrics
        if metrics is None:
            continue
        ref = Ref("processes", analysis.id, analysis.entry.process.label,
                  file_stem(analysis.id))
        demand = metrics.demand_per_day
        for role_id, effort in metrics.effort_by_role.items():
            if role_id not in named:
                continue
            per_day = effort * demand if demand is not None else None
            if per_day is not None:
                named[role_id].hours_per_day += per_day
            share = metrics.utilization.get(role_id)
            named[role_id].load.append(LoadRow(
                ref, wording.hours(effort), "" if per_day is None else wording.hours(per_day),
                "" if share is None else wording.percent(share)))
    for role_view in named.values():
        role = role_view.role
        if role is not None and role_view.hours_per_day and role.capacity * role.availability:
            role_view.utilization = wording.percent(
                role_view.hours_per_day / (role.capacity * role.availability))


def _facts(role: Role | None) -> list[tuple[str, str]]:
    from procmap.analysis import wording

    if role is None:
        return []
    facts = [(_("people"), wording.number(role.capacity)),
             (_("available"), _("{hours} per person per day").format(
                 hours=wording.hours(role.availability)))]
    if role.calendar:
        facts.append((_("working hours"), role.calendar
                      + (f" ({role.timezone})" if role.timezone else "")))
    if role.cost is not None:
        facts.append((_("cost per hour"), f"{role.cost:g}"))
    return facts
