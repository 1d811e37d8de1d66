"""The parts of the diff that need no files: matching findings, metric changes, wording."""

from __future__ import annotations

from typing import Any

import pytest

from procmap.diff.compare import finding_from_json, match_findings, metric_changes
from procmap.findings import Severity
from procmap.report.diff_common import duration, metric_change, value
from procmap.report.diff_markdown import code, escape, escape_html


def _finding(rule: str, line: int, severity: str = "warning", **where: Any) -> Any:
    return finding_from_json({"file": "p.yaml", "line": line, "column": 5, "rule": rule,
                              "severity": severity, "message": f"{rule} at {line}",
                              **where})


def test_findings_match_by_rule_process_step_role_not_by_line() -> None:
    old = [_finding("waiting-waste", 10, process="p", step="a"),
           _finding("redundant-approval", 20, process="p", step="b", role="lead")]
    new = [_finding("waiting-waste", 14, process="p", step="a"),  # moved down 4 lines
           _finding("waiting-waste", 30, process="p", step="c")]
    changes = match_findings(old, new)
    assert [(f.rule, f.step) for f in changes.introduced] == [("waiting-waste", "c")]
    assert [(f.rule, f.step) for f in changes.resolved] == [("redundant-approval", "b")]
    assert changes.severity_changed == ()


def test_findings_are_matched_as_a_multiset() -> None:
    """Two findings with the same key on one side and one on the other: one is new."""
    old = [_finding("unused-role", 3, role="qa")]
    new = [_finding("unused-role", 3, role="qa"), _finding("unused-role", 9, role="qa")]
    assert len(match_findings(old, new).introduced) == 1
    assert len(match_findings(new, old).resolved) == 1


def test_file_level_findings_match_by_file() -> None:
    old = [finding_from_json({"file": "a.yaml", "line": 3, "column": 1,
                              "rule": "yaml-syntax", "severity": "error", "message": "x"})]
    new = [finding_from_json({"file": "b.yaml", "line": 3, "column": 1,
                              "rule": "yaml-syntax", "severity": "error", "message": "x"})]
    changes = match_findings(old, new)
    assert len(changes.introduced) == 1 and len(changes.resolved) == 1


def test_a_finding_that_gets_worse_fails_like_a_new_one() -> None:
    old = [_finding("role-overload", 5, "warning", process="p", role="finance")]
    new = [_finding("role-overload", 5, "error", process="p", role="finance")]
    changes = match_findings(old, new)
    assert changes.introduced == () and changes.resolved == ()
    [change] = changes.severity_changed
    assert change.escalated and change.old.severity is Severity.WARNING
    assert [f.severity for f in changes.failing] == [Severity.ERROR]
    assert match_findings(new, old).failing == ()  # better is not a failure


def test_metric_changes_carry_sign_and_percentage() -> None:
    old = {"steps": 12, "expected_lead_time_hours": 20.0, "flow_efficiency": 0.05,
           "utilization": {"agent": 0.5}}
    new = {"steps": 13, "expected_lead_time_hours": 15.0, "flow_efficiency": 0.06,
           "utilization": {"agent": 0.5, "finance": 0.9}}
    metrics = {m.metric: m for m in metric_changes(old, new)}
    lead = metrics["expected_lead_time_hours"]
    assert lead.delta == -5.0 and lead.percent == -25.0 and lead.worse is False
    assert metric_change(lead) == "20.00 h -> 15.00 h (-5.00 h, -25.0%)"
    efficiency = metrics["flow_efficiency"]
    assert efficiency.worse is False and efficiency.percent == pytest.approx(20.0)
    assert metric_change(efficiency) == "5.0% -> 6.0% (+1.00 pp, +20.0%)"
    assert metric_change(metrics["steps"]) == "12 -> 13 (+1, +8.3%)"
    assert not metrics["utilization.agent"].changed
    finance = metrics["utilization.finance"]
    assert finance.changed and finance.old is None and finance.delta is None
    assert metric_change(finance) == "n/a -> 90.0%"
    # a side without metrics (validation errors) has no numbers, and no division by 0
    gone = {m.metric: m for m in metric_changes(old, None)}
    assert gone["steps"].new is None and gone["steps"].percent is None
    zero = metric_changes({"approvals": 0}, {"approvals": 1})[0]
    assert zero.delta == 1 and zero.percent is None


@pytest.mark.parametrize(("hours", "text"), [(0.25, "15m"), (1.0, "1h"), (1.5, "1h30m"),
                                             (24.0, "1d"), (26.0, "1d2h"), (0.0, "0m"),
                                             (1 / 120, "0.00833333h")])
def test_durations_read_like_the_format(hours: float, text: str) -> None:
    assert duration(hours) == text


def test_values() -> None:
    assert value("sla", None) == "none"
    assert value("wait", 0.5) == "30m"
    assert value("demand", 30.0) == "30/d"
    assert value("availability", 7.0) == "7h/d"
    assert value("consulted", ["a", "b"]) == "a, b" and value("informed", []) == "none"
    assert value("probability", 0.85) == "0.85"


def test_markdown_escaping() -> None:
    assert escape("a|b") == "a\\|b"
    assert escape("<script>") == "&lt;script&gt;"
    assert escape("`x`") == "\\`x\\`"
    assert escape("@team") == "&#64;team"
    assert escape("line\nbreak") == "line break"
    assert escape("[x](y) *b* _i_ ~s~") == "\\[x\\](y) \\*b\\* \\_i\\_ \\~s\\~"
    assert escape_html("<b>&@") == "&lt;b&gt;&amp;&#64;"
    assert code("refund-approval") == "`refund-approval`"
    assert code("a`b") == "a\\`b"


def test_a_large_report_fits_in_a_comment() -> None:
    from procmap.diff.model import (
        CHANGED,
        DiffReport,
        FindingChanges,
        MetricChange,
        ProcessDiff,
        Side,
    )
    from procmap.report.diff_markdown import render

    introduced = tuple(_finding("waiting-waste", n, process=f"p{n % 40}", step=f"s{n}")
                       for n in range(1, 301))
    processes = tuple(
        ProcessDiff(f"p{n}", f"process {n}", CHANGED, "a.yaml", "a.yaml",
                    metrics=(MetricChange("effort_hours", "effort per case", "hours", 1.0,
                                          2.0, True),),
                    step_counts=(3, 4),
                    findings=FindingChanges(introduced=introduced[n::40]))
        for n in range(40))
    report = DiffReport(Side("main", 40), Side("working tree", 40), processes,
                        findings=FindingChanges(introduced=introduced))
    full = render(report, max_chars=10**9)
    assert full.count("<details>") == 40 and full.count("- ⚠️ **warning**") == 50
    assert "- … and 250 more (250 warnings)" in full
    short = render(report, max_chars=8_000)
    assert len(short) <= 8_000
    assert short.startswith("<!-- procmap-diff -->") and "| process | status |" in short
    assert "run `procmap diff` locally" in short
    assert short.count("<details>") < 40
