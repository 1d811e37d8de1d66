"""A self-contained HTML page around the SVG: zoom, pan and step details on hover.

One file, no external resources (it must open from a CI artifact or an e-mail): the
template `render.html` (procmap.templates, the look every HTML output shares) with the
stylesheet and the page script inline. Safety:

* user text in the page (title, subtitle, step details) is HTML-escaped; step details
  travel as JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and
  ``&`` escaped, and the script writes them with ``textContent`` only;
* the SVG is parsed and re-serialised: scripts, ``foreignObject``, images, animation
  elements, ``on*`` handlers and links other than ``#fragment`` are dropped, so even an
  SVG that did not come from `render_image` cannot run code;
* a Content-Security-Policy allows exactly our script (by hash) and inline styles; the
  script never evaluates anything from the SVG or the data.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from procmap.render.diagram import Diagram
from procmap.render.errors import RenderError
from procmap.render.text import clean_text, one_line
from procmap.render.xmlid import encode_xml_id

__all__ = ["inline_svg", "to_html"]

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_DROPPED_TAGS = frozenset({"script", "foreignObject", "image", "iframe", "embed", "object",
                           "animate", "animateMotion", "animateTransform", "set", "use",
                           "handler", "listener"})

_ACTIVE_STYLE = re.compile(r"url\(|expression|javascript:", re.I)


def _unsafe_link(value: str) -> bool:
    return not value.strip().startswith("#")


def _sanitize(element: ET.Element) -> None:
    """Drop anything in the SVG that could run code, load a resource or link away."""
    for child in list(element):
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if tag in _DROPPED_TAGS or not isinstance(child.tag, str):
            element.remove(child)
            continue
        if tag == "title":
            element.remove(child)  # the page shows its own tooltip
            continue
        _sanitize(child)
    for name in list(element.attrib):
        local = name.rsplit("}", 1)[-1].lower()
        value = element.attrib[name]
        if (local.startswith("on") or (local == "href" and _unsafe_link(value))
                or (local == "style" and _ACTIVE_STYLE.search(value))):
            del element.attrib[name]


def _prefix_ids(root: ET.Element, prefix: str) -> None:
    """Prefix every id (and the `#id` / `url(#id)` references to it), so that several
    diagrams can share one page."""
    ids = {e.attrib["id"] for e in root.iter() if "id" in e.attrib}
    pattern = re.compile(r"(url\(#|^#)([^)]+)")

    def rename(match: re.Match[str]) -> str:
        name = match[2]
        return match[1] + (prefix + name if name in ids else name)

    for element in root.iter():
        for name, value in element.attrib.items():
            if name == "id":
                element.attrib[name] = prefix + value
            elif "#" in value:
                element.attrib[name] = pattern.sub(rename, value)


def _inline_svg(svg: str, prefix: str = "") -> str:
    """The SVG as an inline ``<svg>`` element, sanitised, without prolog or DOCTYPE."""
    start = svg.find("<svg")
    if start < 0:
        raise RenderError("to_html needs an SVG document")
    body = re.sub(r"<!--.*?-->", "", svg[start:], flags=re.S)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise RenderError(f"to_html could not parse the SVG: {exc}") from exc
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise RenderError("to_html needs an SVG document")
    _sanitize(root)
    if prefix:
        _prefix_ids(root, prefix)
    for size in ("width", "height"):
        root.attrib.pop(size, None)
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _step_data(diagram: Diagram) -> dict[str, object]:
    """Hover details keyed like the SVG ids (JSON in the page, written as text)."""
    return {
        encode_xml_id(node.id): {
            "name": one_line(node.label),
            "lines": [one_line(d) for d in node.details if one_line(d)]
            + ([one_line(node.badge)] if diagram.highlight and one_line(node.badge) else []),
            "rows": [[one_line(k), clean_text(v)] for k, v in node.tooltip],
        }
        for node in diagram.nodes
    }


def inline_svg(svg: str, prefix: str = "") -> str:
    """A sanitised SVG element for a page (Markup: nothing in it can run or load); ids
    prefixed with `prefix` when several diagrams share the page."""
    from markupsafe import Markup

    return Markup(_inline_svg(svg, prefix))


def to_html(diagram: Diagram, svg: str) -> str:
    """One self-contained page: the diagram (from `render_image`) with zoom, pan, hover."""
    from procmap import templates
    from procmap.i18n import _, current

    return templates.render(
        "render.html", page_lang=current(), policy=templates.csp(inline_script=True),
        page_title=one_line(diagram.title) or _("Process"), body_class="canvas-page",
        title=one_line(diagram.title) or _("Process"), subtitle=one_line(diagram.subtitle),
        svg=inline_svg(svg), steps=_step_data(diagram),
        script=templates.asset(templates.SCRIPT_NAME))
