"""Every aggregation of `procmap conform`, written once in SQL that DuckDB and Spark run.

The SQL below is the one definition: DuckDB runs it in process (default), Spark SQL runs
it unchanged on a cluster (`tests/conform/test_spark.py` runs it in Spark's local mode and
checks the results equal DuckDB's). It keeps to what both dialects share: window
functions, `count(DISTINCT ...)`, `CASE`, `IS NOT DISTINCT FROM`, `greatest`, `least`,
`floor`, `array_agg`, `array_sort` and grouping by an array, plus one Spark function
DuckDB gets as a macro of the same meaning (`percentile` = `quantile_cont`, exact and
interpolated; see `read.connect`). Times are seconds (DOUBLE), so no interval arithmetic
differs between engines.

Inputs (an engine registers them):

- the log, as `read.py` writes it: `events(row_no, case_no, act_no, t, is_start, res_no,
  proc_no)`, whose names are numbers (BIGINT) that four dictionaries spell out:
  `case_names(case_id, case_no)`, `activity_names(activity, act_no)`,
  `resource_names(resource, res_no)`, `log_processes(name, proc_no)`. Only process
  numbers are in the order of their names (`max(proc_no)` is the last name); the others
  are any distinct numbers. Numbers make an event a third of the memory of its strings,
  which keeps ten million events inside a 1 GB limit: sorts and groupings do not spill;
- `activity_map(process, activity, step, role)`: each process's log names of its steps;
- `process_names(name, process)`: ids and names a `process` column may hold;
- `processes(process, position, sla_s, fallback)`: `fallback` = 1 for the one process a
  case belongs to when nothing else says (a workspace of one process);
- `deadlines(process, activity, step, limit_s)`.

`PLAN` says what runs, in order: derived tables (`paired`, every event with the one
before it of the same case and activity; `cases`, the process of each case;
`steps_done`, the completion events of matched cases in case order with their start;
`case_summary`, one row per case), the queries, and which table is no longer needed
when. Exact duplicates (same case, activity, time, lifecycle, resource and process) are
counted and read once: they sort next to each other in `paired`, where each is flagged
and left out of everything after it; only when a log has events at the same instant of
the same case and activity by different resources are the events grouped first
(`UNIQUE_EVENTS`), so that results never depend on which of the two ways ran. Rework (a
case doing an activity twice) is read from the variants.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from procmap.model.calendar import WorkCalendar

#: activity numbers (from 1, `activity_names`) are below this in a packed variant
VARIANT_BASE = 2**31

#: the log numbers of each process's steps (the model's names joined with the log's)
ACTIVITY_CODES = """
    SELECT m.process, a.act_no, m.step, m.role
    FROM activity_map m JOIN activity_names a ON m.activity = a.activity
"""
#: which process each case belongs to: the process the log names, else the one whose
#: activities the case does most (ties: the first process), else the fallback
CASES = """
    WITH named AS (
      SELECT case_no, max(proc_no) AS named FROM paired GROUP BY case_no
    ), votes AS (
      SELECT e.case_no, m.process, count(*) AS n
      FROM paired e JOIN activity_codes m ON e.act_no = m.act_no
      WHERE e.tie <> 1
      GROUP BY e.case_no, m.process
    ), ranked AS (
      SELECT v.case_no, v.process,
             row_number() OVER (PARTITION BY v.case_no
                                ORDER BY v.n DESC, p.position) AS choice
      FROM votes v JOIN processes p ON v.process = p.process
    )
    SELECT n.case_no,
           CASE WHEN n.named IS NOT NULL THEN pn.process
                ELSE coalesce(r.process,
                              (SELECT max(process) FROM processes WHERE fallback = 1))
           END AS process
    FROM named n
    LEFT JOIN log_processes lp ON n.named = lp.proc_no
    LEFT JOIN process_names pn ON lp.name = pn.name
    LEFT JOIN ranked r ON r.case_no = n.case_no AND r.choice = 1
"""
#: `cases` when there is one process and the log names none: every case is its case
#: (the same table, without counting each case's activities per process)
SINGLE_PROCESS_CASES = """
    SELECT DISTINCT e.case_no, p.process
    FROM paired e CROSS JOIN processes p WHERE p.fallback = 1
