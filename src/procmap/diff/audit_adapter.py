"""The one place `procmap diff` talks to the audit engine.

Everything downstream works on the JSON shape of `procmap audit --format json`
(rules.md): `{"files", "findings": [...], "processes": [{"id", "file", "metrics"}],
"summary"}`, so the diff depends on the documented contract, not on engine internals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from procmap.config import Config
from procmap.loader.document import Document
from procmap.model import Workspace


@dataclass(frozen=True)
class Audited:
    workspace: Workspace  # for the structure of the processes
    report: dict[str, Any]  # the audit JSON document


def audit_documents(documents: Sequence[Document], explicit: frozenset[str],
                    config: Config) -> Audited:
    """Validate and audit loaded documents, as `procmap audit` would the same files."""
    from procmap.analysis.audit import run_audit
    from procmap.pipeline import validate_documents
    from procmap.report.json_report import document

    validation = validate_documents(documents, explicit, config)
    result = run_audit(validation, config)
    return Audited(validation.workspace, document(result.findings, result.files,
                                       processes=result.process_json()))
