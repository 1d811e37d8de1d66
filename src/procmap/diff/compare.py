"""Two audited versions of a process repository -> a DiffReport.

Matching is by id, never by file or position: a process is the same process when its
`id` is the same (so a renamed file, or a process moved to another file, is matched);
steps by step id within their process; transitions by (from step, to step); roles by
role id across the whole invocation. Findings are matched by (rule, process, step,
role), ignoring lines, which move with every edit; file-level findings that name none
of those (a YAML syntax error) are matched by file as well.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from procmap.diff.audit_adapter import Audited
from procmap.diff.model import (
    ADDED,
    AFFECTED,
    CHANGED,
    REMOVED,
    UNCHANGED,
    Change,
    DiffReport,
    FindingChanges,
    Flow,
    FlowChange,
    MetricChange,
    ProcessDiff,
    RoleChange,
    RoleSummary,
    SeverityChange,
    Side,
    StepChange,
    StepSummary,
)
from procmap.findings import Finding, Severity
from procmap.i18n import N_, _
from procmap.model import Process, Role, Step

#: the audit metrics a diff reports, in order: (JSON key, label, unit, lower is better)
METRICS: tuple[tuple[str, str, str, bool | None], ...] = (
    ("expected_lead_time_hours", N_("expected lead time"), "hours", True),
    ("worst_lead_time_hours", N_("worst lead time"), "hours", True),
    ("effort_hours", N_("effort per case"), "hours", True),
    ("flow_efficiency", N_("flow efficiency"), "ratio", False),
    ("handoffs", N_("handoffs per case"), "count", True),
    ("approvals", N_("approvals per case"), "count", True),
    ("steps", N_("steps"), "count", None),
)
#: per-role utilization, under `utilization` in the audit JSON
UTILIZATION = "utilization"

PROCESS_FIELDS = ("name", "description", "owner", "version", "sla", "demand", "tags",
                  "x-ignore")
STEP_FIELDS = ("name", "kind", "role", "duration", "wait", "sla", "deadline",
               "accountable", "consulted", "informed", "of", "process", "system",
               "description", "x-ignore")
FLOW_FIELDS = ("when", "probability")
ROLE_FIELDS = ("name", "capacity", "availability", "reports_to", "description")


def compare(old: Audited, new: Audited, old_label: str, new_label: str) -> DiffReport:
    new_metrics = _metrics_by_process(new.report)
    findings = match_findings(_findings(old.report), _findings(new.report))
    findings = _set_aside_unchecked(findings, {
        pid for pid, metrics in new_metrics.items() if metrics is None})
    roles_added, roles_removed, roles_changed = _role_diff(old, new)
    return DiffReport(
        old=Side(old_label, int(old.report.get("files", 0))),
        new=Side(new_label, int(new.report.get("files", 0))),
        processes=_process_diffs(old, new, new_metrics, findings),
        roles_added=roles_added, roles_removed=roles_removed, roles_changed=roles_changed,
        findings=findings)


def _process_diffs(old: Audited, new: Audited,
                   new_metrics: dict[str, dict[str, Any] | None],
                   findings: FindingChanges) -> tuple[ProcessDiff, ...]:
    """One diff per process of either side, the new version's order first."""
    old_metrics = _metrics_by_process(old.report)
    old_processes = {e.process.id: e for e in reversed(old.workspace.processes)}
    new_processes = {e.process.id: e for e in reversed(new.workspace.processes)}
    order = [*(e.process.id for e in new.workspace.processes),
             *(e.process.id for e in old.workspace.processes)]
    processes = []
    for process_id in dict.fromkeys(order):
        old_entry, new_entry = old_processes.get(process_id), new_processes.get(process_id)
        processes.append(_process_diff(
            process_id,
            (old_entry.process, old_entry.file) if old_entry else None,
            (new_entry.process, new_entry.file) if new_entry else None,
            old_metrics.get(process_id), new_metrics.get(process_id),
            findings.for_process(process_id)))
    return tuple(processes)


