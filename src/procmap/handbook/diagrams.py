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
from collections.abc import Callable, Iterator, Sequence
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

    def fill(self, diagrams: Sequence[Diagram], advance: Callable[[int], None],
             batch: int = 0) -> None:
        """Draw every diagram not drawn yet; `advance(n)` after each batch of n. Batches
        run in worker processes (drawing is Graphviz plus Python layout code)."""
        from procmap.render.graphviz import SVG_BATCH

        batch = batch or SVG_BATCH
        todo: dict[str, Diagram] = {}
        for diagram in diagrams:
            key = content_hash(diagram)
            if key not in self._svgs:
                todo.setdefault(key, diagram)
        advance(len(diagrams) - len(todo))
        keys = list(todo)
        chunks = [keys[n:n + batch] for n in range(0, len(keys), batch)]
        for chunk, drawn in zip(chunks, _map(draw_batch, [[todo[k] for k in chunk]
                                                          for chunk in chunks]),
                                strict=True):
            for key, svg in zip(chunk, drawn, strict=True):
                if svg.startswith("<svg"):
                    self._svgs[key] = svg
                else:
                    self.errors.append(f"{todo[key].id}: {svg}")
                    self._svgs[key] = None
                self.drawn += 1
            advance(len(chunk))

    def get(self, diagram: Diagram) -> str | None:
        """The SVG drawn by `fill` (None: not drawn or not drawable)."""
        with self._lock:
            return self._svgs.get(content_hash(diagram))

    def svg(self, diagram: Diagram) -> str | None:
        """The diagram's SVG element, drawn now unless it was drawn before."""
        if self.get(diagram) is None:
            self.fill([diagram], lambda n: None)
        return self.get(diagram)


def draw_batch(diagrams: Sequence[Diagram]) -> list[str]:
    """Each diagram as a sanitised inline SVG element (ids prefixed `d-`), or the
    error message (text not starting with ``<svg``)."""
    from procmap.render.errors import RenderError
    from procmap.render.graphviz import render_svgs
    from procmap.render.html import _inline_svg

    try:
        drawn: list[bytes | RenderError] = list(render_svgs(diagrams))
    except RenderError as exc:  # Graphviz missing: nothing in this batch is drawn
        drawn = [exc] * len(diagrams)
    out = []
    for svg in drawn:
        try:
            out.append(str(svg) if isinstance(svg, RenderError) else _inline_svg(
                svg.decode("utf-8"), "d-"))
        except RenderError as exc:
            out.append(str(exc) or "not drawn")
    return out


def _map(function: Callable[[Sequence[Diagram]], list[str]],
         batches: list[list[Diagram]]) -> Iterator[list[str]]:
    """`function` over the batches, in worker processes when there are several."""
    workers = min(len(batches), os.cpu_count() or 1)
    if workers < 2:
        yield from map(function, batches)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(function, batches)
