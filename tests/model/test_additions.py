"""The format additions of format.md: {median, p90} durations, calendars, costs, time zones."""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from procmap.model.calendar import WorkCalendar
from procmap.model.fields import Z90, Spread
from procmap.model.process import Process, Role


def _process(**step: object) -> Process:
    return Process.model_validate({"procmap": 1, "id": "p", "name": "P", "steps": [
        {"id": "s", "kind": "start", "next": "t"},
        {"id": "t", "role": "r", "next": "e", **step},
        {"id": "e", "kind": "end"}]})


def test_a_spread_is_its_lognormal_mean_and_keeps_median_and_p90() -> None:
    step = _process(duration={"median": "2h", "p90": "6h"}).steps[1]
    sigma = math.log(3) / Z90
    assert isinstance(step.duration, Spread)
    assert step.duration.median == 2.0 and step.duration.p90 == 6.0
    assert float(step.duration) == pytest.approx(2.0 * math.exp(sigma**2 / 2))
    assert step.duration.sigma == pytest.approx(sigma)
    assert step.time == pytest.approx(float(step.duration))  # metrics see the mean


def test_a_spread_without_variation_is_the_fixed_duration() -> None:
    step = _process(wait={"median": "1h", "p90": "1h"}).steps[1]
    assert isinstance(step.wait, Spread)
    assert float(step.wait) == 1.0 and step.wait.sigma == 0.0


def test_a_plain_duration_stays_a_plain_float() -> None:
    step = _process(duration="1d4h").steps[1]
    assert type(step.duration) is float and step.duration == 28.0


def test_spreads_survive_pickling_exactly() -> None:
    spread = Spread(2.0, 6.0)
    again = pickle.loads(pickle.dumps(spread))
    assert (again.median, again.p90, float(again)) == (2.0, 6.0, float(spread))


@given(st.floats(0.01, 1000), st.floats(1.0, 50.0))
def test_the_mean_of_a_spread_is_never_below_its_median(median: float, ratio: float) -> None:
    spread = Spread(median, median * ratio)
    assert float(spread) >= median * (1 - 1e-12)
    # the lognormal's own p90 reproduces the written p90
    assert median * math.exp(Z90 * spread.sigma) == pytest.approx(median * ratio)


@pytest.mark.parametrize(("value", "problem"), [
    ({"median": "6h", "p90": "2h"}, "below the median"),
    ({"median": "2h"}, "exactly `median` and `p90`"),
    ({"median": "2h", "p90": "3h", "mean": "2h"}, "unknown key(s): mean"),
    ({"median": "2", "p90": "3h"}, "median: '2' is not a duration"),
])
def test_bad_spreads_say_what_is_wrong(value: object, problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _process(duration=value)
    assert problem in str(caught.value)


@pytest.mark.parametrize(("text", "hours", "first"), [
    ("mon-fri 09:00-18:00", 45.0, (9 * 60, 18 * 60)),
    ("mon-fri 09:00-12:00 13:00-18:00, sat 10:00-16:00", 46.0, (9 * 60, 12 * 60)),
    ("mon,wed 09:00-17:00", 16.0, (9 * 60, 17 * 60)),
    ("周一至周五 09:00-18:00", 45.0, (9 * 60, 18 * 60)),
    ("24/7", 168.0, (0, 7 * 24 * 60)),
    ("daily 22:00-06:00", 56.0, (0, 6 * 60)),  # Sunday night wraps to Monday morning
])
def test_calendars_parse_to_weekly_intervals(text: str, hours: float,
                                             first: tuple[int, int]) -> None:
    calendar = WorkCalendar.parse(text)
    assert calendar.hours_per_week == hours
    assert calendar.intervals[0] == first


def test_calendar_membership() -> None:
    calendar = WorkCalendar.parse("mon-fri 09:00-18:00")
    assert calendar.is_working(9 * 60)
    assert not calendar.is_working(18 * 60)  # the end is exclusive
    assert not calendar.is_working(5 * 24 * 60 + 10 * 60)  # Saturday 10:00


@pytest.mark.parametrize(("text", "why"), [
    ("mon-fri", "has no hours"), ("foo 09:00-10:00", "unknown day 'foo'"),
    ("mon 25:00-26:00", "'25:00' is not a time of day"), ("mon 09:00-09:00", "is empty"),
    ("mon 09:00-18:00 lunch", "unexpected 'lunch'"), ("x" * 600, "longer than 500"),
])
def test_bad_calendars_say_why(text: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Role.model_validate({"id": "r", "calendar": text})
    assert why in str(caught.value)


@pytest.mark.parametrize(("cost", "value"), [("85/h", 85.0), (" 12.5 / h ", 12.5), (40, 40.0)])
def test_costs_are_per_person_hour(cost: object, value: float) -> None:
    assert Role.model_validate({"id": "r", "cost": cost}).cost == value


@pytest.mark.parametrize("cost", ["85/d", "-3/h", "nan/h", True, "lots"])
def test_bad_costs_are_refused(cost: object) -> None:
    with pytest.raises(ValidationError):
        Role.model_validate({"id": "r", "cost": cost})


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "", "/etc/localtime"])
def test_time_zones_must_be_iana_names(zone: str) -> None:
    with pytest.raises(ValidationError):
        Role.model_validate({"id": "r", "timezone": zone})


def test_activity_names_default_to_id_and_name() -> None:
    process = _process(name="技术诊断")
    assert process.steps[1].activity_names == ["t", "技术诊断"]
    assert _process(activity="Diagnose").steps[1].activity_names == ["Diagnose"]
