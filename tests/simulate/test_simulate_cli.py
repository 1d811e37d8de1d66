"""procmap simulate from the command line: JSON contract, seeds, what-if, event logs,
rule fixtures, errors and hostile names."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from rule_fixtures import FIXTURES as RULE_FIXTURES
from rule_fixtures import check_findings, fail_cases, model_files, rules

if TYPE_CHECKING:
    from conftest import RunCli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SMALL = ["--cases", "300", "--replications", "2"]

QUEUE = """\
procmap: 1
id: refund
name: 退款申请
sla: 1d
demand: 20/d
roles:
  - id: cs-agent
    name: 客服专员
    capacity: 1
    availability: 24h/d
    cost: 80/h
steps:
  - {id: received, kind: start, next: check}
  - {id: check, name: 审核, role: cs-agent, duration: {median: 30m, p90: 1h},
     deadline: 4h, next: done}
  - {id: done, kind: end}
"""


def _json(run_cli: RunCli, *args: str, cwd: Path | None = None) -> dict[str, Any]:
    result = run_cli(["simulate", *args, "-f", "json", "--fail-on", "never"], cwd=cwd)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _queue_file(tmp_path: Path, text: str = QUEUE) -> Path:
    path = tmp_path / "refund.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_has_the_contract_keys(run_cli: RunCli) -> None:
    data = _json(run_cli, str(EXAMPLES), *SMALL)
    assert data["version"] == 1 and data["seed"] == 0 and data["cases"] == 300
    assert data["replications"] == 2 and data["scenarios"] == []
    complaint = next(p for p in data["processes"] if p["id"] == "complaint-handling")
    assert complaint["cases"] == 600
    assert set(complaint["lead_time_hours"]) == {"mean", "p50", "p90", "p95", "p99"}
    assert complaint["lead_time_hours"]["p50"] <= complaint["lead_time_hours"]["p90"]
    assert 0 <= complaint["sla_attainment"] <= 1
    assert set(complaint["deadlines"]) == {"triage", "propose-solution", "follow-up"}
    # every role of examples/roles.yaml has a cost (85/h for an agent...)
    assert complaint["cost_per_case"] is not None and complaint["cost_per_case"] > 0
    tech = next(r for r in data["roles"] if r["id"] == "tech-support")
    assert tech["utilization"] > 1  # audit: 1.25
    assert set(tech["queue_wait_hours"]) == {"mean", "p90"}
    rules = {f["rule"] for f in data["findings"]}
    assert "unstable-queue" in rules


def test_the_same_seed_gives_identical_json_and_another_seed_differs(
        run_cli: RunCli) -> None:
    first = run_cli(["simulate", str(EXAMPLES), *SMALL, "-f", "json", "--fail-on", "never"])
    again = run_cli(["simulate", str(EXAMPLES), *SMALL, "-f", "json", "--fail-on", "never"])
    other = run_cli(["simulate", str(EXAMPLES), *SMALL, "--seed", "7", "-f", "json",
                     "--fail-on", "never"])
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout


def test_cost_per_case_and_deadlines(run_cli: RunCli, tmp_path: Path) -> None:
    data = _json(run_cli, str(_queue_file(tmp_path)), *SMALL)
    refund = data["processes"][0]
    # 80/h x the lognormal mean of {median 30m, p90 1h}
    assert refund["cost_per_case"] == pytest.approx(80 * 0.5 * 1.272, rel=0.1)
    assert 0.5 < refund["deadlines"]["check"] <= 1


def test_set_and_scenarios_share_random_numbers(run_cli: RunCli, tmp_path: Path) -> None:
    path = _queue_file(tmp_path)
    scenario = tmp_path / "more.yaml"
    scenario.write_text("scenarios:\n  - name: 两人\n    set: {roles.cs-agent.capacity: 2}\n"
                        "  - name: same\n    set: {processes.refund.demand: 20/d}\n",
                        encoding="utf-8")
    data = _json(run_cli, str(path), *SMALL, "--scenario", str(scenario))
    names = [s["name"] for s in data["scenarios"]]
    assert names == ["两人", "same"]
    base = data["processes"][0]["lead_time_hours"]["mean"]
    two = data["scenarios"][0]["processes"][0]["lead_time_hours"]["mean"]
    assert two < base
    # an unchanged scenario draws the same random numbers: the same figures
    assert data["scenarios"][1]["processes"] == data["processes"]
    slower = _json(run_cli, str(path), *SMALL, "--set", "steps.refund.check.duration=45m")
    assert slower["processes"][0]["lead_time_hours"]["p50"] > 0.74


@pytest.mark.parametrize(("args", "message"), [
    (["--set", "roles.nobody.capacity=2"], "names no roles"),
    (["--set", "roles.cs-agent.capacity=zero"], "roles.cs-agent.capacity"),
    (["--set", "capacity"], "PATH=VALUE"),
    (["--set", "roles.cs-agent.colour=red"], "no field 'colour'"),
    (["--log", "events.txt"], ".csv, .parquet or .xes"),
    (["--scenario", "missing.yaml"], "cannot read the scenario file"),
])
def test_user_errors_are_one_line_and_exit_2(run_cli: RunCli, tmp_path: Path,
                                             args: list[str], message: str) -> None:
    path = _queue_file(tmp_path)
    result = run_cli(["simulate", str(path), *SMALL, *args])
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_demand_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    path = _queue_file(tmp_path, QUEUE.replace("demand: 20/d\n", ""))
    result = run_cli(["simulate", str(path)])
    assert result.returncode == 2 and "demand" in result.stderr


def test_event_logs_have_the_columns_conform_reads(run_cli: RunCli, tmp_path: Path) -> None:
    path = _queue_file(tmp_path)
    for name in ("events.csv", "events.xes", "events.parquet"):
        result = run_cli(["simulate", str(path), "--cases", "50", "--warmup", "0",
                          "--replications", "1", "--log", name, "-f", "json"])
        assert result.returncode in (0, 1), result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "events.csv").read_text("utf-8"))))
    assert list(rows[0]) == ["case_id", "process", "step", "activity", "lifecycle",
                             "timestamp", "resource"]
    assert len(rows) == 100  # 50 cases, start and complete of one task
    assert rows[0] == {**rows[0], "process": "refund", "step": "check", "activity": "审核",
                       "lifecycle": "start", "resource": "cs-agent-1"}
    assert rows[0]["timestamp"].endswith("+00:00")
    assert {r["case_id"] for r in rows} == {f"refund-{n}" for n in range(1, 51)}
    from lxml import etree

    tree = etree.parse(str(tmp_path / "events.xes"))
    namespace = {"x": "http://www.xes-standard.org/"}
    assert len(tree.findall("x:trace", namespace)) == 50
    assert len(tree.findall("x:trace/x:event", namespace)) == 100
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is the parquet extra")
    table = pq.read_table(str(tmp_path / "events.parquet"))
    assert table.column_names == list(rows[0]) and table.num_rows == 100


def _rule_findings(run_cli: RunCli, folder: Path, rule: str) -> list[dict[str, Any]]:
    report = _json(run_cli, *model_files(folder), "--cases", "2000", "--replications", "2",
                   cwd=folder)
    return [f for f in report["findings"] if f["rule"] == rule]


@pytest.mark.parametrize(("rule", "case"), fail_cases(rules("simulate")))
def test_rule_fixtures_fail(run_cli: RunCli, rule: str, case: str) -> None:
    """tests/fixtures/rules/README.md: the rule's findings are those of expected.yaml."""
    check_findings(rule, case, _rule_findings(run_cli, RULE_FIXTURES / rule / case, rule))


