"""The `conform` phase rules: findings about what the event log shows, at the YAML line
of the step, transition or process concerned (conform.md, "What it reports")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from procmap.rules.base import Path, Rule, ValidateContext

if TYPE_CHECKING:
    from procmap.config import Config
    from procmap.conform.compare import ConformResult, ProcessReport
    from procmap.findings import Finding
    from procmap.model import Workspace


class ConformContext(ValidateContext):
    """What conform rules see: the workspace, the measured result and the thresholds."""

    def __init__(self, workspace: Workspace, result: ConformResult, config: Config) -> None:
        super().__init__(workspace)
        self.result = result
        self.config = config

    @property
    def reports(self) -> Iterator[ProcessReport]:
        yield from self.result.processes

    def threshold(self, name: str) -> float:
        return self.config.threshold(name)

    def at_process(self, rule: Rule, report: ProcessReport, message: str, *path: str | int,
                   **extra: Any) -> Finding:
        where: Path = path or ("id",)
        return self.report(rule, report.entry.doc, where, message,
                           process=report.entry.process.id, **extra)

    def at(self, rule: Rule, report: ProcessReport, step_id: str, message: str,
           *field: str | int, **extra: Any) -> Finding:
        """A finding on a step's field when the step writes it, else on the step."""
        entry = report.entry
        step = entry.process.step(step_id)
        written = step is not None and field and field[0] in step.model_fields_set
        finding = self.at_step(rule, entry, step_id, message, *(field if written else ()))
        if extra:
            finding.extra.update(extra)
        return finding


def label(report: ProcessReport, step_id: str | None) -> str:
    """A step's display name (its id when it has none)."""
    if step_id is None:
        return "?"
    step = report.entry.process.step(step_id)
    return step.label if step is not None else step_id
