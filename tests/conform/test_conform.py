"""procmap conform on logs generated from a model with known parameters (simlog.py)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import simlog

from procmap.config import Config
from procmap.conform.compare import ConformResult
from procmap.conform.run import Options, run_conform
from procmap.pipeline import Validation, validate_paths

if TYPE_CHECKING:
    from conftest import RunCli

MODELS = Path(__file__).parent / "models"
COMPLAINT = MODELS / "complaint.yaml"
REFUND = MODELS / "refund.yaml"


def _validation(*paths: Path) -> Validation:
    validation = validate_paths([str(p) for p in paths], Config())
    assert not [f for f in validation.findings if f.severity.label == "error"]
    return validation


def _run(log: Path, validation: Validation, **options: Any) -> ConformResult:
    return run_conform(str(log), validation, Config(), Options(**options))


def _process(result: ConformResult, process_id: str = "complaint") -> dict[str, Any]:
    return next(p.data for p in result.processes if p.data["id"] == process_id)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, simlog.Generator]:
    validation = _validation(COMPLAINT)
    generator = simlog.Generator(validation.workspace.processes[0].process, seed=11)
    cases = generator.cases(20_000, every_minutes=2.0)
    path = tmp_path_factory.mktemp("conform") / "clean.csv"
    simlog.write_csv(str(path), cases)
    return path, generator


def test_clean_log_recovers_the_parameters(clean: tuple[Path, simlog.Generator]) -> None:
    path, generator = clean
    result = _run(path, _validation(COMPLAINT))
    data = _process(result)
    truth = generator.truth
    assert result.cases == 20_000 and data["cases"] == 20_000
    assert data["fitness"] == 1.0 and data["deviations"] == []
    assert result.log.rejected == 0 and result.log.duplicates == 0
    # branch probabilities: what the generator drew, and the design within 0.01
    drawn = {to: n / 20_000 for (source, to), n in truth.branches.items()}
    for item in data["transitions"]:
        assert item["observed_probability"] == pytest.approx(drawn[item["to"]], abs=1e-4)
        assert abs(item["observed_probability"] - item["designed_probability"]) < 0.01
    # median durations and waits within 2% of what was drawn
    for step_id, observed in data["steps"].items():
        expected = statistics.median(truth.durations[step_id])
        assert observed["duration_hours"]["p50"] == pytest.approx(expected, rel=0.02)
        assert observed["visits"] == pytest.approx(len(truth.durations[step_id]) / 20_000,
                                                   abs=1e-4)
    assert data["steps"]["diagnose"]["wait_hours"]["p50"] == pytest.approx(
        statistics.median(truth.waits["diagnose"]), rel=0.02)
    # SLA attainment and lead time as drawn
    within = sum(1 for hours in truth.lead_times if hours <= 72) / len(truth.lead_times)
    assert data["sla_attainment"] == pytest.approx(within, abs=0.01)
    assert data["lead_time_hours"]["p50"] == pytest.approx(
        statistics.median(truth.lead_times), rel=0.02)
    assert data["rework"] == 0.0


NOISE = {"unknown": 7, "skipped": 5, "swapped": 4, "other": 3}


@pytest.fixture(scope="module")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    validation = _validation(COMPLAINT)
    generator = simlog.Generator(validation.workspace.processes[0].process, seed=5)
    cases = generator.cases(5_000)
    plain = [i for i, case in enumerate(cases) if all(e.activity != "技术诊断" for e in case)]
    chosen = iter(plain)
    for _ in range(NOISE["unknown"]):
        i = next(chosen)
        cases[i] = simlog.with_unknown_activity(cases[i])
    for _ in range(NOISE["skipped"]):
        i = next(chosen)
        cases[i] = simlog.with_skipped_step(cases[i], "分类")
    for _ in range(NOISE["swapped"]):
        i = next(chosen)
        cases[i] = simlog.with_swapped_steps(cases[i], "分类", "制定方案")
    for _ in range(NOISE["other"]):
        i = next(chosen)
        cases[i] = simlog.with_other_process_event(cases[i], "审核退款")
    path = tmp_path_factory.mktemp("conform") / "noisy.csv"
    simlog.write_csv(str(path), cases)
    return path


def test_injected_noise_is_found_by_kind_with_exact_counts(noisy: Path) -> None:
    result = _run(noisy, _validation(COMPLAINT, REFUND))
    data = _process(result)
    assert data["cases"] == 5_000
    assert data["deviation_cases"] == {
        "unknown-activity": NOISE["unknown"] + NOISE["other"],
        "skipped-step": NOISE["skipped"],
        "unmodelled-transition": NOISE["swapped"]}
    injected = sum(NOISE.values())
    assert data["fitting_cases"] == 5_000 - injected
    assert data["fitness"] == pytest.approx(1 - injected / 5_000, abs=1e-9)
    by_kind = {(d["kind"], d.get("activity") or d.get("step") or d.get("from")): d
               for d in data["deviations"]}
    assert by_kind[("unknown-activity", "发送短信 <sms>")]["cases"] == NOISE["unknown"]
    other = by_kind[("unknown-activity", "审核退款")]
    assert other["cases"] == NOISE["other"] and other["other_process"] == "refund"
    assert by_kind[("skipped-step", "triage")]["cases"] == NOISE["skipped"]
    swapped = [d for d in data["deviations"] if d["kind"] == "unmodelled-transition"]
    assert swapped and all(d["cases"] == NOISE["swapped"] for d in swapped)
    assert {(d["from"], d["to"]) for d in swapped} >= {("register", "propose"),
                                                      ("propose", "triage")}
    # the refund process claims no case: its activities only appear inside complaints
    assert _process(result, "refund")["cases"] == 0


def test_findings_point_at_the_yaml_lines(noisy: Path) -> None:
    result = _run(noisy, _validation(COMPLAINT, REFUND))
    deviations = [f for f in result.findings if f.rule == "observed-deviation"]
    lines = COMPLAINT.read_text(encoding="utf-8").splitlines()
    skipped = next(f for f in deviations if f.extra["kind"] == "skipped-step")
    assert lines[skipped.line - 1].strip() == "- id: triage"
    unknown = next(f for f in deviations if "sms" in f.message)
    assert lines[unknown.line - 1].startswith("id: complaint")
    assert all(f.severity.label == "warning" for f in deviations)
    probability = [f for f in result.findings if f.rule == "observed-probability"]
    assert [lines[f.line - 1].strip()[:14] for f in probability] == ["- {to: diagnos",
                                                                     "- {to: propose"]


def test_accepted_deviations_are_silenced(noisy: Path) -> None:
    validation = _validation(COMPLAINT, REFUND)
    result = _run(noisy, validation, accept=[{"kind": "skipped-step", "step": "triage"}])
    data = _process(result)
    assert "skipped-step" not in data["deviation_cases"]
    assert data["fitting_cases"] == 5_000 - sum(NOISE.values()) + NOISE["skipped"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "case_id,activity,timestamp,lifecycle\n"


def _tiny(rows: list[str]) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


CASE = ["{c},登记投诉,2026-01-05 09:00:00,complete", "{c},分类,2026-01-05 10:00:00,complete",
        "{c},制定方案,2026-01-05 11:00:00,complete",
        "{c},电话告知客户,2026-01-05 12:00:00,complete",
        "{c},更新 CRM,2026-01-05 12:05:00,complete", "{c},结案,2026-01-05 13:00:00,complete"]


def test_bad_rows_are_counted_with_row_numbers(tmp_path: Path) -> None:
    rows = [r.format(c="A") for r in CASE] + ["B,登记投诉,not a time,complete", ",分类,2026-01-05,",
                                              *[r.format(c="C") for r in CASE]]
    log = _write(tmp_path / "bad.csv", _tiny(rows))
    result = _run(log, _validation(COMPLAINT))
    assert result.log.rejected == 2 and result.log.rejected_rows == [7, 8]
    assert _process(result)["cases"] == 2 and _process(result)["fitness"] == 1.0
    from procmap.conform.read import LogError

    with pytest.raises(LogError, match="2 bad rows"):
        _run(log, _validation(COMPLAINT), strict=True)


def test_time_zones_duplicates_and_row_order(tmp_path: Path) -> None:
    rows = [r.format(c="A") for r in CASE]
    rows = [*reversed(rows), rows[0]]  # out of order, and one exact duplicate
    log = _write(tmp_path / "zones.csv", _tiny(rows))
    shanghai = _run(log, _validation(COMPLAINT), timezone="Asia/Shanghai")
    assert shanghai.log.duplicates == 1 and _process(shanghai)["fitness"] == 1.0
    assert _process(shanghai)["lead_time_hours"]["p50"] == 4.0
    mixed = _write(tmp_path / "mixed.csv", _tiny([
        "A,登记投诉,2026-01-05T09:00:00+08:00,complete", "A,分类,2026-01-05T02:00:00Z,complete"]))
    result = _run(mixed, _validation(COMPLAINT))
    assert _process(result)["lead_time_hours"]["p50"] == 1.0


def test_copies_apart_in_the_file_are_counted_once(tmp_path: Path) -> None:
    # a copy of the first completion comes after a completion at the same instant by
    # someone else: the copies are not neighbours in any order, and still read once
    rows = ["A,登记投诉,2026-01-05 08:00:00,start,x",
            "A,登记投诉,2026-01-05 09:00:00,complete,x",
            "A,登记投诉,2026-01-05 09:00:00,complete,y",
            "A,登记投诉,2026-01-05 09:00:00,complete,x",
            *(r.format(c="A") + ",x" for r in CASE[1:])]
    log = _write(tmp_path / "copies.csv", "case_id,activity,timestamp,lifecycle,resource\n"
                 + "".join(r + "\n" for r in rows))
    result = _run(log, _validation(COMPLAINT))
    assert (result.log.duplicates, result.log.events) == (1, len(rows) - 1)
    register = _process(result)["steps"]["register"]
    # two completions (x and y), one of them timed from the start (1 h)
    assert register["visits"] == 2 and register["timed"]["duration"] == 1
    assert register["duration_hours"]["p50"] == 1.0
    assert _process(result)["rework_cases"] == 1


def test_both_ways_of_finding_copies_give_the_same_results(
        clean: tuple[Path, simlog.Generator], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    log, _ = clean
    lines = log.read_text(encoding="utf-8").splitlines()
    copied = tmp_path / "copied.csv"  # every 50th event twice
    copied.write_text("\n".join([*lines, *lines[1::50]]) + "\n", encoding="utf-8")
    validation = _validation(COMPLAINT)
    neighbours = _run(copied, validation)
    from procmap.conform import queries

    monkeypatch.setattr(queries, "MIXED_TIES", "SELECT 1")  # always group events first
    grouped = _run(copied, validation)
    assert neighbours.log.duplicates == grouped.log.duplicates == len(lines[1::50])
    assert neighbours.to_json() == grouped.to_json()


def test_names_that_share_a_hash_are_numbered_in_order(
        clean: tuple[Path, simlog.Generator], monkeypatch: pytest.MonkeyPatch) -> None:
    from procmap.conform import read

    log, _ = clean
    validation = _validation(COMPLAINT)
    hashed = _run(log, validation)
    monkeypatch.setattr(read, "_HASHED",  # three numbers for thousands of cases
                        "CASE WHEN {name} IS NOT NULL THEN CAST(hash({name}) % 3 AS BIGINT) END")
    con = read.connect("256MB")
    try:
        read.read_log(con, str(log))
        cases = con.execute("SELECT count(*), min(case_no), max(case_no), "
                            "count(DISTINCT case_no) FROM case_names").fetchone()
    finally:
        read.close(con)
    assert cases is not None and cases[0] > 3 and cases[1:] == (1, cases[0], cases[0])
    assert _run(log, validation).to_json() == hashed.to_json()


def test_empty_log_and_no_matching_activity(tmp_path: Path) -> None:
    empty = _run(_write(tmp_path / "empty.csv", HEADER), _validation(COMPLAINT))
    assert empty.cases == 0 and _process(empty)["fitness"] is None
    strangers = _write(tmp_path / "other.csv", _tiny(["X,喝茶,2026-01-05 09:00:00,complete"]))
    result = _run(strangers, _validation(COMPLAINT))
    data = _process(result)
    assert data["fitness"] == 0.0
    assert data["deviation_cases"] == {"unknown-activity": 1}


def test_other_log_formats(tmp_path: Path) -> None:
    import duckdb

    rows = [r.format(c="A") for r in CASE]
    csv_log = _write(tmp_path / "log.csv", _tiny(rows))
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{csv_log}', all_varchar = true)) "
                f"TO '{tmp_path / 'log.parquet'}' (FORMAT parquet)")
    lines = [json.dumps({"case": "A", "activity": r.split(",")[1], "time:timestamp":
                         r.split(",")[2]}, ensure_ascii=False) for r in rows]
    _write(tmp_path / "log.jsonl", "\n".join(lines) + "\n")
    events = "".join(
        f'<event><string key="concept:name" value="{r.split(",")[1]}"/>'
        f'<date key="time:timestamp" value="{r.split(",")[2].replace(" ", "T")}+00:00"/>'
        '<string key="lifecycle:transition" value="complete"/></event>' for r in rows)
    _write(tmp_path / "log.xes", '<?xml version="1.0"?><log xes.version="1.0">'
           f'<trace><string key="concept:name" value="A"/>{events}</trace></log>')
    for name in ("log.parquet", "log.jsonl", "log.xes"):
        result = _run(tmp_path / name, _validation(COMPLAINT))
        data = _process(result)
        assert (result.log.events, data["fitness"]) == (6, 1.0), name
        assert data["lead_time_hours"]["p50"] == 4.0, name


def test_xes_entities_are_not_expanded(tmp_path: Path) -> None:
    hostile = _write(tmp_path / "evil.xes", (
        '<?xml version="1.0"?><!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<log><trace><string key="concept:name" value="A"/><event>'
        '<string key="concept:name" value="&x;"/>'
        '<date key="time:timestamp" value="2026-01-05T09:00:00Z"/></event></trace></log>'))
    from procmap.errors import ProcmapError

    with pytest.raises(ProcmapError, match="external entity") as caught:
        _run(hostile, _validation(COMPLAINT))
    assert "root:" not in str(caught.value)


def test_calibrate_keeps_comments_and_dry_run_writes_nothing(
        clean: tuple[Path, simlog.Generator], tmp_path: Path, run_cli: RunCli) -> None:
    log, _generator = clean
    model = tmp_path / "complaint.yaml"
    original = COMPLAINT.read_text(encoding="utf-8")
    model.write_text(original, encoding="utf-8")
    dry = run_cli(["conform", str(log), str(model), "--calibrate", "--dry-run"])
    assert dry.returncode == 0, dry.stderr
    assert model.read_text(encoding="utf-8") == original
    assert "-    wait: {median: 4h, p90: 12h}" in dry.stdout
    assert f"--- {model}" in dry.stdout
    done = run_cli(["conform", str(log), str(model), "--calibrate", "-f", "json",
                    "-o", str(tmp_path / "out.json")])
    assert done.returncode == 0, done.stderr
    after = model.read_text(encoding="utf-8")
    assert "# technical problems" in after and after.startswith("# A complaint process")
    assert "duration: {median: " in after and after != original
    again = run_cli(["validate", str(model)])
    assert again.returncode == 0, again.stdout + again.stderr


HOSTILE = 'x"<script>{{a}}|\\\u202e\n名'


@pytest.mark.parametrize("fmt", ["text", "parsable", "json", "markdown", "html", "github",
                                 "sarif"])
def test_hostile_activity_names_in_every_format(fmt: str, tmp_path: Path,
                                                run_cli: RunCli) -> None:
    import csv

    with open(tmp_path / "log.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case", "activity", "timestamp"])
        writer.writerow(["C<1>", "登记投诉", "2026-01-05 09:00"])
        writer.writerow(["C<1>", HOSTILE, "2026-01-05 10:00"])
    done = run_cli(["conform", "log.csv", str(COMPLAINT), "-f", fmt, "--fail-on", "never"])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "<script>" not in out or fmt in ("json", "sarif", "parsable", "text", "github")
    assert "{{a}}" in out or "{{a}}" in out.replace("\\", "")
    assert "\u202e" not in out or fmt in ("json", "sarif")  # data formats keep names
    if fmt == "json":
        data = json.loads(out)
        unknown = [d for d in data["processes"][0]["deviations"]
                   if d["kind"] == "unknown-activity"]
        assert unknown[0]["activity"] == HOSTILE and unknown[0]["example_case"] == "C<1>"
    if fmt == "html":
        assert "&lt;script&gt;" in out and "Content-Security-Policy" in out


def test_cli_errors_are_one_line(tmp_path: Path, run_cli: RunCli) -> None:
    missing = run_cli(["conform", "nope.csv", str(COMPLAINT)])
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert "nope.csv does not exist" in missing.stderr
    _write(tmp_path / "cols.csv", "a,b\n1,2\n")
    columns = run_cli(["conform", "cols.csv", str(COMPLAINT)])
    assert columns.returncode == 2 and "no case column" in columns.stderr
    (tmp_path / "empty.csv").write_bytes(b"")
    empty = run_cli(["conform", "empty.csv", str(COMPLAINT)])
    assert empty.returncode == 2 and "is empty" in empty.stderr
    (tmp_path / "binary.csv").write_bytes(b"\x00\xff\xfe" * 1000)
    binary = run_cli(["conform", "binary.csv", str(COMPLAINT)])
    assert binary.returncode == 2 and "Traceback" not in binary.stderr
    zone = run_cli(["conform", str(tmp_path / "cols.csv"), str(COMPLAINT), "--case", "a",
                    "--activity", "b", "--timestamp", "b", "--timezone", "Mars/Base"])
    assert zone.returncode == 2 and "unknown time zone" in zone.stderr


@pytest.mark.parametrize(("text", "problem"), [
    ("[conform]\ncolour = 1\n", "unknown key 'colour'"),
    ("[conform]\ncase = 3\n", "case must be a non-empty string"),
    ("[conform]\nengine = \"polars\"\n", "use duckdb or spark"),
    ("[conform]\naccept = \"x\"\n", "accept must be an array"),
    ("[conform]\naccept = [\"weird\"]\n", "kind 'weird' is not one of"),
    ("[conform]\naccept = [{kind = \"missing-end\", colour = \"red\"}]\n", "unknown field"),
])
def test_conform_configuration_is_checked(text: str, problem: str, tmp_path: Path) -> None:
    from procmap.config import ConfigError, load_config

    path = _write(tmp_path / "procmap.toml", text)
    with pytest.raises(ConfigError, match=problem):
        load_config(str(path), known_rules=[])


def test_conform_configuration_names_columns(tmp_path: Path) -> None:
    from procmap.config import load_config

    config = load_config(str(_write(tmp_path / "procmap.toml", (
        '[conform]\ncase = "工单"\ntimezone = "Asia/Shanghai"\n'
        'accept = ["missing-end", {kind = "skipped-step", step = "triage"}]\n'))),
        known_rules=[])
    options = Options.from_config(config, {"case": None, "timezone": None})
    assert options.columns["case"] == "工单" and options.timezone == "Asia/Shanghai"
    assert options.accept == [{"kind": "missing-end"},
                              {"kind": "skipped-step", "step": "triage"}]


def test_chinese_interface(run_cli: RunCli) -> None:
    folder = Path(__file__).parents[1] / "fixtures" / "rules" / "observed-deviation" / "fail"
    done = run_cli(["conform", str(folder / "log.csv"), str(folder / "process.yaml"),
                    "--lang", "zh", "-f", "text"])
    assert done.returncode == 0, done.stderr
    assert "拟合度" in done.stdout and "跳过了“resolve”" in done.stdout


def test_a_small_memory_limit_spills_instead_of_failing(
        clean: tuple[Path, simlog.Generator]) -> None:
    """The same answer with DuckDB held to 64 MB (it spills to its temporary folder)."""
    log, _generator = clean
    small = _process(_run(log, _validation(COMPLAINT), memory_limit="64MB"))
    large = _process(_run(log, _validation(COMPLAINT)))
    assert small["steps"] == large["steps"] and small["transitions"] == large["transitions"]
    assert small["lead_time_hours"] == large["lead_time_hours"]


def test_a_log_written_by_simulate_fits_its_model(tmp_path: Path, run_cli: RunCli) -> None:
    """`procmap simulate --log` writes what conform reads: every case of every example
    process replays, and the branch shares are the designed ones within 0.01."""
    examples = Path(__file__).parent.parent.parent / "examples"
    done = run_cli(["simulate", str(examples), "--cases", "3000", "--replications", "1",
                    "--seed", "2", "--fail-on", "never", "-f", "json", "-o", "sim.json",
                    "--log", "log.csv"])
    assert done.returncode == 0, done.stderr
    checked = run_cli(["conform", "log.csv", str(examples), "-f", "json", "--fail-on",
                       "never"])
    assert checked.returncode == 0, checked.stderr
    data = json.loads(checked.stdout)
    assert data["rejected_rows"] == 0 and data["unmatched_cases"] == 0
    for process in data["processes"]:
        assert process["fitness"] == 1.0, process["id"]
        assert process["deviations"] == []
    # every designed share of a choice taken 1,000 times or more, in every process; a
    # branch into a `wait` step (no events of its own) included
    shares = []
    for process in data["processes"]:
        totals: dict[str, int] = {}
        for item in process["transitions"]:
            totals[item["from"]] = totals.get(item["from"], 0) + item["cases"]
        shares += [t for t in process["transitions"] if t["designed_probability"] is not None
                   and totals[t["from"]] >= 1000]
    assert ("satisfied", "follow-up-delay") in {(t["from"], t["to"]) for t in shares}
    for item in shares:
        assert abs(item["observed_probability"] - item["designed_probability"]) < 0.02


def test_render_observed_draws_counts_times_and_deviations(noisy: Path, tmp_path: Path,
                                                           run_cli: RunCli) -> None:
    done = run_cli(["render", str(COMPLAINT), "-o", "complaint.dot", "--observed",
                    str(noisy)])
    assert done.returncode == 0, done.stderr
    dot = (tmp_path / "complaint.dot").read_text(encoding="utf-8")
    assert "observed: 5000 cases" in dot and "fitness 99.6%" in dot
    assert 'class="flow deviation"' in dot and "dotted" in dot
    assert "penwidth=7," in dot or "penwidth=7]" in dot  # every case reaches triage
    assert "not in the model: 4" in dot


def test_audit_observed_adds_a_section_to_the_html_report(noisy: Path, tmp_path: Path,
                                                          run_cli: RunCli) -> None:
    done = run_cli(["audit", str(COMPLAINT), "--fail-on", "never", "-f", "html",
                    "-o", "audit.html", "--no-diagrams", "--observed", str(noisy)])
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "audit.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="observed">'):]
    assert "Conformance: designed against observed" in section
    assert "发送短信 &lt;sms&gt;" in section and section.rstrip().endswith("</html>")


def test_a_log_over_the_memory_limit_is_one_clear_error(
        clean: tuple[Path, simlog.Generator], run_cli: RunCli) -> None:
    """Exact percentiles cannot spill: a log that needs more than --memory-limit ends with
    one line naming the limit and what to do (exit 2), never an internal error."""
    log, _generator = clean
    done = run_cli(["conform", str(log), str(COMPLAINT), "--memory-limit", "2MB"])
    assert done.returncode == 2
    assert "needs more memory than the limit" in done.stderr
    assert "--memory-limit" in done.stderr and "internal error" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_roles_with_working_hours_are_named_in_the_report(tmp_path: Path,
                                                          run_cli: RunCli) -> None:
    """Durations of steps of roles with working hours are measured in those hours: the
    report says which roles (a 24/7 calendar is not named)."""
    text = COMPLAINT.read_text(encoding="utf-8").replace(
        "{id: tech, name: 技术支持, capacity: 2}",
        "{id: tech, name: 技术支持, capacity: 2, calendar: mon-fri 09:00-18:00}").replace(
        "{id: cs-agent, name: 客服专员, capacity: 4}",
        "{id: cs-agent, name: 客服专员, capacity: 4, calendar: 24/7}")
    assert "mon-fri" in text and "24/7" in text
    model = tmp_path / "complaint.yaml"
    model.write_text(text, encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text("case,activity,timestamp\nc1,登记投诉,2026-01-05 09:00:00\n"
                   "c1,分类与首次响应,2026-01-05 10:00:00\n", encoding="utf-8")
    done = run_cli(["conform", str(log), str(model), "-f", "text", "--fail-on", "never"])
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stdout.splitlines() if "working hours" in line]
    assert len(notes) == 1 and "技术支持" in notes[0] and "客服专员" not in notes[0]
    plain = run_cli(["conform", str(log), str(COMPLAINT), "-f", "text", "--fail-on", "never"])
    assert "working hours" not in plain.stdout
    chinese = run_cli(["conform", str(log), str(model), "-f", "text", "--fail-on", "never",
                       "--lang", "zh"])
    assert "技术支持 的步骤用时按其工作时间（工作日历和时区）计量" in chinese.stdout
