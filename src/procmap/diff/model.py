"""What a diff is made of: frozen records, with their JSON form (`--format json`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procmap.findings import Finding, Severity

#: below this, a metric did not change (the audit JSON rounds to 4 decimals)
EPSILON = 1e-9


@dataclass(frozen=True)
class Change:
    """One field that differs; values are JSON-ready (durations in hours)."""

    field: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class StepSummary:
    """A step that was added or removed."""

    id: str
    name: str | None
    kind: str
    role: str | None
    wait: float
    duration: float

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "role": self.role,
                "wait_hours": self.wait, "duration_hours": self.duration}


@dataclass(frozen=True)
class ElementChange:
    """The changed fields of one step or role, matched by id."""

    id: str
    name: str | None
    changes: tuple[Change, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name,
                "changes": [c.to_json() for c in self.changes]}


class StepChange(ElementChange):
    """A step whose fields changed."""


@dataclass(frozen=True)
class Flow:
    """A transition `source -> target`."""

    source: str
    target: str
    when: str | None = None
    probability: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "when": self.when,
                "probability": self.probability}


@dataclass(frozen=True)
class FlowChange:
    source: str
    target: str
    changes: tuple[Change, ...]

    def to_json(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target,
                "changes": [c.to_json() for c in self.changes]}


@dataclass(frozen=True)
class MetricChange:
    """An audit metric on both sides (None: the side has no such value)."""

    metric: str  # the key in the audit JSON; `utilization.<role>` per role
    label: str
    unit: str  # "hours" | "ratio" (shown as %) | "count"
    old: float | None
    new: float | None
    lower_is_better: bool | None  # None: neither direction is better

    @property
    def delta(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    @property
    def percent(self) -> float | None:
        """The relative change in %, when there is something to be relative to."""
        delta = self.delta
        if delta is None or self.old is None or abs(self.old) < EPSILON:
            return None
        return delta / abs(self.old) * 100

    @property
    def changed(self) -> bool:
        if self.old is None or self.new is None:
            return (self.old is None) != (self.new is None)
        return abs(self.new - self.old) > EPSILON

    @property
    def worse(self) -> bool | None:
        """Whether the change makes the process worse (None: neutral or unknown)."""
        delta = self.delta
        if delta is None or self.lower_is_better is None or not self.changed:
            return None
        return (delta > 0) == self.lower_is_better

    def to_json(self) -> dict[str, Any]:
        delta, percent = self.delta, self.percent
        return {"metric": self.metric, "old": self.old, "new": self.new,
                "delta": None if delta is None else round(delta, 4),
                "percent": None if percent is None else round(percent, 2),
                "worse": self.worse}


@dataclass(frozen=True)
class SeverityChange:
    """The same finding (rule, process, step, role) with another severity."""

    old: Finding
    new: Finding

    @property
    def escalated(self) -> bool:
        return self.new.severity > self.old.severity

    def to_json(self) -> dict[str, Any]:
        return {**self.new.to_json(), "old_severity": self.old.severity.label}


@dataclass(frozen=True)
class FindingChanges:
    introduced: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()
    severity_changed: tuple[SeverityChange, ...] = ()
    #: audit findings of the old version that could not be checked in the new one (the
    #: process was not analysed there): neither resolved nor still there
    unchecked: tuple[Finding, ...] = ()

    @property
    def failing(self) -> tuple[Finding, ...]:
        """What `--fail-on` looks at: new findings, and findings made more severe."""
        return (*self.introduced, *(c.new for c in self.severity_changed if c.escalated))

    def for_process(self, process: str) -> FindingChanges:
        return FindingChanges(
            tuple(f for f in self.introduced if f.process == process),
            tuple(f for f in self.resolved if f.process == process),
            tuple(c for c in self.severity_changed if c.new.process == process),
            tuple(f for f in self.unchecked if f.process == process))

    def __bool__(self) -> bool:
        return bool(self.introduced or self.resolved or self.severity_changed)

    def to_json(self) -> dict[str, Any]:
        return {"introduced": [f.to_json() for f in self.introduced],
                "resolved": [f.to_json() for f in self.resolved],
                "severity_changed": [c.to_json() for c in self.severity_changed],
                "unchecked": [f.to_json() for f in self.unchecked]}


#: process statuses: edited in the files, or only affected (through roles or a called
#: subprocess: metrics or findings moved), or neither
ADDED, REMOVED, CHANGED, AFFECTED, UNCHANGED = (
    "added", "removed", "changed", "affected", "unchanged")


@dataclass(frozen=True)
class ProcessDiff:
    id: str
    name: str
    status: str
    old_file: str | None
    new_file: str | None
    fields: tuple[Change, ...] = ()
    steps_added: tuple[StepSummary, ...] = ()
    steps_removed: tuple[StepSummary, ...] = ()
    steps_changed: tuple[StepChange, ...] = ()
    flows_added: tuple[Flow, ...] = ()
    flows_removed: tuple[Flow, ...] = ()
    flows_changed: tuple[FlowChange, ...] = ()
    lanes_added: tuple[str, ...] = ()
    lanes_removed: tuple[str, ...] = ()
    metrics: tuple[MetricChange, ...] = ()
    critical_path: tuple[tuple[str, ...] | None, tuple[str, ...] | None] = (None, None)
    demand_per_day: float | None = None  # of the new version (the old one if removed)
    step_counts: tuple[int | None, int | None] = (None, None)
    not_analysed: tuple[str | None, str | None] = (None, None)  # why no metrics, per side
    findings: FindingChanges = field(default_factory=FindingChanges)

    @property
    def edited(self) -> bool:
        return bool(self.fields or self.steps_added or self.steps_removed
                    or self.steps_changed or self.flows_added or self.flows_removed
                    or self.flows_changed or self.lanes_added or self.lanes_removed)

    @property
    def changed_metrics(self) -> tuple[MetricChange, ...]:
        return tuple(m for m in self.metrics if m.changed)

    def metric(self, key: str) -> MetricChange | None:
        return next((m for m in self.metrics if m.metric == key), None)

    def to_json(self) -> dict[str, Any]:
        old_path, new_path = self.critical_path
        return {
            "id": self.id, "name": self.name, "status": self.status,
            "old_file": self.old_file, "new_file": self.new_file,
            "step_counts": {"old": self.step_counts[0], "new": self.step_counts[1]},
            "fields": [c.to_json() for c in self.fields],
            "steps": {"added": [s.to_json() for s in self.steps_added],
                      "removed": [s.to_json() for s in self.steps_removed],
                      "changed": [s.to_json() for s in self.steps_changed]},
            "transitions": {"added": [f.to_json() for f in self.flows_added],
                            "removed": [f.to_json() for f in self.flows_removed],
                            "changed": [f.to_json() for f in self.flows_changed]},
            "roles": {"added": list(self.lanes_added), "removed": list(self.lanes_removed)},
            "metrics": {m.metric: m.to_json() for m in self.metrics},
            "critical_path": {"old": None if old_path is None else list(old_path),
                              "new": None if new_path is None else list(new_path)},
            "not_analysed": {"old": self.not_analysed[0], "new": self.not_analysed[1]},
            "findings": self.findings.to_json(),
        }


@dataclass(frozen=True)
class RoleSummary:
    id: str
    name: str | None
    capacity: float
    availability: float  # hours per day

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "capacity": self.capacity,
                "availability_hours_per_day": self.availability}


class RoleChange(ElementChange):
    """A role whose definition (capacity, availability, reports_to...) changed."""


@dataclass(frozen=True)
class Side:
    label: str  # a revision, a path, or "working tree"
    files: int  # procmap files read


@dataclass(frozen=True)
class DiffReport:
    old: Side
    new: Side
    processes: tuple[ProcessDiff, ...]
    roles_added: tuple[RoleSummary, ...] = ()
    roles_removed: tuple[RoleSummary, ...] = ()
    roles_changed: tuple[RoleChange, ...] = ()
    findings: FindingChanges = field(default_factory=FindingChanges)

    def with_status(self, *statuses: str) -> list[ProcessDiff]:
        return [p for p in self.processes if p.status in statuses]

    @property
    def roles_edited(self) -> bool:
        return bool(self.roles_added or self.roles_removed or self.roles_changed)

    @property
    def empty(self) -> bool:
        """Nothing to report: no process or role differs, no finding moved."""
        return not (self.with_status(ADDED, REMOVED, CHANGED, AFFECTED)
                    or self.roles_edited or self.findings)

    def counts(self) -> dict[str, int]:
        return {status: len(self.with_status(status))
                for status in (ADDED, REMOVED, CHANGED, AFFECTED, UNCHANGED)}

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "old": {"label": self.old.label, "files": self.old.files},
            "new": {"label": self.new.label, "files": self.new.files},
            "processes": [p.to_json() for p in self.processes],
            "roles": {"added": [r.to_json() for r in self.roles_added],
                      "removed": [r.to_json() for r in self.roles_removed],
                      "changed": [r.to_json() for r in self.roles_changed]},
            "findings": self.findings.to_json(),
            "summary": {"processes": self.counts(),
                        "introduced": _by_severity(self.findings.introduced),
                        "resolved": _by_severity(self.findings.resolved)},
        }


def _by_severity(findings: tuple[Finding, ...]) -> dict[str, int]:
    counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
    for finding in findings:
        counts[finding.severity.label] += 1
    return counts
