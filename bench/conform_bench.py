"""procmap conform end to end against a bare DuckDB directly-follows count (issue 13).

Generates CSV event logs of the complaint model of tests/conform/models (start and
complete events, 30% of cases through diagnosis) with DuckDB in /tmp, then times, each in
a fresh process (start-up included), with peak RSS:

- `procmap conform LOG MODEL --format json -o /dev/null` (everything: reading, bad-row
  checks, every query, replay, findings);
- a bare DuckDB directly-follows count on the same file: `lead(activity) over (partition
  by case order by timestamp)`, grouped;
- with `--pm4py-python`, pm4py's default path for the same statistics, run by a Python
  that has pm4py (make one with `python -m venv /tmp/pm4py-venv && /tmp/pm4py-venv/bin/pip
  install pm4py`: pm4py is AGPL, so it never enters procmap's environment).

The logs are deleted afterwards. Numbers go to docs/benchmarks.md.

    python bench/conform_bench.py            # 1M and 10M events
    python bench/conform_bench.py --events 1000000
    python bench/conform_bench.py --pm4py-python /tmp/pm4py-venv/bin/python
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "tests", "conform", "models", "complaint.yaml")
#: activities of a case, in order (diagnosis only for 30% of the cases); 2 events each
_PATH = ["登记投诉", "分类", "技术诊断", "制定方案", "电话告知客户", "更新 CRM", "结案"]

BARE_DFG = """
import duckdb, sys
con = duckdb.connect()
rows = con.execute('''
  SELECT activity, next, count(*) FROM (
    SELECT activity, lead(activity) OVER (PARTITION BY case_id ORDER BY timestamp) AS next
    FROM read_csv(?) WHERE lifecycle = 'complete')
  GROUP BY activity, next''', [sys.argv[1]]).fetchall()
print(len(rows))
"""


#: pm4py's default path for the same statistics (run only with --pm4py-python: pm4py is
#: AGPL and lives in a throwaway environment, never in procmap's): the CSV read with
#: pandas and formatted, the completion events' directly-follows graph, its performance
#: variant (times between activities) and the variants
PM4PY = """
import sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
import pm4py
frame = pd.read_csv(sys.argv[1])
frame = frame[frame["lifecycle"] == "complete"]
log = pm4py.format_dataframe(frame, case_id="case_id", activity_key="activity",
                             timestamp_key="timestamp")
dfg, starts, ends = pm4py.discover_dfg(log)
performance, _, _ = pm4py.discover_performance_dfg(log)
variants = pm4py.get_variants(log)
print(len(dfg), len(performance), len(variants))
"""


def generate(path: str, events: int) -> None:
    import duckdb

    cases = events // 13  # 6.3 activities x 2 events per case on average
    steps = ", ".join(f"('{name}', {number})" for number, name in enumerate(_PATH))
    con = duckdb.connect()
    con.execute(f"""
      COPY (
        WITH c AS (SELECT range AS n, random() < 0.3 AS tech FROM range({cases})),
        s AS (SELECT * FROM (VALUES {steps}) v(activity, position)),
        e AS (
          SELECT 'C-' || c.n AS case_id, s.activity, s.position,
                 TIMESTAMP '2026-01-01' + to_seconds(c.n * 120 + s.position * 7200) AS t0
          FROM c JOIN s ON s.activity <> '技术诊断' OR c.tech)
        SELECT case_id, activity, t0 AS timestamp, 'start' AS lifecycle, 'agent' AS resource
        FROM e
        UNION ALL
        SELECT case_id, activity, t0 + to_seconds(600 + (hash(case_id || activity) % 1800)),
               'complete', 'agent' FROM e
      ) TO '{path}' (HEADER, DELIMITER ',')""")


_WRAP = ("import resource, subprocess, sys; "
         "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed(command: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one child process (measured by its own parent)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _WRAP, *command], check=True,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, action="append")
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--pm4py-python", help="a Python with pm4py installed (a throwaway "
                        "venv: pm4py is AGPL, never a procmap dependency)")
    args = parser.parse_args()
    sizes = args.events or [1_000_000, 10_000_000]
    procmap = [sys.executable, "-m", "procmap"]
    print(f"{'events':>11} {'CSV MB':>7} {'conform s':>9} {'RSS MB':>7} {'bare DFG s':>10} "
          f"{'RSS MB':>7} {'ratio':>6}")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="procmap-conform-bench-") as folder:
            log = os.path.join(folder, "log.csv")
            generate(log, size)
            megabytes = os.path.getsize(log) / 1e6
            bare, bare_rss = timed([sys.executable, "-c", BARE_DFG, log])
            full, full_rss = timed([*procmap, "conform", log, MODEL, "--format", "json",
                                    "-o", os.devnull, "--fail-on", "never",
                                    "--memory-limit", args.memory_limit])
            print(f"{size:>11,} {megabytes:>7.0f} {full:>9.2f} {full_rss:>7.0f} "
                  f"{bare:>10.2f} {bare_rss:>7.0f} {full / bare:>6.2f}", flush=True)
            if args.pm4py_python:
                other, other_rss = timed([args.pm4py_python, "-c", PM4PY, log])
                print(f"{'':>11} pm4py: {other:.2f} s, {other_rss:.0f} MB peak RSS, "
                      f"{other / full:.1f}x procmap conform's time", flush=True)


if __name__ == "__main__":
    main()
