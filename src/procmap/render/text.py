"""Making user text safe to draw: control characters, wrapping and escaping.

Every string in a `Diagram` is raw user text. Before it reaches a renderer it goes
through `clean_text` (XML 1.0 forbids C0 control characters even as character
references, so a NUL or ESC in a step name would make the SVG unparseable), then
`wrap_lines`, then the escaping of the target format (`html_label` for Graphviz
HTML-like labels, `xml_escape` for SVG/HTML).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from procmap.text.escape import html as xml_escape

__all__ = [
    "clean_text",
    "display_width",
    "html_label",
    "one_line",
    "wrap_lines",
    "xml_escape",
]

# C0 controls except TAB/LF, DEL, C1 controls, UTF-16 surrogates and the two
# non-characters XML forbids. TAB and CR are normalised before this runs.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

WIDE_CHAR_UNITS = 24 / 18
"""A CJK character counts as 4/3 of a latin one: ~24 latin or ~18 CJK per line."""


def clean_text(text: str) -> str:
    """Normalise newlines, turn tabs into spaces and drop characters XML cannot hold."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _FORBIDDEN.sub("", text)


def one_line(text: str) -> str:
    """`clean_text` with newlines folded into spaces (titles, Mermaid labels, ids)."""
    return " ".join(part.strip() for part in clean_text(text).split("\n") if part.strip())


@lru_cache(maxsize=4096)
def _char_width(char: str) -> float:
    if char < "\u0300":  # Latin and friends: no combining marks, no wide characters
        return 1.0
    if unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return WIDE_CHAR_UNITS
    return 1.0


def display_width(text: str) -> float:
    """Width in latin-character units, CJK counting 4/3 (a rough monospace model)."""
    return sum(_char_width(char) for char in text)


_TOKEN = re.compile(r" +|[^ ]")


def _tokens(paragraph: str) -> list[str]:
    """Split into breakable pieces: runs of spaces, latin words, single wide characters."""
    tokens: list[str] = []
    word = ""
    for match in _TOKEN.finditer(paragraph):
        piece = match.group(0)
        if piece.startswith(" ") or _char_width(piece) > 1.0:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(piece)
        else:
            word += piece
    if word:
        tokens.append(word)
    return tokens


def _hard_split(word: str, width: float) -> list[str]:
    chunks: list[str] = []
    chunk = ""
    for char in word:
        if chunk and display_width(chunk + char) > width:
            chunks.append(chunk)
            chunk = ""
        chunk += char
    if chunk:
        chunks.append(chunk)
    return chunks


def _wrap_paragraph(paragraph: str, width: float) -> list[str]:
    if display_width(paragraph) <= width:
        return [paragraph]
    lines: list[str] = []
    line, used = "", 0.0
    for token in _tokens(paragraph):
        size = display_width(token)
        if token.startswith(" "):
            if line and used + size <= width:
                line, used = line + token, used + size
            elif line:
                lines.append(line.rstrip())
                line, used = "", 0.0
            continue
        if used + size <= width:
            line, used = line + token, used + size
            continue
        if line.strip():
            lines.append(line.rstrip())
        pieces = _hard_split(token, width) if size > width else [token]
        lines.extend(pieces[:-1])
        line = pieces[-1]
        used = display_width(line)
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def wrap_lines(text: str, width: float = 24.0) -> list[str]:
    """Clean ``text`` and break it into lines of at most ``width`` units.

    Breaks on spaces when possible, between CJK characters otherwise, and inside a
    latin word only when the word alone is too long. User newlines are kept.
    """
    paragraphs = clean_text(text).split("\n")
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(_wrap_paragraph(paragraph.strip(), width))
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def html_label(text: str) -> str:
    """Escape already-cleaned text for a Graphviz HTML-like label.

    Graphviz expands ``\\N``, ``\\G``, ``\\E``... and ``\\\\`` even inside HTML-like
    labels, so backslashes are doubled on top of the XML escaping; ``<`` and ``>`` are
    entities, which also keeps the DOT lexer's ``<...>`` nesting balanced.
    """
    return xml_escape(text).replace("\\", "\\\\")