"""
#: every event with the one just before it of the same case and activity (its start,
#: when that is a start event), in the order of time, starts first, then the file (one
#: window per case, ordered by activity first: a window per case and activity costs a
#: quarter more, for its many small partitions).
#: `tie` = 1 marks an exact copy of the event before it (counted, and read once), 2 an
#: event at the same instant as the one before it but by another resource or process.
#: `{events}` is `events` itself (`copies` = 0), or, when the log has ties of kind 2
#: (copies need not be neighbours then), its distinct events (`UNIQUE_EVENTS`)
PAIRED = """
    SELECT case_no, act_no, t, row_no, res_no, proc_no, is_start, copies,
           CASE WHEN lag(act_no) OVER w = act_no THEN lag(t) OVER w END AS before_t,
           CASE WHEN lag(act_no) OVER w = act_no THEN lag(is_start) OVER w END
             AS before_start,
           CASE WHEN lag(act_no) OVER w = act_no AND lag(t) OVER w = t
                     AND lag(is_start) OVER w = is_start THEN
                  CASE WHEN lag(res_no) OVER w IS NOT DISTINCT FROM res_no
                            AND lag(proc_no) OVER w IS NOT DISTINCT FROM proc_no
                       THEN 1 ELSE 2 END
                ELSE 0 END AS tie
    FROM {events}
    WINDOW w AS (PARTITION BY case_no ORDER BY act_no, t, is_start DESC, row_no)
"""
ALL_EVENTS = "(SELECT e.*, 0 AS copies FROM events e) all_events"
UNIQUE_EVENTS = """(
      SELECT min(row_no) AS row_no, case_no, act_no, t, is_start, res_no, proc_no,
             count(*) - 1 AS copies
      FROM events GROUP BY case_no, act_no, t, is_start, res_no, proc_no) unique_events"""
#: how many events share their instant with another of their case and activity but not
#: their resource or process (none: exact copies are neighbours in `paired`)
MIXED_TIES = "SELECT count(*) FROM paired WHERE tie = 2"
#: the completion events of matched cases, in case order, each with the time its
#: activity started (if it did) and the completion before it in the case
STEPS_DONE = """
    SELECT process, case_no, act_no, t, row_no, res_no,
           CASE WHEN before_start THEN before_t ELSE NULL END AS started,
           {worked} AS worked, row_number() OVER w AS seq, lead(act_no) OVER w AS next_act,
           lag(t) OVER w AS prev_t
    FROM (
      SELECT d.case_no, d.act_no, d.t, d.row_no, d.res_no, d.before_t, d.before_start,
             c.process{clock_columns}
      FROM {case_events}
      WHERE NOT d.is_start AND d.tie <> 1 AND c.process IS NOT NULL) done
    WINDOW w AS (PARTITION BY case_no ORDER BY t, row_no)
"""
#: `worked` in `steps_done`: the time from the start to the completion, elapsed; for the
#: steps of roles with working hours, `worked_sql` puts their working time in its place
#: (from each completion's clock and local times, `clock_columns`)
ELAPSED = "t - before_t"
WORKED = "CASE WHEN before_start THEN greatest({elapsed}, CAST(0 AS DOUBLE)) END"
#: the events of `steps_done` with their case's process (`d` and `c`): through `cases`,
#: or, with one process, the process itself (no join of every event with its case)
CASE_EVENTS = "paired d JOIN cases c ON d.case_no = c.case_no"
SINGLE_PROCESS_EVENTS = ("paired d CROSS JOIN (SELECT process FROM processes "
                         "WHERE fallback = 1) c")
#: one row per case: its first and last moment and its variant, the ordered activities
#: as one array of numbers (position * VARIANT_BASE + activity number: sorting the array
#: orders it, and engines group by arrays; `run_all` spells the activities out)
CASE_SUMMARY = f"""
    SELECT process, case_no, min(coalesce(started, t)) AS t0, max(t) AS t1,
           array_sort(array_agg(seq * {VARIANT_BASE} + act_no)) AS variant
    FROM steps_done
    GROUP BY process, case_no
"""

#: the times measured at each completion: wait (previous completion -> start, elapsed),
#: duration (start -> completion, in working time where the role has working hours) and
#: the gap between completions (when there are no start events)
TIMED = """
    SELECT process, case_no, act_no, t - prev_t AS gap, worked AS duration,
           CASE WHEN started IS NULL OR prev_t IS NULL THEN NULL
                ELSE greatest(started - prev_t, CAST(0 AS DOUBLE)) END AS wait
    FROM steps_done
