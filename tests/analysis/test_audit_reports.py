"""Report formatters and the diagram builder: escaping, structure, highlighting."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from audit_helpers import audit_of, process

from procmap.report import html_report, markdown

HOSTILE = process("""
    - {id: s, kind: start, next: t}
    - id: t
      name: "a | b <script>alert(1)</script> @everyone *bold* [x](javascript:y)"
      role: a
      wait: 30h
      duration: 2h
      description: "</td></tr><img src=x onerror=alert(1)>"
      next: e
    - {id: e, kind: end}
""", header='sla: 1d\n')


def test_markdown_escapes_user_text() -> None:
    result = audit_of(HOSTILE.replace("name: p", 'name: "p | <b>x</b> @team"'))
    text = markdown.render(result)
    assert "<script>" not in text and "<b>" not in text
    assert "@team" not in text and "@everyone" not in text
    summary = next(line for line in text.splitlines() if "`p`" in line and "|" in line)
    assert "p \\| &lt;b&gt;x&lt;/b&gt; &#64;team" in summary


def test_markdown_tables_are_rectangular() -> None:
    text = markdown.render(audit_of(HOSTILE))
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("|"):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    for table in (b for b in blocks if b):
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in table}
        assert len(widths) == 1, table


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_html_is_self_contained_and_escaped() -> None:
    result = audit_of(HOSTILE)
    svg = ('<?xml version="1.0"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg">'
           '<g id="node1"><path marker-end="url(#arrow)"/></g><marker id="arrow"/>'
           '<script>alert(2)</script></svg>')
    page = html_report.render(result, {"p": svg})
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "link" not in parser.tags
    assert not [v for k, v in parser.attrs if k in ("src", "href") and v and "://" in v]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<?xml" not in page and 'id="p-p-node1"' in page and "url(#p-p-arrow)" in page
    assert page.count("<svg") == 1


def test_html_without_diagrams_and_with_unanalysed_processes() -> None:
    broken = process("""
        - {id: s, kind: start, next: t}
        - {id: t, role: nobody, next: e}
        - {id: e, kind: end}
    """)
    page = html_report.render(audit_of(broken))
    assert "Not analysed" in page and "<svg" not in page


def test_diagram_builder_marks_the_audit_on_the_examples(examples_result: object) -> None:
    from procmap.analysis.audit import AuditResult
    from procmap.render.build import diagram_for

    assert isinstance(examples_result, AuditResult)
    analysis = next(p for p in examples_result.processes if p.id == "complaint-handling")
    diagram = diagram_for(analysis.entry, examples_result.workspace, analysis,
                          highlight=True)
    lanes = {lane.id: lane for lane in diagram.lanes}
    assert list(lanes) == ["cs-agent", "cs-lead", "tech-support"]
    assert lanes["cs-agent"].label == "客服专员"
    assert lanes["tech-support"].overloaded and lanes["tech-support"].badge == "125% utilised"
    nodes = {node.id: node for node in diagram.nodes}
    # the 3d queue is waiting waste (one finding per cause: no bottleneck-step on it)
    assert nodes["tech-diagnosis"].bottleneck and nodes["tech-diagnosis"].badge == \
        "waiting 97%"
    # the planned 3-day wait before the follow-up call is the bottleneck, not waste
    assert nodes["follow-up-delay"].badge == "67% of lead time"
    # tech-support is overloaded: the subtitle never calls the process within its SLA
    assert "SLA 1w not met (a role is overloaded)" in diagram.subtitle
    assert nodes["propose-solution"].badge == "7h late"
    assert nodes["triage"].details == ("20m", "wait 1h", "SLA 2h", "deadline 1d")
    assert ("visits", "1.25 per case") in nodes["propose-solution"].tooltip
    assert ("RACI", "R: 客服专员 · A: 客服组长 · C: 技术支持 · I: 客户") in nodes[
        "propose-solution"].tooltip
    assert nodes["received"].lane == "cs-agent" and nodes["classify"].lane == "cs-agent"
    edges = {(e.source, e.target): e for e in diagram.edges}
    assert edges[("classify", "escalate")].label == "复杂问题 (30%)"
    assert edges[("satisfied", "classify")].loop_back
    assert edges[("escalate", "tech-diagnosis")].critical
    assert not edges[("classify", "propose-solution")].critical
    assert all(node.critical == (node.id in analysis.metrics.critical_path)  # type: ignore
               for node in diagram.nodes)
    plain = diagram_for(analysis.entry, examples_result.workspace)
    assert not any(n.badge or n.critical or n.bottleneck for n in plain.nodes)
    assert [e for e in plain.edges if e.loop_back] == [
        e for e in plain.edges if (e.source, e.target) == ("satisfied", "classify")]
