"""Each swimlane diagram drawn once: an SVG cache keyed by the diagram's content hash.

The same diagram (same lanes, steps, edges, labels) is never drawn twice in a run: the
site's page and the PDF's chapter share it, and identical processes share one drawing.
Drawing runs Graphviz as subprocesses, so several run at once in threads.
"""

from __future__ import annotations

import hashlib
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmap.render.diagram import Diagram

__all__ = ["DiagramCache"]


def content_hash(diagram: Diagram) -> str:
    """A hash of everything the drawing depends on (the dataclasses' repr is complete)."""
    return hashlib.sha256(repr(diagram).encode("utf-8")).hexdigest()


class DiagramCache:
    """SVG text by content hash; `None` for diagrams Graphviz could not draw."""

    def __init__(self) -> None:
        self._svgs: dict[str, str | None] = {}
        self._lock = threading.Lock()
        self.drawn = 0  # how many times Graphviz ran (for tests and the benchmark)
        self.errors: list[str] = []

    def svg(self, diagram: Diagram) -> str | None:
        from procmap.render.errors import RenderError
        from procmap.render.graphviz import render_image

        key = content_hash(diagram)
        with self._lock:
            if key in self._svgs:
                return self._svgs[key]
        try:
            svg: str | None = render_image(diagram, "svg").decode("utf-8")
        except RenderError as exc:
            svg = None
            with self._lock:
                self.errors.append(f"{diagram.id}: {exc}")
        with self._lock:
            self._svgs.setdefault(key, svg)
            self.drawn += 1
            return self._svgs[key]
