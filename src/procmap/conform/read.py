"""An event log (CSV, Parquet, JSON lines, XES) -> the DuckDB table `events`.

The file is read by DuckDB itself (`read_csv`, `read_parquet`, `read_json`), streaming,
never through pandas; XES is parsed with lxml's `iterparse` (entities and network off)
into a temporary CSV first. Every column is read as text and parsed here, so that one bad
value is one rejected row, never a failed run:

    events(row_no BIGINT, case_no BIGINT, act_no INTEGER, t DOUBLE, is_start BOOLEAN,
           res_no INTEGER, proc_no INTEGER)

with the names behind the numbers in `case_names(case_id, case_no)`,
`activity_names(activity, act_no)`, `resource_names(resource, res_no)` and
`log_processes(name, proc_no)`, numbered in the order of the names (see queries.py).
`t` is seconds since 1970-01-01 UTC (zone-less timestamps are read in `timezone`);
an event is a start or a completion (no lifecycle column: every event completes). Rows
are numbered from 1 in file order (the header of a CSV is not a row). Rows without a case
id, an activity or a readable timestamp are rejected: counted, the first ten numbered,
never silently dropped (`--strict` makes them an error). Exact duplicates (same case,
activity, time, lifecycle, resource, process) are counted and read once by the queries.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procmap.errors import ProcmapError
from procmap.i18n import _

if TYPE_CHECKING:
    import duckdb

#: the log columns procmap reads, and the names it recognises for each (case-insensitive)
COLUMNS: dict[str, tuple[str, ...]] = {
    "case": ("case", "case_id", "case:concept:name", "caseid", "case id"),
    "activity": ("activity", "concept:name", "activity_name", "activity name"),
    "timestamp": ("timestamp", "time:timestamp", "time", "event_time"),
    "lifecycle": ("lifecycle", "lifecycle:transition"),
    "resource": ("resource", "org:resource"),
    "process": ("process",),
}
REQUIRED = ("case", "activity", "timestamp")
FORMATS = ("csv", "parquet", "json", "xes")
_EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet",
               ".pq": "parquet", ".jsonl": "json", ".ndjson": "json", ".json": "json",
               ".xes": "xes"}
#: how many rejected row numbers a report lists
SHOWN_REJECTS = 10
#: start and completion words of lifecycle columns (anything else is not an event)
_STARTS = ("start", "started", "begin", "assign")
_COMPLETES = ("", "complete", "completed", "end", "done", "finish", "finished")
_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%d.%m.%Y %H:%M:%S",
                 "%d.%m.%Y %H:%M", "%Y%m%d%H%M%S")


#: the dictionaries of the names in a log: (table, number column, name column, the
#: column of `parsed` it reads)
_DICTIONARIES = (("case_names", "case_no", "case_id", "case_id"),
                 ("activity_names", "act_no", "activity", "activity"),
                 ("resource_names", "res_no", "resource", "resource"),
                 ("log_processes", "proc_no", "name", "process"))
#: a case's or resource's number: its 63-bit hash (NULL stays NULL), computed where the
#: name is read (no join of every event with a big dictionary), used when no two names
#: of the dictionary share one
_HASHED_TABLES = ("case_names", "resource_names")
_HASHED = "CASE WHEN {name} IS NOT NULL THEN CAST(hash({name}) >> 1 AS BIGINT) END"


class LogError(ProcmapError):
    """The event log cannot be read: a one-line error, exit code 2."""


@dataclass
class LogInfo:
    """What reading the log found: which columns, how many rows, what was rejected."""

    path: str
    format: str
    columns: dict[str, str | None]
    rows: int = 0  # rows in the file
    events: int = 0  # events read (after rejects and duplicates)
    rejected: int = 0
    rejected_rows: list[int] = field(default_factory=list)  # the first SHOWN_REJECTS
    malformed_lines: list[int] = field(default_factory=list)  # CSV lines DuckDB refused
    duplicates: int = 0
    other_lifecycle: int = 0  # events that are neither start nor complete
    timezone: str = "UTC"


def log_format(path: str) -> str:
    """csv, parquet, json or xes: from the extension, else from the first bytes."""
    name = path.lower()
    for suffix in (".gz", ".zst"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    extension = os.path.splitext(name)[1]
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension]
    try:
        with open(path, "rb") as handle:
            head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise LogError(_("cannot read the log {path}: {why}").format(
            path=path, why=exc.strerror or exc)) from exc
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"<"):
        return "xes"
    if head.startswith(b"{"):
        return "json"
    return "csv"


def connect(memory_limit: str = "1GB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-process DuckDB with bounded memory, spilling to a private temporary folder,
    with the function the shared SQL uses under its Spark name (`percentile`)."""
    import duckdb

    spill = tempfile.mkdtemp(prefix="procmap-conform-")
    config: dict[str, Any] = {"memory_limit": memory_limit, "temp_directory": spill,
                              "preserve_insertion_order": True}
    if threads:
        config["threads"] = threads
    try:
        con = duckdb.connect(":memory:", config=config)
    except duckdb.Error as exc:
        shutil.rmtree(spill, ignore_errors=True)
        raise LogError(_("cannot start DuckDB: {why}").format(why=_one_line(exc))) from exc
    con.execute("SET enable_progress_bar = false")  # procmap's output only, on stderr too
    con.execute("CREATE MACRO percentile(x, p) AS quantile_cont(x, p)")
    _SPILL[id(con)] = spill
    return con


