"""The audit engine: validated workspace -> analysed processes -> audit findings.

Rules (`procmap.analysis.rules`, one module per rule id) read the metrics through an
`AuditContext` and report by element (process, step, role); the context locates the
element in its YAML file, the engine applies configured levels and `x-ignore`
(`procmap.pipeline.configure`). A rule may choose a finding's severity (role-overload and
rework-loop depend on a value); a level configured in procmap.toml overrides it.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from procmap.analysis.metrics import ProcessAnalysis, ProcessMetrics, analyse_processes
from procmap.findings import Finding, Severity
from procmap.rules.base import Path, Rule, ValidateContext

if TYPE_CHECKING:
    from procmap.analysis.organisation import RoleLoad
    from procmap.analysis.whatif import Change, Saving
    from procmap.config import Config
    from procmap.loader.document import Document
    from procmap.model import ProcessEntry, Role, Workspace
    from procmap.pipeline import Validation


@dataclass
class AuditResult:
    """Everything `procmap audit` reports."""

    files: int
    findings: list[Finding]  # validate and audit, configured, sorted by place
    processes: list[ProcessAnalysis]  # the selected processes, in input order
    workspace: Workspace
    audit_findings: dict[str, list[Finding]] = field(default_factory=dict)  # by process
    #: every role with work in an analysed process, across processes (organisation.py)
    roles: dict[str, RoleLoad] = field(default_factory=dict)
    currency: str | None = None  # [money] currency of procmap.toml
    #: [thresholds] utilization-warning in use (role-overload's option): reports mark
    #: roles from this utilization as highly loaded
    utilization_warning: float = 1.0

    @property
    def analysed(self) -> list[ProcessAnalysis]:
        return [p for p in self.processes if p.metrics is not None]

    def process_json(self) -> list[dict[str, Any]]:
        """The `processes` array of `audit --format json` (rules.md)."""
        return [{"id": p.id, "file": p.entry.file, "metrics": _metrics_json(p)}
                for p in self.processes]

    def roles_json(self) -> list[dict[str, Any]]:
        """The top-level `roles` list of `audit --format json` (rules.md)."""
        return [load.to_json() for load in self.roles.values()]


def _metrics_json(analysis: ProcessAnalysis) -> dict[str, Any] | None:
    if analysis.metrics is None:
        return None
    data = analysis.metrics.to_json()
    data["cost_per_case"] = None if analysis.cost_per_case is None \
        else round(analysis.cost_per_case, 2) + 0.0
    data["within_sla"] = analysis.within_sla
    return data


class AuditContext(ValidateContext):
    """What audit rules see: the analysed processes, thresholds, and located reports."""

    def __init__(self, workspace: Workspace, config: Config,
                 processes: list[ProcessAnalysis],
                 entries: list[ProcessEntry] | None = None,
                 roles: dict[str, RoleLoad] | None = None,
                 everything: list[ProcessAnalysis] | None = None) -> None:
        super().__init__(workspace)
        self.config = config
        self.all = processes  # the selected processes' analyses
        self.entries = entries if entries is not None else [p.entry for p in processes]
        #: every analysed process of the invocation (the organisation), selected or not
        self.everything = everything if everything is not None else processes
        if roles is None:
            from procmap.analysis.organisation import role_loads

            roles = role_loads(workspace, self.everything)
        self.roles = roles
        #: True while a suggestion is checked against the rules (advice.py): rules then
        #: skip their own advice checks
        self.advising = False
        #: the findings (rule, process, step, role) before any suggestion (advice.py)
        self.advice_baseline: set[tuple[str, str | None, str | None, str | None]] | None \
            = None

    def saving(self, analysis: ProcessAnalysis, changes: Collection[Change]) -> Saving:
        """What removing `changes` from the process saves per case (whatif.py)."""
        from procmap.analysis.whatif import saving

        return saving(analysis, changes, self.workspace)

    @property
    def analysed(self) -> Iterator[tuple[ProcessAnalysis, ProcessMetrics]]:
        """(analysis, metrics) of every selected process that has metrics."""
        for analysis in self.all:
            if analysis.metrics is not None:
                yield analysis, analysis.metrics

    def threshold(self, name: str) -> float:
        return self.config.threshold(name)

    def role(self, role_id: str | None) -> Role | None:
        if role_id is None:
            return None
        entry = self.workspace.roles.get(role_id)
        return entry.role if entry is not None else None

    def role_label(self, role_id: str) -> str:
        role = self.role(role_id)
        return role.label if role is not None else role_id

    @staticmethod
    def step_label(entry: ProcessEntry, step_id: str) -> str:
        """A step's name for people (its id when it has none)."""
        step = entry.process.step_index.get(step_id)
        return step.label if step is not None else step_id

    @staticmethod
    def process_label(entry: ProcessEntry) -> str:
        return entry.process.name or entry.process.id

    def at_step(self, rule: Rule, entry: ProcessEntry, step_id: str, message: str,
                *field: str | int, key: bool = False, role: str | None = None,
                cost: float | None = None, severity: Severity | None = None,
                cause: Collection[Change] | None = None, suggestion: Any = None,
                cause_share: float = 1.0) -> Finding:
        """A finding on a step, or on one of its fields (`"next", 0, "to"`). `cause`: the
        changes that remove it (its cost is what they save, set by the engine)."""
        path: Path = ("steps", self.step_index(entry, step_id), *field)
        return replace(self._finding(rule, entry.doc, path, key, message, entry.process.id,
                                     step_id, role, cost, severity),
                       cause=None if cause is None else frozenset(cause),
                       suggestion=suggestion, cause_share=cause_share)

    def at_process(self, rule: Rule, entry: ProcessEntry, message: str, *field: str | int,
                   key: bool = False, cost: float | None = None,
                   severity: Severity | None = None) -> Finding:
        """A finding on the process itself, or on one of its top-level keys (`sla`)."""
        data = entry.doc.data
        if not field or not isinstance(data, dict) or field[0] not in data:
            field, key = ("id",), False
        return self._finding(rule, entry.doc, tuple(field), key, message, entry.process.id,
                             None, None, cost, severity)

    def at_role(self, rule: Rule, entry: ProcessEntry, role_id: str, message: str, *,
                cost: float | None = None, severity: Severity | None = None,
                suggestion: Any = None, **extra: Any) -> Finding:
        """A finding on a role's definition (in a catalog or in the process), about its
        work in the process `entry`: its `capacity` when written, else the role."""
        definition = self.workspace.roles.get(role_id)
        if definition is not None:
            path: Path = definition.path
            if "capacity" in definition.role.model_fields_set:
                path = (*path, "capacity")
            doc = definition.doc
        else:
            path, doc = ("id",), entry.doc
        return replace(self._finding(rule, doc, path, False, message, entry.process.id,
                                     None, role_id, cost, severity, extra),
                       suggestion=suggestion)

    @staticmethod
    def _finding(rule: Rule, doc: Document, path: Path, key: bool, message: str,
                 process: str, step: str | None, role: str | None, cost: float | None,
                 severity: Severity | None, extra: dict[str, Any] | None = None) -> Finding:
        line, column = doc.locate(path, key=key)
        return Finding(doc.path, line, column, rule.id, severity or rule.severity, message,
                       process=process, step=step, role=role, cost_hours=cost,
                       extra=extra or {})


