"""Cleaning, wrapping and escaping of user text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from procmap.render.text import clean_text, display_width, html_label, wrap_lines, xml_escape


def test_clean_text_strips_controls_but_keeps_newlines() -> None:
    assert clean_text("a\x00b\x1bc\x07d\r\ne\tf\x7f\x85") == "abcd\ne f"


def test_clean_text_drops_lone_surrogates_and_nonchars() -> None:
    assert clean_text("a\ud800b\ufffec") == "abc"


def test_wrap_latin_on_spaces_at_24() -> None:
    lines = wrap_lines("Check the customer complaint and classify it by severity")
    assert all(display_width(line) <= 24 for line in lines)
    assert " ".join(lines) == "Check the customer complaint and classify it by severity"


def test_wrap_cjk_at_18() -> None:
    text = "客户投诉处理流程中的第一步是登记投诉并进行分类和优先级评估"
    lines = wrap_lines(text)
    assert [len(line) for line in lines] == [18, len(text) - 18]
    assert "".join(lines) == text


def test_wrap_breaks_long_words_and_keeps_user_newlines() -> None:
    assert wrap_lines("x" * 30) == ["x" * 24, "x" * 6]
    assert wrap_lines("one\ntwo") == ["one", "two"]
    assert wrap_lines("") == [""]


@given(st.text())
def test_wrap_loses_only_whitespace(text: str) -> None:
    joined = "".join("".join(wrap_lines(text)).split())
    assert joined == "".join(clean_text(text).split())


def test_html_label_escapes_xml_and_doubles_backslashes() -> None:
    assert html_label('<b>"x"</b> & \\N') == "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; \\\\N"
    assert xml_escape("'") == "&#39;"
