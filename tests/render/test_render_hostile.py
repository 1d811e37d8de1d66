"""Hostile names: every user string is drawn as text, never as syntax, in every format."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest
from lxml import html as lxml_html
from render_diagrams import HAVE_GRAPHVIZ, HOSTILE_TEXTS
from render_svg_helpers import SVG, all_text, groups, parse_svg

from procmap.render.diagram import Diagram
from procmap.render.graphviz import render_image, to_dot, to_positioned_dot
from procmap.render.html import to_html
from procmap.render.mermaid import to_mermaid
from procmap.render.text import clean_text
from procmap.render.xmlid import is_ncname
from procmap.templates import SCRIPT_NAME, asset

needs_graphviz = pytest.mark.skipif(not HAVE_GRAPHVIZ, reason="Graphviz dot/neato not on PATH")


def _squash(text: str) -> str:
    """Compare text with whitespace removed: wrapping may move or drop spaces."""
    return "".join(text.split())


def _expected_texts() -> list[str]:
    return [_squash(clean_text(text)) for text in HOSTILE_TEXTS]


def _assert_text_intact(drawn: str) -> None:
    squashed = _squash(drawn)
    for expected in _expected_texts():
        assert expected in squashed, expected


def _assert_svg_is_inert(root: Any) -> None:
    assert not list(root.iter(f"{SVG}script"))
    assert not list(root.iter(f"{SVG}image"))
    assert not list(root.iter(f"{SVG}foreignObject"))
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            if name.endswith("href"):
                assert not value.strip().lower().startswith("javascript:")
            if name == "id":
                assert is_ncname(value), value


# ---------------------------------------------------------------------------- DOT


def test_portable_dot_never_reads_files_or_links(hostile: Diagram) -> None:
    source = to_dot(hostile)
    lowered = source.lower()
    for attribute in ("image=", "url=", "href=", "tooltip=", "shapefile=", "imagepath="):
        assert attribute not in lowered
    assert "<img" not in lowered  # only the escaped &lt;IMG survives
    assert "\x00" not in source and "\x1b" not in source


@pytest.mark.graphviz
@needs_graphviz
def test_portable_dot_parses_with_same_nodes_and_intact_text(hostile: Diagram) -> None:
    source = to_dot(hostile)
    canon = subprocess.run(["dot", "-Tcanon"], input=source.encode(), capture_output=True,
                           timeout=60, check=True)
    assert canon.stderr == b""
    declared = set(re.findall(r"^\s+(n\d+)\s+\[", canon.stdout.decode(), flags=re.M))
    assert declared == {f"n{i}" for i in range(len(hostile.nodes))}
    svg = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True,
                         timeout=60, check=True).stdout
    root = parse_svg(svg)
    _assert_text_intact(all_text(root))
    _assert_svg_is_inert(root)


@pytest.mark.graphviz
@needs_graphviz
def test_positioned_dot_draws_without_warnings(hostile: Diagram) -> None:
    done = subprocess.run(["neato", "-n2", "-Tsvg"], input=to_positioned_dot(hostile).encode(),
                          capture_output=True, timeout=60, check=True)
    assert done.stderr == b""


# ---------------------------------------------------------------------------- SVG


@pytest.mark.graphviz
@needs_graphviz
def test_svg_is_valid_xml_with_intact_text(hostile: Diagram) -> None:
    root = parse_svg(render_image(hostile, "svg"))
    _assert_text_intact(all_text(root))
    _assert_svg_is_inert(root)
    assert len(groups(root, "step")) == len(hostile.nodes)
    assert len(groups(root, "lane")) == len(hostile.lanes)


@pytest.mark.graphviz
@needs_graphviz
def test_svg_tooltips_carry_the_details_as_text(hostile: Diagram) -> None:
    root = parse_svg(render_image(hostile, "svg"))
    titles = "".join("".join(t.itertext()) for t in root.iter(f"{SVG}title"))
    _assert_text_intact(titles)


# ---------------------------------------------------------------------------- HTML


@pytest.mark.graphviz
@needs_graphviz
def test_html_page_is_inert_and_text_intact(hostile: Diagram) -> None:
    page = to_html(hostile, render_image(hostile, "svg").decode())
    document = lxml_html.document_fromstring(page)
    scripts = document.findall(".//script")
    assert [s.get("type") for s in scripts] == ["application/json", None]
    assert scripts[1].text == asset(SCRIPT_NAME)
    assert not document.findall(".//image") and not document.findall(".//foreignobject")
    for element in document.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert not value.strip().lower().startswith("javascript:"), name
    assert _squash(clean_text(HOSTILE_TEXTS[0])) in _squash(document.findtext(".//title"))
    assert _squash(clean_text(HOSTILE_TEXTS[0])) in _squash(document.findtext(".//h1"))
    data = json.loads(scripts[0].text)
    rows = [cell for step in data.values() for row in step["rows"] for cell in row]
    for text in HOSTILE_TEXTS:
        assert any(_squash(clean_text(text)) == _squash(cell) for cell in rows), text
    raw_json = page.split('id="procmap-steps">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw_json and ">" not in raw_json


def test_html_strips_active_content_from_any_svg(small: Diagram) -> None:
    evil = (
        '<?xml version="1.0"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" width="10pt">'
        '<script>alert(1)</script><g id="step-x" class="node step" onmouseover="alert(2)">'
        '<a xlink:href="javascript:alert(3)"><text>ok</text></a>'
        '<image href="file:///etc/passwd"/><foreignObject><div>x</div></foreignObject>'
        '<set attributeName="href" to="javascript:alert(4)"/>'
        '<rect style="fill:url(http://example.com/x)"/></g></svg>'
    )
    page = to_html(small, evil)
    body = page.split("<main", 1)[1].split("</main>", 1)[0]
    for needle in ("alert", "onmouseover", "javascript", "passwd", "foreignObject", "<set",
                   "example.com", "width="):
        assert needle not in body, needle
    assert "<text>ok</text>" in body


# ---------------------------------------------------------------------------- Mermaid

_MERMAID_LINE = re.compile(
    r"""(---|title: ".*"|flowchart (LR|TB)|  end|"""
    r"""  subgraph L\d+\["[^"]*"\]|"""
    r"""    N\d+(\(\(|\(|\{|\[\[)"[^"]*"(\)\)|\)|\}|\]\])|"""
    r"""  N\d+ (-->|-\.->)(\|"[^"]*"\|)? N\d+|"""
    r"""  classDef [a-z]+ [a-z:#0-9A-F,.-]+|  class N\d+(,N\d+)* [a-z]+|"""
    r"""  style L\d+ [a-z:#0-9A-F,.-]+|  linkStyle \d+(,\d+)* [a-z:#0-9A-F,.-]+)"""
)


def test_mermaid_lines_are_all_ours(hostile: Diagram) -> None:
    text = to_mermaid(hostile)
    lines = text.splitlines()
    assert "%%{" not in text and "\x00" not in text and "\x1b" not in text
    for line in lines:
        assert _MERMAID_LINE.fullmatch(line), line
        assert not line.strip().startswith("click")
    assert sum(line == "  end" for line in lines) == len(hostile.lanes)
    assert all(quoted.count('"') == 0 for quoted in re.findall(r'"([^"]*)"', text))


def test_mermaid_keeps_the_text_as_entities(hostile: Diagram) -> None:
    named = {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}

    def decode(match: re.Match[str]) -> str:  # one pass, like Mermaid's own decoder
        code = match.group(1)
        return named[code] if code in named else chr(int(code))

    text = to_mermaid(hostile).replace("<br/>", " ")
    decoded = re.sub(r"#(\d+|quot|amp|lt|gt);", decode, text)
    for text_in in HOSTILE_TEXTS:
        assert _squash(clean_text(text_in)) in _squash(decoded), text_in