#: connection -> its spill folder, removed by `close`
_SPILL: dict[int, str] = {}


def close(con: duckdb.DuckDBPyConnection) -> None:
    spill = _SPILL.pop(id(con), None)
    con.close()
    if spill:
        shutil.rmtree(spill, ignore_errors=True)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_log(con: duckdb.DuckDBPyConnection, path: str, *,
             columns: Mapping[str, str | None] | None = None, timezone: str = "UTC",
             strict: bool = False) -> LogInfo:
    """Read `path` into the table `events` of `con` (see the module docstring)."""
    import duckdb

    _check_path(path)
    fmt = log_format(path)
    _set_timezone(con, timezone)
    work: str | None = None
    try:
        source = path
        if fmt == "xes":
            from procmap.conform.xes import xes_to_csv

            work = tempfile.mkdtemp(prefix="procmap-xes-")
            source = xes_to_csv(path, os.path.join(work, "events.csv"))
        relation = _source(fmt if fmt != "xes" else "csv", source)
        names = [row[0] for row in con.execute(
            f"DESCRIBE SELECT * FROM {relation}").fetchall()]
        chosen = detect_columns(names, columns or {}, path)
        info = LogInfo(path, fmt, chosen, timezone=timezone)
        _load(con, relation, chosen, fmt, info)
    except duckdb.OutOfMemoryException as exc:
        raise out_of_memory(con, path) from exc
    except duckdb.Error as exc:
        raise LogError(_("cannot read the log {path} as {fmt}: {why}").format(
            path=path, fmt=fmt.upper(), why=_why(exc))) from exc
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)
    if strict and (info.rejected or info.malformed_lines):
        first = (info.rejected_rows or info.malformed_lines)[0]
        raise LogError(_("{count} bad rows in {path} (the first: row {row}) and --strict "
                         "is given").format(count=info.rejected + len(info.malformed_lines),
                                            path=path, row=first))
    return info


def _check_path(path: str) -> None:
    if not os.path.exists(path):
        raise LogError(_("the log {path} does not exist").format(path=path))
    if os.path.isdir(path):
        raise LogError(_("the log {path} is a directory: give one file").format(path=path))
    if os.path.isfile(path) and os.path.getsize(path) == 0:
        raise LogError(_("the log {path} is empty (0 bytes): export it again").format(
            path=path))


def out_of_memory(con: duckdb.DuckDBPyConnection, path: str) -> LogError:
    """The error of a log that needs more memory than the limit: exact percentiles hold
    every duration of an activity at once (about 50 bytes per event), and they cannot
    spill to disk like the rest."""
    try:
        limit = str((con.execute("SELECT current_setting('memory_limit')").fetchone()
                     or ("?",))[0])
    except Exception:  # the connection may be unusable after the failure
        limit = "?"
    return LogError(_("the log {path} needs more memory than the limit ({limit}): exact "
                      "percentiles keep every measured time in memory; give --memory-limit "
                      "more, or check a part of the log").format(path=path, limit=limit))


