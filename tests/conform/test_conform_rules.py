"""Every conform rule on its fixture folder (tests/fixtures/rules/<rule-id>/, see its
README): each case folder holds the model and `log.csv`, the event log it is checked
against; `fail/` gives exactly the rule's findings at warning or above of `expected.yaml`
(observed values are reported as info on every step or transition the log shows),
`pass/` none of that rule at warning or above."""

from __future__ import annotations

from typing import Any

import pytest

from procmap.config import Config
from procmap.conform.run import Options, run_conform
from procmap.findings import Severity
from procmap.pipeline import validate_paths
from rule_fixtures import FIXTURES, check_findings, fail_cases, model_files, rules

RULES = rules("conform")


def _findings(rule: str, case: str, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    folder = FIXTURES / rule / case
    monkeypatch.chdir(folder)
    validation = validate_paths(model_files(folder), Config())
    result = run_conform("log.csv", validation, Config(), Options())
    return [{"file": f.file, "line": f.line, "column": f.column, "rule": f.rule,
             "severity": f.severity.label, "message": f.message}
            for f in result.findings if f.rule == rule and f.severity >= Severity.WARNING]


def test_every_conform_rule_has_a_fixture_folder() -> None:
    for rule in RULES:
        assert (FIXTURES / rule / "fail" / "log.csv").is_file(), rule
        assert (FIXTURES / rule / "pass" / "log.csv").is_file(), rule


@pytest.mark.parametrize(("rule", "case"), fail_cases(RULES))
def test_fail_fixture_gives_the_expected_findings(rule: str, case: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    check_findings(rule, case, _findings(rule, case, monkeypatch))


@pytest.mark.parametrize("rule", RULES)
def test_pass_fixture_gives_no_warning(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _findings(rule, "pass", monkeypatch) == []
