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

from procmap.i18n import _
from procmap.render.diagram import Diagram, Lane, Node, NodeKind
from procmap.render.text import one_line
from procmap.render.theme import THEME, Theme
from procmap.render.visuals import check_diagram
from procmap.text import escape

__all__ = ["mermaid_text", "to_mermaid"]


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
    return escape.mermaid(one_line(text))


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


def _lane_label(lane: Lane, index: int, highlight: bool) -> str:
    """A lane title; a lane without a name is labelled by its number, as Mermaid
    rejects an empty label (``subgraph L0[""]``)."""
    title = [lane.label if one_line(lane.label)
             else _("lane {number}").format(number=index + 1)]
    if highlight and one_line(lane.badge):
        title.append("⚠ " + lane.badge)
    return _label(title)


def _lanes(diagram: Diagram, node_id: dict[str, str]) -> list[str]:
    lines = []
    for i, lane in enumerate(diagram.lanes):
        lines.append(f"  subgraph L{i}[{_lane_label(lane, i, diagram.highlight)}]")
        for node in diagram.nodes:
            if node.lane == lane.id:
                left, right = _SHAPES[node.kind]
                text = _label(_node_lines(node, diagram.highlight))
                lines.append(f"    {node_id[node.id]}{left}{text}{right}")
        lines.append("  end")
    return lines


def _edges(diagram: Diagram, node_id: dict[str, str]) -> tuple[list[str], list[int]]:
    lines, critical = [], []
    for k, edge in enumerate(diagram.edges):
        arrow = "-.->" if edge.loop_back else "-->"
        label = f"|{_label([edge.label])}|" if one_line(edge.label) else ""
        lines.append(f"  {node_id[edge.source]} {arrow}{label} {node_id[edge.target]}")
        if diagram.highlight and edge.critical:
            critical.append(k)
    return lines, critical


def _classes(diagram: Diagram, node_id: dict[str, str], theme: Theme) -> list[str]:
    lines = [f"  {line}" for line in _class_defs(theme)]
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
    return lines


def to_mermaid(diagram: Diagram, theme: Theme = THEME) -> str:
    """The diagram as a Mermaid ``flowchart``; valid whatever the names contain."""
    check_diagram(diagram)
    node_id = {node.id: f"N{i}" for i, node in enumerate(diagram.nodes)}
    edges, critical = _edges(diagram, node_id)
    lines = [*_title(diagram), f"flowchart {diagram.direction}", *_lanes(diagram, node_id),
             *edges, *_classes(diagram, node_id, theme)]
    if critical:
        indexes = ",".join(str(k) for k in critical)
        lines.append(f"  linkStyle {indexes} stroke:{theme.critical},stroke-width:2.5px")
    return "\n".join(lines) + "\n"
