"""Value types of format 1: ids, durations, rates and text.

Durations are stored as hours (float). All time is elapsed calendar time: `1d` is 24 h.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from procmap.i18n import _
from procmap.text.units import short_duration

ID_REGEX = r"^[^\W_][\w.-]{0,63}$"  # Unicode-aware in Python and in pydantic-core (Rust)
_ID = re.compile(ID_REGEX[1:-1])
# The same rule for JSON Schema consumers, whose regex engines may treat \w as ASCII:
# ASCII restricted to letters/digits (and _ - . after the first), any non-ASCII allowed.
ID_SCHEMA_PATTERN = (
    r"^[0-9A-Za-z\u0080-\uFFFF][0-9A-Za-z_.\-\u0080-\uFFFF]{0,63}$"
)
_UNITS = {"m": 1 / 60, "h": 1.0, "d": 24.0, "w": 168.0}
_DURATION = re.compile(r"\s*(?:(\d+(?:\.\d+)?|\.\d+)\s*([mhdw])\s*)+\Z")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*([mhdw])")
_ISO = re.compile(
    r"P(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?\Z"
)
_RATE = re.compile(r"\s*(\d+(?:\.\d+)?|\.\d+)\s*/\s*([hdw])\s*\Z")
_RATE_UNITS = {"h": 1 / 24, "d": 1.0, "w": 7.0}  # length of the unit in days
MAX_HOURS = 24 * 365 * 100  # a century: larger values are typos


def id_problem(value: str) -> str:
    """Why `value` is not an id, and what to write instead."""
    return _("'{value}' is not a valid id: 1-64 characters, starting with a letter or "
             "digit, then letters, digits, '_', '-' or '.'{hint}").format(
        value=_shorten(value), hint=_id_hint(value))


def sanitized_id(value: str) -> str:
    """A valid id made from free text (runs of other characters become '-')."""
    candidate = re.sub(r"[^\w.-]+", "-", value.strip()).strip("-_.")[:64]
    return candidate if _ID.fullmatch(candidate) else "unnamed"


def _id_hint(value: str) -> str:
    if not value:
        return ""
    suggestion = re.sub(r"[^\w.-]+", "-", value.strip()).strip("-_.")[:64]
    if suggestion and _ID.fullmatch(suggestion) and suggestion != value:
        return _(" (e.g. '{id}'; put the free text in `name`)").format(id=suggestion)
    return _(" (put free text in `name`)")


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


_DURATION_CACHE: dict[str, float] = {}


def parse_duration(value: Any) -> float:
    """'1d4h' / '30m' / 'PT30M' -> hours. Raises a pydantic error with a fix."""
    if type(value) is str:
        cached = _DURATION_CACHE.get(value)
        if cached is None:
            cached = _parse_duration(value)
            if len(_DURATION_CACHE) < 4096:  # repository-sized: a few hundred distinct
                _DURATION_CACHE[value] = cached
        return cached
    return _parse_duration(value)


def _parse_duration(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("duration", _("expected a duration such as 30m, 2h or 1d4h"))
    if isinstance(value, (int, float)):
        raise PydanticCustomError(
            "duration_unit",
            _("a bare number is not a duration: add a unit, e.g. {value}m, {value}h or {value}d"),
            {"value": _number_text(value)})
    if not isinstance(value, str):
        raise PydanticCustomError("duration", _("expected a duration such as 30m, 2h or 1d4h"))
    text = value.strip()
    hours: float
    if _DURATION.match(text):
        hours = sum(float(n) * _UNITS[u] for n, u in _DURATION_PART.findall(text))
    elif (iso := _ISO.match(text.upper())) and text.upper() not in ("P", "PT"):
        parts = {k: float(v) for k, v in iso.groupdict().items() if v}
        hours = (parts.get("w", 0) * 168 + parts.get("d", 0) * 24 + parts.get("h", 0)
                 + parts.get("m", 0) / 60 + parts.get("s", 0) / 3600)
    else:
        raise PydanticCustomError(
            "duration", _("'{value}' is not a duration: write <number><unit> parts with units "
            "m, h, d, w (e.g. 30m, 1.5h, 1d4h) or ISO-8601 (PT30M){hint}"),
            {"value": _shorten(text), "hint": _duration_hint(text)})
    if not math.isfinite(hours) or hours > MAX_HOURS:
        raise PydanticCustomError("duration", _("'{value}' is longer than a century"),
                                  {"value": _shorten(text)})
    return hours


def _duration_hint(text: str) -> str:
    clock = re.fullmatch(r"(\d+):(\d\d)", text)
    if clock:
        return _("; for {text} write {duration}").format(
            text=text, duration=f"{int(clock[1])}h{int(clock[2])}m")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _("; add a unit: {value}m, {value}h or {value}d").format(value=text)
    if re.fullmatch(r"(\d+(\.\d+)?)\s*(min|mins|minutes?|hrs?|hours?|days?|weeks?|天|小时|分钟)",
                    text):
        return _("; units are single letters: m, h, d, w")
    return ""


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def parse_rate(value: Any) -> float:
    """'40/d' -> cases per day."""
    if isinstance(value, str) and (match := _RATE.match(value)):
        per_day = float(match[1]) / _RATE_UNITS[match[2]]
        if math.isfinite(per_day):
            return per_day
    shown = _number_text(value) if isinstance(value, (int, float)) and not isinstance(
        value, bool) else _shorten(str(value))
    raise PydanticCustomError(
        "rate", _("'{value}' is not a rate: write <number>/<unit> with unit h, d or w "
        "(e.g. 40/d for forty cases a day)"), {"value": shown})


def parse_availability(value: Any) -> float:
    """'8h/d' -> productive hours per calendar day."""
    # split by hand: the regex `\s*(.+?)\s*/` backtracked cubically on a blank value
    amount, slash, unit = value.rpartition("/") if isinstance(value, str) else ("", "", "")
    if slash and amount.strip() and unit.strip() in ("d", "w"):
        try:
            hours = parse_duration(amount.strip()) / _RATE_UNITS[unit.strip()]
        except PydanticCustomError:
            hours = 0.0  # say what an availability looks like, not a duration
        if 0 < hours <= 24:
            return hours
    raise PydanticCustomError(
        "availability", _("'{value}' is not an availability: write productive time per day or "
        "week, e.g. 8h/d or 37.5h/w (at most 24h/d)"), {"value": _shorten(str(value))})


#: the standard normal quantile of 0.9: a lognormal's p90 is median * exp(Z90 * sigma)
Z90 = 1.2815515655446004


class Spread(float):
    """A varying duration in hours, written `{median: 2h, p90: 6h}`: a lognormal with that
    median and 90th percentile. As a float it is the distribution's mean, so every metric
    that uses expected times (audit, diff) works unchanged; `simulate` samples it."""

    median: float
    p90: float

    def __new__(cls, median: float, p90: float) -> Spread:
        sigma = math.log(p90 / median) / Z90 if median > 0 and p90 > median else 0.0
        mean = median * math.exp(sigma * sigma / 2)
        value = super().__new__(cls, mean)
        value.median = median
        value.p90 = p90
        return value

    @property
    def sigma(self) -> float:
        """The lognormal's shape: the standard deviation of ln(duration)."""
        if self.median <= 0 or self.p90 <= self.median:
            return 0.0
        return math.log(self.p90 / self.median) / Z90

    def __reduce__(self) -> tuple[Any, ...]:  # keeps pickling (the fork pool) exact
        return (Spread, (self.median, self.p90))

    def __repr__(self) -> str:
        return f"Spread(median={self.median!r}, p90={self.p90!r})"


