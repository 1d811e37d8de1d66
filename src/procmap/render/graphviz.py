"""Graphviz output: portable DOT, and SVG/PNG/PDF with real swimlanes.

Two products, because the CLI promises that ``--format dot`` works without Graphviz:

* `to_dot` writes DOT that plain ``dot`` lays out on its own: lanes are clusters, kept
  in `Diagram.lanes` order by an invisible chain of anchor nodes in the first rank.
  Clusters float, so lanes may differ in length and nodes are only as aligned as
  ``dot`` makes them; it is the best a layout-free text can promise.
* `render_image` runs the binaries in three passes and produces the real thing:

  A. ``neato -n`` on every part (shape, caption, badge, header, title, legend): Graphviz
     measures the labels with the real fonts; nothing is laid out, so it is fast.
  B. ``dot`` on the flow graph (fixed-size proxies, flow edges, rework edges with
     ``constraint=false``): gives each node its rank coordinate along the flow and the
     crossing-reducing order within a rank.
  C. ``neato -n2`` on the positioned graph built by `procmap.render.layout`: every part
     has ``pos="x,y!"``, lanes are clusters with a fixed ``bb`` (so they are drawn
     first, behind everything), and the
     edges come with their ``pos`` from `procmap.render.routing` (orthogonal, drawn
     on top of the bands), so neato only draws. `to_positioned_dot` returns that source.

Binaries run through `subprocess` with a timeout; a missing ``dot``/``neato`` raises
`GraphvizMissing`, any other failure `RenderError`.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from procmap.i18n import _
from procmap.render.diagram import Diagram
from procmap.render.dotwriter import DotGraph, Html, Value
from procmap.render.errors import GraphvizMissing, RenderError, RenderWarning
from procmap.render.layout import FlowSlot, Geometry, Size, compute_geometry, proxy_size
from procmap.render.routing import Route, route_edges, spline_points
from procmap.render.text import clean_text, html_label, one_line, xml_escape
from procmap.render.theme import THEME, Theme
from procmap.render.visuals import (
    KIND_NAMES,
    LegendItem,
    NodeVisual,
    Part,
    check_diagram,
    edge_attrs,
    header_part,
    legend_items,
    node_visuals,
    title_part,
)
from procmap.render.xmlid import encode_xml_id

__all__ = [
    "DiagramLayout",
    "ImageFormat",
    "graphviz_available",
    "layout_diagram",
    "render_image",
    "to_dot",
    "to_positioned_dot",
]

ImageFormat = Literal["svg", "png", "pdf"]
DEFAULT_TIMEOUT = 120.0
READABLE_DPI = 60.0  # below this, 12 pt step names are under 10 px high in a PNG
_FORMATS: dict[str, str] = {"svg": "svg", "png": "png:cairo", "pdf": "pdf:cairo"}


def graphviz_available() -> bool:
    """Whether the binaries `render_image` needs are on PATH (for ``procmap doctor``)."""
    return shutil.which("dot") is not None and shutil.which("neato") is not None


def _graph_name(diagram: Diagram) -> str:
    return f"process-{encode_xml_id(diagram.id)}"


def _base_graph(diagram: Diagram, theme: Theme) -> DotGraph:
    graph = DotGraph(name=_graph_name(diagram))
    graph.node_defaults.update(fontname=theme.font, fontsize=theme.name_size,
                               fontcolor=theme.text)
    graph.edge_defaults.update(fontname=theme.font, fontsize=theme.edge_label_size,
                               color=theme.edge, penwidth=theme.edge_width,
                               arrowsize=0.7, arrowhead="normal")
    return graph


# --------------------------------------------------------------------------- portable DOT


def _xlabel(visual: NodeVisual, theme: Theme) -> Html | None:
    """Caption and badge of a node as one external label (portable DOT only)."""
    rows = [part.attrs["label"] for part in (visual.caption, visual.badge) if part is not None]
    if not rows:
        return None
    body = "".join(f"<TR><TD>{row}</TD></TR>" for row in rows)
    return Html(f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0">{body}</TABLE>')


def _legend_table(diagram: Diagram, theme: Theme) -> Html | None:
    glyphs = {"start": "○", "end": "◉", "task": "▢", "approval": "✔", "decision": "◇ ×",
              "parallel": "◇ +", "subprocess": "⊞", "wait": "◷"}
    kinds = [kind for kind in KIND_NAMES if any(n.kind == kind for n in diagram.nodes)]
    if not diagram.legend or not kinds:
        return None
    cells = "".join(
        f'<TR><TD ALIGN="CENTER">{glyphs[kind]}</TD>'
        f'<TD ALIGN="LEFT">{html_label(_(KIND_NAMES[kind]))}</TD></TR>' for kind in kinds
    )
    title = html_label(_("Legend"))
    return Html(
        f'<TABLE BORDER="1" COLOR="{theme.band_border}" CELLBORDER="0" CELLPADDING="2" '
        f'BGCOLOR="white"><TR><TD COLSPAN="2"><B>{title}</B></TD></TR>{cells}</TABLE>'
    )


def to_dot(diagram: Diagram, theme: Theme = THEME) -> str:
    """Portable DOT: lanes as ordered clusters; needs no Graphviz to produce."""
    check_diagram(diagram)
    graph = _base_graph(diagram, theme)
    title = title_part(diagram, theme)
    graph.attrs.update(rankdir=diagram.direction, newrank=True, forcelabels=True,
                       fontname=theme.font, bgcolor="white", nodesep=0.35, ranksep=0.5,
                       pad=0.2)
    if title is not None:
        graph.attrs.update(label=title.attrs["label"], labelloc="t", labeljust="l")
    visuals = node_visuals(diagram, theme)
    lane_of = {lane.id: i for i, lane in enumerate(diagram.lanes)}
    clusters: list[DotGraph] = []
    for i, lane in enumerate(diagram.lanes):
        header = header_part(lane, i, diagram.highlight, theme)
        overloaded = diagram.highlight and lane.overloaded
        cluster = graph.subgraph(f"cluster_lane{i}", {
            "label": header.attrs["label"], "labeljust": "l", "style": "filled",
            "fillcolor": theme.overloaded_band if overloaded else theme.band_fills[i % 2],
            "color": theme.critical if overloaded else theme.band_border,
            "id": f"lane-{encode_xml_id(lane.id)}", "class": "lane"})
        cluster.node(f"a{i}", {"shape": "point", "style": "invis", "width": 0.01})
        clusters.append(cluster)
    for visual in visuals:
        attrs = dict(visual.shape.attrs)
        xlabel = _xlabel(visual, theme)
        if xlabel is not None:
            attrs["xlabel"] = xlabel
        clusters[lane_of[visual.node.lane]].node(visual.shape.name, attrs)
    if diagram.lanes:
        anchors = "; ".join(f'"a{i}"' for i in range(len(diagram.lanes)))
        graph.raw(f"{{rank=min; {anchors}}}")
        for i in range(1, len(diagram.lanes)):
            graph.edge(f"a{i - 1}", f"a{i}", {"style": "invis"})
    _add_flow_edges(graph, diagram, visuals, theme)
    legend = _legend_table(diagram, theme)
    if legend is not None:
        graph.node("legend", {"shape": "plain", "label": legend, "id": "legend"})
    return graph.source()


def _add_flow_edges(graph: DotGraph, diagram: Diagram, visuals: Sequence[NodeVisual],
                    theme: Theme, loop_backs: bool = True) -> None:
    name = {visual.node.id: visual.shape.name for visual in visuals}
    for i, edge in enumerate(diagram.edges):
        if edge.loop_back and not loop_backs:
            continue
        attrs = edge_attrs(edge, i, diagram.highlight, theme)
        if edge.loop_back:
            attrs["constraint"] = False
        graph.edge(name[edge.source], name[edge.target], attrs)


# ----------------------------------------------------------------------- running Graphviz


def _run(engine: str, args: Sequence[str], source: str, timeout: float) -> bytes:
    binary = shutil.which(engine)
    if binary is None:
        raise GraphvizMissing(_(
            "Graphviz '{engine}' was not found on PATH; install Graphviz "
            "(apt install graphviz, brew install graphviz) or render to dot/mmd"
        ).format(engine=engine))
    try:
        done = subprocess.run(
            [binary, *args], input=source.encode("utf-8"), capture_output=True,
            timeout=timeout, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(_("Graphviz {engine} took longer than {seconds}s").format(
            engine=engine, seconds=f"{timeout:g}")) from exc
    except OSError as exc:
        raise RenderError(_("could not run Graphviz {engine}: {error}").format(
            engine=engine, error=exc)) from exc
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[0] if message else _("exit code {code}").format(
            code=done.returncode)
        raise RenderError(_("Graphviz {engine} failed: {detail}").format(engine=engine,
                                                                          detail=detail))
    return done.stdout


def _parse_plain(output: bytes) -> dict[str, tuple[float, float, float, float]]:
    """``name -> (x, y, width, height)`` in points from ``-Tplain`` output.

    Only ``node`` lines are read, and only their first fields: our node names are
    generated (``n12``), and labels never contain a raw newline (line breaks are
    ``<BR/>``), so user text cannot fake a line.
    """
    nodes: dict[str, tuple[float, float, float, float]] = {}
    for line in output.decode("utf-8", "replace").splitlines():
        if not line.startswith("node "):
            continue
        fields = line.split(" ", 6)
        try:
            x, y, w, h = (float(value) * 72 for value in fields[2:6])
        except (ValueError, IndexError) as exc:
            raise RenderError(_("unexpected Graphviz output: {line}").format(
                line=repr(line[:80]))) from exc
        nodes[fields[1]] = (x, y, w, h)
    return nodes


def _measure_source(parts: Sequence[Part], theme: Theme) -> str:
    graph = DotGraph(name="measure", attrs={"splines": False})
    graph.node_defaults.update(fontname=theme.font, fontsize=theme.name_size, pos="0,0")
    for part in parts:
        graph.node(part.name, part.attrs)
    return graph.source()


def _measured(plain: bytes, parts: Sequence[Part]) -> dict[str, Size]:
    nodes = _parse_plain(plain)
    try:
        return {part.name: Size(nodes[part.name][2], nodes[part.name][3]) for part in parts}
    except KeyError as exc:
        raise RenderError(_("Graphviz did not measure part {part}").format(part=exc)) from exc


def _measure(parts: Sequence[Part], theme: Theme, timeout: float) -> dict[str, Size]:
    """Pass A: the size Graphviz gives each part, with the real fonts."""
    return _measured(_run("neato", ["-n", "-Tplain"], _measure_source(parts, theme),
                          timeout), parts)


def _rank_source(diagram: Diagram, visuals: Sequence[NodeVisual], sizes: dict[str, Size],
                 theme: Theme) -> str:
    graph = _base_graph(diagram, theme)
    graph.attrs.update(rankdir=diagram.direction, splines=False, nodesep=0.25,
                       ranksep=0.55 if diagram.direction == "LR" else 0.45)
    graph.node_defaults.update(shape="box", fixedsize=True, label="")
    for visual in visuals:
        size = proxy_size(visual, sizes, diagram.direction, theme)
        graph.node(visual.shape.name, {"width": size.w / 72, "height": size.h / 72})
    # Rework edges are drawn as arches over the nodes, not in the channels between rank
    # columns: leaving them out keeps dot from spacing ranks for them (and is faster).
    _add_flow_edges(graph, diagram, visuals, theme, loop_backs=False)
    return graph.source()


def _ranked(plain: bytes, diagram: Diagram, visuals: Sequence[NodeVisual]) -> list[FlowSlot]:
    nodes = _parse_plain(plain)
    slots = []
    for visual in visuals:
        x, y, _, _ = nodes[visual.shape.name]
        if diagram.direction == "LR":
            slots.append(FlowSlot(flow=x, order=-y))
        else:
            slots.append(FlowSlot(flow=-y, order=x))
    return slots


def _rank(diagram: Diagram, visuals: Sequence[NodeVisual], sizes: dict[str, Size],
          theme: Theme, timeout: float) -> list[FlowSlot]:
    """Pass B: rank coordinate and order of each node from ``dot`` on the flow graph."""
    if not visuals:
        return []
    plain = _run("dot", ["-Tplain"], _rank_source(diagram, visuals, sizes, theme), timeout)
    return _ranked(plain, diagram, visuals)


# ------------------------------------------------------------------ the positioned graph


@dataclass(frozen=True)
class _Scene:
    """Everything that is drawn, before and after placement."""

    visuals: list[NodeVisual]
    headers: list[Part]
    title: Part | None
    legend: list[LegendItem]
    edge_labels: dict[int, Part]  # edge index -> its label measured as a node

    def parts(self) -> list[Part]:
        found: list[Part] = list(self.headers)
        if self.title is not None:
            found.append(self.title)
        for visual in self.visuals:
            found.extend(p for p in (visual.shape, visual.caption, visual.badge) if p)
        for item in self.legend:
            found.extend([item.sample, item.text])
        found.extend(self.edge_labels.values())
        return found


def _scene(diagram: Diagram, theme: Theme) -> _Scene:
    edge_labels: dict[int, Part] = {}
    for i, edge in enumerate(diagram.edges):
        label = edge_attrs(edge, i, diagram.highlight, theme).get("label")
        if label is not None:
            edge_labels[i] = Part(name=f"el{i}", attrs={"shape": "plain", "label": label})
    return _Scene(
        visuals=node_visuals(diagram, theme),
        headers=[header_part(lane, i, diagram.highlight, theme)
                 for i, lane in enumerate(diagram.lanes)],
        title=title_part(diagram, theme),
        legend=legend_items(diagram, theme),
        edge_labels=edge_labels,
    )


def _point(geometry: Geometry, point: tuple[float, float]) -> str:
    x, y = geometry.to_graphviz(point)
    return f"{x:.2f},{y:.2f}"


def _placed(part: Part, geometry: Geometry) -> dict[str, Value]:
    attrs = dict(part.attrs)
    attrs["pos"] = _point(geometry, geometry.centers[part.name]) + "!"
    fixed = geometry.fixed_sizes.get(part.name)
    if fixed is not None:
        attrs.update(width=fixed.w / 72, height=fixed.h / 72, fixedsize=True)
    return attrs


def _edge_pos(geometry: Geometry, points: Sequence[tuple[float, float]],
              theme: Theme) -> str:
    """A Graphviz edge ``pos``: Bezier control points, then the arrow tip."""
    controls = spline_points(points, theme.corner_radius, theme.arrow_length)
    body = " ".join(_point(geometry, p) for p in controls)
    return f"e,{_point(geometry, points[-1])} {body}"


def _lane_clusters(graph: DotGraph, diagram: Diagram, scene: _Scene, geometry: Geometry,
                   theme: Theme) -> None:
    for i, lane in enumerate(diagram.lanes):
        overloaded = diagram.highlight and lane.overloaded
        cluster = graph.subgraph(f"cluster_lane{i}", {
            "bb": geometry.gv_rect(geometry.bands[i]), "label": "", "style": "filled",
            "fillcolor": theme.overloaded_band if overloaded else theme.band_fills[i % 2],
            "color": theme.band_border, "penwidth": 1.0,
            "id": f"lane-{encode_xml_id(lane.id)}",
            "class": "lane overloaded" if overloaded else "lane"})
        header = scene.headers[i]
        cluster.node(header.name, _placed(header, geometry))


def _legend_cluster(graph: DotGraph, scene: _Scene, geometry: Geometry,
                    theme: Theme) -> None:
    if not scene.legend or geometry.legend_box is None:
        return
    legend = graph.subgraph("cluster_legend", {
        "bb": geometry.gv_rect(geometry.legend_box), "label": "", "style": "rounded",
        "color": theme.band_border, "penwidth": 0.8, "id": "legend", "class": "legend"})
    for item in scene.legend:
        for part in (item.edge_tail, item.sample, item.text):
            if part is not None:
                legend.node(part.name, _placed(part, geometry))
        if item.edge is not None and item.edge_tail is not None:
            line = [geometry.centers[item.edge_tail.name], geometry.centers[item.sample.name]]
            legend.edge(item.edge_tail.name, item.sample.name,
                        {**item.edge, "pos": _edge_pos(geometry, line, theme)})


def _positioned_graph(diagram: Diagram, scene: _Scene, geometry: Geometry,
                      routes: Sequence[Route], theme: Theme) -> DotGraph:
    graph = _base_graph(diagram, theme)
    graph.attrs.update(bb=f"0,0,{geometry.width:.2f},{geometry.height:.2f}",
                       splines=True, notranslate=True, outputorder="nodesfirst",
                       bgcolor="white", pad=theme.margin / 72, fontname=theme.font)
    _lane_clusters(graph, diagram, scene, geometry, theme)
    _legend_cluster(graph, scene, geometry, theme)
    if scene.title is not None:
        graph.node(scene.title.name, _placed(scene.title, geometry))
    for visual in scene.visuals:
        for part in (visual.shape, visual.caption, visual.badge):
            if part is not None:
                graph.node(part.name, _placed(part, geometry))
    name = {visual.node.id: visual.shape.name for visual in scene.visuals}
    for i, (edge, route) in enumerate(zip(diagram.edges, routes, strict=True)):
        attrs = edge_attrs(edge, i, diagram.highlight, theme)
        attrs["pos"] = _edge_pos(geometry, route.points, theme)
        if route.label_center is not None:
            attrs["lp"] = _point(geometry, route.label_center)
        graph.edge(name[edge.source], name[edge.target], attrs)
    return graph


@dataclass(frozen=True)
class DiagramLayout:
    """The placed and routed diagram, and the DOT that draws it."""

    scene: _Scene
    geometry: Geometry
    routes: list[Route]
    graph: DotGraph


def layout_diagram(diagram: Diagram, theme: Theme = THEME,
                   timeout: float = DEFAULT_TIMEOUT) -> DiagramLayout:
    """Run passes A and B and place and route everything (used by tests and tools)."""
    check_diagram(diagram)
    scene = _scene(diagram, theme)
    sizes = _measure(scene.parts(), theme, timeout)
    slots = _rank(diagram, scene.visuals, sizes, theme, timeout)
    geometry = compute_geometry(diagram, scene.visuals, scene.headers, scene.title,
                                scene.legend, sizes, slots, theme)
    label_sizes = {i: sizes[part.name] for i, part in scene.edge_labels.items()}
    routes = route_edges(diagram, geometry, label_sizes, theme)
    graph = _positioned_graph(diagram, scene, geometry, routes, theme)
    return DiagramLayout(scene=scene, geometry=geometry, routes=routes, graph=graph)


def to_positioned_dot(diagram: Diagram, theme: Theme = THEME,
                      timeout: float = DEFAULT_TIMEOUT) -> str:
    """The DOT source `render_image` draws (``neato -n2``); needs the binaries to build."""
    return layout_diagram(diagram, theme, timeout).graph.source()


# ---------------------------------------------------------------------------- images


def _png_dpi(geometry: Geometry, theme: Theme) -> float:
    """Crisp by default; scaled down so the PNG stays under 32,767 px and ~120 MP.

    Past that, cairo either refuses or needs gigabytes; SVG/PDF have no such limit.
    """
    side = max(geometry.width, geometry.height) / 72
    area = (geometry.width / 72) * (geometry.height / 72)
    limits = [theme.png_dpi, theme.png_max_side_px / side if side else theme.png_dpi]
    if area:
        limits.append(math.sqrt(theme.png_max_pixels / area))
    return max(8.0, math.floor(min(limits)))


def _tooltips(diagram: Diagram, scene: _Scene) -> dict[str, str]:
    """Readable ``<title>`` text per part name, for hover in a browser."""
    texts: dict[str, str] = {}
    for visual in scene.visuals:
        node = visual.node
        lines = [one_line(node.label), *(one_line(d) for d in node.details)]
        lines += [f"{one_line(k)}: {one_line(v)}" for k, v in node.tooltip]
        text = "\n".join(line for line in lines if line)
        for part in (visual.shape, visual.caption, visual.badge):
            if part is not None:
                texts[part.name] = text
    for i, lane in enumerate(diagram.lanes):
        texts[scene.headers[i].name] = one_line(lane.label)
        texts[f"cluster_lane{i}"] = one_line(lane.label)
    return texts


_TITLE = re.compile(r"<title>([A-Za-z0-9_]+)</title>")


def _retitle_svg(svg: str, texts: dict[str, str]) -> str:
    """Replace Graphviz's ``<title>n12</title>`` (our DOT names) by the step's text."""

    def replace(match: re.Match[str]) -> str:
        text = texts.get(match.group(1))
        return match.group(0) if text is None else f"<title>{xml_escape(clean_text(text))}</title>"

    return _TITLE.sub(replace, svg)


def render_image(diagram: Diagram, fmt: ImageFormat = "svg", theme: Theme = THEME,
                 timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Draw the swimlane diagram as SVG, PNG or PDF with the Graphviz binaries."""
    if fmt not in _FORMATS:
        raise RenderError(_("unknown image format {format}; expected svg, png or pdf").format(
            format=repr(fmt)))
    layout = layout_diagram(diagram, theme, timeout)
    args = ["-n2", f"-T{_FORMATS[fmt]}"]
    if fmt == "png":
        dpi = _png_dpi(layout.geometry, theme)
        if dpi < READABLE_DPI:
            warnings.warn(RenderWarning(_(
                "the diagram is {width} x {height} in; a PNG is limited to 32,767 px, so "
                "it is drawn at {dpi} dpi and its text is hard to read: use svg or pdf"
            ).format(width=f"{layout.geometry.width / 72:.0f}",
                     height=f"{layout.geometry.height / 72:.0f}", dpi=f"{dpi:g}")),
                stacklevel=2)
        args.append(f"-Gdpi={dpi:g}")
    output = _run("neato", args, layout.graph.source(), timeout)
    if fmt == "svg":
        svg = _retitle_svg(output.decode("utf-8"), _tooltips(diagram, layout.scene))
        return svg.encode("utf-8")
    return output


