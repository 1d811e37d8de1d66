"""Helpers for the audit tests: YAML texts -> validated workspace -> analysis."""

from __future__ import annotations

import textwrap

from procmap.analysis.audit import AuditResult, run_audit
from procmap.analysis.metrics import ProcessAnalysis, ProcessMetrics, analyse_processes
from procmap.config import Config
from procmap.loader import load_text
from procmap.pipeline import Validation, validate_documents


def validation_of(*texts: str, config: Config | None = None) -> Validation:
    """Validate YAML texts as files p0.yaml, p1.yaml... given together."""
    documents = [load_text(textwrap.dedent(text), f"p{n}.yaml") for n, text in enumerate(texts)]
    return validate_documents(documents, frozenset(), config or Config())


def audit_of(*texts: str, config: Config | None = None) -> AuditResult:
    config = config or Config()
    return run_audit(validation_of(*texts, config=config), config)


def analysis_of(*texts: str) -> ProcessAnalysis:
    """The analysis of the first text's process (the others may be called by it)."""
    validation = validation_of(*texts)
    errors = [f for f in validation.findings if f.severity.label == "error"]
    assert not errors, errors
    return analyse_processes(validation.workspace, validation.workspace.processes[:1])[0]


def metrics_of(*texts: str) -> ProcessMetrics:
    analysis = analysis_of(*texts)
    assert analysis.metrics is not None, analysis.not_analysed
    return analysis.metrics


def process(steps: str, *, header: str = "", roles: str = "") -> str:
    """A process text around a `steps:` block (indented YAML list items)."""
    role_block = roles or """
        roles:
          - {id: a, capacity: 2}
          - {id: b, capacity: 2}
          - {id: c, capacity: 2}
    """
    return ("procmap: 1\nid: p\nname: p\n" + textwrap.dedent(header)
            + textwrap.dedent(role_block) + "steps:\n" + textwrap.indent(
                textwrap.dedent(steps).strip("\n"), "  ") + "\n")
