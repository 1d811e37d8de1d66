"""The conform queries run unchanged on Spark (local mode) and give DuckDB's results.

This is how procmap scales past one machine: the SQL of `procmap.conform.queries` is the
one definition, run by DuckDB in process and by Spark where big logs live. Needs the
`spark` extra (pyspark) and a Java runtime; `.ci/run` installs both.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import simlog

from procmap.config import Config
from procmap.conform import read
from procmap.conform.compare import Model, register_model
from procmap.conform.queries import CORE, Clock, DuckDBEngine, SparkEngine, run_all
from procmap.model.calendar import WorkCalendar
from procmap.pipeline import validate_paths

pytestmark = pytest.mark.spark

MODELS = Path(__file__).parent / "models"
#: the log's tables as read.py writes them: name -> (columns, types)
LOG_TABLES = {
    "events": (("row_no", "case_no", "act_no", "t", "is_start", "res_no", "proc_no"),
               ("BIGINT", "BIGINT", "BIGINT", "DOUBLE", "BOOLEAN", "BIGINT", "BIGINT")),
    "case_names": (("case_id", "case_no"), ("VARCHAR", "BIGINT")),
    "activity_names": (("activity", "act_no"), ("VARCHAR", "BIGINT")),
    "resource_names": (("resource", "res_no"), ("VARCHAR", "BIGINT")),
    "log_processes": (("name", "proc_no"), ("VARCHAR", "BIGINT")),
}


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pyspark = pytest.importorskip(
        "pyspark", reason="needs pyspark (pip install -e '.[spark]'; .ci/run does)")
    if shutil.which("java") is None:
        pytest.skip("needs a Java runtime for Spark (scripts/system-deps.sh --spark)")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("procmap-conform-test")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    assert pyspark.__version__
    yield session
    session.stop()


def _normalised(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    def value(item: Any) -> Any:
        if isinstance(item, float):
            return None if math.isnan(item) else round(item, 6)
        if hasattr(item, "__float__") and not isinstance(item, (int, bool)):
            return round(float(item), 6)
        return item

    return sorted((tuple(value(v) for v in row) for row in rows), key=repr)


def _messy(log: Path) -> None:
    """Make the log messier: every 20th event twice (exact copies), and a completion at
    the same instant as another of its case and activity by someone else (so that copies
    are grouped before pairing, `queries.UNIQUE_EVENTS`)."""
    lines = log.read_text(encoding="utf-8").splitlines()
    complete = next(line for line in lines if ",complete," in line)
    fields = complete.split(",")
    fields[4] = "someone else"
    log.write_text("\n".join([*lines, *lines[1::20], ",".join(fields)]) + "\n",
                   encoding="utf-8")


@pytest.mark.parametrize("messy", [False, True], ids=["simulated", "copies-and-ties"])
def test_core_queries_give_the_same_results_on_spark_and_duckdb(
        spark: Any, tmp_path: Path, messy: bool) -> None:
    validation = validate_paths([str(MODELS / "complaint.yaml"), str(MODELS / "refund.yaml")],
                                Config())
    entries = validation.workspace.processes
    generator = simlog.Generator(entries[0].process, seed=3)
    cases = generator.cases(300)
    cases[0] = simlog.with_unknown_activity(cases[0])
    cases[1] = simlog.with_skipped_step(cases[1], "分类")
    log = tmp_path / "log.csv"
    events = simlog.write_csv(str(log), cases, process_column=messy)
    clocks: list[Clock] = []
    if messy:
        _messy(log)  # and durations of two steps in working hours (queries.worked_sql)
        clocks = [("complaint", ["技术诊断", "制定方案"],
                   WorkCalendar.parse("mon-fri 09:00-12:00 13:00-18:00"), "Europe/Berlin")]
    con = read.connect("512MB")
    try:
        read.read_log(con, str(log))
        tables = {name: [tuple(r) for r in con.execute(
            f"SELECT {', '.join(columns)} FROM {name}").fetchall()]
            for name, (columns, _) in LOG_TABLES.items()}
        models = [Model(entry) for entry in entries]
        duck = DuckDBEngine(con)
        register_model(duck, models)
        expected = run_all(duck, clocks=clocks)
    finally:
        read.close(con)
    engine = SparkEngine(spark)
    for name, (columns, types) in LOG_TABLES.items():
        engine.register(name, columns, types, tables[name])
    register_model(engine, models)
    got = run_all(engine, clocks=clocks)
    assert set(got) == set(CORE)
    for name in CORE:
        assert _normalised(got[name]) == _normalised(expected[name]), name
    assert sum(r[2] for r in expected["variants"]) == 300
    copies = expected["log_totals"][0][1]
    assert copies == (len(range(1, events + 1, 20)) if messy else 0)
