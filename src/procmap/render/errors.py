"""Exceptions raised by the renderers.

The CLI maps `GraphvizMissing` to exit code 2 with the fix ("install Graphviz", see
`procmap doctor`), and any other `RenderError` to exit code 2 with its one-line message.
"""

from __future__ import annotations

from procmap.errors import ProcmapError

__all__ = ["GraphvizMissing", "RenderError", "RenderWarning"]


class RenderError(ProcmapError):
    """A diagram could not be drawn (Graphviz failed, timed out or printed garbage)."""


class GraphvizMissing(RenderError):
    """The Graphviz binaries (`dot`, `neato`) needed for svg/png/pdf/html are not on PATH."""


class RenderWarning(UserWarning):
    """The picture was drawn, but worse than asked (e.g. a huge PNG scaled down).

    Issued with `warnings.warn`; the CLI can show it as a one-line note.
    """