def _role_diff(old: Audited, new: Audited) -> tuple[
        tuple[RoleSummary, ...], tuple[RoleSummary, ...], tuple[RoleChange, ...]]:
    """Roles added, removed, and changed between the two workspaces."""
    old_roles = {rid: entry.role for rid, entry in old.workspace.roles.items()}
    new_roles = {rid: entry.role for rid, entry in new.workspace.roles.items()}
    added = tuple(_role_summary(r) for rid, r in new_roles.items() if rid not in old_roles)
    removed = tuple(_role_summary(r) for rid, r in old_roles.items()
                    if rid not in new_roles)
    changed = tuple(
        RoleChange(rid, role.name, changes) for rid, role in new_roles.items()
        if rid in old_roles
        and (changes := _changes(old_roles[rid], role, ROLE_FIELDS, _role_value)))
    return added, removed, changed


# -- findings ---------------------------------------------------------------------------

def _findings(report: Mapping[str, Any]) -> list[Finding]:
    return [finding_from_json(item) for item in report.get("findings", [])]


def finding_from_json(data: Mapping[str, Any]) -> Finding:
    known = {"file", "line", "column", "rule", "severity", "message", "process", "step",
             "role", "cost_hours"}
    return Finding(
        file=str(data.get("file", "")), line=int(data.get("line", 0)),
        column=int(data.get("column", 0)), rule=str(data.get("rule", "")),
        severity=Severity.parse(str(data.get("severity", "error"))),
        message=str(data.get("message", "")), process=data.get("process"),
        step=data.get("step"), role=data.get("role"), cost_hours=data.get("cost_hours"),
        extra={k: v for k, v in data.items() if k not in known})


def finding_key(finding: Finding) -> tuple[str | None, ...]:
    """What makes two findings "the same" across versions: never the line."""
    key = (finding.rule, finding.process, finding.step, finding.role)
    if finding.process is None and finding.step is None and finding.role is None:
        return (*key, finding.file)
    return key


def match_findings(old: Sequence[Finding], new: Sequence[Finding]) -> FindingChanges:
    """Introduced, resolved, and matched findings whose severity changed.

    Findings with the same key are paired in order (a rule may report twice on a step),
    so only the surplus on either side counts as introduced or resolved.
    """
    waiting: dict[tuple[str | None, ...], list[Finding]] = defaultdict(list)
    for finding in sorted(old, key=lambda f: f.sort_key):
        waiting[finding_key(finding)].append(finding)
    introduced, changed = [], []
    for finding in sorted(new, key=lambda f: f.sort_key):
        candidates = waiting.get(finding_key(finding))
        if not candidates:
            introduced.append(finding)
            continue
        previous = candidates.pop(0)
        if previous.severity is not finding.severity:
            changed.append(SeverityChange(previous, finding))
    resolved = sorted((f for group in waiting.values() for f in group),
                      key=lambda f: f.sort_key)
    return FindingChanges(tuple(_worst_first(introduced)), tuple(_worst_first(resolved)),
                          tuple(changed))


def _set_aside_unchecked(changes: FindingChanges, not_analysed: set[str]
                         ) -> FindingChanges:
    """An audit finding of a process the new version could not analyse (validation
    errors) is not resolved: nobody looked."""
    from procmap.rules import all_rules

    rules = all_rules()

    def unchecked(finding: Finding) -> bool:
        module = rules.get(finding.rule)
        return finding.process in not_analysed and (module is None
                                                    or module.rule.phase == "audit")

    if not not_analysed:
        return changes
    return replace(changes,
                   resolved=tuple(f for f in changes.resolved if not unchecked(f)),
                   unchecked=tuple(f for f in changes.resolved if unchecked(f)))


def _worst_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-int(f.severity), f.sort_key))


# -- metrics ----------------------------------------------------------------------------

