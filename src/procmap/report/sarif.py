"""SARIF 2.1.0: one run, every rule described in `tool.driver.rules`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from procmap import __version__
from procmap.findings import Finding, Severity
from procmap.text.escape import uri

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DOCS = "https://github.com/procmap/procmap/blob/main/docs/rules.md"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def document(findings: Sequence[Finding], files: int,
             thresholds: Mapping[str, float] | None = None) -> dict[str, Any]:
    """`thresholds`: configured values, shown in the rules' descriptions (else defaults)."""
    from procmap.rules import all_rules

    rules = all_rules()
    ids = list(rules)
    descriptors = [{
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("-")),
        "shortDescription": {"text": module.rule.describe(thresholds)},
        "fullDescription": {"text": module.doc.strip().split("\n\n")[0].replace("\n", " ")},
        "helpUri": f"{DOCS}#{rule_id}",
        "defaultConfiguration": {"level": _LEVELS[module.rule.severity]},
    } for rule_id, module in rules.items()]
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": _LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri(finding.file)},
                "region": {"startLine": max(finding.line, 1),
                           "startColumn": max(finding.column, 1)},
            }}],
        }
        if finding.rule in rules:
            result["ruleIndex"] = ids.index(finding.rule)
        properties = {k: v for k in ("process", "step", "role")
                      if (v := getattr(finding, k)) is not None}
        if finding.cost_hours is not None:
            properties["cost_hours"] = round(finding.cost_hours, 4)
        if properties:
            result["properties"] = properties
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "procmap", "version": __version__,
                                "informationUri": "https://github.com/procmap/procmap",
                                "rules": descriptors}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }


def render(findings: Sequence[Finding], files: int,
           thresholds: Mapping[str, float] | None = None) -> str:
    return json.dumps(document(findings, files, thresholds), ensure_ascii=False,
                      indent=2) + "\n"