# ------------------------------------------------------------------ many diagrams at once

_PLAIN_END = re.compile(rb"^stop\r?$", re.M)
#: in a run of several graphs Graphviz names the later ones' root group "page0,1_graph0"
_GRAPH_ID = re.compile(rb'id="page[0-9]+,[0-9]+_graph0"')


def _split_outputs(output: bytes, args: Sequence[str], count: int) -> list[bytes] | None:
    """One Graphviz output per input graph, in order; None when they cannot be told
    apart (the caller then runs the graphs one by one)."""
    if "-Tplain" in args:
        ends = [m.end() for m in _PLAIN_END.finditer(output)]
        parts = [output[a:b] for a, b in zip([0, *ends], ends, strict=False)]
    else:  # svg: every document starts with its XML declaration
        starts = [m.start() for m in re.finditer(rb"<\?xml ", output)]
        parts = [_GRAPH_ID.sub(b'id="graph0"', output[a:b], count=1)
                 for a, b in zip(starts, [*starts[1:], len(output)], strict=False)]
    return parts if len(parts) == count else None


def _run_many(engine: str, args: Sequence[str], sources: Sequence[str],
              timeout: float) -> list[bytes | RenderError]:
    """Several graphs through one Graphviz process: its start-up, not the layout,
    dominates small diagrams. When the batch fails, each graph runs alone, so an error
    belongs to the diagram that caused it."""
    if len(sources) > 1:
        try:
            output = _run(engine, args, "\n".join(sources), timeout * len(sources))
            split = _split_outputs(output, args, len(sources))
            if split is not None:
                return list(split)
        except GraphvizMissing:
            raise
        except RenderError:
            pass
    results: list[bytes | RenderError] = []
    for source in sources:
        try:
            results.append(_run(engine, args, source, timeout))
        except GraphvizMissing:
            raise
        except RenderError as exc:
            results.append(exc)
    return results


