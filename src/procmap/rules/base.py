"""What a rule is, and the context rules report through.

A rule module has a docstring (what it flags, why it matters, a failing and a passing
example: it *is* the rule's documentation), a `RULE` describing it, and usually a
`check(ctx)` generator. Rules report by element (process, step, YAML path); the context
locates the element in its file. The engine applies configured severities and `x-ignore`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap.findings import Finding, Severity

if TYPE_CHECKING:
    from procmap.loader.document import Document
    from procmap.model import ProcessEntry, Workspace

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str  # one line, for tables and SARIF
    phase: str = "validate"  # "load" (found while reading files), "validate", "audit"


@dataclass(frozen=True)
class RuleModule:
    rule: Rule
    doc: str
    check: Callable[[Any], Iterator[Finding]] | None


class ValidateContext:
    """What validate rules see: the workspace, and a way to report located findings."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._indices: dict[int, dict[str, int]] = {}

    @property
    def processes(self) -> list[ProcessEntry]:
        return self.workspace.processes

    def step_index(self, entry: ProcessEntry, step_id: str) -> int:
        """Position of a step in its file's `steps` list (its first definition)."""
        key = id(entry)
        indices = self._indices.get(key)
        if indices is None:
            indices = {}
            for index, step in enumerate(entry.process.steps):
                indices.setdefault(step.id, index)
            self._indices[key] = indices
        return indices.get(step_id, 0)

    def report(self, rule: Rule, doc: Document, path: Path, message: str, *,
               key: bool = False, process: str | None = None, step: str | None = None,
               role: str | None = None, **extra: Any) -> Finding:
        line, column = doc.locate(path, key=key)
        return Finding(doc.path, line, column, rule.id, rule.severity, message,
                       process=process, step=step, role=role, extra=extra)

    def at_step(self, rule: Rule, entry: ProcessEntry, step_id: str, message: str,
                *field: str | int, key: bool = False, role: str | None = None) -> Finding:
        """A finding on a step, or on one of its fields (`"next", 0, "to"`)."""
        path: Path = ("steps", self.step_index(entry, step_id), *field)
        return self.report(rule, entry.doc, path, message, key=key,
                           process=entry.process.id, step=step_id, role=role)
