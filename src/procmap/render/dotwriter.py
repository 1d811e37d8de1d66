"""A very small DOT emitter with quoting we can reason about.

python-graphviz treats any string that looks like ``<...>`` as an HTML label and only
escapes quotes, and a trailing backslash breaks its output (MEASUREMENTS.md). Here the
rule is simple: user text only ever reaches DOT inside an `Html` value built by
`procmap.render.text.html_label`; every plain string attribute is produced by our own
code (colours, styles, encoded ids, coordinates) and is refused if it contains a
backslash, a quote or a newline, which is what could end a DOT string early.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["Attrs", "DotGraph", "Html", "Value", "format_attrs", "quote"]


class Html(str):
    """An HTML-like label body; emitted as ``<...>`` without further quoting."""


Value = str | Html | float | int | bool
Attrs = Mapping[str, Value]


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def quote(value: Value) -> str:
    """Quote one attribute value (or a node name) for DOT."""
    if isinstance(value, Html):
        return f"<{value}>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(float(value))
    if any(bad in value for bad in ('"', "\\", "\n", "\r", "\x00")):
        raise ValueError(f"unsafe DOT string from procmap itself: {value!r}")
    return f'"{value}"'


def format_attrs(attrs: Attrs) -> str:
    """``[key="value", ...]`` in insertion order (deterministic output for goldens)."""
    if not attrs:
        return ""
    return "[" + ", ".join(f"{key}={quote(value)}" for key, value in attrs.items()) + "]"


@dataclass
class DotGraph:
    """Statements of one graph or subgraph, rendered by `DotGraph.source`."""

    name: str
    attrs: dict[str, Value] = field(default_factory=dict)
    node_defaults: dict[str, Value] = field(default_factory=dict)
    edge_defaults: dict[str, Value] = field(default_factory=dict)
    statements: list[str] = field(default_factory=list)
    subgraphs: list[DotGraph] = field(default_factory=list)

    def node(self, name: str, attrs: Attrs) -> None:
        self.statements.append(f"{quote(name)} {format_attrs(attrs)}".rstrip())

    def edge(self, tail: str, head: str, attrs: Attrs) -> None:
        self.statements.append(f"{quote(tail)} -> {quote(head)} {format_attrs(attrs)}".rstrip())

    def raw(self, statement: str) -> None:
        """A statement built by procmap itself (e.g. ``{rank=same; "a"; "b"}``)."""
        self.statements.append(statement)

    def subgraph(self, name: str, attrs: Attrs | None = None) -> DotGraph:
        child = DotGraph(name=name, attrs=dict(attrs or {}))
        self.subgraphs.append(child)
        return child

    def _body(self, indent: str) -> Iterable[str]:
        if self.attrs:
            yield f"{indent}graph {format_attrs(self.attrs)};"
        if self.node_defaults:
            yield f"{indent}node {format_attrs(self.node_defaults)};"
        if self.edge_defaults:
            yield f"{indent}edge {format_attrs(self.edge_defaults)};"
        for child in self.subgraphs:
            yield f"{indent}subgraph {quote(child.name)} {{"
            yield from child._body(indent + "  ")
            yield f"{indent}}}"
        for statement in self.statements:
            yield f"{indent}{statement};"

    def source(self, kind: str = "digraph") -> str:
        lines = [f"{kind} {quote(self.name)} {{", *self._body("  "), "}"]
        return "\n".join(lines) + "\n"
