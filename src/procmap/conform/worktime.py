"""Working time in SQL: a role's calendar as an expression both engines evaluate.

A designed `duration` counts the working hours of the step's role (work pauses outside
its `calendar`, as `procmap simulate` does it), so an observed duration is measured the
same way: the working seconds between the start and the completion, in the calendar and
`timezone` of the role. Waits and lead times stay elapsed time, as in simulate.

The measure is a clock: `W(t)`, the working seconds from a fixed Monday 00:00 (local
time) to the instant `t`, and a duration is `W(done) - W(started)`. With the week's
working intervals `[s_i, e_i)` (seconds since Monday 00:00, local):

    u = t + offset(t) - MONDAY          (local seconds since a Monday 00:00)
    W(t) = floor(u / WEEK) * weekly + sum_i least(greatest(u mod WEEK - s_i, 0), e_i - s_i)

`offset(t)` is the zone's UTC offset: a constant for zones without daylight saving, else
nested `CASE`s over the changes within the log's span (found with `zoneinfo`). The clock
follows the local wall clock, so working hours that include the hour a zone skips or
repeats (02:00-03:00 on a spring or autumn Sunday in Europe) count it as the clock shows. Only
`floor`, `greatest`, `least`, arithmetic and `CASE` are used: the same text runs on
DuckDB and Spark, and `tests/conform/test_working_time.py` checks it against
`procmap.simulate.worktime.WorkingTime`, the simulator's own clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmap.model.calendar import WorkCalendar

WEEK = 7 * 24 * 3600
#: 1970-01-05 00:00, the first Monday after the epoch (in seconds since the epoch)
MONDAY = 4 * 24 * 3600
_DAY = 24 * 3600
#: offsets are looked up between these instants (1970 and 2100); beyond them the
#: offset at the nearer one holds (a log's bad far-off dates cannot make it slow)
_EARLIEST, _LATEST = 0, 4_102_444_800


def clock_sql(calendar: WorkCalendar, zone: str | None, column: str,
              first: float, last: float) -> str:
    """SQL of `W(column)` (see the module docstring) for instants between `first` and
    `last` (seconds since 1970 UTC); outside them the offset of the nearest end holds."""
    return working_sql(calendar, local_sql(zone, column, first, last))


def local_sql(zone: str | None, column: str, first: float, last: float) -> str:
    """SQL of `u`: the local seconds since a Monday 00:00 of the instant `column`."""
    return f"({column} + {_offset_sql(zone, column, first, last)} - {MONDAY})"


def working_sql(calendar: WorkCalendar, local: str) -> str:
    """SQL of `W` from `u` (`local_sql`): give it a column, not the expression, where
    rows are many (the expression is repeated once per working interval)."""
    week = f"floor({local} / {WEEK})"
    into = f"({local} - {week} * {WEEK})"
    weekly = sum(end - start for start, end in calendar.intervals) * 60
    parts = [f"least(greatest({into} - {start * 60}, 0), {(end - start) * 60})"
             for start, end in calendar.intervals]
    return f"({week} * {weekly} + {' + '.join(parts) or '0'})"


def _offset_sql(zone: str | None, column: str, first: float, last: float) -> str:
    changes = list(offsets(zone, first, last))
    return _lookup(changes, column)


def _lookup(changes: list[tuple[float, int]], column: str) -> str:
    """The offset of `column` among `changes` ((from, offset), in order): nested `CASE`s
    that halve the changes at each level, so a row meets a handful of comparisons even
    when the log spans decades of daylight saving."""
    if len(changes) == 1:
        return str(changes[0][1])
    middle = len(changes) // 2
    return (f"(CASE WHEN {column} < {changes[middle][0]} THEN "
            f"{_lookup(changes[:middle], column)} ELSE {_lookup(changes[middle:], column)} END)")


def offsets(zone: str | None, first: float, last: float) -> Iterator[tuple[float, int]]:
    """(from, UTC offset in seconds) of `zone` between `first` and `last`: the offset at
    `first`, then each change (to the second)."""
    from zoneinfo import ZoneInfo

    tz: tzinfo = ZoneInfo(zone) if zone else timezone.utc
    start = int(min(max(first, _EARLIEST), _LATEST)) - _DAY
    end = int(min(max(last, _EARLIEST), _LATEST)) + _DAY
    current = _offset_at(tz, start)
    yield float(start), current
    day = start
    while day < end:  # a week at a time: zones change their offset at most twice a year
        following = min(day + 7 * _DAY, end)
        if _offset_at(tz, following) != current:
            low, high = day, following  # the change is in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                if _offset_at(tz, middle) == current:
                    low = middle
                else:
                    high = middle
            current = _offset_at(tz, high)
            yield float(high), current
        day = following


def _offset_at(tz: tzinfo, instant: int) -> int:
    moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=instant)
    offset = moment.astimezone(tz).utcoffset()
    return int(offset.total_seconds()) if offset else 0
