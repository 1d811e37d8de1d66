"""Mermaid flowchart output (``procmap render -o x.mmd``), for Markdown hosts.

Mermaid has no swimlanes: lanes become ``subgraph`` blocks (in `Diagram.lanes` order),
which is the closest it offers. The text is safe whatever the names contain:

* node and lane ids are generated (``N0``, ``L0``); user ids never appear, so ``end``
  (which breaks a flowchart as a lowercase id) or ``click`` cannot either;
* every label is quoted, on the line of the statement it belongs to; newlines become
  spaces, so user text can never start a line (no ``click`` callbacks, no ``end``);
* inside labels ``"`` ``#`` ``%`` ``<`` ``>`` ``&`` ``|`` ``[]`` ``{}`` backtick, ``;``
  and backslash are written as Mermaid entity codes (``#quot;``, ``#35;`` ...). ``%`` matters:
  Mermaid looks for ``%%{init: ...}%%`` directives anywhere in the text, not only at the
  start of a line. ``#`` matters so that a literal ``#quot;`` stays text;
* the title goes into YAML front matter as a double-quoted scalar with ``\\x25`` for
  ``%`` and JSON escapes for the rest.

The subtitle, details of events and the legend have no Mermaid equivalent and are left
out; step details are kept as extra label lines.
"""

from __future__ import annotations

import json

from procmap.render.diagram import Diagram, Node, NodeKind
from procmap.render.text import one_line
from procmap.render.theme import THEME, Theme
from procmap.render.visuals import check_diagram

__all__ = ["mermaid_text", "to_mermaid"]

_ENTITIES: dict[str, str] = {
    '"': "#quot;",
    "#": "#35;",
    "%": "#37;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "`": "#96;",
    ";": "#59;",
    "\\": "#92;",
}

_SHAPES: dict[NodeKind, tuple[str, str]] = {
    "start": ("((", "))"),
    "end": ("((", "))"),
    "task": ("(", ")"),
    "approval": ("(", ")"),
    "decision": ("{", "}"),
    "parallel": ("{", "}"),
    "subprocess": ("[[", "]]"),
    "wait": ("((", "))"),
}

_MARKERS: dict[NodeKind, str] = {
    "approval": "✔ ",
    "decision": "× ",
    "parallel": "+ ",
    "wait": "⏱ ",
}


def mermaid_text(text: str) -> str:
    """User text as the inside of a quoted Mermaid label: one line, entities for syntax."""
    return "".join(_ENTITIES.get(char, char) for char in one_line(text))


def _label(lines: list[str]) -> str:
    """A quoted label; ``<br/>`` between lines is ours, never the user's."""
    return '"' + "<br/>".join(mermaid_text(line) for line in lines if one_line(line)) + '"'


def _node_lines(node: Node, highlight: bool) -> list[str]:
    lines = [_MARKERS.get(node.kind, "") + node.label, *node.details]
    if highlight and one_line(node.badge):
        lines.append("⚠ " + node.badge)
    return lines


def _title(diagram: Diagram) -> list[str]:
    title = one_line(diagram.title)
    if not title:
        return []
    quoted = json.dumps(title, ensure_ascii=False).replace("%", "\\x25")
    return ["---", f"title: {quoted}", "---"]


def _class_defs(theme: Theme) -> list[str]:
    return [
        f"classDef task fill:{theme.task_fill},stroke:{theme.task_border},color:{theme.text}",
        f"classDef approval fill:{theme.approval_fill},stroke:{theme.approval_border},"
        f"color:{theme.text}",
        f"classDef subprocess fill:{theme.subprocess_fill},stroke:{theme.subprocess_border},"
        f"stroke-width:2px,color:{theme.text}",
        f"classDef start fill:{theme.start_fill},stroke:{theme.start_border},color:{theme.text}",
        f"classDef finish fill:{theme.end_fill},stroke:{theme.end_border},stroke-width:4px,"
        f"color:{theme.text}",
        f"classDef gateway fill:{theme.gateway_fill},stroke:{theme.gateway_border},"
        f"color:{theme.text}",
        f"classDef wait fill:{theme.wait_fill},stroke:{theme.wait_border},stroke-width:3px,"
        f"color:{theme.text}",
        f"classDef bottleneck stroke:{theme.critical},stroke-width:3px",
    ]


_CLASS_OF: dict[NodeKind, str] = {
    "start": "start", "end": "finish", "task": "task", "approval": "approval",
    "decision": "gateway", "parallel": "gateway", "subprocess": "subprocess", "wait": "wait",
}


def to_mermaid(diagram: Diagram, theme: Theme = THEME) -> str:
    """The diagram as a Mermaid ``flowchart``; valid whatever the names contain."""
    check_diagram(diagram)
    node_id = {node.id: f"N{i}" for i, node in enumerate(diagram.nodes)}
    lines = [*_title(diagram), f"flowchart {diagram.direction}"]
    for i, lane in enumerate(diagram.lanes):
        title = [lane.label]
        if diagram.highlight and one_line(lane.badge):
            title.append("⚠ " + lane.badge)
        lines.append(f"  subgraph L{i}[{_label(title)}]")
        for node in diagram.nodes:
            if node.lane == lane.id:
                left, right = _SHAPES[node.kind]
                text = _label(_node_lines(node, diagram.highlight))
                lines.append(f"    {node_id[node.id]}{left}{text}{right}")
        lines.append("  end")
    critical: list[int] = []
    for k, edge in enumerate(diagram.edges):
        arrow = "-.->" if edge.loop_back else "-->"
        label = f"|{_label([edge.label])}|" if one_line(edge.label) else ""
        lines.append(f"  {node_id[edge.source]} {arrow}{label} {node_id[edge.target]}")
        if diagram.highlight and edge.critical:
            critical.append(k)
    lines += [f"  {line}" for line in _class_defs(theme)]
    for kind_class in dict.fromkeys(_CLASS_OF.values()):
        members = [node_id[n.id] for n in diagram.nodes if _CLASS_OF[n.kind] == kind_class]
        if members:
            lines.append(f"  class {','.join(members)} {kind_class}")
    bottlenecks = [node_id[n.id] for n in diagram.nodes if diagram.highlight and n.bottleneck]
    if bottlenecks:
        lines.append(f"  class {','.join(bottlenecks)} bottleneck")
    for i, lane in enumerate(diagram.lanes):
        if diagram.highlight and lane.overloaded:
            lines.append(f"  style L{i} fill:{theme.overloaded_band},stroke:{theme.critical}")
    if critical:
        indexes = ",".join(str(k) for k in critical)
        lines.append(f"  linkStyle {indexes} stroke:{theme.critical},stroke-width:2.5px")
    return "\n".join(lines) + "\n"
