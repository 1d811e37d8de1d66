"""How audit findings and reports write numbers: short, and the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence

from procmap.text.units import hours as hours  # the one home of hours as text


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


def name(text: str) -> str:
    """A step's, role's or process's name inside a message: quoted, on one line."""
    from procmap.text.escape import one_line

    return f"'{one_line(text)}'"


def money(amount: float, currency: str | None) -> str:
    """1234.5, 'CNY' -> '1,234.50 CNY'."""
    text = f"{amount:,.2f}"
    return f"{text} {currency}" if currency else text


def queue(value: float | None) -> str:
    """A queue wait for people: 'unbounded' (None), '<1m' below a minute, else hours."""
    from procmap.i18n import _

    if value is None:
        return _("unbounded")
    if 0 < value < 1 / 60:
        return "<1m"
    return hours(value)
