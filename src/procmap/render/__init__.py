"""Renderers: turn a `Diagram` into DOT, SVG/PNG/PDF, Mermaid or an HTML page.

One module per output format, each a function from a `Diagram` to text or bytes:

* `procmap.render.graphviz`: ``to_dot`` (portable DOT, no Graphviz needed),
  ``render_image`` (svg/png/pdf through the Graphviz binaries, real swimlanes);
* `procmap.render.mermaid`: ``to_mermaid``;
* `procmap.render.html`: ``to_html`` (a self-contained page around the SVG).

Only the exceptions are imported here so that importing the package stays cheap; the
format modules are imported by the commands that need them.
"""

from __future__ import annotations

from procmap.render.errors import GraphvizMissing, RenderError, RenderWarning

__all__ = ["GraphvizMissing", "RenderError", "RenderWarning"]
