"""`procmap diff --format json`: the DiffReport as one JSON document (version 1)."""

from __future__ import annotations

import json

from procmap.diff.model import DiffReport


def render(report: DiffReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