def _why(exc: BaseException) -> str:
    text = _one_line(exc)
    if "unicode" in text.lower() or "utf-8" in text.lower():
        return _("not UTF-8 text; re-save the export as UTF-8")
    return text


def _set_timezone(con: duckdb.DuckDBPyConnection, timezone: str) -> None:
    import duckdb

    try:
        con.execute(f"SET TimeZone = {_literal(timezone)}")
    except duckdb.Error as exc:
        raise LogError(_("unknown time zone {zone!r}: use an IANA name such as "
                         "Asia/Shanghai or UTC").format(zone=timezone)) from exc


def _source(fmt: str, path: str) -> str:
    quoted = _literal(path)
    if fmt == "parquet":
        return f"read_parquet({quoted})"
    if fmt == "json":
        return f"read_json({quoted}, format = 'newline_delimited')"
    return (f"read_csv({quoted}, all_varchar = true, header = true, "
            "store_rejects = true)")


def detect_columns(names: list[str], given: Mapping[str, str | None],
                   path: str) -> dict[str, str | None]:
    """Log column name per role (case, activity, ...): given names, else common ones."""
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(name.strip().lower(), name)
    chosen: dict[str, str | None] = {}
    for role, candidates in COLUMNS.items():
        wanted = given.get(role)
        if wanted:
            if wanted not in names and wanted.lower() not in by_lower:
                raise LogError(_("the log {path} has no column {column!r} (given for "
                                 "{role}); its columns: {names}").format(
                    path=path, column=wanted, role=role, names=", ".join(names[:20])))
            chosen[role] = wanted if wanted in names else by_lower[wanted.lower()]
            continue
        chosen[role] = next((by_lower[c] for c in candidates if c in by_lower), None)
    missing = [role for role in REQUIRED if chosen[role] is None]
    if missing:
        raise LogError(_("the log {path} has no {role} column (its columns: {names}); name "
                         "it with --{role} or in procmap.toml [conform]").format(
            path=path, role=missing[0], names=", ".join(names[:20]) or "none"))
    return chosen


def _text(column: str | None) -> str:
    """A column as trimmed text, NULL when empty. Trimming copies every string, so it is
    done only where a value starts or ends with a space (a third of the reading time of
    a million-row log when done everywhere)."""
    if column is None:
        return "CAST(NULL AS VARCHAR)"
    value = f"CAST({_ident(column)} AS VARCHAR)"
    return (f"CASE WHEN {value} = '' OR starts_with({value}, ' ') OR ends_with({value}, ' ') "
            f"THEN NULLIF(trim({value}), '') ELSE {value} END")


def _timestamp(value: str, timezone: str) -> str:
    """Seconds since 1970 UTC of a text timestamp: ISO 8601 with a zone (read by ICU),
    without one (in `timezone`; a plain cast when that is UTC, the common case and ten
    times faster), else a few common export layouts (tried only where ISO fails)."""
    zoned = (f"(right({value}, 1) IN ('Z', 'z') OR substr({value}, -6, 1) IN ('+', '-') "
             f"OR substr({value}, -5, 1) IN ('+', '-') "
             f"OR substr({value}, -3, 1) IN ('+', '-'))")
    local = (f"epoch(try_cast({value} AS TIMESTAMP))" if timezone.upper() == "UTC"
             else f"epoch(try_cast({value} AS TIMESTAMPTZ))")
    iso = f"CASE WHEN {zoned} THEN epoch(try_cast({value} AS TIMESTAMPTZ)) ELSE {local} END"
    parsed = ", ".join(f"epoch(CAST(try_strptime({value}, {_literal(f)}) AS TIMESTAMPTZ))"
                       for f in _TIME_FORMATS)
    general = f"coalesce({iso}, {parsed})"
    if timezone.upper() != "UTC":
        return general
    # the layout of most exports, zone-less, in UTC: parsed exactly by one format, and
    # only the other values go through the general expression (3x faster over a log)
    common = f"try_strptime({value}, '%Y-%m-%d %H:%M:%S')"
    return f"CASE WHEN {common} IS NOT NULL THEN epoch({common}) ELSE {general} END"


