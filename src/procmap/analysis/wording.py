"""How audit findings and reports write numbers: short, and the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence


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


def percent(share: float) -> str:
    """0.7826 -> '78%'; small shares keep a decimal ('0.4%')."""
    if 0 < share < 0.01:
        return f"{share * 100:.1g}%"
    return f"{share * 100:.0f}%"


def number(value: float, digits: int = 3) -> str:
    """1.25 -> '1.25', 0.375 -> '0.375', 3.0 -> '3'."""
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") or "0"


def path(steps: Sequence[str], limit: int = 8) -> str:
    """'a -> b -> c', shortened in the middle for long paths."""
    if len(steps) > limit:
        half = limit // 2
        steps = [*steps[:half], f"... {len(steps) - 2 * half} more ...", *steps[-half:]]
    return " -> ".join(steps)


def per_day_rate(cases: float) -> str:
    return f"{number(cases, 2)}/d"