def _metrics_by_process(report: Mapping[str, Any]) -> dict[str, dict[str, Any] | None]:
    return {str(p["id"]): p.get("metrics") for p in report.get("processes", [])
            if isinstance(p, dict) and "id" in p}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def metric_changes(old: Mapping[str, Any] | None,
                   new: Mapping[str, Any] | None) -> tuple[MetricChange, ...]:
    """Every metric of either side, old against new (a side without metrics: None)."""
    old, new = old or {}, new or {}
    changes = [MetricChange(key, label, unit, _number(old.get(key)), _number(new.get(key)),
                            lower)
               for key, label, unit, lower in METRICS if key in old or key in new]
    old_use, new_use = old.get(UTILIZATION) or {}, new.get(UTILIZATION) or {}
    for role in dict.fromkeys([*new_use, *old_use]):
        changes.append(MetricChange(f"{UTILIZATION}.{role}", f"utilization of {role}",
                                    "ratio", _number(old_use.get(role)),
                                    _number(new_use.get(role)), True))
    return tuple(changes)


def _critical_path(metrics: Mapping[str, Any] | None) -> tuple[str, ...] | None:
    path = (metrics or {}).get("critical_path")
    return tuple(str(step) for step in path) if isinstance(path, list) else None


# -- structure --------------------------------------------------------------------------

def _process_diff(process_id: str, old: tuple[Process, str] | None,
                  new: tuple[Process, str] | None, old_metrics: dict[str, Any] | None,
                  new_metrics: dict[str, Any] | None,
                  findings: FindingChanges) -> ProcessDiff:
    metrics = metric_changes(old_metrics, new_metrics)
    paths = (_critical_path(old_metrics), _critical_path(new_metrics))
    not_analysed = (_why_not(old, old_metrics), _why_not(new, new_metrics))
    if new is None or old is None:
        return _one_sided_diff(process_id, old, new, metrics, paths, not_analysed,
                               findings)
    diff = _changed_diff(process_id, old, new, metrics, paths, not_analysed, findings)
    if diff.edited:
        return diff
    moved = any(m.changed for m in metrics) or paths[0] != paths[1] or bool(findings)
    return replace(diff, status=AFFECTED if moved else UNCHANGED)


def _one_sided_diff(process_id: str, old: tuple[Process, str] | None,
                    new: tuple[Process, str] | None, metrics: tuple[MetricChange, ...],
                    paths: tuple[tuple[str, ...] | None, tuple[str, ...] | None],
                    not_analysed: tuple[str | None, str | None],
                    findings: FindingChanges) -> ProcessDiff:
    """A process only one side has: added (no old) or removed (no new)."""
    process = (new or old)[0]  # type: ignore[index]
    summaries = tuple(_step_summary(s) for s in process.steps)
    added = old is None
    return ProcessDiff(
        process_id, process.label, ADDED if added else REMOVED,
        old_file=old[1] if old else None, new_file=new[1] if new else None,
        steps_added=summaries if added else (),
        steps_removed=summaries if new is None else (),
        metrics=metrics, critical_path=paths, demand_per_day=process.demand,
        step_counts=(None, len(process.steps)) if added else (len(process.steps), None),
        not_analysed=not_analysed, findings=findings)