def blocked_processes(validation: Validation) -> dict[str, str]:
    """Processes validation errors keep from being analysed, with the reason."""
    files = {f.file for f in validation.findings if f.severity is Severity.ERROR}
    ids = {f.process for f in validation.findings
           if f.severity is Severity.ERROR and f.process is not None}
    return {entry.process.id: "fix the validation errors first"
            for entry in validation.workspace.processes
            if entry.process.id in ids or entry.file in files}


def run_audit(validation: Validation, config: Config, *,
              only: Collection[str] | None = None, phase: str = "audit") -> AuditResult:
    """Analyse the processes of a validated workspace and run the rules of `phase`
    ("audit" for `procmap audit`, "raci" for `procmap raci`). Processes with validation
    errors are not analysed; `only` selects processes by id."""
    workspace = validation.workspace
    selected = [e for e in workspace.processes if only is None or e.process.id in only]
    processes, found, roles = _audit(workspace, config, selected,
                                     blocked_processes(validation), phase)
    findings = sorted([*validation.findings, *found], key=lambda f: f.sort_key)
    return AuditResult(files=validation.files, findings=findings, processes=processes,
                       workspace=workspace,
                       audit_findings={p.id: p.findings for p in processes},
                       roles=roles, currency=config.currency,
                       utilization_warning=config.threshold("utilization-warning"))


