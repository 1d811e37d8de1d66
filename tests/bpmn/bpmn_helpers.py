"""Paths and helpers shared by the BPMN tests (a plain module: `conftest` is a name
every test directory uses, so it cannot be imported from)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procmap.findings import Severity
from procmap.loader import load_text
from procmap.model import Workspace, build_workspace

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
# Test data kept in the repository (and the sdist), with their licences: see the READMEs.
FIXTURES = REPO / "tests" / "fixtures"
XSD = FIXTURES / "bpmn-xsd" / "BPMN20.xsd"
MIWG = FIXTURES / "bpmn-miwg" / "reference"

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "procmap": "https://procmap.dev/schema/bpmn/1",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def assert_schema_valid(schema: Any, xml: str | bytes) -> Any:
    """Parse and validate against the OMG schema; returns the root element."""
    from lxml import etree

    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    document = root.getroottree()
    if not schema.validate(document):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:10])
        raise AssertionError(f"not valid against BPMN20.xsd:\n{errors}")
    return root


def workspace_of(*texts: str) -> Workspace:
    workspace = build_workspace([load_text(text, f"t{i}.yaml") for i, text in
                                 enumerate(texts)])
    errors = [f for f in workspace.findings if f.severity is Severity.ERROR]
    assert not errors, errors
    return workspace


# A process whose names, ids and extensions try to break XML and ids.
HOSTILE = """
procmap: 1
id: "2nd.process"
name: "Evil <&\\"'> ]]> \\x00\\x1b\\x7f\\x85 name 🎉"
description: "line one\\nline two \\x07 <script>alert(1)</script>"
roles:
  - {id: 1st-line, name: "客服 <专员> & co\\x0c"}
  - {id: "a_x41_b", name: "Team_x0020_A"}
steps:
  - {id: "0start", kind: start, name: "Start\\r\\nhere", next: "客服.登记"}
  - id: "客服.登记"
    name: "登记 \\x01 & <投诉>"
    role: 1st-line
    description: "]]><!-- -->"
    x-ticket: {url: "https://x/?a=1&b=<2>", ctrl: "\\x1b[31m", nested: [1, 2.5, null, true]}
    next:
      - {to: "a_x41", when: "\\"quoted\\" & <tagged> \\x08", probability: 0.5}
      - {to: "end.1", when: "直接\\t结束", probability: 0.5}
  - {id: "a_x41", name: "-- -->", role: "a_x41_b", next: "end.1"}
  - {id: "end.1", kind: end}
"""
