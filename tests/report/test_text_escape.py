"""procmap.text: the one home of units and escaping."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procmap.model.fields import parse_duration
from procmap.text import escape, units

# -- terminal ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,shown", [
    ("plain 客户投诉.yaml", "plain 客户投诉.yaml"),
    ("a\x1b[31mb", "a\\x1b[31mb"),
    ("bell\x07", "bell\\x07"),
    ("cr\rlf\ntab\t", "cr\\rlf\\ntab\\t"),
    ("del\x7f c1\x9b", "del\\x7f c1\\x9b"),
    ("rtl\u202egnp.exe", "rtl\\u202egnp.exe"),
    ("iso\u2066x\u2069", "iso\\u2066x\\u2069"),
    ("caf\udce9", "caf\\xe9"),  # a non-UTF-8 byte carried by surrogateescape
])
def test_terminal_makes_controls_visible(raw: str, shown: str) -> None:
    assert escape.terminal(raw) == shown


def test_terminal_lines_keeps_newlines_and_tabs() -> None:
    assert escape.terminal_lines("a\x1b\n\tb\r\n") == "a\\x1b\n\tb\\r\n"


@given(st.text())
def test_terminal_output_has_no_control_character(text: str) -> None:
    shown = escape.terminal(text)
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or 0xd800 <= ord(c) <= 0xdfff
                   for c in shown)
    shown.encode("utf-8")  # always valid UTF-8


# -- paths and URIs ------------------------------------------------------------------------

def test_display_path_is_valid_unicode() -> None:
    assert escape.display_path("ok/客户.yaml") == "ok/客户.yaml"
    shown = escape.display_path("caf\udce9/x.yaml")
    assert shown == "caf\\xe9/x.yaml"
    json.dumps(shown, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("path,uri", [
    ("processes/refund.yaml", "processes/refund.yaml"),
    ("客户 投诉.yaml", "%E5%AE%A2%E6%88%B7%20%E6%8A%95%E8%AF%89.yaml"),
    ("a\\b#c?.yaml", "a/b%23c%3F.yaml"),
    ("100%.yaml", "100%25.yaml"),
    ("caf\udce9.yaml", "caf%E9.yaml"),
])
def test_uri_percent_encodes(path: str, uri: str) -> None:
    assert escape.uri(path) == uri


# -- markup --------------------------------------------------------------------------------

def test_markdown_neutralises_formatting_html_and_mentions() -> None:
    assert escape.markdown("*a*|<b>\n@team [x](y)") == (
        "\\*a\\*\\|&lt;b&gt; &#64;team \\[x\\](y)")


def test_markdown_code_spans_only_safe_ids() -> None:
    assert escape.markdown_code("refund-request") == "`refund-request`"
    assert escape.markdown_code("a`b|c") == "a\\`b\\|c"


def test_markdown_html_for_summary_tags() -> None:
    assert escape.markdown_html("<b>&@x\ny") == "&lt;b&gt;&amp;&#64;x y"


def test_html_escapes_both_quotes() -> None:
    assert escape.html("<a href='x' title=\"y\">&</a>") == (
        "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;")


def test_mermaid_uses_entity_codes() -> None:
    assert escape.mermaid('a"b%%{init}%%|[x];`\\') == (
        "a#quot;b#37;#37;#123;init#125;#37;#37;#124;#91;x#93;#59;#96;#92;")


def test_github_command_parts() -> None:
    assert escape.github_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape.github_property("a:b,c") == "a%3Ab%2Cc"


# -- units ---------------------------------------------------------------------------------

@pytest.mark.parametrize("hours,short,spelled,days,iso", [
    (0.25, "15m", "15m", "15m", "PT15M"),
    (26, "1d2h", "1d2h", "1d2h", "P1DT2H"),
    (200.2, "1w1d", "1w1d8h12m", "8d8h12m", "P8DT8H12M"),
    (0, "0", "0m", "0m", "PT0S"),
])
def test_durations(hours: float, short: str, spelled: str, days: str, iso: str) -> None:
    assert units.short_duration(hours) == short
    assert units.spelled_duration(hours) == spelled
    assert units.day_duration(hours) == days
    assert units.iso_duration(hours) == iso


@pytest.mark.parametrize("value,text", [(27.75, "27.75h"), (79.0, "79h"), (0.7, "42m"),
                                        (0, "0h"), (-2.5, "-2.5h")])
def test_hours(value: float, text: str) -> None:
    assert units.hours(value) == text


@given(st.integers(min_value=1, max_value=10_000_000))
def test_spelled_and_day_durations_parse_back(minutes: int) -> None:
    hours = minutes / 60
    assert parse_duration(units.spelled_duration(hours)) == pytest.approx(hours)
    assert parse_duration(units.day_duration(hours)) == pytest.approx(hours)


def test_old_names_are_the_one_implementation() -> None:
    from procmap.analysis import wording
    from procmap.bpmn import codecs as bpmn
    from procmap.model import fields
    from procmap.render import text
    from procmap.report import diff_common, diff_markdown, markdown

    assert fields.format_hours is units.short_duration
    assert wording.hours is units.hours
    assert bpmn.spelled_duration is units.spelled_duration
    assert bpmn.iso_duration is units.iso_duration
    assert diff_common.duration is units.day_duration
    assert text.xml_escape is escape.html
    assert vars(markdown)["escape"] is diff_markdown.escape is escape.markdown
    assert vars(markdown)["code"] is diff_markdown.code is escape.markdown_code
