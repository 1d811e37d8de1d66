"""Working time of a role: its weekly calendar in its time zone, as absolute intervals of
simulation hours (hours since `EPOCH`, a Monday 00:00 UTC), generated week by week as the
run needs them. Daylight saving is honoured: each local interval is converted on its own.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmap.model.calendar import WorkCalendar

#: simulation hour 0 (a Monday); the event log's timestamps count from here
EPOCH = datetime(2026, 1, 5, tzinfo=timezone.utc)
_WEEK_HOURS = 168.0


class WorkingTime:
    """When a role works: `next_open`, `add` (working hours from a time), `open_hours`."""

    def __init__(self, calendar: WorkCalendar, zone: str | None) -> None:
        from zoneinfo import ZoneInfo

        self.weekly = calendar.intervals
        self.zone = ZoneInfo(zone) if zone else timezone.utc
        self.hours_per_week = calendar.hours_per_week
        self.starts: list[float] = []
        self.ends: list[float] = []
        self._week = -1  # the local week generated next (-1: covers zones behind UTC)
        self._open = (0.0, 0.0)  # the working period last found (runs move forward)

    def _extend(self, until: float) -> None:
        while not self.ends or self.ends[-1] <= until:
            base = datetime(2026, 1, 5) + timedelta(weeks=self._week)  # local wall clock
            for start, end in self.weekly:
                first = self._hours(base + timedelta(minutes=start))
                last = self._hours(base + timedelta(minutes=end))
                if last <= first:
                    continue
                if self.ends and first <= self.ends[-1]:
                    self.ends[-1] = max(self.ends[-1], last)
                else:
                    self.starts.append(first)
                    self.ends.append(last)
            self._week += 1
            if self._week > 100_000:  # 2,000 years: a calendar without hours cannot be
                raise RuntimeError("calendar without working hours")

    def _hours(self, local: datetime) -> float:
        moment = local.replace(tzinfo=self.zone).astimezone(timezone.utc)
        return (moment - EPOCH).total_seconds() / 3600

    def _index(self, time: float) -> int:
        """The interval that contains `time` or the next one."""
        if not self.ends or self.ends[-1] <= time:
            self._extend(time)
        index = bisect_right(self.starts, time) - 1
        if index >= 0 and time < self.ends[index]:
            return index
        return index + 1

    def next_open(self, time: float) -> float:
        """`time` when the role works then, else the start of its next working period."""
        start, end = self._open
        if start <= time < end:
            return time
        index = self._index(time)
        self._open = (self.starts[index], self.ends[index])
        start = self.starts[index]
        return time if start <= time else start

    def add(self, time: float, hours: float) -> float:
        """When `hours` of work started at `time` are done (work pauses outside hours)."""
        start, end = self._open
        if start <= time and time + hours <= end:
            return time + hours
        index = self._index(time)
        time = max(time, self.starts[index])
        while hours > self.ends[index] - time:
            hours -= self.ends[index] - time
            index += 1
            if index >= len(self.starts):
                self._extend(self.ends[-1])
            time = self.starts[index]
        return time + hours

    def open_hours(self, begin: float, end: float) -> float:
        """Working hours between two times."""
        if end <= begin:
            return 0.0
        self._extend(end)
        total = 0.0
        for index in range(max(0, bisect_right(self.starts, begin) - 1), len(self.starts)):
            start, stop = self.starts[index], self.ends[index]
            if start >= end:
                break
            total += max(0.0, min(stop, end) - max(start, begin))
        return total

    def utc_offset(self, time: float) -> timedelta:
        moment = EPOCH + timedelta(hours=time)
        return moment.astimezone(self.zone).utcoffset() or timedelta(0)
