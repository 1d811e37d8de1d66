"""Working calendars of roles: `mon-fri 09:00-18:00`, `mon-fri 09:00-12:00 13:00-18:00,
sat 10:00-16:00`, `24/7`.

A calendar is a set of weekly intervals in the role's local time (its `timezone`, else
UTC). The grammar is deliberately small: comma- or semicolon-separated clauses, each a
day list (`mon`, `mon-fri`, `mon,wed`, `daily`) followed by one or more `HH:MM-HH:MM`
ranges; `24:00` ends a day; a range that ends before it starts runs past midnight.
Days are English three-letter abbreviations or Chinese (周一..周日, 星期一..星期日).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic_core import PydanticCustomError

from procmap.i18n import _

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CHINESE_DAYS = "一二三四五六日"
_WEEK_MINUTES = 7 * 24 * 60
_TIME = re.compile(r"([01]?\d|2[0-4]):([0-5]\d)")
_RANGE = re.compile(r"([0-2]?\d:[0-5]\d)\s*-\s*([0-2]?\d:[0-5]\d)")
_MAX_TEXT = 500


def _day_index(token: str) -> int | None:
    token = token.strip().lower()
    if token[:3] in DAY_NAMES and len(token) <= 9:
        return DAY_NAMES.index(token[:3])
    for prefix in ("周", "星期", "礼拜"):
        if token.startswith(prefix) and len(token) == len(prefix) + 1:
            char = token[-1]
            char = "日" if char == "天" else char
            if char in _CHINESE_DAYS:
                return _CHINESE_DAYS.index(char)
    return None


def _bad(text: str, why: str) -> PydanticCustomError:
    return PydanticCustomError(
        "calendar", _("'{value}' is not a calendar ({why}): write days and hours such as "
        "'mon-fri 09:00-18:00' or 'mon-fri 09:00-12:00 13:00-18:00, sat 10:00-16:00', "
        "or '24/7'"), {"value": text if len(text) <= 60 else text[:59] + "…", "why": why})


def _days(spec: str, text: str) -> list[int]:
    spec = spec.strip().lower()
    if spec in ("daily", "every day", "每天", "每日"):
        return list(range(7))
    days: list[int] = []
    for part in re.split(r"[,、/]", spec):
        if not part.strip():
            continue
        ends = [p for p in re.split(r"\s*[-~–至到]\s*", part.strip()) if p]
        indices = [_day_index(e) for e in ends]
        if len(indices) not in (1, 2) or any(i is None for i in indices):
            raise _bad(text, _("unknown day '{day}'").format(day=part.strip()))
        first, last = indices[0], indices[-1]
        assert first is not None and last is not None
        day = first
        while True:
            days.append(day)
            if day == last:
                break
            day = (day + 1) % 7
    if not days:
        raise _bad(text, _("no days"))
    return days


def _minutes(clock: str, text: str) -> int:
    match = _TIME.fullmatch(clock.strip())
    if not match or (int(match[1]) == 24 and match[2] != "00"):
        raise _bad(text, _("'{clock}' is not a time of day").format(clock=clock))
    return int(match[1]) * 60 + int(match[2])


@dataclass(frozen=True)
class WorkCalendar:
    """Weekly working intervals, as (start, end) minutes since Monday 00:00, sorted and
    merged. Empty means no calendar: work around the clock."""

    intervals: tuple[tuple[int, int], ...]

    @property
    def around_the_clock(self) -> bool:
        """Whether every minute of the week is working time (`24/7`)."""
        return not self.intervals or self.intervals == ((0, _WEEK_MINUTES),)

    @classmethod
    def parse(cls, text: str) -> WorkCalendar:
        if len(text) > _MAX_TEXT:
            raise _bad(text[:60], _("longer than {count} characters").format(count=_MAX_TEXT))
        stripped = text.strip().lower()
        if stripped in ("24/7", "always", "全天", "全年无休"):
            return cls(((0, _WEEK_MINUTES),))
        spans: list[tuple[int, int]] = []
        pending = ""  # `mon,wed 09:00-18:00` splits into `mon` and `wed 09:00-18:00`
        for clause in re.split(r"[;；]|[,，]\s*(?=[^\d\s])", stripped):
            if clause.strip() and not _RANGE.search(clause):
                pending += clause.strip() + ","
                continue
            spans.extend(cls._clause(pending + clause.strip() if pending else clause, text))
            pending = ""
        if pending:
            raise _bad(text, _("'{days}' has no hours like 09:00-18:00").format(
                days=pending.rstrip(",")))
        if not spans:
            raise _bad(text, _("no working hours"))
        return cls(_merge(spans))

    @staticmethod
    def _clause(clause: str, text: str) -> list[tuple[int, int]]:
        clause = clause.strip().strip(",")
        if not clause:
            return []
        first_range = _RANGE.search(clause)
        if first_range is None:
            raise _bad(text, _("'{days}' has no hours like 09:00-18:00").format(
                days=clause))
        day_part = clause[: first_range.start()].strip()
        ranges = _RANGE.findall(clause[first_range.start():])
        leftover = _RANGE.sub("", clause[first_range.start():]).replace(",", " ").strip()
        if leftover:
            raise _bad(text, _("unexpected '{text}'").format(text=leftover))
        days = _days(day_part, text) if day_part else list(range(7))
        spans = []
        for start_text, end_text in ranges:
            start, end = _minutes(start_text, text), _minutes(end_text, text)
            if start == end:
                raise _bad(text, _("the range {start}-{end} is empty").format(
                    start=start_text, end=end_text))
            if end < start:  # past midnight
                end += 24 * 60
            for day in days:
                base = day * 24 * 60
                spans.append((base + start, base + end))
        return spans

    @property
    def hours_per_week(self) -> float:
        return sum(end - start for start, end in self.intervals) / 60

    def is_working(self, minute_of_week: float) -> bool:
        minute_of_week %= _WEEK_MINUTES
        return any(start <= minute_of_week < end for start, end in self.intervals)


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    # wrap spans that run past Sunday midnight to the start of the week
    flat: list[tuple[int, int]] = []
    for start, end in spans:
        if end > _WEEK_MINUTES:
            flat.append((start, _WEEK_MINUTES))
            flat.append((0, end - _WEEK_MINUTES))
        else:
            flat.append((start, end))
    flat.sort()
    merged: list[tuple[int, int]] = []
    for start, end in flat:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def check_timezone(name: str) -> str:
    """An IANA time zone name (Asia/Shanghai), or a clear error."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or len(name) > 64 or not re.fullmatch(r"[A-Za-z0-9_+\-/]+", name) \
            or name.startswith("/") or ".." in name:
        raise PydanticCustomError("timezone", _("'{value}' is not an IANA time zone name "
                                  "(e.g. Asia/Shanghai, Europe/Berlin, UTC)"),
                                  {"value": name[:64]})
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise PydanticCustomError("timezone", _("'{value}' is not a known IANA time zone "
                                  "(e.g. Asia/Shanghai, Europe/Berlin, UTC)"),
                                  {"value": name}) from None
    return name