#: diagrams per Graphviz run when many are drawn (`render_svgs`): start-up dominates
SVG_BATCH = 25


def render_svgs(diagrams: Sequence[Diagram], theme: Theme = THEME,
                timeout: float = DEFAULT_TIMEOUT) -> list[bytes | RenderError]:
    """`render_image(d, "svg")` for every diagram, with three Graphviz runs in all
    instead of three per diagram (the handbook draws hundreds). A diagram that cannot
    be drawn gets its RenderError in its place."""
    results: list[bytes | RenderError] = [RenderError(_("not drawn"))] * len(diagrams)
    scenes = _scenes(diagrams, theme, results)
    sizes = _measure_scenes(scenes, theme, timeout, results)
    slots = _rank_scenes(diagrams, scenes, sizes, theme, timeout, results)
    sources = {}
    for i in sizes:
        diagram, scene = diagrams[i], scenes[i]
        geometry = compute_geometry(diagram, scene.visuals, scene.headers, scene.title,
                                    scene.legend, sizes[i], slots[i], theme)
        label_sizes = {n: sizes[i][part.name] for n, part in scene.edge_labels.items()}
        routes = route_edges(diagram, geometry, label_sizes, theme)
        sources[i] = _positioned_graph(diagram, scene, geometry, routes, theme).source()
    drawn = _run_many("neato", ["-n2", "-Tsvg"], list(sources.values()), timeout)
    for i, svg in zip(sources, drawn, strict=True):
        results[i] = svg if isinstance(svg, RenderError) else _retitle_svg(
            svg.decode("utf-8"), _tooltips(diagrams[i], scenes[i])).encode("utf-8")
    return results


