"""User text made safe for each place procmap writes it. One function per target.

User text is anything from a process file or the command line: names, ids, messages
quoting YAML values, file names. It may hold quotes, ``<>``, ``{}``, ``|``, backslashes,
newlines, ESC/BEL/CR, bidi controls, CJK, and (file names on POSIX) bytes that are not
UTF-8, which Python carries as lone surrogates (``surrogateescape``).

* `terminal`: one line for a terminal or a log: control characters (C0, DEL, C1),
  bidi controls and undecodable bytes become visible escapes (``\\x1b``, ``\\n``,
  ``\\u202e``), so nothing can move the cursor, change colours, hide text or forge a
  line (a file name with a newline cannot start a ``::error`` line);
* `display_path`: a path as valid Unicode (undecodable bytes as ``\\xNN``), for JSON;
* `uri`: a relative path as a percent-encoded URI reference (SARIF ``uri``);
* `markdown`, `markdown_code`: text for GitHub Markdown, tables included;
  `markdown_html`: text inside an HTML tag of a Markdown document (``<summary>``);
* `html`: text for HTML/XML content and attribute values (both quote kinds);
* `mermaid`: the inside of a quoted Mermaid label;
* `github_data`, `github_property`: the parts of a GitHub Actions workflow command.
"""

from __future__ import annotations

import re
import urllib.parse

__all__ = [
    "display_path",
    "github_data",
    "github_property",
    "html",
    "markdown",
    "markdown_code",
    "markdown_html",
    "mermaid",
    "one_line",
    "terminal",
    "terminal_lines",
    "uri",
]

#: bidi embedding/override/isolate controls and marks: they reorder what a reader sees
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte carried by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: object) -> str:
    """Text for a terminal or log, on one line: control and bidi characters escaped."""
    return _UNSAFE.sub(_visible, str(text))


_UNSAFE_IN_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff\u2028\u2029]")


def terminal_lines(text: str) -> str:
    """Multi-line text for a terminal: like `terminal`, but newlines and tabs stay."""
    return _UNSAFE_IN_LINES.sub(_visible, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def display_path(path: str) -> str:
    """A path as valid Unicode: bytes that were not UTF-8 become ``\\xNN``."""
    if not _SURROGATE.search(path):
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def uri(path: str) -> str:
    """A relative path as a URI reference: ``客户 投诉.yaml`` -> ``%E5%AE%A2...%20...``.

    Backslashes become ``/``; undecodable bytes are encoded as the bytes they were."""
    raw = path.replace("\\", "/").encode("utf-8", "surrogateescape")
    return urllib.parse.quote(raw, safe="/-._~")


def one_line(text: object) -> str:
    """Whitespace (newlines included) folded into single spaces."""
    return " ".join(str(text).split())


_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")


def html(text: object) -> str:
    """Text for HTML/XML content and attribute values (both quote kinds)."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def markdown(text: object) -> str:
    """User text -> Markdown that renders as that text: one line, no HTML, no
    formatting, no @mentions; safe in a table cell."""
    value = one_line(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MARKDOWN.sub(r"\\\1", value)
    return value.replace("@", "&#64;")


def markdown_html(text: object) -> str:
    """User text inside an HTML tag of a Markdown document (``<summary>``), where
    Markdown escapes would show: one line, HTML entities, no @mentions."""
    value = one_line(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("@", "&#64;")


_ID = re.compile(r"[\w.-]+")


def markdown_code(text: object) -> str:
    """An id in a code span when it is made of safe characters, else escaped text."""
    value = str(text)
    if _ID.fullmatch(value):
        return f"`{value}`"
    return markdown(value)


_MERMAID: dict[str, str] = {
    '"': "#quot;", "#": "#35;", "%": "#37;", "&": "#amp;", "<": "#lt;", ">": "#gt;",
    "|": "#124;", "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;", "`": "#96;",
    ";": "#59;", "\\": "#92;",
}


def mermaid(text: str) -> str:
    """Text already on one line as the inside of a quoted Mermaid label: entity codes
    for every character Mermaid gives a meaning (``%`` included: directives)."""
    return "".join(_MERMAID.get(char, char) for char in text)


def github_data(text: str) -> str:
    """The message part of a GitHub workflow command (after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value of a GitHub workflow command (``file=``, ``title=``)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")