def _spread_or_duration(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A plain duration (`2h`), or `{median: 2h, p90: 6h}`: a Spread whose float is the mean."""
    if not isinstance(value, dict):
        return handler(value)
    unknown = sorted(str(k) for k in value if k not in ("median", "p90"))
    if unknown or "median" not in value or "p90" not in value:
        raise PydanticCustomError(
            "spread", _("a varying duration is a mapping with exactly `median` and `p90` "
            "(e.g. {median: 2h, p90: 6h}){extra}"),
            {"extra": f"; unknown key(s): {', '.join(unknown)}" if unknown else ""})
    parts = {}
    for key in ("median", "p90"):
        try:
            parts[key] = parse_duration(value[key])
        except PydanticCustomError as exc:
            raise PydanticCustomError("spread", _("{key}: {problem}"),
                                      {"key": key, "problem": exc.message()}) from None
    if parts["p90"] < parts["median"]:
        raise PydanticCustomError(
            "spread", _("p90 ({p90}) is below the median ({median}): the 90th percentile of "
            "a duration cannot be shorter than its median"),
            {"p90": format_hours(parts["p90"]), "median": format_hours(parts["median"])})
    return Spread(parts["median"], parts["p90"])


_CURRENCY_RATE = re.compile(r"\s*(\d+(?:\.\d+)?|\.\d+)\s*/\s*h\s*\Z")


def parse_cost(value: Any) -> float:
    """'85/h' (or a bare number, read as per hour) -> money per person-hour."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cost = float(value)
    elif isinstance(value, str) and (match := _CURRENCY_RATE.match(value)):
        cost = float(match[1])
    else:
        raise PydanticCustomError(
            "cost", _("'{value}' is not a cost: write the cost of one person-hour, e.g. 85/h "
            "(the currency is [money] currency in procmap.toml)"),
            {"value": _shorten(str(value))})
    if not math.isfinite(cost) or cost < 0:
        raise PydanticCustomError("cost", _("a cost must be a finite number >= 0"))
    return cost


def _timezone(value: str) -> str:
    from procmap.model.calendar import check_timezone

    return check_timezone(value)


def _calendar(value: str) -> str:
    from procmap.model.calendar import WorkCalendar

    WorkCalendar.parse(value)  # raises a PydanticCustomError with the fix
    return value


def _not_bool(value: Any) -> Any:
    # pydantic's lax mode reads `true` as 1: in a process file it is a typo, not a number
    if isinstance(value, bool):
        raise PydanticCustomError("number", _("must be a number, not true/false"))
    return value


def _positive(value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise PydanticCustomError("positive", _("must be a number greater than 0"))
    return value


def _finite(value: float) -> float:
    # the range 0..1 is checked by the probability-sum rule, which owns probabilities
    if not math.isfinite(value):
        raise PydanticCustomError("finite", _("must be a finite number"))
    return value


# JSON Schema views of the types, as they are written in YAML (for editors).
DURATION_SCHEMA_PATTERN = (
    r"^(\s*(\d+(\.\d+)?|\.\d+)\s*[mhdw])+\s*$"
    r"|^P(?=\d|T\d)(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?"
    r"(\d+(\.\d+)?S)?)?$"
)
ID_SCHEMA: dict[str, Any] = {"anyOf": [
    {"type": "string", "pattern": ID_SCHEMA_PATTERN, "maxLength": 64},
    {"type": "integer", "minimum": 0}]}
_TEXT_SCHEMA = {"type": ["string", "number"]}
_DURATION_SCHEMA = {"type": "string", "pattern": DURATION_SCHEMA_PATTERN,
                    "examples": ["30m", "1.5h", "1d4h", "PT30M"]}
_RATE_SCHEMA = {"type": "string", "pattern": r"^\s*(\d+(\.\d+)?|\.\d+)\s*/\s*[hdw]\s*$",
                "examples": ["40/d"]}
_SPREAD_SCHEMA = {"anyOf": [_DURATION_SCHEMA, {
    "type": "object", "required": ["median", "p90"], "additionalProperties": False,
    "properties": {"median": _DURATION_SCHEMA, "p90": _DURATION_SCHEMA},
    "description": "a varying duration: a lognormal with this median and 90th percentile"}]}
_AVAILABILITY_SCHEMA = {"type": "string", "pattern": r"^.+/\s*[dw]\s*$",
                        "examples": ["8h/d", "37.5h/w"]}

# Text and Id are checked by pydantic-core itself (numbers become text through the
# models' `coerce_numbers_to_str`); Python validators here would cost ~1 s per 50,000 steps.
Text = Annotated[str, WithJsonSchema(_TEXT_SCHEMA)]
Id = Annotated[str, StringConstraints(pattern=ID_REGEX), WithJsonSchema(ID_SCHEMA)]
Hours = Annotated[float, BeforeValidator(parse_duration), WithJsonSchema(_DURATION_SCHEMA)]
#: a duration that may vary: a float of hours (the mean), a Spread when given {median, p90}
VaryingHours = Annotated[float, BeforeValidator(parse_duration),
                         WrapValidator(_spread_or_duration), WithJsonSchema(_SPREAD_SCHEMA)]
CostPerHour = Annotated[float, BeforeValidator(parse_cost), WithJsonSchema(
    {"type": ["string", "number"], "pattern": r"^\s*(\d+(\.\d+)?|\.\d+)\s*/\s*h\s*$",
     "examples": ["85/h"]})]
TimeZoneName = Annotated[str, AfterValidator(_timezone), WithJsonSchema(
    {"type": "string", "examples": ["Asia/Shanghai", "Europe/Berlin", "UTC"]})]
CalendarText = Annotated[str, AfterValidator(_calendar), WithJsonSchema(
    {"type": "string", "examples": ["mon-fri 09:00-18:00", "mon-fri 09:00-12:00 13:00-18:00, "
                                    "sat 10:00-16:00", "24/7"]})]
CasesPerDay = Annotated[float, BeforeValidator(parse_rate), WithJsonSchema(_RATE_SCHEMA)]
HoursPerDay = Annotated[float, BeforeValidator(parse_availability),
                        WithJsonSchema(_AVAILABILITY_SCHEMA)]
PositiveNumber = Annotated[float, BeforeValidator(_not_bool), AfterValidator(_positive),
                           WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]
Probability = Annotated[float, BeforeValidator(_not_bool), AfterValidator(_finite),
                        WithJsonSchema({"type": "number"})]


format_hours = short_duration  # the one home of durations as text: procmap.text.units
