"""What a renderer draws: a process reduced to lanes, nodes and edges.

Every output format (Graphviz, Mermaid, HTML) renders a `Diagram`; the model and the
analysis are turned into one by `procmap.render.build`. Keeping renderers on this small
structure means they never need to know YAML, pydantic or networkx.

All strings here are raw user text: renderers must escape them for their format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

NodeKind = Literal[
    "start", "end", "task", "approval", "decision", "parallel", "subprocess", "wait"
]
Direction = Literal["LR", "TB"]


@dataclass(frozen=True)
class Lane:
    id: str  # role id
    label: str  # role display name
    overloaded: bool = False  # --highlight: audit found the role over capacity
    badge: str = ""  # short text shown in the lane header, e.g. "137% utilised"


@dataclass(frozen=True)
class Node:
    id: str  # step id, unique within the diagram
    lane: str  # Lane.id the node is drawn in
    kind: NodeKind
    label: str  # step display name
    details: tuple[str, ...] = ()  # small lines under the name: "30m", "wait 2h", "SLA 24h"
    tooltip: tuple[tuple[str, str], ...] = ()  # (key, value) pairs for hover details
    bottleneck: bool = False  # --highlight: audit flagged this step
    badge: str = ""  # short finding text drawn next to the node
    critical: bool = False  # on the critical path


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""  # condition and probability, e.g. "复杂问题 (30%)"
    critical: bool = False  # on the critical path
    loop_back: bool = False  # rework: points back against the flow
    width: float = 0.0  # render --observed: line width by the share of cases (0: default)
    deviation: bool = False  # render --observed: a way cases took that the model lacks


@dataclass
class Diagram:
    id: str  # process id
    title: str  # process display name
    lanes: list[Lane]
    nodes: list[Node]
    edges: list[Edge]
    subtitle: str = ""  # e.g. "SLA 7d · expected lead time 3.2d"
    direction: Direction = "LR"
    highlight: bool = False
    legend: bool = True
    meta: dict[str, str] = field(default_factory=dict)
