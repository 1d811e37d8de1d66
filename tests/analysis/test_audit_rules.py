"""Every audit rule against its fixture folder (tests/fixtures/rules/<rule-id>/, see its
README): `fail/` gives exactly the rule's findings of `expected.yaml` (with their
`cost_hours`), `pass/` none of that rule (other rules may fire).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from procmap.analysis.audit import run_audit
from procmap.analysis.rules import AUDIT_RULES, HANDBOOK_RULES, RACI_RULES, audit_rules
from procmap.config import Config
from procmap.findings import Finding
from procmap.pipeline import validate_paths
from procmap.rules import all_rules
from rule_fixtures import FIXTURES, check_findings, expected, fail_cases, model_files, rules

RULE_IDS = rules("audit")

# rules.md's audit rules with their default severities (a contract), plus procmap's own
CONTRACT = {
    "process-sla-breach": "error", "expected-sla-breach": "warning",
    "deadline-breach": "error", "role-overload": "error", "bottleneck-step": "warning",
    "waiting-waste": "warning", "redundant-approval": "warning",
    "rubber-stamp-approval": "warning", "self-approval": "warning",
    "serial-approvals": "info", "ping-pong-handoff": "warning", "handoff-heavy": "warning",
    "single-point-of-failure": "warning", "rework-loop": "info", "no-sla": "info",
    "endless-loop": "error", "missing-accountable": "warning", "handbook-incomplete": "info",
    "queue-underestimated": "warning",
}


def _findings(rule: str, case: str, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    folder = FIXTURES / rule / case
    monkeypatch.chdir(folder)
    validation = validate_paths(model_files(folder), Config())
    errors = [f for f in validation.findings if f.severity.label == "error"]
    assert not errors, f"{rule}/{case} does not validate: {errors}"
    phase = "raci" if rule in RACI_RULES else "handbook" if rule in HANDBOOK_RULES else "audit"
    result = run_audit(validation, Config(), phase=phase)
    for finding in result.findings:  # every finding, of any rule, is one clean sentence
        assert finding.message and "\n" not in finding.message
    return [f for f in result.findings if f.rule == rule]


@pytest.mark.parametrize(("rule", "case"), fail_cases(RULE_IDS))
def test_failing_fixture_gives_the_expected_findings(rule: str, case: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # an audit finding states its cost: every expected one states cost_hours (or null)
    assert all("cost_hours" in e for e in expected(rule, case)), f"{rule}/{case}"
    found = _findings(rule, case, monkeypatch)
    check_findings(rule, case, [
        {"file": f.file, "line": f.line, "column": f.column, "rule": f.rule,
         "severity": f.severity.label, "message": f.message, "cost_hours": f.cost_hours}
        for f in found])
    for finding in found:
        assert finding.process is not None
        assert finding.step is not None or finding.role is not None or finding.rule in {
            "process-sla-breach", "expected-sla-breach", "handoff-heavy", "no-sla"}


@pytest.mark.parametrize("rule", RULE_IDS)
def test_passing_fixture_is_clean(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _findings(rule, "pass", monkeypatch) == []


def test_every_audit_rule_has_docs_and_fixtures() -> None:
    modules = {m.rule.id: m for m in audit_rules("audit") + audit_rules("raci")
               + audit_rules("handbook")}
    assert len(modules) == len(AUDIT_RULES), "a module is missing or registered twice"
    assert set(modules) == set(RULE_IDS), "an audit rule outside procmap.analysis.rules"
    for rule_id, module in modules.items():
        doc = module.doc
        assert "Failing:" in doc and "Passing:" in doc, f"{rule_id}: document an example"
        assert doc.strip().split("\n")[0].strip(), f"{rule_id}: no summary line"
        assert module.rule.phase == "audit"
        assert module.check is not None
        folder = FIXTURES / rule_id
        for name in ("fail", "pass"):
            assert (folder / name).is_dir(), f"{rule_id}: no {name}/"
        assert (folder / "expected.yaml").is_file(), f"{rule_id}: no expected.yaml"


def test_the_audit_rules_of_the_contract_keep_their_ids_and_severities() -> None:
    registered = {rule_id: m.rule.severity.label for rule_id, m in all_rules().items()
                  if m.rule.phase == "audit"}
    assert registered == CONTRACT


def test_module_names_follow_the_rule_ids() -> None:
    for name in AUDIT_RULES:
        module = __import__(f"procmap.analysis.rules.{name}", fromlist=["RULE"])
        assert module.RULE.id == name.replace("_", "-")


def test_a_configured_level_overrides_the_severity_a_rule_chose(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "role-overload" / "fail")
    config = Config(levels={"role-overload": "info"})
    result = run_audit(validate_paths(["process.yaml"], config), config)
    assert [f.severity.label for f in result.findings if f.rule == "role-overload"] == [
        "info", "info"]
    config = Config(levels={"role-overload": "off"})
    result = run_audit(validate_paths(["process.yaml"], config), config)
    assert not [f for f in result.findings if f.rule == "role-overload"]


def test_thresholds_come_from_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "rework-loop" / "fail")
    config = Config()
    config.thresholds["rework-warning"] = 1.0
    result = run_audit(validate_paths(["process.yaml"], config), config)
    assert [f.severity.label for f in result.findings if f.rule == "rework-loop"] == [
        "info", "info"]


def test_x_ignore_silences_a_rule_on_one_step(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    text = (FIXTURES / "waiting-waste" / "fail" / "process.yaml").read_text(encoding="utf-8")
    text = text.replace("    wait: 1d\n", "    wait: 1d\n    x-ignore: [waiting-waste]\n")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_audit(validate_paths(["p.yaml"], Config()), Config())
    assert not [f for f in result.findings if f.rule == "waiting-waste"]
    assert [f for f in result.findings if f.rule == "bottleneck-step"]