@pytest.mark.parametrize("rule", rules("simulate"))
def test_rule_fixtures_pass(run_cli: RunCli, rule: str) -> None:
    assert _rule_findings(run_cli, RULE_FIXTURES / rule / "pass", rule) == []


HOSTILE = QUEUE.replace("name: 退款申请", "name: \"<script>alert(1)</script> $x^2$ {a}|b\"") \
    .replace("name: 审核", "name: \"审核 \\u202e<img src=x>\"") \
    .replace("name: 客服专员", "name: \"**bold** `code` \\\\ [l](http://x)\"")


@pytest.mark.parametrize("fmt", ["html", "markdown", "text"])
def test_hostile_names_are_shown_as_text(run_cli: RunCli, tmp_path: Path, fmt: str) -> None:
    path = _queue_file(tmp_path, HOSTILE)
    result = run_cli(["simulate", str(path), *SMALL, "-f", fmt, "-o", f"out.{fmt}"])
    assert result.returncode in (0, 1), result.stderr
    text = (tmp_path / f"out.{fmt}").read_text("utf-8")
    if fmt != "text":  # plain text shows names as written, minus control characters
        assert "<script>alert" not in text and "<img src" not in text
    if fmt == "html":
        assert "Content-Security-Policy" in text and "http://x" not in text.split(
            "</head>")[0]
        assert "&lt;script&gt;" in text
        assert "<svg" in text  # the charts are inline
    if fmt == "text":
        assert "\u202e" not in text


def test_chinese_interface(run_cli: RunCli, tmp_path: Path) -> None:
    path = _queue_file(tmp_path)
    result = run_cli(["simulate", str(path), *SMALL, "--lang", "zh", "-f", "markdown",
                      "--fail-on", "never"])
    assert result.returncode == 0, result.stderr
    assert "退款申请" in result.stdout and "客服专员" in result.stdout
    assert "各流程提前期" in result.stdout  # the section titles are translated


def test_diff_simulate_adds_simulated_kpis(run_cli: RunCli, tmp_path: Path) -> None:
    for side, capacity in (("old", 1), ("new", 2)):
        folder = tmp_path / side
        folder.mkdir()
        (folder / "refund.yaml").write_text(
            QUEUE.replace("demand: 20/d", "demand: 30/d")
            .replace("capacity: 1", f"capacity: {capacity}"), encoding="utf-8")
    result = run_cli(["diff", "old", "new", "--simulate", "-f", "json"])
    assert result.returncode in (0, 1), result.stderr
    metrics = json.loads(result.stdout)["processes"][0]["metrics"]
    p90 = metrics["simulated.lead_time_p90_hours"]
    assert p90["new"] < p90["old"] and p90["worse"] is False
    assert metrics["simulated.sla_attainment"]["new"] >= metrics[
        "simulated.sla_attainment"]["old"]
    markdown = run_cli(["diff", "old", "new", "--simulate", "-f", "markdown"])
    assert "simulated p90 lead time" in markdown.stdout
    plain = run_cli(["diff", "old", "new", "-f", "json"])
    assert "simulated.sla_attainment" not in plain.stdout
