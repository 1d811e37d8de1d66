"""A self-contained HTML page around the SVG: zoom, pan and step details on hover.

One file, no external resources (it must open from a CI artifact or an e-mail), so the
stylesheet and the script are inline. Safety:

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

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET

from procmap.render.diagram import Diagram
from procmap.render.errors import RenderError
from procmap.render.text import clean_text, one_line, xml_escape
from procmap.render.xmlid import encode_xml_id

__all__ = ["to_html"]

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_DROPPED_TAGS = frozenset({"script", "foreignObject", "image", "iframe", "embed", "object",
                           "animate", "animateMotion", "animateTransform", "set", "use",
                           "handler", "listener"})

_ACTIVE_STYLE = re.compile(r"url\(|expression|javascript:", re.I)

_SCRIPT = """
(function () {
  "use strict";
  var svg = document.querySelector("#canvas svg");
  var data = JSON.parse(document.getElementById("procmap-steps").textContent);
  var tip = document.getElementById("tip");
  if (!svg) { return; }
  var box = svg.viewBox.baseVal;
  var home = [box.x, box.y, box.width, box.height];
  function setBox(x, y, w, h) { svg.setAttribute("viewBox", [x, y, w, h].join(" ")); }
  function point(evt) {
    var r = svg.getBoundingClientRect();
    var b = svg.viewBox.baseVal;
    var scale = Math.max(b.width / r.width, b.height / r.height);
    var ox = b.x + (b.width - r.width * scale) / 2, oy = b.y + (b.height - r.height * scale) / 2;
    return [ox + (evt.clientX - r.left) * scale, oy + (evt.clientY - r.top) * scale, scale];
  }
  function zoom(factor, cx, cy) {
    var b = svg.viewBox.baseVal;
    var w = b.width / factor, h = b.height / factor;
    if (w < home[2] / 40 || w > home[2] * 8) { return; }
    setBox(cx - (cx - b.x) / factor, cy - (cy - b.y) / factor, w, h);
  }
  function center() { var b = svg.viewBox.baseVal; return [b.x + b.width / 2, b.y + b.height / 2]; }
  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var p = point(evt);
    zoom(evt.deltaY < 0 ? 1.15 : 1 / 1.15, p[0], p[1]);
  }, { passive: false });
  document.getElementById("zoom-in").addEventListener("click", function () {
    var c = center(); zoom(1.25, c[0], c[1]);
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    var c = center(); zoom(1 / 1.25, c[0], c[1]);
  });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    setBox(home[0], home[1], home[2], home[3]);
  });
  var drag = null;
  svg.addEventListener("pointerdown", function (evt) {
    var b = svg.viewBox.baseVal, r = svg.getBoundingClientRect();
    drag = { x: evt.clientX, y: evt.clientY, bx: b.x, by: b.y, w: b.width, h: b.height,
             scale: Math.max(b.width / r.width, b.height / r.height) };
    svg.setPointerCapture(evt.pointerId);
    svg.classList.add("dragging");
    tip.hidden = true;
  });
  svg.addEventListener("pointermove", function (evt) {
    if (drag) {
      setBox(drag.bx - (evt.clientX - drag.x) * drag.scale,
             drag.by - (evt.clientY - drag.y) * drag.scale, drag.w, drag.h);
      return;
    }
    showTip(evt);
  });
  function endDrag() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("pointerleave", function () { tip.hidden = true; });
  var prefixes = ["step-", "caption-", "badge-"];
  function stepOf(target) {
    var node = target.closest ? target.closest("g.node") : null;
    if (!node) { return null; }
    for (var i = 0; i < prefixes.length; i++) {
      if (node.id.indexOf(prefixes[i]) === 0) {
        var key = node.id.slice(prefixes[i].length);
        return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : null;
      }
    }
    return null;
  }
  function showTip(evt) {
    var step = stepOf(evt.target);
    if (!step) { tip.hidden = true; return; }
    tip.textContent = "";
    var head = document.createElement("strong");
    head.textContent = step.name;
    tip.appendChild(head);
    step.lines.forEach(function (line) {
      var div = document.createElement("div");
      div.textContent = line;
      tip.appendChild(div);
    });
    if (step.rows.length) {
      var table = document.createElement("table");
      step.rows.forEach(function (row) {
        var tr = document.createElement("tr");
        row.forEach(function (cell, k) {
          var td = document.createElement(k === 0 ? "th" : "td");
          td.textContent = cell;
          tr.appendChild(td);
        });
        table.appendChild(tr);
      });
      tip.appendChild(table);
    }
    tip.hidden = false;
    var x = evt.clientX + 14, y = evt.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) { x = evt.clientX - w - 14; }
    if (y + h > window.innerHeight - 8) { y = evt.clientY - h - 14; }
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = Math.max(4, y) + "px";
  }
})();
"""

_STYLE = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",
"Segoe UI","Helvetica Neue",Arial,sans-serif;color:#1F2A37;background:#F8FAFC}
body{display:flex;flex-direction:column}
header{padding:12px 20px 8px;display:flex;align-items:flex-end;gap:16px;flex-wrap:wrap;
background:#fff;border-bottom:1px solid #E2E8F0}
header h1{font-size:20px;margin:0}
header p{margin:0;color:#6B7280;font-size:13px}
.controls{margin-left:auto;display:flex;gap:6px}
.controls button{font:inherit;min-width:34px;padding:4px 10px;border:1px solid #CBD5E1;
border-radius:6px;background:#fff;cursor:pointer}
.controls button:hover{background:#F1F5F9}
#canvas{flex:1;min-height:0;padding:8px}
#canvas svg{width:100%;height:100%;display:block;cursor:grab;touch-action:none;
background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(15,23,42,.12)}
#canvas svg.dragging{cursor:grabbing}
g.step,g.step-caption,g.badge{cursor:help}
#tip{position:fixed;z-index:10;max-width:360px;padding:8px 10px;background:#1F2A37;
color:#F8FAFC;border-radius:6px;font-size:12px;line-height:1.45;pointer-events:none;
box-shadow:0 4px 12px rgba(15,23,42,.25);white-space:pre-wrap}
#tip strong{display:block;font-size:13px;margin-bottom:2px}
#tip table{border-collapse:collapse;margin-top:4px}
#tip th{text-align:left;font-weight:600;padding:1px 10px 1px 0;color:#CBD5E1}
#tip td{padding:1px 0}
"""


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


