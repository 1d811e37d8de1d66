"""A 2 GB CSV event log (about 40 million events) is checked within the memory budget of
issue 13: DuckDB holds to `--memory-limit` (1 GB by default) and spills the rest to disk,
the exact percentiles run one measured time per query, and the whole run stays under
2 GB of peak RSS, with the counts of the log exact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from testenv import cli_env

MODEL = Path(__file__).parent / "models" / "complaint.yaml"
#: the activities of a case in order; diagnosis (技术诊断) for the cases with n % 10 < 3
PATH = ["登记投诉", "分类", "技术诊断", "制定方案", "电话告知客户", "更新 CRM", "结案"]
CASES = 3_100_000
#: what measures the peak RSS of one command (its own parent, not pytest's children)
WRAP = ("import resource, subprocess, sys; "
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _write_log(path: Path) -> int:
    """The log, written by DuckDB; returns its number of events."""
    import duckdb

    steps = ", ".join(f"('{name}', {number})" for number, name in enumerate(PATH))
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"""
      COPY (
        WITH c AS (SELECT range AS n FROM range({CASES})),
        s AS (SELECT * FROM (VALUES {steps}) v(activity, position)),
        e AS (
          SELECT 'C-' || c.n AS case_id, s.activity,
                 TIMESTAMP '2026-01-01' + to_seconds(c.n * 120 + s.position * 7200) AS t0
          FROM c JOIN s ON s.activity <> '技术诊断' OR c.n % 10 < 3)
        SELECT case_id, activity, t0 AS timestamp, 'start' AS lifecycle,
               'agent' AS resource FROM e
        UNION ALL
        SELECT case_id, activity, t0 + to_seconds(600 + (hash(case_id || activity) % 1800)),
               'complete', 'agent' FROM e
      ) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()
    return 2 * (6 * CASES + 3 * (CASES // 10))


@pytest.mark.bigdata
def test_a_2_gb_log_is_checked_in_bounded_memory(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    events = _write_log(log)
    assert log.stat().st_size > 2e9
    report = tmp_path / "conform.json"
    done = subprocess.run(
        [sys.executable, "-c", WRAP, sys.executable, "-m", "procmap", "conform", str(log),
         str(MODEL), "--format", "json", "-o", str(report), "--fail-on", "never"],
        capture_output=True, text=True, env=cli_env(), timeout=1500)
    code, peak_kb = (int(v) for v in done.stdout.split())
    assert code == 0, done.stderr
    assert peak_kb / 1024 < 2048, f"peak RSS {peak_kb / 1024:.0f} MB"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["events"] == events and data["cases"] == CASES
    assert data["duplicates"] == 0 and data["rejected_rows"] == 0
    process = data["processes"][0]
    assert process["fitness"] == 1.0 and process["variants"] == 2
    assert process["cases"] == CASES
    # 30% of the cases through diagnosis (n % 10 < 3): the designed share, exactly
    diagnose = next(t for t in process["transitions"]
                    if (t["from"], t["to"]) == ("classify", "diagnose"))
    assert diagnose["cases"] == 3 * (CASES // 10)
    assert diagnose["observed_probability"] == 0.3
