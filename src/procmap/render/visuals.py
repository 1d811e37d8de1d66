"""What each element looks like: Graphviz attributes and HTML-like labels.

Shared by the portable DOT (`to_dot`) and the positioned two-pass rendering, so both
speak the same visual language. Every piece of user text goes through
`procmap.render.text` here and nowhere else: ``wrap_lines`` (which also strips control
characters) and ``html_label``. No attribute that makes Graphviz read a file or emit a
link (``image``, ``IMG``, ``URL``, ``href``, ``tooltip``) is ever set from user text.

An element is drawn as up to three Graphviz nodes ("parts"): the *shape* (the step
itself, ``id="step-<id>"``), for events and gateways a *caption* under the shape (BPMN
puts their names outside the symbol, and a name inside a diamond would blow it up), and
for ``--highlight`` findings a *badge* under both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from procmap.i18n import N_, _
from procmap.render.diagram import Diagram, Edge, Lane, Node, NodeKind
from procmap.render.dotwriter import Html, Value
from procmap.render.errors import RenderError
from procmap.render.text import html_label, one_line, wrap_lines
from procmap.render.theme import THEME, Theme
from procmap.render.xmlid import encode_xml_id

__all__ = [
    "CAPTIONED_KINDS",
    "KIND_NAMES",
    "LegendItem",
    "NodeVisual",
    "Part",
    "check_diagram",
    "edge_attrs",
    "header_part",
    "legend_items",
    "node_visuals",
    "title_part",
]

CAPTIONED_KINDS: frozenset[NodeKind] = frozenset(
    {"start", "end", "decision", "parallel", "wait"}
)

KIND_NAMES: dict[NodeKind, str] = {
    "start": N_("Start"),
    "end": N_("End"),
    "task": N_("Task"),
    "approval": N_("Approval"),
    "decision": N_("Decision (exclusive)"),
    "parallel": N_("Parallel (fork / join)"),
    "subprocess": N_("Subprocess"),
    "wait": N_("Wait (timer)"),
}

_MARKERS: dict[NodeKind, str] = {
    "decision": "×",
    "parallel": "+",
    "wait": "◷",
    "approval": "✔",
    "subprocess": "⊞",
}


@dataclass(frozen=True)
class Part:
    """One Graphviz node: a safe DOT name plus its attributes (no position yet)."""

    name: str
    attrs: dict[str, Value]


@dataclass(frozen=True)
class NodeVisual:
    node: Node
    index: int
    shape: Part
    caption: Part | None
    badge: Part | None


@dataclass(frozen=True)
class LegendItem:
    """A sample (a shape or a short edge between two points) and its text."""

    sample: Part
    text: Part
    edge: dict[str, Value] | None = None  # when the sample is an edge
    edge_tail: Part | None = None


def check_diagram(diagram: Diagram) -> None:
    """Refuse diagrams the builder should never produce (dangling references)."""
    lane_ids = {lane.id for lane in diagram.lanes}
    node_ids: set[str] = set()
    for node in diagram.nodes:
        if node.id in node_ids:
            raise RenderError(_("duplicate step id in diagram: {id}").format(
                id=repr(one_line(node.id))))
        if node.lane not in lane_ids:
            raise RenderError(_("step {id} is in an unknown lane").format(
                id=repr(one_line(node.id))))
        node_ids.add(node.id)
    for edge in diagram.edges:
        if edge.source not in node_ids or edge.target not in node_ids:
            raise RenderError(_("edge {source} -> {target} refers to an unknown step").format(
                source=repr(one_line(edge.source)), target=repr(one_line(edge.target))))


def _font(text: str, size: float, color: str, bold: bool = False) -> str:
    body = f"<B>{text}</B>" if bold else text
    return f'<FONT POINT-SIZE="{size:g}" COLOR="{color}">{body}</FONT>'


def _lines(lines: Sequence[str], align: str = "CENTER") -> str:
    # An empty FONT element is a syntax error for Graphviz: keep a space.
    return f'<BR ALIGN="{align}"/>'.join(html_label(line) or " " for line in lines) or " "


def _table(rows: Iterable[str], extra: str = "") -> Html:
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    return Html(
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1"{extra}>'
        f"{body}</TABLE>"
    )


def _text_rows(node: Node, theme: Theme, marker: str = "") -> list[str]:
    name = _lines(wrap_lines(node.label, theme.name_wrap))
    if marker:
        name = _font(marker + " ", theme.name_size, theme.approval_mark) + name
    rows = [f"<TD>{_font(name, theme.name_size, theme.text)}</TD>"]
    details = [line for text in node.details for line in wrap_lines(text, theme.detail_wrap)]
    if details:
        rows.append(f"<TD>{_font(_lines(details), theme.detail_size, theme.muted)}</TD>")
    return rows


def _classes(node: Node, highlight: bool) -> str:
    classes = ["step", f"kind-{node.kind}"]
    if node.critical:
        classes.append("critical")
    if highlight and node.bottleneck:
        classes.append("bottleneck")
    return " ".join(classes)


def _shape_style(node: Node, theme: Theme) -> dict[str, Value]:
    size = theme.event_size / 72
    gateway = theme.gateway_size / 72
    styles: dict[NodeKind, dict[str, Value]] = {
        "start": {"shape": "circle", "width": size, "fillcolor": theme.start_fill,
                  "color": theme.start_border, "penwidth": 1.4},
        "end": {"shape": "circle", "width": size, "fillcolor": theme.end_fill,
                "color": theme.end_border, "penwidth": 3.6},
        "wait": {"shape": "doublecircle", "width": size, "fillcolor": theme.wait_fill,
                 "color": theme.wait_border, "penwidth": 1.2},
        "decision": {"shape": "diamond", "width": gateway, "fillcolor": theme.gateway_fill,
                     "color": theme.gateway_border, "penwidth": 1.4},
        "parallel": {"shape": "diamond", "width": gateway, "fillcolor": theme.gateway_fill,
                     "color": theme.gateway_border, "penwidth": 1.4},
        "task": {"fillcolor": theme.task_fill, "color": theme.task_border},
        "approval": {"fillcolor": theme.approval_fill, "color": theme.approval_border},
        "subprocess": {"fillcolor": theme.subprocess_fill, "color": theme.subprocess_border,
                       "peripheries": 2},
    }
    attrs = dict(styles[node.kind])
    if node.kind in CAPTIONED_KINDS:
        attrs.update(height=attrs["width"], fixedsize=True, style="filled")
    else:
        attrs.update(shape="box", style="rounded,filled", penwidth=1.3,
                     width=theme.task_min_width / 72, height=theme.task_min_height / 72,
                     margin="0.10,0.06")
    return attrs


def _shape_label(node: Node, theme: Theme) -> Html:
    if node.kind in ("start", "end"):
        return Html(" ")
    if node.kind in CAPTIONED_KINDS:
        size = 13.0 if node.kind == "wait" else 17.0
        return Html(_font(_MARKERS[node.kind], size, theme.text))
    rows = _text_rows(node, theme, marker=_MARKERS.get("approval", "")
                      if node.kind == "approval" else "")
    if node.kind == "subprocess":
        rows.append(f"<TD>{_font(_MARKERS['subprocess'], 11.0, theme.task_border)}</TD>")
    return _table(rows)


def _shape_part(node: Node, index: int, highlight: bool, theme: Theme) -> Part:
    attrs = _shape_style(node, theme)
    if highlight and node.bottleneck:
        attrs["color"] = theme.critical
        attrs["penwidth"] = max(float(attrs.get("penwidth", 1.3)), theme.critical_width)
    attrs.update(
        label=_shape_label(node, theme),
        id=f"step-{encode_xml_id(node.id)}",
        **{"class": _classes(node, highlight)},
    )
    return Part(name=f"n{index}", attrs=attrs)


def _caption_part(node: Node, index: int, theme: Theme) -> Part | None:
    if node.kind not in CAPTIONED_KINDS:
        return None
    label = _table(_text_rows(node, theme))
    return Part(
        name=f"c{index}",
        attrs={"shape": "plain", "label": label, "id": f"caption-{encode_xml_id(node.id)}",
               "class": "step-caption"},
    )


def _badge_part(node: Node, index: int, highlight: bool, theme: Theme) -> Part | None:
    if not (highlight and one_line(node.badge)):
        return None
    text = _lines(wrap_lines(node.badge, theme.detail_wrap))
    return Part(
        name=f"b{index}",
        attrs={"shape": "box", "style": "rounded,filled", "fillcolor": theme.badge_fill,
               "color": theme.critical, "penwidth": 1.0, "width": 0, "height": 0,
               "margin": "0.06,0.02", "label": Html(_font(text, theme.badge_size,
                                                           theme.critical, bold=True)),
               "id": f"badge-{encode_xml_id(node.id)}", "class": "badge"},
    )


def node_visuals(diagram: Diagram, theme: Theme = THEME) -> list[NodeVisual]:
    """The parts of every node, in `Diagram.nodes` order."""
    return [
        NodeVisual(
            node=node,
            index=index,
            shape=_shape_part(node, index, diagram.highlight, theme),
            caption=_caption_part(node, index, theme),
            badge=_badge_part(node, index, diagram.highlight, theme),
        )
        for index, node in enumerate(diagram.nodes)
    ]


def header_part(lane: Lane, index: int, highlight: bool, theme: Theme = THEME) -> Part:
    """The lane header: the role name, and for overloaded roles the badge."""
    overloaded = highlight and lane.overloaded
    rows = [f"<TD>{_font(_lines(wrap_lines(lane.label, theme.header_wrap)), theme.header_size, theme.header_text, bold=True)}</TD>"]  # noqa: E501
    if highlight and one_line(lane.badge):
        badge = _lines(wrap_lines(lane.badge, theme.header_wrap))
        rows.append(f"<TD>{_font(badge, theme.badge_size, theme.critical, bold=True)}</TD>")
    return Part(
        name=f"h{index}",
        attrs={"shape": "box", "style": "filled", "penwidth": 0.8,
               "fillcolor": theme.overloaded_header if overloaded else theme.header_fill,
               "color": theme.critical if overloaded else theme.band_border,
               "margin": "0.08,0.06", "width": 0, "height": 0, "label": _table(rows),
               "id": f"header-{encode_xml_id(lane.id)}", "class": "lane-header"},
    )


def title_part(diagram: Diagram, theme: Theme = THEME) -> Part | None:
    """Title and subtitle, left-aligned above the lanes."""
    rows: list[str] = []
    if one_line(diagram.title):
        title = _lines(wrap_lines(diagram.title, 80), "LEFT")
        rows.append(f'<TD ALIGN="LEFT" BALIGN="LEFT">'
                    f'{_font(title, theme.title_size, theme.text, True)}</TD>')
    if one_line(diagram.subtitle):
        sub = _lines(wrap_lines(diagram.subtitle, 110), "LEFT")
        rows.append(f'<TD ALIGN="LEFT" BALIGN="LEFT">'
                    f'{_font(sub, theme.subtitle_size, theme.muted)}</TD>')
    if not rows:
        return None
    return Part(name="title", attrs={"shape": "plain", "label": _table(rows), "id": "title",
                                     "class": "title"})


def edge_attrs(edge: Edge, index: int, highlight: bool, theme: Theme = THEME) -> dict[str, Value]:
    """Style of one flow edge: rework dashed, critical path bold (with --highlight)."""
    attrs: dict[str, Value] = {"id": f"edge-{index}"}
    classes = ["flow"]
    if edge.loop_back:
        attrs.update(style="dashed", color=theme.loop_back)
        classes.append("loop-back")
    if highlight and edge.critical:
        attrs.update(color=theme.critical, penwidth=theme.critical_width, arrowsize=0.9)
        classes.append("critical")
    _observed_style(edge, attrs, classes)
    lines = wrap_lines(edge.label, theme.edge_label_wrap) if one_line(edge.label) else []
    if lines:
        color = theme.critical if highlight and edge.critical else theme.edge_label
        attrs["label"] = _table(
            [f"<TD>{_font(_lines(lines), theme.edge_label_size, color)}</TD>"],
            extra=f' BGCOLOR="{theme.edge_label_bg}"',
        )
    attrs["class"] = " ".join(classes)
    return attrs


def _observed_style(edge: Edge, attrs: dict[str, Value], classes: list[str]) -> None:
    """render --observed: width by the share of cases; deviations dotted, in red."""
    if edge.width:
        attrs["penwidth"] = round(edge.width, 2)
    if edge.deviation:
        attrs.update(style="dotted", color="#c62828", penwidth=2.0)
        classes.append("deviation")


def _legend_text(index: int, text: str, theme: Theme) -> Part:
    return Part(name=f"lt{index}", attrs={
        "shape": "plain", "label": Html(_font(html_label(text), theme.legend_size, theme.text)),
        "id": f"legend-text-{index}", "class": "legend-text"})


def _legend_shape(index: int, kind: NodeKind, theme: Theme) -> Part:
    sample = Node(id="", lane="", kind=kind, label="")
    attrs = _shape_style(sample, theme)
    if kind in CAPTIONED_KINDS:
        scale = 0.6
        attrs.update(width=float(attrs["width"]) * scale, height=float(attrs["width"]) * scale,
                     label=Html(" ") if kind in ("start", "end") else Html(_font(
                         _MARKERS[kind], 7.0 if kind == "wait" else 11.0, theme.text)))
        if kind == "end":
            attrs["penwidth"] = 2.4
    else:
        marker = _MARKERS.get(kind, "")
        attrs.update(width=0.42, height=0.26, fixedsize=True, margin=0,
                     label=Html(_font(marker, 8.0, theme.approval_mark if kind == "approval"
                                      else theme.task_border) if marker else " "))
    attrs.update(id=f"legend-sample-{index}", **{"class": "legend-sample"})
    return Part(name=f"ls{index}", attrs=attrs)


def _point(name: str, ident: str) -> Part:
    return Part(name=name, attrs={"shape": "point", "width": 0.01, "style": "invis", "id": ident})


def legend_items(diagram: Diagram, theme: Theme = THEME) -> list[LegendItem]:
    """One entry per node kind used, plus rework edges and the highlight colours."""
    if not diagram.legend:
        return []
    kinds = [kind for kind in KIND_NAMES if any(n.kind == kind for n in diagram.nodes)]
    items = [
        LegendItem(sample=_legend_shape(i, kind, theme), text=_legend_text(i, _(KIND_NAMES[kind]),
                                                                           theme))
        for i, kind in enumerate(kinds)
    ]
    edge_samples: list[tuple[str, dict[str, Value]]] = []
    if any(edge.loop_back for edge in diagram.edges):
        edge_samples.append((_("Rework (loop back)"),
                             {"style": "dashed", "color": theme.loop_back}))
    if diagram.highlight and any(edge.critical for edge in diagram.edges):
        edge_samples.append((_("Critical path"), {"color": theme.critical,
                                               "penwidth": theme.critical_width}))
    for text, style in edge_samples:
        i = len(items)
        items.append(LegendItem(
            sample=_point(f"ls{i}", f"legend-sample-{i}"),
            text=_legend_text(i, text, theme),
            edge={**style, "id": f"legend-edge-{i}", "class": "legend-edge", "arrowsize": 0.6},
            edge_tail=_point(f"lp{i}", f"legend-point-{i}"),
        ))
    if diagram.highlight and any(node.bottleneck for node in diagram.nodes):
        i = len(items)
        sample = _legend_shape(i, "task", theme)
        sample.attrs.update(color=theme.critical, penwidth=theme.critical_width)
        items.append(LegendItem(sample=sample, text=_legend_text(i, _("Bottleneck"), theme)))
    return items
