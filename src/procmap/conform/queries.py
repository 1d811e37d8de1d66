"""Every aggregation of `procmap conform`, written once in SQL that DuckDB and Spark run.

The SQL below is the one definition: DuckDB runs it in process (default), Spark SQL runs
it unchanged on a cluster (`tests/conform/test_spark.py` runs it in Spark's local mode and
checks the results equal DuckDB's). It keeps to what both dialects share: window
functions, `count(DISTINCT ...)`, `CASE`, `greatest`, `lpad`, `chr`, `||`, `array_agg`
and `array_sort`, plus two Spark functions DuckDB gets as macros of the same meaning
(`percentile` = `quantile_cont`, exact and interpolated; `array_join` =
`array_to_string`; see `read.connect`). Times are seconds (DOUBLE), so no interval
arithmetic differs between engines.

Inputs (an engine registers them):

- `events(row_no, case_id, activity, t, lifecycle, resource, process)`: `read.py`;
- `activity_map(process, activity, step, role)`: each process's log names of its steps;
- `process_names(name, process)`: ids and names a `process` column may hold;
- `processes(process, position, sla_s, fallback)`: `fallback` = 1 for the one process a
  case belongs to when nothing else says (a workspace of one process);
- `deadlines(process, activity, step, limit_s)`.

Derived tables (`MATERIALIZE`, in this order): `cases(case_id, process)`,
`steps_done` (the completion events of matched cases with their order in the case and
their start) and `case_summary` (one row per case). Rework (a case doing an activity
twice) is read from the variants.
"""

from __future__ import annotations

from typing import Any, Protocol

#: the separator of activities in a variant (a variant is one string, so that engines
#: group by it); each activity is prefixed with its 10-digit position and ':'
VARIANT_SEPARATOR = "\x01"

#: name -> SQL of the tables every query reads, created in this order
MATERIALIZE: dict[str, str] = {
    "cases": """
        WITH named AS (
          SELECT case_id, max(process) AS named FROM events GROUP BY case_id
        ), votes AS (
          SELECT e.case_id, m.process, count(*) AS n
          FROM events e JOIN activity_map m ON e.activity = m.activity
          GROUP BY e.case_id, m.process
        ), ranked AS (
          SELECT v.case_id, v.process,
                 row_number() OVER (PARTITION BY v.case_id
                                    ORDER BY v.n DESC, p.position) AS choice
          FROM votes v JOIN processes p ON v.process = p.process
        )
        SELECT n.case_id,
               CASE WHEN n.named IS NOT NULL THEN pn.process
                    ELSE coalesce(r.process,
                                  (SELECT max(process) FROM processes WHERE fallback = 1))
               END AS process
        FROM named n
        LEFT JOIN process_names pn ON n.named = pn.name
        LEFT JOIN ranked r ON r.case_id = n.case_id AND r.choice = 1
    """,
    # the completion events of matched cases, in case order, each with the time its
    # activity started (the start event just before it, if any) and the completion
    # before it in the case
    "steps_done": """
        WITH ev AS (
          SELECT c.process, e.case_id, e.activity, e.t, e.row_no, e.resource, e.lifecycle,
                 lag(e.lifecycle) OVER (PARTITION BY e.case_id, e.activity
                                        ORDER BY e.t, e.lifecycle DESC, e.row_no)
                   AS before_life,
                 lag(e.t) OVER (PARTITION BY e.case_id, e.activity
                                ORDER BY e.t, e.lifecycle DESC, e.row_no) AS before_t
          FROM {case_events}
          WHERE c.process IS NOT NULL
        )
        SELECT process, case_id, activity, t, row_no, resource,
               CASE WHEN before_life = 'start' THEN before_t ELSE NULL END AS started,
               row_number() OVER (PARTITION BY case_id ORDER BY t, row_no) AS seq,
               lead(activity) OVER (PARTITION BY case_id ORDER BY t, row_no)
                 AS next_activity,
               lag(t) OVER (PARTITION BY case_id ORDER BY t, row_no) AS prev_t
        FROM ev WHERE lifecycle = 'complete'
    """,
    # one row per case: its first and last moment and its variant (the ordered
    # activities, each prefixed with its 10-digit position so that sorting the array
    # orders it, joined with VARIANT_SEPARATOR)
    "case_summary": """
        SELECT process, case_id, min(coalesce(started, t)) AS t0, max(t) AS t1,
               array_join(array_sort(array_agg(
                 lpad(CAST(seq AS STRING), 10, '0') || ':' || activity)), chr(1))
                 AS variant
        FROM steps_done
        GROUP BY process, case_id
    """,
}

