"""Durations in working time: the SQL clock of `procmap.conform.worktime` against the
simulator's own clock (`procmap.simulate.worktime.WorkingTime`), and end to end on a log
that `procmap simulate` wrote for a role with working hours."""

from __future__ import annotations

import csv
import json
import random
import statistics
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

from procmap.conform.worktime import clock_sql, offsets
from procmap.model.calendar import WorkCalendar
from procmap.simulate.worktime import EPOCH, WorkingTime

if TYPE_CHECKING:
    from conftest import RunCli

MODELS = Path(__file__).parent / "models"
_START = EPOCH.timestamp()  # 2026-01-05, a Monday
_YEAR = 365 * 24 * 3600.0


def _sql_hours(calendar: WorkCalendar, zone: str | None,
               pairs: list[tuple[float, float]]) -> list[float]:
    first = min(a for a, _ in pairs)
    last = max(b for _, b in pairs)
    done, started = (clock_sql(calendar, zone, column, first, last) for column in ("b", "a"))
    values = ", ".join(f"({i}, {a}, {b})" for i, (a, b) in enumerate(pairs))
    rows = duckdb.connect().execute(f"SELECT i, ({done} - {started}) / 3600 FROM (VALUES "
                                    f"{values}) v(i, a, b) ORDER BY i").fetchall()
    return [float(r[1]) for r in rows]


@pytest.mark.parametrize("zone", [None, "Asia/Shanghai", "Europe/Berlin", "America/New_York"])
@pytest.mark.parametrize("text", [
    "mon-fri 09:00-18:00", "mon-fri 09:00-12:00 13:00-18:00, sat 10:00-16:00",
    "周一至周五 08:30-17:30", "tue,thu 20:00-23:30"])
def test_the_sql_clock_counts_what_the_simulator_counts(text: str, zone: str | None) -> None:
    calendar = WorkCalendar.parse(text)
    clock = WorkingTime(calendar, zone)
    draw = random.Random(f"{text}{zone}")
    pairs = []
    for _ in range(400):  # a year and a half: both daylight-saving changes, twice
        begin = _START + draw.uniform(0, 1.5 * _YEAR)
        pairs.append((begin, begin + draw.choice([600.0, 7200.0, 86400.0, 5 * 86400.0])
                      * draw.random()))
    got = _sql_hours(calendar, zone, pairs)
    for (a, b), hours in zip(pairs, got, strict=True):
        expected = clock.open_hours((a - _START) / 3600, (b - _START) / 3600)
        assert hours == pytest.approx(expected, abs=1e-6), (a, b)


def test_a_night_shift_crosses_midnight_and_the_week() -> None:
    calendar = WorkCalendar.parse("daily 22:00-06:00")
    sunday_night = datetime(2026, 1, 11, 21, 0, tzinfo=timezone.utc).timestamp()
    assert _sql_hours(calendar, None, [(sunday_night, sunday_night + 12 * 3600)]) == [8.0]


def test_offsets_change_at_the_daylight_saving_instants() -> None:
    first = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
    last = datetime(2026, 12, 31, tzinfo=timezone.utc).timestamp()
    berlin = list(offsets("Europe/Berlin", first, last))
    assert [o for _, o in berlin] == [3600, 7200, 3600]
    assert [datetime.fromtimestamp(t, timezone.utc) for t, _ in berlin[1:]] == [
        datetime(2026, 3, 29, 1, tzinfo=timezone.utc),
        datetime(2026, 10, 25, 1, tzinfo=timezone.utc)]
    assert [o for _, o in offsets("Asia/Shanghai", first, last)] == [8 * 3600]
    # far-off dates (a bad row in year 9999) look up 1970-2100 at most: a few hundred
    # changes, each row meeting about nine comparisons
    assert len(list(offsets("Europe/Berlin", -1e12, 1e12))) < 2 * 131
    far = _sql_hours(WorkCalendar.parse("mon-fri 09:00-18:00"), "Europe/Berlin",
                     [(_START, _START + 7 * 86400), (-1e10, 1e11)])
    assert far[0] == 45.0


def test_durations_of_a_simulated_log_are_measured_in_working_hours(
        tmp_path: Path, run_cli: RunCli) -> None:
    """`procmap simulate --log` pauses the tech role's work outside mon-fri 09:00-18:00
    (Europe/Berlin, over the spring change); conform's duration p50 of its step is the
    median of the same pairs measured by the simulator's clock, far from the elapsed
    median, and near the designed 6 h."""
    text = (MODELS / "complaint.yaml").read_text(encoding="utf-8").replace(
        "{id: tech, name: 技术支持, capacity: 2}",
        "{id: tech, name: 技术支持, capacity: 8, calendar: mon-fri 09:00-18:00, "
        "timezone: Europe/Berlin}").replace(
        "duration: {median: 2h, p90: 5h}", "duration: {median: 6h, p90: 12h}").replace(
        "demand: 40/d", "demand: 12/d")
    assert "Europe/Berlin" in text and "median: 6h" in text
    model = tmp_path / "complaint.yaml"
    model.write_text(text, encoding="utf-8")
    done = run_cli(["simulate", str(model), "--cases", "1500", "--replications", "1",
                    "--seed", "4", "--fail-on", "never", "-f", "json", "-o", "sim.json",
                    "--log", "log.csv"])
    assert done.returncode == 0, done.stderr
    starts: dict[str, float] = {}
    working, elapsed = [], []
    clock = WorkingTime(WorkCalendar.parse("mon-fri 09:00-18:00"), "Europe/Berlin")
    with open(tmp_path / "log.csv", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: (r["timestamp"], r["lifecycle"]))
    for row in rows:
        if row["activity"] != "技术诊断":
            continue
        moment = (datetime.fromisoformat(row["timestamp"]) - EPOCH).total_seconds() / 3600
        if row["lifecycle"] == "start":
            starts[row["case_id"]] = moment
        else:
            begun = starts.pop(row["case_id"])
            working.append(clock.open_hours(begun, moment))
            elapsed.append(moment - begun)
    spring = (datetime(2026, 3, 29, 1, tzinfo=timezone.utc) - EPOCH).total_seconds() / 3600
    assert len(working) > 300 and moment > spring  # cases on both sides of the change
    checked = run_cli(["conform", "log.csv", str(model), "-f", "json", "--fail-on", "never"])
    assert checked.returncode == 0, checked.stderr
    data = json.loads(checked.stdout)
    diagnose = data["processes"][0]["steps"]["diagnose"]
    assert diagnose["timed"]["duration"] == len(working)
    assert diagnose["duration_hours"]["p50"] == pytest.approx(
        statistics.median(working), abs=1e-4)
    # the elapsed median (nights and weekends included) is more than an hour longer
    assert statistics.median(elapsed) > statistics.median(working) + 1.0
    assert diagnose["duration_hours"]["p50"] == pytest.approx(6.0, rel=0.1)
