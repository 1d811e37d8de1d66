"""The one finding type shared by validate, audit, raci, diff and import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    """Ordered so that `severity >= threshold` means "fails the run"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


@dataclass(frozen=True)
class Finding:
    """A problem at a place: what every rule reports and every formatter prints.

    `line` and `column` are 1-based and point at the YAML node that is wrong; 0 means
    "the file as a whole". `cost_hours` orders audit findings: the expected lead time per
    case that removing the finding's cause saves; `cost_money` the work it saves per case,
    priced with the roles' `cost` (when they have one). `cause` (the model changes that
    remove the cause, `procmap.analysis.whatif`) and `suggestion` (the change a finding
    advises, `procmap.analysis.advice`) are for the engine and tests, never printed.
    """

    file: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    process: str | None = None
    step: str | None = None
    role: str | None = None
    cost_hours: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    cost_money: float | None = None
    cause: frozenset[Any] | None = field(default=None, compare=False, hash=False,
                                         repr=False)
    suggestion: Any = field(default=None, compare=False, hash=False, repr=False)
    #: the share of what removing `cause` saves that this finding claims (a bounce that
    #: only some of a step's cases make claims their share of the step's queue)
    cause_share: float = field(default=1.0, compare=False, hash=False, repr=False)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
        }
        for key in ("process", "step", "role"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.cost_hours is not None:
            data["cost_hours"] = round(self.cost_hours, 4) + 0.0
        if self.cost_money is not None:
            data["cost_money"] = round(self.cost_money, 2) + 0.0
        if self.extra:
            data.update(self.extra)
        return data

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity.label] += 1
    return counts