#: `cases` when there is one process and the log names none: every case is its case
#: (the same table, without counting each case's activities per process)
SINGLE_PROCESS_CASES = """
    SELECT DISTINCT e.case_id, p.process
    FROM events e CROSS JOIN processes p WHERE p.fallback = 1
"""
#: the events of `steps_done` with their case's process (`e` and `c`): through `cases`,
#: or, with one process, the process itself (no join of every event with its case)
CASE_EVENTS = "events e JOIN cases c ON e.case_id = c.case_id"
SINGLE_PROCESS_EVENTS = ("events e CROSS JOIN (SELECT process FROM processes "
                         "WHERE fallback = 1) c")

#: the times measured at each completion: wait (previous completion -> start), duration
#: (start -> completion) and the gap between completions (when there are no start events)
TIMED = """
    SELECT process, case_id, activity, t - prev_t AS gap,
           CASE WHEN started IS NULL THEN NULL
                ELSE greatest(t - started, CAST(0 AS DOUBLE)) END AS duration,
           CASE WHEN started IS NULL OR prev_t IS NULL THEN NULL
                ELSE greatest(started - prev_t, CAST(0 AS DOUBLE)) END AS wait
    FROM steps_done
"""
#: time -> SQL of its median and 90th percentile per activity. Exact percentiles hold
#: every value of a group in memory and cannot spill to disk: one time per query needs a
#: third of the memory of all three at once (forty million events fit in 1 GB this way)
PERCENTILES: dict[str, str] = {
    time: f"""
        WITH timed AS ({TIMED})
        SELECT process, activity, percentile({time}, 0.5) AS p50,
               percentile({time}, 0.9) AS p90
        FROM timed GROUP BY process, activity
    """ for time in ("wait", "duration", "gap")}

#: name -> SQL of one aggregation; each returns a few rows per process
QUERIES: dict[str, str] = {
    # how many cases each process got, and how many no process claimed
    "case_counts": """
        SELECT process, count(*) AS cases FROM cases GROUP BY process
    """,
    # the directly-follows graph: NULL next_activity is the end of the case
    # (cases are counted from one row per case and pair, not with count(DISTINCT): a
    # grouping spills to disk past the memory limit, a distinct set per group does not)
    "directly_follows": """
        SELECT process, activity, next_activity, sum(n) AS pairs, count(*) AS cases
        FROM (
          SELECT process, activity, next_activity, case_id, count(*) AS n
          FROM steps_done GROUP BY process, activity, next_activity, case_id
        ) per_case
        GROUP BY process, activity, next_activity
    """,
    # distinct variants (the ordered activities of a case) with their case counts
    "variants": """
        SELECT process, variant, count(*) AS cases, min(case_id) AS example_case
        FROM case_summary GROUP BY process, variant
    """,
    # per activity: visits, cases, working time and how many visits were timed (the
    # percentiles of each time come from PERCENTILES, one query per time)
    "activity_times": f"""
        WITH timed AS ({TIMED}), case_counts AS (
          SELECT process, activity, count(*) AS cases
          FROM (SELECT DISTINCT process, activity, case_id FROM steps_done) visited
          GROUP BY process, activity
        ), measured AS (
          SELECT process, activity, count(*) AS visits, sum(duration) AS busy,
                 count(duration) AS timed, count(wait) AS waited
          FROM timed GROUP BY process, activity
        )
        SELECT m.process, m.activity, m.visits, c.cases, m.busy, m.timed, m.waited
        FROM measured m JOIN case_counts c
          ON m.process = c.process AND m.activity = c.activity
    """,
    # case lead times (first event to last, start events included) and SLA attainment
    "lead_times": """
        SELECT cs.process, count(*) AS cases, avg(cs.t1 - cs.t0) AS mean,
               percentile(cs.t1 - cs.t0, 0.5) AS p50, percentile(cs.t1 - cs.t0, 0.9) AS p90,
               percentile(cs.t1 - cs.t0, 0.95) AS p95,
               avg(CASE WHEN p.sla_s IS NULL THEN NULL
                        WHEN cs.t1 - cs.t0 <= p.sla_s THEN CAST(1 AS DOUBLE)
                        ELSE CAST(0 AS DOUBLE) END) AS sla_attainment
        FROM case_summary cs JOIN processes p ON cs.process = p.process
        GROUP BY cs.process
    """,
    # share of cases that reach each deadline step in time (from the case's first event)
    "deadlines": """
        WITH reached AS (
          SELECT dl.process, dl.step, d.case_id, min(d.t) AS done, max(dl.limit_s) AS limit_s
          FROM steps_done d
          JOIN deadlines dl ON d.process = dl.process AND d.activity = dl.activity
          GROUP BY dl.process, dl.step, d.case_id
        )
        SELECT r.process, r.step, count(*) AS cases,
               avg(CASE WHEN r.done - cs.t0 <= r.limit_s THEN CAST(1 AS DOUBLE)
                        ELSE CAST(0 AS DOUBLE) END) AS attainment
        FROM reached r JOIN case_summary cs ON r.case_id = cs.case_id
        GROUP BY r.process, r.step
    """,
    # resources seen per role (through the steps the role does)
    "role_resources": """
        SELECT m.process, m.role, count(DISTINCT d.resource) AS resources
        FROM steps_done d
        JOIN activity_map m ON d.process = m.process AND d.activity = m.activity
        WHERE m.role IS NOT NULL AND d.resource IS NOT NULL
        GROUP BY m.process, m.role
    """,
    # the time the log spans, for workloads per day
    "span": """
        SELECT min(t) AS first, max(t) AS last FROM events
    """,
}

