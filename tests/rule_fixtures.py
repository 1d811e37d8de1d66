"""The one fixture layout of every rule: `tests/fixtures/rules/<rule-id>/` (see its README).

Each phase's runner (tests/validate, tests/analysis, tests/simulate, tests/conform) finds
the findings of a case folder its own way and checks them with `check_findings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from procmap.rules.catalog import catalog

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
#: what a case folder may hold besides the model files given to the command
EXTRA_FILES = {"log.csv"}  # conform: the event log
#: the phases whose rules are checked on these folders (import rules are tested on BPMN
#: models in tests/bpmn, rule-error by making a rule fail in tests/validate/test_catalog.py)
FIXTURE_PHASES = ("load", "validate", "audit", "simulate", "conform")
#: the keys every expected finding states exactly
KEYS = ("file", "line", "column", "rule", "severity")


def rules(*phases: str) -> list[str]:
    """The ids of the rules of these phases, sorted."""
    return sorted(i for i, m in catalog().items() if m.rule.phase in phases)


def fail_cases(rule_ids: list[str]) -> list[tuple[str, str]]:
    """(rule id, `fail` or `fail-<case>`) of every failing case of these rules."""
    return sorted((rule, case.name) for rule in rule_ids for case in (FIXTURES / rule).iterdir()
                  if case.is_dir() and case.name.startswith("fail"))


def model_files(case: Path) -> list[str]:
    """The files of a case folder given together to the command, in name order."""
    return sorted(p.name for p in case.iterdir() if p.is_file() and p.name not in EXTRA_FILES)


def expected(rule: str, case: str) -> list[dict[str, Any]]:
    """The findings `expected.yaml` (`fail/`) or `expected-<case>.yaml` states."""
    path = FIXTURES / rule / f"expected{case[len('fail'):]}.yaml"
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return entries


def check_findings(rule: str, case: str, found: list[dict[str, Any]]) -> None:
    """`found` (dicts with the KEYS, `message` and maybe `cost_hours`) are exactly the
    expected findings of the case, in order; a `message` expected is a substring."""
    wanted = expected(rule, case)
    assert [{k: f[k] for k in KEYS} for f in found] == [{k: e[k] for k in KEYS}
                                                        for e in wanted]
    assert any(f["rule"] == rule for f in found), f"{rule}/{case} does not exercise {rule}"
    for finding, entry in zip(found, wanted, strict=True):
        message = str(finding["message"])
        assert message and "\n" not in message and "Traceback" not in message
        if "message" in entry:
            assert entry["message"] in message, finding
        if "cost_hours" in entry:
            if entry["cost_hours"] is None:
                assert finding["cost_hours"] is None, finding
            else:
                assert finding["cost_hours"] == pytest.approx(entry["cost_hours"], abs=1e-4)