def _scenes(diagrams: Sequence[Diagram], theme: Theme,
            results: list[bytes | RenderError]) -> dict[int, _Scene]:
    """The scene of every drawable diagram; the others' errors go into `results`."""
    scenes: dict[int, _Scene] = {}
    for i, diagram in enumerate(diagrams):
        try:
            check_diagram(diagram)
            scenes[i] = _scene(diagram, theme)
        except RenderError as exc:
            results[i] = exc
    return scenes


def _measure_scenes(scenes: dict[int, _Scene], theme: Theme, timeout: float,
                    results: list[bytes | RenderError]) -> dict[int, dict[str, Size]]:
    """Pass A, one neato run: the size of every part of every scene (by diagram)."""
    order = list(scenes)
    plains = _run_many("neato", ["-n", "-Tplain"],
                       [_measure_source(scenes[i].parts(), theme) for i in order], timeout)
    sizes: dict[int, dict[str, Size]] = {}
    for i, plain in zip(order, plains, strict=True):
        try:
            if isinstance(plain, RenderError):
                raise plain
            sizes[i] = _measured(plain, scenes[i].parts())
        except RenderError as exc:
            results[i] = exc
    return sizes


def _rank_scenes(diagrams: Sequence[Diagram], scenes: dict[int, _Scene],
                 sizes: dict[int, dict[str, Size]], theme: Theme, timeout: float,
                 results: list[bytes | RenderError]) -> dict[int, list[FlowSlot]]:
    """Pass B, one dot run: the flow slots of every measured diagram. A diagram that
    fails here gets its error and leaves `sizes`."""
    ranked = [i for i in sizes if scenes[i].visuals]
    plains = _run_many("dot", ["-Tplain"], [_rank_source(
        diagrams[i], scenes[i].visuals, sizes[i], theme) for i in ranked], timeout)
    slots: dict[int, list[FlowSlot]] = {i: [] for i in sizes}
    for i, plain in zip(ranked, plains, strict=True):
        try:
            if isinstance(plain, RenderError):
                raise plain
            slots[i] = _ranked(plain, diagrams[i], scenes[i].visuals)
        except (RenderError, KeyError) as exc:
            results[i] = exc if isinstance(exc, RenderError) else RenderError(str(exc))
            del sizes[i]
    return slots
