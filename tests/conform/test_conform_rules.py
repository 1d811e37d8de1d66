"""Every conform rule on its fixture folder (tests/fixtures/conform/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from procmap.config import Config
from procmap.conform.run import Options, run_conform
from procmap.findings import Finding, Severity
from procmap.pipeline import validate_paths
from procmap.rules.catalog import rules_of

FIXTURES = Path(__file__).parent.parent / "fixtures" / "conform"
RULES = sorted(m.rule.id for m in rules_of("conform"))


def _findings(folder: Path, model: str, rule: str) -> list[Finding]:
    validation = validate_paths([str(folder / model)], Config())
    result = run_conform(str(folder / "log.csv"), validation, Config(), Options())
    return [f for f in result.findings if f.rule == rule and f.severity >= Severity.WARNING]


def test_every_conform_rule_has_a_fixture_folder() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == RULES


@pytest.mark.parametrize("rule", RULES)
def test_fail_fixture_gives_the_expected_findings(rule: str) -> None:
    folder = FIXTURES / rule
    expected: list[dict[str, Any]] = yaml.safe_load(
        (folder / "expected.yaml").read_text(encoding="utf-8"))
    found = _findings(folder, "fail.yaml", rule)
    assert [(f.line, f.column, f.severity.label) for f in found] == [
        (e["line"], e["column"], e["severity"]) for e in expected]
    for finding, entry in zip(found, expected, strict=True):
        assert entry["message"] in finding.message


@pytest.mark.parametrize("rule", RULES)
def test_pass_fixture_gives_no_warning(rule: str) -> None:
    assert _findings(FIXTURES / rule, "pass.yaml", rule) == []
