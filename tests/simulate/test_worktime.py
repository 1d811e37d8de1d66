"""Working time in a time zone: next opening, work across nights, daylight saving."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from procmap.model.calendar import WorkCalendar
from procmap.simulate.worktime import EPOCH, WorkingTime


def _hours(moment: datetime) -> float:
    return (moment - EPOCH).total_seconds() / 3600


def test_shanghai_office_hours_open_at_nine_local() -> None:
    work = WorkingTime(WorkCalendar.parse("mon-fri 09:00-18:00"), "Asia/Shanghai")
    # Monday 00:00 UTC is 08:00 in Shanghai: the office opens an hour later
    assert work.next_open(0.0) == pytest.approx(1.0)
    # 10 working hours from Monday 09:00 local: Monday 9 h, then Tuesday 10:00 local
    assert work.add(1.0, 10.0) == pytest.approx(24 + 2.0)
    # Friday 18:00 local -> Monday 09:00 local
    friday_close = _hours(datetime(2026, 1, 9, 10, tzinfo=timezone.utc))
    assert work.next_open(friday_close) == pytest.approx(168 + 1.0)
    assert work.open_hours(0.0, 168.0) == pytest.approx(45.0)


def test_new_york_follows_daylight_saving() -> None:
    work = WorkingTime(WorkCalendar.parse("daily 09:00-10:00"), "America/New_York")
    winter = _hours(datetime(2026, 3, 2, tzinfo=timezone.utc))
    summer = _hours(datetime(2026, 3, 16, tzinfo=timezone.utc))
    opens_winter = EPOCH + timedelta(hours=work.next_open(winter))
    opens_summer = EPOCH + timedelta(hours=work.next_open(summer))
    assert (opens_winter.hour, opens_summer.hour) == (14, 13)  # 09:00 EST, 09:00 EDT
    # before the epoch's first local Monday: a zone behind UTC still has its Sunday hours
    assert work.next_open(0.0) == pytest.approx(14.0)


def test_round_the_clock_work_is_elapsed_time() -> None:
    work = WorkingTime(WorkCalendar.parse("mon-sun 00:00-24:00"), None)
    assert work.add(5.5, 100.0) == pytest.approx(105.5)
