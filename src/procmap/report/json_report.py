"""`--format json`: one document, `{"version": 1, "files", "findings", "summary"}`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from procmap.findings import Finding, summarize


def document(findings: Sequence[Finding], files: int, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"version": 1, "files": files,
                            "findings": [f.to_json() for f in findings]}
    data.update(extra)
    data["summary"] = summarize(findings)
    return data


def render(findings: Sequence[Finding], files: int, **extra: Any) -> str:
    return json.dumps(document(findings, files, **extra), ensure_ascii=False, indent=2) + "\n"