#: the queries the Spark proof compares (all of them)
CORE = tuple(QUERIES)


class Engine(Protocol):
    """Where the SQL runs: DuckDB in process, or Spark."""

    def register(self, name: str, columns: tuple[str, ...], types: tuple[str, ...],
                 rows: list[tuple[Any, ...]]) -> None: ...

    def materialize(self, name: str, sql: str) -> None: ...

    def rows(self, sql: str) -> list[tuple[Any, ...]]: ...


class DuckDBEngine:
    """The default engine: the DuckDB connection `read.read_log` loaded."""

    def __init__(self, con: Any) -> None:
        self.con = con

    def register(self, name: str, columns: tuple[str, ...], types: tuple[str, ...],
                 rows: list[tuple[Any, ...]]) -> None:
        spec = ", ".join(f"{c} {t}" for c, t in zip(columns, types, strict=False))
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({spec})")
        if rows:
            marks = ", ".join("?" for _ in columns)
            self.con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)

    def materialize(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.con.execute(sql).fetchall()]


class SparkEngine:
    """The same SQL on Spark (`pyspark`): tables are temporary views."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def register(self, name: str, columns: tuple[str, ...], types: tuple[str, ...],
                 rows: list[tuple[Any, ...]]) -> None:
        schema = ", ".join(f"{c} {_spark_type(t)}" for c, t in zip(columns, types, strict=False))
        self.spark.createDataFrame(rows, schema).createOrReplaceTempView(name)

    def materialize(self, name: str, sql: str) -> None:
        self.spark.sql(sql).cache().createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]


def _spark_type(sql_type: str) -> str:
    return {"VARCHAR": "STRING", "INTEGER": "INT"}.get(sql_type, sql_type)


def run_all(engine: Engine, single: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Create the derived tables, then run every query: name -> rows (`single`: one
    process and no process column, `SINGLE_PROCESS_CASES`)."""
    for name, sql in MATERIALIZE.items():
        if single and name == "cases":
            sql = SINGLE_PROCESS_CASES
        engine.materialize(name, sql.replace(
            "{case_events}", SINGLE_PROCESS_EVENTS if single else CASE_EVENTS))
    rows = {name: engine.rows(sql) for name, sql in QUERIES.items()}
    rows["activity_times"] = _with_percentiles(
        rows["activity_times"], {time: engine.rows(sql) for time, sql in PERCENTILES.items()})
    return rows


def _with_percentiles(counts: list[tuple[Any, ...]],
                      percentiles: dict[str, list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """activity_times rows as the comparison reads them: (process, activity, visits, cases,
    wait p50, p90, duration p50, p90, gap p50, p90, busy, timed, waited)."""
    by_key = {time: {(r[0], r[1]): (r[2], r[3]) for r in found}
              for time, found in percentiles.items()}
    return [(*row[:4], *by_key["wait"].get((row[0], row[1]), (None, None)),
             *by_key["duration"].get((row[0], row[1]), (None, None)),
             *by_key["gap"].get((row[0], row[1]), (None, None)), *row[4:])
            for row in counts]


def split_variant(variant: str) -> list[str]:
    """The activities of a variant string, in order."""
    import re

    if not variant:
        return []
    parts = re.split(r"\x01(?=\d{10}:)", variant)
    return [part[11:] for part in parts]