"""
#: time -> SQL of its median and 90th percentile per activity. Exact percentiles hold
#: every value of a group in memory and cannot spill to disk: one time per query needs a
#: third of the memory of all three at once (forty million events fit in 1 GB this way)
PERCENTILES: dict[str, str] = {
    time: f"""
        WITH timed AS ({TIMED}), measured AS (
          SELECT process, act_no, percentile({time}, 0.5) AS p50,
                 percentile({time}, 0.9) AS p90
          FROM timed GROUP BY process, act_no
        )
        SELECT m.process, a.activity, m.p50, m.p90
        FROM measured m JOIN activity_names a ON m.act_no = a.act_no
    """ for time in ("wait", "duration", "gap")}

#: name -> SQL of one aggregation; each returns a few rows per process
QUERIES: dict[str, str] = {
    # how many events the log has, how many are exact copies of another, and the time
    # it spans (for workloads per day)
    "log_totals": """
        SELECT sum(CASE WHEN tie = 1 THEN 0 ELSE 1 END) AS events,
               sum(CASE WHEN tie = 1 THEN 1 ELSE 0 END) + sum(copies) AS copies,
               min(t) AS first, max(t) AS last
        FROM paired
    """,
    # how many cases each process got, and how many no process claimed
    "case_counts": """
        SELECT process, count(*) AS cases FROM cases GROUP BY process
    """,
    # the directly-follows graph: NULL next_activity is the end of the case
    # (cases are counted from one row per case and pair, not with count(DISTINCT): a
    # grouping spills to disk past the memory limit, a distinct set per group does not)
    "directly_follows": """
        WITH per_case AS (
          SELECT process, act_no, next_act, case_no, count(*) AS n
          FROM steps_done GROUP BY process, act_no, next_act, case_no
        ), pairs AS (
          SELECT process, act_no, next_act, sum(n) AS pairs, count(*) AS cases
          FROM per_case GROUP BY process, act_no, next_act
        )
        SELECT p.process, a.activity, b.activity AS next_activity, p.pairs, p.cases
        FROM pairs p JOIN activity_names a ON p.act_no = a.act_no
        LEFT JOIN activity_names b ON p.next_act = b.act_no
    """,
    # distinct variants (the ordered activities of a case) with their case counts
    "variants": """
        SELECT v.process, v.variant, count(*) AS cases, min(n.case_id) AS example_case
        FROM case_summary v JOIN case_names n ON v.case_no = n.case_no
        GROUP BY v.process, v.variant
    """,
    # per activity: visits, cases, working time and how many visits were timed (the
    # percentiles of each time come from PERCENTILES, one query per time)
    "activity_times": f"""
        WITH timed AS ({TIMED}), case_counts AS (
          SELECT process, act_no, count(*) AS cases
          FROM (SELECT DISTINCT process, act_no, case_no FROM steps_done) visited
          GROUP BY process, act_no
        ), measured AS (
          SELECT process, act_no, count(*) AS visits, sum(duration) AS busy,
                 count(duration) AS timed, count(wait) AS waited
          FROM timed GROUP BY process, act_no
        )
        SELECT m.process, a.activity, m.visits, c.cases, m.busy, m.timed, m.waited
        FROM measured m JOIN case_counts c
          ON m.process = c.process AND m.act_no = c.act_no
        JOIN activity_names a ON m.act_no = a.act_no
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
        WITH limits AS (
          SELECT dl.process, dl.step, a.act_no, dl.limit_s
          FROM deadlines dl JOIN activity_names a ON dl.activity = a.activity
        ), reached AS (
          SELECT l.process, l.step, d.case_no, min(d.t) AS done, max(l.limit_s) AS limit_s
          FROM steps_done d
          JOIN limits l ON d.process = l.process AND d.act_no = l.act_no
          GROUP BY l.process, l.step, d.case_no
        )
        SELECT r.process, r.step, count(*) AS cases,
               avg(CASE WHEN r.done - cs.t0 <= r.limit_s THEN CAST(1 AS DOUBLE)
                        ELSE CAST(0 AS DOUBLE) END) AS attainment
        FROM reached r JOIN case_summary cs ON r.case_no = cs.case_no
        GROUP BY r.process, r.step
    """,
    # resources seen per role (through the steps the role does)
    "role_resources": """
        SELECT m.process, m.role, count(DISTINCT d.res_no) AS resources
        FROM steps_done d
        JOIN activity_codes m ON d.process = m.process AND d.act_no = m.act_no
        WHERE m.role IS NOT NULL AND d.res_no IS NOT NULL
        GROUP BY m.process, m.role
    """,
}

#: what `run_all` does, in order: ("table", name) materializes a derived table,
#: ("query", name) runs one of QUERIES, ("drop", name) frees a table no longer read
PLAN: tuple[tuple[str, str], ...] = (
    ("table", "activity_codes"), ("table", "paired"), ("drop", "events"),
    ("table", "cases"), ("query", "log_totals"), ("table", "steps_done"),
    ("drop", "paired"), ("table", "case_summary"),
    *(("query", name) for name in QUERIES if name != "log_totals"),
)
#: name -> SQL of the derived tables
TABLES: dict[str, str] = {"activity_codes": ACTIVITY_CODES, "cases": CASES,
                          "paired": PAIRED, "steps_done": STEPS_DONE,
                          "case_summary": CASE_SUMMARY}

#: the queries the Spark proof compares (all of them)
CORE = tuple(QUERIES)


class Engine(Protocol):
    """Where the SQL runs: DuckDB in process, or Spark."""

    def register(self, name: str, columns: tuple[str, ...], types: tuple[str, ...],
                 rows: list[tuple[Any, ...]]) -> None: ...

    def materialize(self, name: str, sql: str) -> None: ...

    def drop(self, name: str) -> None: ...

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

    def drop(self, name: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {name}")

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

    def drop(self, name: str) -> None:
        # a view that later views were built on stays readable by them: Spark's cached
        # plans keep what they read, so only the name goes
        self.spark.catalog.dropTempView(name)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]


def _spark_type(sql_type: str) -> str:
    return {"VARCHAR": "STRING", "INTEGER": "INT"}.get(sql_type, sql_type)


#: the steps of one role with working hours: (process, their log names, the role's
#: calendar, its time zone)
Clock = tuple[str, Sequence[str], "WorkCalendar", "str | None"]


def run_all(engine: Engine, single: bool = False,
            clocks: Sequence[Clock] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Run `PLAN`: name -> rows of every query (`single`: one process and no process
    column, `SINGLE_PROCESS_CASES`; `clocks`: durations measured in working time).
    Variants come back spelled out (a tuple of activity names)."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    names = {str(name): int(number) for number, name in
             engine.rows("SELECT act_no, activity FROM activity_names")}
    for action, name in PLAN:
        if action == "drop":
            engine.drop(name)
        elif action == "query":
            rows[name] = engine.rows(QUERIES[name])
        elif name == "paired":
            engine.materialize(name, PAIRED.replace("{events}", ALL_EVENTS))
            if engine.rows(MIXED_TIES)[0][0]:
                engine.materialize(name, PAIRED.replace("{events}", UNIQUE_EVENTS))
        else:
            sql = SINGLE_PROCESS_CASES if single and name == "cases" else TABLES[name]
            columns, worked = worked_sql(clocks, names, rows["log_totals"][0][2:4]) \
                if name == "steps_done" else ("", "")
            engine.materialize(name, sql.replace(
                "{case_events}", SINGLE_PROCESS_EVENTS if single else CASE_EVENTS).replace(
                "{clock_columns}", columns).replace("{worked}", worked))
    rows["activity_times"] = _with_percentiles(
        rows["activity_times"], {time: engine.rows(sql) for time, sql in PERCENTILES.items()})
    spelled = {number: name for name, number in names.items()}
    rows["variants"] = [(row[0], spell_variant(row[1], spelled), *row[2:])
                        for row in rows["variants"]]
    return rows


def worked_sql(clocks: Sequence[Clock], numbers: dict[str, int],
               span: Sequence[float | None]) -> tuple[str, str]:
    """(`clock_columns`, `worked`) of `steps_done`: elapsed, but in working time for the
    activities of `clocks` (`numbers`: activity -> act_no; `span`: the log's first and
    last instant). Each completion gets its clock's number and the local times of its
    start and end first, so the working intervals' terms read columns."""
    from procmap.conform.worktime import local_sql, working_sql

    first, last = (float(v) if v is not None else 0.0 for v in span)
    which: list[str] = []
    done: list[str] = []
    begun: list[str] = []
    worked: list[str] = []
    for process, activities, calendar, zone in clocks:
        found = sorted(numbers[a] for a in set(activities) if a in numbers)
        if not found:
            continue
        when = (f"WHEN c.process = {_quoted(process)} AND d.act_no IN "
                f"({', '.join(map(str, found))})")
        number = len(which) + 1
        which.append(f"{when} THEN {number}")
        done.append(f"{when} THEN {local_sql(zone, 'd.t', first, last)}")
        begun.append(f"{when} THEN {local_sql(zone, 'd.before_t', first, last)}")
        worked.append(f"WHEN {number} THEN {working_sql(calendar, 'local_done')} - "
                      f"{working_sql(calendar, 'local_begun')}")
    if not which:
        return "", WORKED.replace("{elapsed}", ELAPSED)
    columns = (f", CASE {' '.join(which)} END AS clock, CASE {' '.join(done)} END AS "
               f"local_done, CASE {' '.join(begun)} END AS local_begun")
    elapsed = f"CASE clock {' '.join(worked)} ELSE {ELAPSED} END"
    return columns, WORKED.replace("{elapsed}", elapsed)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def spell_variant(variant: Any, names: dict[int, str]) -> tuple[str, ...]:
    """A packed variant (`case_summary`, a sorted array of numbers) as its activities'
    names, in order."""
    return tuple(names[int(packed) % VARIANT_BASE] for packed in variant or ())


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
