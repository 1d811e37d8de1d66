"""The least DuckDB work `procmap conform` must do, next to the bare directly-follows count
(issue 13's yardstick), on the same CSV log.

The bare count reads typed columns and sorts the completions once. conform must also
pair every start event with its completion (the observed durations), which orders every
event within its case and activity, and then order the completions within each case. This
times only those three steps, with nothing else (no rejects, no dictionaries, no
aggregation), each in a fresh in-memory DuckDB with conform's 1 GB limit, alternating
with the bare count:

    python bench/conform_floor.py LOG.csv     # a log of bench/conform_bench.py's shape
"""

from __future__ import annotations

import sys
import time

BARE = """
    SELECT activity, next, count(*) FROM (
      SELECT activity, lead(activity) OVER (PARTITION BY case_id ORDER BY timestamp) AS next
      FROM read_csv(?) WHERE lifecycle = 'complete')
    GROUP BY activity, next"""
FLOOR = (
    # read every row once as text, with a number per case and activity
    """CREATE TABLE r AS SELECT hash(case_id) AS c, hash(activity) AS a,
         epoch(try_strptime(timestamp, '%Y-%m-%d %H:%M:%S')) AS t,
         lifecycle = 'start' AS s, row_number() OVER () AS n
       FROM read_csv(?, all_varchar = true)""",
    # pair starts with completions: every event, by case and activity
    """CREATE TABLE p AS SELECT *, lag(t) OVER w AS before FROM r
       WINDOW w AS (PARTITION BY c ORDER BY a, t, s DESC, n)""",
    # the completions in case order
    """CREATE TABLE d AS SELECT *, lead(a) OVER w AS next FROM p WHERE NOT s
       WINDOW w AS (PARTITION BY c ORDER BY t, n)""",
)


def timed(path: str, statements: tuple[str, ...]) -> float:
    import duckdb

    con = duckdb.connect(config={"memory_limit": "1GB", "preserve_insertion_order": False})
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    for sql in statements:
        con.execute(sql, [path] if "?" in sql else [])
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def main() -> None:
    path = sys.argv[1]
    for _ in range(3):
        bare, floor = timed(path, (BARE,)), timed(path, FLOOR)
        print(f"bare DFG count {bare:.2f} s; read + pairing + case order {floor:.2f} s: "
              f"{floor / bare:.2f}x", flush=True)


if __name__ == "__main__":
    main()
