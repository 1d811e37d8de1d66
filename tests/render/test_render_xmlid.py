"""encode_xml_id / decode_xml_id: reversible, and always a valid NCName."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from procmap.render.xmlid import decode_xml_id, encode_xml_id, is_ncname


@given(st.text())
def test_round_trip_any_text(text: str) -> None:
    assert decode_xml_id(encode_xml_id(text)) == text


@given(st.text(min_size=1))
def test_output_is_an_ncname(text: str) -> None:
    assert is_ncname(encode_xml_id(text))


@given(st.text(alphabet=st.sampled_from("_x0123456789ABCDEFabcdef-. :"), min_size=1))
def test_round_trip_escape_lookalikes(text: str) -> None:
    # Literal "_x0041_" and friends must survive: only the encoder's own escapes decode.
    assert decode_xml_id(encode_xml_id(text)) == text


@given(st.text(min_size=1))
def test_lxml_accepts_encoded_id_in_svg(text: str) -> None:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><g id="step-{encode_xml_id(text)}"/></svg>'
    root = etree.fromstring(svg.encode("utf-8"))
    assert decode_xml_id(root[0].get("id")[len("step-"):]) == text


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        ("review", "review"),
        ("2nd check", "_x0032_nd_x0020_check"),
        ("a:b", "a_x003A_b"),
        ("_x", "_x005F_x"),
        ("snake_case", "snake_case"),
        ("客户 投诉", "客户_x0020_投诉"),
        ("rocket🚀", "rocket🚀"),
        ("-lead", "_x002D_lead"),
        ('q"<>&', "q_x0022__x003C__x003E__x0026_"),
    ],
)
def test_examples_from_the_docstring(raw: str, encoded: str) -> None:
    assert encode_xml_id(raw) == encoded
    assert decode_xml_id(encoded) == raw


def test_keeps_readable_characters() -> None:
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", encode_xml_id("step_1.review-b"))
    assert encode_xml_id("审批") == "审批"