def analyse_workspace(workspace: Workspace, config: Config,
                      only: Collection[str] | None = None) -> dict[str, ProcessAnalysis]:
    """Process id -> analysis with its audit findings, for callers that already know the
    processes are valid (`procmap render --highlight`)."""
    selected = [e for e in workspace.processes if only is None or e.process.id in only]
    processes, _, _ = _audit(workspace, config, selected, {}, "audit")
    return {p.id: p for p in processes}


def _audit(workspace: Workspace, config: Config, selected: list[ProcessEntry],
           blocked: dict[str, str], phase: str
           ) -> tuple[list[ProcessAnalysis], list[Finding], dict[str, RoleLoad]]:
    from procmap.analysis.costs import settle_costs
    from procmap.analysis.organisation import role_loads
    from procmap.pipeline import configure

    # Many small objects and no reference cycles to collect: the cyclic garbage collector
    # would only rescan them (the loader does the same, see MEASUREMENTS.md).
    collecting = gc.isenabled()
    gc.disable()
    try:
        everything: list[ProcessAnalysis] = []
        processes: list[ProcessAnalysis] = []
        if phase == "audit":  # the organisation: every process of the invocation
            everything = analyse_processes(workspace, workspace.processes, blocked)
            chosen = {id(e) for e in selected}
            processes = [a for a in everything if id(a.entry) in chosen]
        roles = role_loads(workspace, everything)
        _set_organisation_figures(everything, roles)
        context = AuditContext(workspace, config, processes, selected, roles, everything)
        raw = _run_rules(phase, config, context)
        found = settle_costs(configure(raw, workspace, config), context)
    finally:
        if collecting:
            gc.enable()
    _attach_findings(processes, found)
    return processes, found, roles


def _set_organisation_figures(everything: list[ProcessAnalysis],
                              roles: dict[str, RoleLoad]) -> None:
    """Cost per case, the SLA verdict and role utilization, from the organisation's load."""
    from procmap.analysis.organisation import cost_per_case, within_sla

    for analysis in everything:
        analysis.cost_per_case = cost_per_case(analysis, roles)
        analysis.within_sla = within_sla(analysis, roles)
        if analysis.metrics is not None:
            analysis.role_utilization = {
                r: u for r in analysis.metrics.effort_by_role
                if r in roles and (u := roles[r].utilization) is not None}


def _run_rules(phase: str, config: Config, context: AuditContext) -> list[Finding]:
    """The findings of the phase's rules that the configuration leaves switched on."""
    from procmap.analysis.rules import audit_rules
    from procmap.pipeline import run_rule

    raw: list[Finding] = []
    for module in audit_rules(phase):
        if config.severity(module.rule.id, module.rule.severity) is not None:
            raw.extend(run_rule(module, context))  # a rule that raises: rule-error
    return raw


def _attach_findings(processes: list[ProcessAnalysis], found: list[Finding]) -> None:
    """Give each analysed process the findings about it."""
    by_process = {p.id: p for p in processes}
    for finding in found:
        if finding.process in by_process:
            by_process[finding.process].findings.append(finding)


def by_cost(findings: Collection[Finding]) -> list[Finding]:
    """Worst first: severity, then what the finding costs per case (money when the roles
    have a `cost`, then hours), then place."""
    return sorted(findings, key=lambda f: (-int(f.severity), -(f.cost_money or 0.0),
                                           -(f.cost_hours or 0.0), f.sort_key))
