"""Values as BPMN text and back: ids, numbers, durations (plain and {median, p90}),
and the JSON that carries ``x-`` keys. Durations have their one home in
`procmap.text.units`; this module only says how BPMN attributes spell them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from procmap.render.xmlid import encode_xml_id
from procmap.text.units import iso_duration, spelled_duration

__all__ = ["ascii_xml_id", "duration_attributes", "iso_duration", "json_text", "number",
           "read_duration", "spelled_duration"]

# DEL, C1 controls, surrogates and the XML non-characters: JSON leaves them raw, XML
# cannot hold them, so they are written as JSON \u escapes instead.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def number(value: float) -> str:
    """A number as short text: ``2`` for 2.0, ``repr`` otherwise."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def ascii_xml_id(text: str) -> str:
    """A user id as the tail of a BPMN id: `encode_xml_id`, then every non-ASCII
    character escaped the same way (``_x5BA2_``). XML allows CJK in ids, but bpmn-js (and
    so Camunda Modeler) accepts only ASCII ones; `decode_xml_id` still reverses it."""
    return "".join(char if char.isascii() else (
        f"_x{ord(char):04X}_" if ord(char) <= 0xFFFF else f"_x{ord(char):06X}_")
        for char in encode_xml_id(text))


def json_text(value: object) -> str:
    """`value` as JSON that XML can hold (see `_JSON_UNSAFE`)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def duration_attributes(name: str, hours: float) -> dict[str, str]:
    """The attributes of a step duration: ``name="2h"``, or for a `Spread`
    ``nameMedian="2h" nameP90="6h"`` (0 writes nothing)."""
    from procmap.model.fields import Spread

    if isinstance(hours, Spread):
        return {f"{name}Median": spelled_duration(hours.median),
                f"{name}P90": spelled_duration(hours.p90)}
    return {name: spelled_duration(hours)} if hours else {}


def read_duration(attributes: Any, name: str) -> str | dict[str, str] | None:
    """The format-1 value of a duration written by `duration_attributes`: text, or
    ``{median, p90}``; None when absent."""
    median, p90 = attributes.get(f"{name}Median"), attributes.get(f"{name}P90")
    if median is not None and p90 is not None:
        return {"median": median, "p90": p90}
    value = attributes.get(name)
    return None if value is None else str(value)