def _changed_diff(process_id: str, old: tuple[Process, str], new: tuple[Process, str],
                  metrics: tuple[MetricChange, ...],
                  paths: tuple[tuple[str, ...] | None, tuple[str, ...] | None],
                  not_analysed: tuple[str | None, str | None],
                  findings: FindingChanges) -> ProcessDiff:
    """A process both sides have, marked CHANGED (the caller downgrades it if nothing
    was edited)."""
    (before, old_file), (after, new_file) = old, new
    fields = list(_changes(before, after, PROCESS_FIELDS, _process_value))
    if old_file != new_file:
        fields.insert(0, Change("file", old_file, new_file))
    old_steps, new_steps = before.step_index, after.step_index
    old_flows, new_flows = _flows(before), _flows(after)
    old_lanes, new_lanes = _lanes(before), _lanes(after)
    return ProcessDiff(
        process_id, after.label, CHANGED, old_file, new_file, fields=tuple(fields),
        steps_added=tuple(_step_summary(s) for sid, s in new_steps.items()
                          if sid not in old_steps),
        steps_removed=tuple(_step_summary(s) for sid, s in old_steps.items()
                            if sid not in new_steps),
        steps_changed=_steps_changed(old_steps, new_steps),
        flows_added=tuple(f for key, f in new_flows.items() if key not in old_flows),
        flows_removed=tuple(f for key, f in old_flows.items() if key not in new_flows),
        flows_changed=_flows_changed(old_flows, new_flows),
        lanes_added=tuple(r for r in new_lanes if r not in old_lanes),
        lanes_removed=tuple(r for r in old_lanes if r not in new_lanes),
        metrics=metrics, critical_path=paths, demand_per_day=after.demand,
        step_counts=(len(before.steps), len(after.steps)),
        not_analysed=not_analysed, findings=findings)


def _steps_changed(old_steps: Mapping[str, Step], new_steps: Mapping[str, Step]
                   ) -> tuple[StepChange, ...]:
    return tuple(
        StepChange(sid, step.name, changes) for sid, step in new_steps.items()
        if sid in old_steps
        and (changes := _changes(old_steps[sid], step, STEP_FIELDS, _step_value)))


def _flows_changed(old_flows: Mapping[tuple[str, str], Flow],
                   new_flows: Mapping[tuple[str, str], Flow]) -> tuple[FlowChange, ...]:
    return tuple(
        FlowChange(key[0], key[1], changes) for key, flow in new_flows.items()
        if key in old_flows
        and (changes := _changes(old_flows[key], flow, FLOW_FIELDS, getattr)))


def _why_not(side: tuple[Process, str] | None, metrics: dict[str, Any] | None
             ) -> str | None:
    if side is None or metrics is not None:
        return None
    return _("not analysed (see its findings)")


def _changes(old: Any, new: Any, names: Sequence[str], value: Any) -> tuple[Change, ...]:
    changes = []
    for name in names:
        before, after = value(old, name), value(new, name)
        if before != after:
            changes.append(Change(name, before, after))
    return tuple(changes)


def _extension(node: Process | Step, name: str) -> Any:
    value = node.extensions.get(name)
    if isinstance(value, str):
        return [value]
    return sorted(str(v) for v in value) if isinstance(value, list) else value


def _process_value(process: Process, name: str) -> Any:
    if name.startswith("x-"):
        return _extension(process, name)
    value = getattr(process, name)
    return list(value) if isinstance(value, list) else value


def _step_value(step: Step, name: str) -> Any:
    if name.startswith("x-"):
        return _extension(step, name)
    value = getattr(step, name)
    if name == "kind":
        return value.value
    if hasattr(value, "p90"):  # a {median, p90} duration (model.fields.Spread)
        return {"median": value.median, "p90": value.p90, "mean": float(value)}
    return list(value) if isinstance(value, list) else value


def _role_value(role: Role, name: str) -> Any:
    return getattr(role, name)


def _step_summary(step: Step) -> StepSummary:
    return StepSummary(step.id, step.name, step.kind.value, step.role, step.wait,
                       step.duration)


def _role_summary(role: Role) -> RoleSummary:
    return RoleSummary(role.id, role.name, role.capacity, role.availability)


def _flows(process: Process) -> dict[tuple[str, str], Flow]:
    flows: dict[tuple[str, str], Flow] = {}
    for step in process.step_index.values():
        for transition in step.next:
            flows.setdefault((step.id, transition.to), Flow(
                step.id, transition.to, transition.when, transition.probability))
    return flows


def _lanes(process: Process) -> list[str]:
    return list(dict.fromkeys(s.role for s in process.steps if s.role is not None))