def _inline_svg(svg: str) -> str:
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
    for size in ("width", "height"):
        root.attrib.pop(size, None)
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _step_data(diagram: Diagram) -> str:
    """Hover details keyed like the SVG ids, as JSON that is safe inside ``<script>``."""
    data = {
        encode_xml_id(node.id): {
            "name": one_line(node.label),
            "lines": [one_line(d) for d in node.details if one_line(d)]
            + ([one_line(node.badge)] if diagram.highlight and one_line(node.badge) else []),
            "rows": [[one_line(k), clean_text(v)] for k, v in node.tooltip],
        }
        for node in diagram.nodes
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _script_hash() -> str:
    digest = hashlib.sha256(_SCRIPT.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def to_html(diagram: Diagram, svg: str) -> str:
    """One self-contained page: the diagram (from `render_image`) with zoom, pan, hover."""
    title = xml_escape(one_line(diagram.title)) or "Process"
    subtitle = xml_escape(one_line(diagram.subtitle))
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; "
           f"script-src '{_script_hash()}'; img-src data:")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="procmap">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<div><h1>{title}</h1>" + (f"<p>{subtitle}</p>" if subtitle else "") + "</div>",
        '<div class="controls" role="toolbar" aria-label="Zoom">'
        '<button id="zoom-out" type="button" title="Zoom out">−</button>'
        '<button id="zoom-fit" type="button" title="Fit to window">Fit</button>'
        '<button id="zoom-in" type="button" title="Zoom in">+</button></div>',
        "</header>",
        f'<main id="canvas">{_inline_svg(svg)}</main>',
        '<div id="tip" role="tooltip" hidden></div>',
        f'<script type="application/json" id="procmap-steps">{_step_data(diagram)}</script>',
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
