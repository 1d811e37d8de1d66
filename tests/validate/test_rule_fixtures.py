"""Every load and validate rule against its fixture folder (tests/fixtures/rules/<rule-id>/,
see its README)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from procmap.config import Config
from procmap.findings import Severity
from procmap.pipeline import validate_paths
from procmap.rules import validate_rules
from rule_fixtures import FIXTURE_PHASES, FIXTURES, check_findings, fail_cases, model_files, rules

RULES = rules("load", "validate")

# The validate rules of the contract (rules.md) with their default severity; procmap may
# add rules, but never drops or renames one of these.
CONTRACT = {
    "yaml-syntax": "error", "duplicate-key": "error", "yaml-alias": "error",
    "schema": "error", "duplicate-id": "error", "unknown-reference": "error",
    "single-start": "error", "end-required": "error", "invalid-transition": "error",
    "unreachable-step": "error", "no-path-to-end": "error", "decision-branches": "error",
    "probability-sum": "error", "duplicate-transition": "error",
    "implicit-split": "warning", "sla-below-duration": "warning",
    "reports-to-cycle": "error", "subprocess-cycle": "error", "unused-role": "warning",
    "missing-role": "error",
    # load-phase rules procmap adds to the catalog
    "yaml-tag": "error", "yaml-limit": "error", "encoding": "error", "not-procmap": "error",
}


def _validate(case: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    monkeypatch.chdir(case)
    result = validate_paths(model_files(case), Config())
    return [{"file": f.file, "line": f.line, "column": f.column, "rule": f.rule,
             "severity": f.severity.label, "message": f.message} for f in result.findings]


@pytest.mark.parametrize(("rule", "case"), fail_cases(RULES))
def test_failing_case_gives_the_expected_findings(rule: str, case: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Every finding of the case, of any rule, is expected."""
    check_findings(rule, case, _validate(FIXTURES / rule / case, monkeypatch))


@pytest.mark.parametrize("rule", RULES)
def test_passing_case_is_clean(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _validate(FIXTURES / rule / "pass", monkeypatch)
    assert found == []


def test_every_validate_rule_has_fixtures_and_docs() -> None:
    modules = validate_rules()
    ids = [m.rule.id for m in modules]
    assert len(ids) == len(set(ids)), "a rule id is registered twice"
    for module in modules:
        rule = module.rule
        folder = FIXTURES / rule.id
        assert (folder / "pass").is_dir(), f"{rule.id}: no passing fixture"
        assert (folder / "fail").is_dir(), f"{rule.id}: no failing fixture"
        assert (folder / "expected.yaml").is_file(), f"{rule.id}: no expected.yaml"
        doc = module.doc
        assert re.search(r"^Failing:\s*$", doc, re.M), f"{rule.id}: docstring lacks Failing:"
        assert re.search(r"^Passing:\s*$", doc, re.M), f"{rule.id}: docstring lacks Passing:"
        assert doc.index("Failing:") < doc.index("Passing:")
        first_line = doc.strip().splitlines()[0]
        assert len(first_line) > 10, f"{rule.id}: the docstring needs a summary line"
        assert rule.summary.strip() and "\n" not in rule.summary, rule.id
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id), rule.id
        assert rule.phase in ("load", "validate")
        # a load rule is found by the loader/model, a validate rule checks the workspace
        assert (module.check is None) == (rule.phase == "load"), rule.id


def test_every_fixture_folder_is_a_rule_and_every_case_has_its_expectations() -> None:
    ids = set(rules(*FIXTURE_PHASES))
    for folder in FIXTURES.iterdir():
        if not folder.is_dir():
            continue
        assert folder.name in ids, f"fixture folder for unknown rule {folder.name}"
        for entry in folder.iterdir():
            if entry.is_dir():
                assert entry.name == "pass" or entry.name.startswith("fail"), entry
                if entry.name.startswith("fail"):
                    assert (folder / f"expected{entry.name[4:]}.yaml").is_file(), entry
                assert model_files(entry), f"{entry}: no file to check"
            else:
                assert entry.name.startswith("expected") and entry.suffix == ".yaml", entry
        for expected in folder.glob("expected*.yaml"):
            assert (folder / ("fail" + expected.stem[len("expected"):])).is_dir(), expected


def test_the_contract_rules_exist_with_their_severities() -> None:
    registered = {m.rule.id: m.rule.severity for m in validate_rules()}
    for rule_id, severity in CONTRACT.items():
        assert rule_id in registered, f"contract rule {rule_id} is not registered"
        assert registered[rule_id] is Severity.parse(severity), rule_id
