"""Durations as text: one function per notation, used by every output.

* `short_duration`: for people, the two largest units (``1d4h``, ``30m``);
* `spelled_duration`: procmap notation that parses back to the same value
  (``2w3d4h12m``; fractions of a minute as decimal hours);
* `day_duration`: like `spelled_duration` but without weeks (``8d8h``), as diffs show
  the values a person wrote;
* `iso_duration`: ISO-8601 (``PT30M``, ``P1DT4H``), for BPMN timers;
* `hours`: a measured number of hours in reports (``27.75h``, ``42m``).
"""

from __future__ import annotations

__all__ = ["day_duration", "hours", "iso_duration", "short_duration", "spelled_duration"]

_WEEK_UNITS = (("w", 7 * 24 * 60), ("d", 24 * 60), ("h", 60), ("m", 1))
_DAY_UNITS = _WEEK_UNITS[1:]


def _parts(minutes: int, units: tuple[tuple[str, int], ...]) -> list[str]:
    parts = []
    for unit, size in units:
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count}{unit}")
    return parts


def short_duration(hours: float) -> str:
    """Hours -> the shortest readable duration in procmap's own notation: 1d4h, 30m."""
    if hours <= 0:
        return "0"
    minutes = round(hours * 60)
    if minutes == 0:
        return f"{hours * 60:.2g}m"
    return "".join(_parts(minutes, _WEEK_UNITS)[:2])  # 2w3d, not 2w3d4h12m


def spelled_duration(hours: float) -> str:
    """Hours -> a procmap duration that parses back to the same value: every part is
    kept (``2w3d4h12m``), fractions of a minute are written as decimal hours."""
    minutes = hours * 60
    whole = round(minutes)
    if whole > 0 and abs(minutes - whole) < 1e-6:
        return "".join(_parts(whole, _WEEK_UNITS))
    text = repr(hours)
    if "e" in text:  # below a nanosecond: no exponents in durations
        text = f"{hours:.12f}".rstrip("0").rstrip(".")
    return "0m" if hours == 0 or text == "0" else f"{text}h"


def day_duration(hours: float) -> str:
    """Hours as a format-1 duration without weeks: 0.25 -> 15m, 26 -> 1d2h, 0.0 -> 0m."""
    minutes = round(hours * 60, 6)
    if minutes != int(minutes):
        return f"{hours:g}h"
    return "".join(_parts(int(minutes), _DAY_UNITS)) or "0m"


def iso_duration(hours: float) -> str:
    """Hours -> ISO-8601 (``PT30M``, ``P1DT4H``), what BPMN timers expect."""
    seconds = hours * 3600
    whole = round(seconds)
    if abs(seconds - whole) >= 1e-6:
        return f"PT{seconds:.6f}".rstrip("0").rstrip(".") + "S"
    days, rest = divmod(whole, 86400)
    hrs, rest = divmod(rest, 3600)
    mins, secs = divmod(rest, 60)
    time = "".join(f"{n}{u}" for n, u in ((hrs, "H"), (mins, "M"), (secs, "S")) if n)
    text = "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")
    return text if text != "P" else "PT0S"


def hours(value: float) -> str:
    """27.75 -> '27.75h', 79.0 -> '79h', 0.7 -> '42m' (minutes below an hour)."""
    if value < 0:
        return "-" + hours(-value)
    if value < 1:
        minutes = value * 60
        if minutes >= 1:
            return f"{minutes:.0f}m"
        return f"{minutes:.2g}m" if minutes else "0h"
    return f"{value:.2f}".rstrip("0").rstrip(".") + "h"