def _encode(con: duckdb.DuckDBPyConnection, kept: str) -> None:
    """`events` from `parsed`: names become numbers (see queries.py), each spelled out in
    its dictionary. A number is the name's hash, computed in the same pass; a dictionary
    where two names share a hash (one log in tens of millions with a million cases) is
    numbered in the order of its names instead, and joined. Activities and processes are
    few, and always numbered from 1 in the order of their names (variants pack activity
    numbers, and the queries take the largest process). An empty dictionary (a log
    without resources or processes) gives NULL without a join. Exact duplicates are
    counted by the queries, which read them once."""
    picked, joins = [], []
    for table, number, name, column in _DICTIONARIES:
        hashed = _HASHED.format(name=name) if table in _HASHED_TABLES else None
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {name}, "
                    f"{hashed or f'row_number() OVER (ORDER BY {name})'} AS {number} "
                    f"FROM (SELECT DISTINCT {column} AS {name} FROM parsed WHERE {kept} "
                    f"AND {column} IS NOT NULL) named")
        names, distinct = con.execute(
            f"SELECT count(*), count(DISTINCT {number}) FROM {table}").fetchone() or (0, 0)
        if hashed and names != distinct:  # two names share a hash
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {name}, "
                        f"row_number() OVER (ORDER BY {name}) AS {number} FROM {table}")
            hashed = None
        if not names:
            picked.append(f"CAST(NULL AS BIGINT) AS {number}")
        elif hashed:
            picked.append(f"{_HASHED.format(name=f'p.{column}')} AS {number}")
        else:
            picked.append(f"{table}.{number} AS {number}")
            joins.append(f"LEFT JOIN {table} ON p.{column} = {table}.{name}")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE events AS
        SELECT p.row_no, p.t, p.lifecycle = 'start' AS is_start, {", ".join(picked)}
        FROM (SELECT rowid + 1 AS row_no, * FROM parsed WHERE {kept}) p {" ".join(joins)}""")


def _load(con: duckdb.DuckDBPyConnection, relation: str, chosen: Mapping[str, str | None],
          fmt: str, info: LogInfo) -> None:
    stamp = _timestamp(_text(chosen["timestamp"]), info.timezone)
    starts = ", ".join(_literal(s) for s in _STARTS)
    completes = ", ".join(_literal(s) for s in _COMPLETES)
    lifecycle = _text(chosen["lifecycle"])
    life = f"lower(coalesce({lifecycle}, ''))"
    # one pass over the file; the table's rowid is the row's place in the file
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE parsed AS
        SELECT {_text(chosen['case'])} AS case_id, {_text(chosen['activity'])} AS activity,
               {stamp} AS t,
               CASE WHEN {lifecycle} = 'complete' THEN 'complete'
                    WHEN {lifecycle} = 'start' THEN 'start'
                    WHEN {life} IN ({starts}) THEN 'start'
                    WHEN {life} IN ({completes}) THEN 'complete'
                    ELSE 'other' END AS lifecycle,
               {_text(chosen['resource'])} AS resource, {_text(chosen['process'])} AS process
        FROM {relation}""")
    if fmt in ("csv", "xes"):
        info.malformed_lines = [int(r[0]) for r in con.execute(
            "SELECT line FROM reject_errors ORDER BY line").fetchall()]
    bad = "case_id IS NULL OR activity IS NULL OR t IS NULL OR isinf(t) OR isnan(t)"
    kept = f"NOT ({bad}) AND lifecycle <> 'other'"
    info.rows, info.rejected, info.other_lifecycle, kept_rows = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {bad}), "
        f"count(*) FILTER (WHERE NOT ({bad}) AND lifecycle = 'other'), "
        f"count(*) FILTER (WHERE {kept}) FROM parsed").fetchone() or (0, 0, 0, 0)
    info.rejected_rows = [int(r[0]) for r in con.execute(
        f"SELECT rowid + 1 FROM parsed WHERE {bad} ORDER BY rowid LIMIT {SHOWN_REJECTS}"
    ).fetchall()]
    # the rowids are the row numbers now: from here on no result depends on insertion
    # order, and DuckDB sorts and aggregates much faster without keeping it
    con.execute("SET preserve_insertion_order = false")
    _encode(con, kept)
    info.events, info.duplicates = int(kept_rows), 0  # until the queries count copies
    con.execute("DROP TABLE parsed")
