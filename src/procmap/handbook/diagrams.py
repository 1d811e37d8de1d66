"""Each swimlane diagram drawn once: an SVG cache keyed by the diagram's content hash.

The same diagram (same lanes, steps, edges, labels) is never drawn twice in a run: the
site's page and the PDF's chapter share it, and identical processes share one drawing.
`fill` draws many diagrams in batches (`procmap.render.graphviz.render_svgs`: three
Graphviz runs per batch instead of three per diagram), batches in parallel threads.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmap.render.diagram import Diagram

__all__ = ["DiagramCache"]

#: diagrams per Graphviz run
BATCH = 25


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

    def fill(self, diagrams: Sequence[Diagram], advance: Callable[[int], None],
             batch: int = BATCH) -> None:
        """Draw every diagram not drawn yet; `advance(n)` after each batch of n."""
        from concurrent.futures import ThreadPoolExecutor

        todo: dict[str, Diagram] = {}
        for diagram in diagrams:
            key = content_hash(diagram)
            if key not in self._svgs:
                todo.setdefault(key, diagram)
        advance(len(diagrams) - len(todo))
        keys = list(todo)
        chunks = [keys[n:n + batch] for n in range(0, len(keys), batch)]
        workers = max(1, min(4, os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done in pool.map(lambda chunk: self._draw([todo[k] for k in chunk], chunk),
                                 chunks):
                advance(done)

    def _draw(self, diagrams: list[Diagram], keys: list[str]) -> int:
        from procmap.render.errors import RenderError
        from procmap.render.graphviz import render_svgs

        try:
            drawn: list[bytes | RenderError] = list(render_svgs(diagrams))
        except RenderError as exc:  # Graphviz missing: nothing in this batch is drawn
            drawn = [exc] * len(diagrams)
        with self._lock:
            for key, diagram, svg in zip(keys, diagrams, drawn, strict=True):
                if isinstance(svg, RenderError):
                    self.errors.append(f"{diagram.id}: {svg}")
                    self._svgs[key] = None
                else:
                    self._svgs[key] = svg.decode("utf-8")
                self.drawn += 1
        return len(diagrams)

    def get(self, diagram: Diagram) -> str | None:
        """The SVG drawn by `fill` (None: not drawn or not drawable)."""
        with self._lock:
            return self._svgs.get(content_hash(diagram))

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
