"""Plain-Python reachability for validate rules.

Validate must start instantly, and networkx costs ~150 ms to import; these few
breadth-first searches over dicts are all validate needs. Audit uses networkx.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmap.model import Process


def reachable(successors: Mapping[str, Iterable[str]], sources: Iterable[str]) -> set[str]:
    """Every node reachable from `sources` (sources included)."""
    seen = set(sources)
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        for successor in successors.get(node, ()):
            if successor not in seen:
                seen.add(successor)
                queue.append(successor)
    return seen


def reverse(successors: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    predecessors: dict[str, list[str]] = {}
    for node, targets in successors.items():
        for target in targets:
            predecessors.setdefault(target, []).append(node)
    return predecessors


def first_cycle_edges(successors: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """Every back edge an iterative depth-first search finds: each closes a cycle, and
    removing them all leaves the graph acyclic (BPMN layout relies on that)."""
    white, grey, black = 0, 1, 2
    color: dict[str, int] = {}
    back_edges: list[tuple[str, str]] = []
    for root in successors:
        if color.get(root, white) != white:
            continue
        color[root] = grey
        stack = [(root, iter(successors.get(root, ())))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                color[node] = black
                stack.pop()
            elif color.get(child, white) == grey:
                back_edges.append((node, child))
            elif color.get(child, white) == white:
                color[child] = grey
                stack.append((child, iter(successors.get(child, ()))))
    return back_edges


def has_dangling_transition(process: Process) -> bool:
    """Whether some `next` names a step that does not exist (a typo cuts the graph)."""
    known = process.step_index
    return any(target not in known for step in process.steps for target in step.targets)
