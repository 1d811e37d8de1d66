"""Reversible encoding of user ids into XML ids (NCName).

SVG and BPMN elements carry ids such as ``step-<step id>`` so that scripts, CSS and
tests can find a step in the picture. Step and role ids are user text, and an XML id
must be an NCName (XML 1.0 5th edition + Namespaces): letters, digits and a few
punctuation characters, no spaces, no ``:``, and not starting with a digit, ``-`` or
``.``. CJK letters and most non-ASCII characters (even emoji, ``#x10000-#xEFFFF``) are
valid NCName characters and are kept as they are, so ids stay readable.

The scheme (the one OOXML uses for names, made strictly reversible):

* every character that is an NCName character is kept, except as below;
* any other character, and the first character when it cannot start an NCName, is
  written ``_xHHHH_`` (4 upper-case hex digits of its code point) or ``_xHHHHHH_``
  (6 hex digits, for code points above U+FFFF);
* a literal ``_`` that is followed by ``x`` is written ``_x005F_`` so that every
  ``_x`` in the output starts an escape.

Examples::

    encode_xml_id("review")     == "review"
    encode_xml_id("2nd check")  == "_x0032_nd_x0020_check"
    encode_xml_id("a:b")        == "a_x003A_b"
    encode_xml_id("_x")         == "_x005F_x"
    encode_xml_id("客户 投诉")   == "客户_x0020_投诉"

``decode_xml_id(encode_xml_id(s)) == s`` for every Python string, including lone
surrogates. The output of ``encode_xml_id`` is a valid NCName whenever ``s`` is not
empty. Renderers always add a prefix (``step-``, ``lane-``), which keeps the id valid
and distinguishes the kinds of element.
"""

from __future__ import annotations

import re

__all__ = ["decode_xml_id", "encode_xml_id", "is_ncname"]

_NAME_START_RANGES: tuple[tuple[int, int], ...] = (
    (ord("A"), ord("Z")),
    (ord("_"), ord("_")),
    (ord("a"), ord("z")),
    (0xC0, 0xD6),
    (0xD8, 0xF6),
    (0xF8, 0x2FF),
    (0x370, 0x37D),
    (0x37F, 0x1FFF),
    (0x200C, 0x200D),
    (0x2070, 0x218F),
    (0x2C00, 0x2FEF),
    (0x3001, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFFD),
    (0x10000, 0xEFFFF),
)
_NAME_EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (ord("-"), ord("-")),
    (ord("."), ord(".")),
    (ord("0"), ord("9")),
    (0xB7, 0xB7),
    (0x300, 0x36F),
    (0x203F, 0x2040),
)

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4}|[0-9A-Fa-f]{6})_")


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _is_name_start_char(char: str) -> bool:
    return _in_ranges(ord(char), _NAME_START_RANGES)


def _is_name_char(char: str) -> bool:
    code = ord(char)
    return _in_ranges(code, _NAME_START_RANGES) or _in_ranges(code, _NAME_EXTRA_RANGES)


def is_ncname(text: str) -> bool:
    """True if ``text`` is a valid NCName (used by tests and by callers checking ids)."""
    return (
        bool(text)
        and _is_name_start_char(text[0])
        and all(_is_name_char(char) for char in text[1:])
    )


def _escape_char(char: str) -> str:
    code = ord(char)
    return f"_x{code:04X}_" if code <= 0xFFFF else f"_x{code:06X}_"


def encode_xml_id(text: str) -> str:
    """Encode ``text`` as an NCName, reversibly (see the module docstring)."""
    out: list[str] = []
    for index, char in enumerate(text):
        if char == "_":
            follows_x = index + 1 < len(text) and text[index + 1] == "x"
            out.append(_escape_char(char) if follows_x else char)
        elif index == 0 and not _is_name_start_char(char):
            out.append(_escape_char(char))
        elif _is_name_char(char):
            out.append(char)
        else:
            out.append(_escape_char(char))
    return "".join(out)


def decode_xml_id(encoded: str) -> str:
    """Invert `encode_xml_id`; text that is not an escape is taken literally."""
    return _ESCAPE.sub(_unescape, encoded)


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)
