"""`instructions` are Markdown: rendered with markdown-it-py, raw HTML escaped."""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["to_html"]

_SAFE_SCHEMES = ("http:", "https:", "mailto:", "#")


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    # commonmark without raw HTML (`html: False` shows it as text); links only to the
    # web, mail or the page itself (markdown-it already refuses javascript: and data:)
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable("image")  # a handbook page loads nothing from outside
    parser.validateLink = _link_allowed  # type: ignore[method-assign]
    return parser


def _link_allowed(url: str) -> bool:
    text = url.strip().lower()
    return text.startswith(_SAFE_SCHEMES)


def to_html(text: str) -> str:
    """The Markdown `text` as an HTML fragment (Markup): every raw tag is escaped,
    images are not loaded, links go only to http(s), mailto or the page."""
    from markupsafe import Markup

    return Markup(_parser().render(text))
