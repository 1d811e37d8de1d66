"""What a rule is, and the context rules report through.

A rule module has a docstring (what it flags, why it matters, a failing and a passing
example: it *is* the rule's documentation), a `RULE` describing it (id, default severity,
summary, phase and the options it reads from `[thresholds]`), and usually a `check(ctx)`
generator. Rules report by element (process, step, YAML path); the context locates the
element in its file. The engine applies configured severities and `x-ignore`.

`RULE` (and any `Option` it names) must be written with literals only: the catalog
(`procmap.rules.catalog`) reads it from the module's source without importing the module,
so that knowing a rule never loads the audit engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap.findings import Finding, Severity
from procmap.i18n import N_, _

if TYPE_CHECKING:
    from procmap.loader.document import Document
    from procmap.model import ProcessEntry, Workspace

Path = tuple[str | int, ...]

#: step kinds as messages name them (the YAML value `kind: task` stays English)
KIND_WORDS = {"start": N_("start step"), "end": N_("end step"), "task": N_("task step"),
              "approval": N_("approval step"), "decision": N_("decision step"),
              "parallel": N_("parallel step"), "subprocess": N_("subprocess step"),
              "wait": N_("wait step")}


def kind_word(kind: object) -> str:
    """A step kind in the interface language: `task` -> 任务."""
    value = str(getattr(kind, "value", kind))
    return _(KIND_WORDS[value]) if value in KIND_WORDS else value


#: where a rule runs: "load" (found while reading files), "validate", "audit",
#: "import" (about a BPMN model being imported), "simulate" (about simulated figures),
#: "conform" (what an event log shows, `procmap conform`), "engine" (about procmap itself)
PHASES = ("load", "validate", "audit", "import", "simulate", "conform", "engine")


@dataclass(frozen=True)
class Option:
    """A number a rule reads from `[thresholds]`: its one default lives here."""

    name: str  # the key in [thresholds], kebab-case
    default: float
    help: str  # one line, for docs/rules.md and docs/configuration.md
    minimum: float = 0.0
    maximum: float = math.inf

    def check(self, value: object) -> float | str:
        """The value as a float, or why it is not acceptable."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _("must be a number, not {type}").format(type=type(value).__name__)
        number = float(value)
        if not math.isfinite(number):
            return _("must be a finite number")
        if not self.minimum <= number <= self.maximum:
            if math.isinf(self.maximum):
                return _("must be >= {minimum}").format(minimum=f"{self.minimum:g}")
            return _("must be >= {minimum} and <= {maximum}").format(
                minimum=f"{self.minimum:g}", maximum=f"{self.maximum:g}")
        return number


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    #: one line, for tables and SARIF; `{option-name}` stands for the option's value
    summary: str
    phase: str = "validate"
    options: tuple[Option, ...] = ()
    #: False for rules that guard what every later rule relies on (the file reads, it
    #: has the format's shape): they cannot be turned off, re-levelled or x-ignored
    configurable: bool = True

    def describe(self, values: Mapping[str, float] | None = None) -> str:
        """The summary, in the interface language, with the options' values (configured,
        else the defaults)."""
        summary = _(self.summary)
        if not self.options:
            return summary
        given = values or {}
        return summary.format_map({o.name: f"{given.get(o.name, o.default):g}"
                                   for o in self.options})


class RuleModule:
    """A rule of the catalog: its declaration and docs, and its check, imported on use."""

    def __init__(self, rule: Rule, doc: str, module: str,
                 check: Callable[[Any], Iterator[Finding]] | None = None) -> None:
        self.rule = rule
        self.doc = doc
        self.module = module  # dotted module name
        self._check = check
        self._loaded = check is not None

    @property
    def check(self) -> Callable[[Any], Iterator[Finding]] | None:
        if not self._loaded:
            import importlib

            self._check = getattr(importlib.import_module(self.module), "check", None)
            self._loaded = True
        return self._check

    def __repr__(self) -> str:
        return f"RuleModule({self.rule.id!r}, {self.module!r})"


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
