"""A process as a graph: flow weights, loops, the forward graph, dominators, fork/join.

Steps are numbered in file order (the first definition of an id; transitions to unknown
steps are left out, validate reports them), so the algorithms work on small integers.

- **Flow weights**: an exclusive choice (a `decision` or `approval` with several
  transitions) sends each transition its probability (equal shares when none is given,
  normalised when they do not quite sum to 1); a parallel fork (a `parallel` step, and
  the implicit split of a `task`, `wait`, `subprocess` or `start` with several
  transitions) sends a token down every transition (weight 1).
- **Loop-backs** (rules.md): inside each strongly connected set of steps, a transition
  to a step written earlier in the file (or to itself). Without them the graph is
  acyclic: the *forward graph*. A loop entered in the middle (its first step in the file
  is reached only through a loop-back) would leave steps unreachable in the forward
  graph; for such a loop, and only for it, the loop-backs are the back edges of a
  depth-first search from where the loop is entered, in file order.
- **Parallel joins**: a `parallel` step with several incoming transitions is matched to
  the nearest parallel fork that dominates it (every path to the join passes the fork)
  and from which at least two different branches arrive at it directly. A join with no
  such fork merges exclusive branches and is treated as a plain merge.
- **Dominators of the ends**: steps every case passes (single-point-of-failure): the
  dominators of a virtual sink after every end (Cooper-Harvey-Kennedy, on integers; the
  networkx graph is only built when a caller asks for `digraph`).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from procmap.model import CHOICE_KINDS, Kind, Process, Step

if TYPE_CHECKING:
    import networkx as nx

#: kinds whose several transitions are all taken (a parallel split)
FORK_KINDS = frozenset({Kind.PARALLEL, Kind.TASK, Kind.WAIT, Kind.SUBPROCESS, Kind.START})
#: how many candidate forks a join looks at up its dominator chain (bounds odd graphs)
_JOIN_SEARCH_LIMIT = 8


@dataclass
class ProcessGraph:
    """The flow structure of one process, on step numbers (see the module docstring)."""

    process: Process
    ids: list[str]
    steps: list[Step]
    index: dict[str, int]
    successors: list[list[tuple[int, float]]]  # (target, weight), merged per target
    predecessors: list[list[tuple[int, float]]]
    is_fork: list[bool]
    entry: int | None
    ends: list[int]
    loop_backs: set[tuple[int, int]] = field(default_factory=set)
    forward_successors: list[list[int]] = field(default_factory=list)
    order: list[int] = field(default_factory=list)  # topological order of the forward graph
    position: list[int] = field(default_factory=list)  # node -> place in `order`
    component: list[int] = field(default_factory=list)  # node -> strongly connected set
    components: list[list[int]] = field(default_factory=list)  # in flow order, members too
    cyclic: list[bool] = field(default_factory=list)
    idom: dict[int, int] = field(default_factory=dict)  # reachable non-entry nodes
    join_fork: dict[int, int] = field(default_factory=dict)  # join -> its fork
    block_join: dict[int, int] = field(default_factory=dict)  # fork -> its last join
    block_region: dict[int, frozenset[int]] = field(default_factory=dict)  # fork -> branches
    end_dominators: list[int] = field(default_factory=list)  # in flow order

    def __len__(self) -> int:
        return len(self.ids)

    def transition_index(self, source: int, target: int) -> int:
        """Where the transition source -> target is written in `next` (for locating)."""
        name = self.ids[target]
        for number, transition in enumerate(self.steps[source].next):
            if transition.to == name:
                return number
        return 0

    def in_loop(self, node: int) -> bool:
        return self.cyclic[self.component[node]]

    def next_with_role(self, node: int) -> dict[int, float]:
        """The role-bearing steps a case meets next after `node`, passing through steps
        without a role (events, gateways), with the expected number per visit of `node`.
        A loop made only of role-less steps is not followed around."""
        found: dict[int, float] = {}
        stack: list[tuple[int, float, frozenset[int]]] = [
            (target, weight, frozenset({node})) for target, weight in self.successors[node]]
        budget = 10_000  # chains of gateways are short; this only bounds odd graphs
        while stack and budget:
            budget -= 1
            target, weight, path = stack.pop()
            if self.steps[target].role is not None:
                found[target] = found.get(target, 0.0) + weight
            elif target not in path:
                stack.extend((t, weight * w, path | {target})
                             for t, w in self.successors[target])
        return found

    def forward_path(self, nodes: Iterable[int]) -> list[str]:
        return [self.ids[n] for n in nodes]

    @cached_property
    def reachable(self) -> frozenset[int]:
        """Steps a case can reach from the start (with any probability)."""
        if self.entry is None:
            return frozenset()
        seen = {self.entry}
        queue = deque(seen)
        while queue:
            node = queue.popleft()
            for target, _ in self.successors[node]:
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        return frozenset(seen)

    @cached_property
    def digraph(self) -> nx.DiGraph:
        """The process as a networkx DiGraph on step ids, for callers who want one:
        edge attributes `weight` (probability, or 1 for parallel) and `loop_back`."""
        import networkx as nx

        graph = nx.DiGraph()
        for number, step_id in enumerate(self.ids):
            graph.add_node(step_id, kind=self.steps[number].kind.value,
                           role=self.steps[number].role)
        for source, targets in enumerate(self.successors):
            for target, weight in targets:
                graph.add_edge(self.ids[source], self.ids[target], weight=weight,
                               loop_back=(source, target) in self.loop_backs)
        return graph


def build_graph(process: Process, *, full: bool = True) -> ProcessGraph:
    """Number the steps, weigh the transitions and find loops, dominators and joins
    (`full=False`: loops and the forward graph only)."""
    steps = list(process.step_index.values())
    ids = [step.id for step in steps]
    index = {step_id: number for number, step_id in enumerate(ids)}
    successors: list[list[tuple[int, float]]] = []
    is_fork: list[bool] = []
    for step in steps:
        targets, fork = _flow(step, index)
        successors.append(targets)
        is_fork.append(fork)
    predecessors: list[list[tuple[int, float]]] = [[] for _ in ids]
    for source, targets in enumerate(successors):
        for target, weight in targets:
            predecessors[target].append((source, weight))
    entry = next((n for n, s in enumerate(steps) if s.kind is Kind.START), 0 if ids else None)
    graph = ProcessGraph(process=process, ids=ids, steps=steps, index=index,
                         successors=successors, predecessors=predecessors, is_fork=is_fork,
                         entry=entry,
                         ends=[n for n, s in enumerate(steps) if s.kind is Kind.END])
    if not ids:
        return graph
    _strongly_connected(graph)
    _loop_backs(graph)
    _forward_order(graph)
    if full:
        _dominators(graph)
        _match_joins(graph)
    return graph


def _flow(step: Step, index: dict[str, int]) -> tuple[list[tuple[int, float]], bool]:
    known = [t for t in step.next if t.to in index]
    if not known:
        return [], False
    fork = len(known) > 1 and step.kind in FORK_KINDS
    if len(known) > 1 and step.kind in CHOICE_KINDS:
        given = [t.probability for t in known]
        total = sum(p for p in given if p is not None and p > 0)
        if all(p is not None and p >= 0 for p in given) and total > 0:
            weights = [(p or 0.0) / total for p in given]
        else:  # none given (or invalid, reported by validate): equally likely
            weights = [1.0 / len(known)] * len(known)
    else:
        weights = [1.0] * len(known)
    merged: dict[int, float] = {}
    for transition, weight in zip(known, weights, strict=True):
        target = index[transition.to]
        merged[target] = merged.get(target, 0.0) + weight
    return list(merged.items()), fork


def _strongly_connected(graph: ProcessGraph) -> None:
    """Tarjan's algorithm, iterative; components come out in reverse flow order."""
    count = len(graph.ids)
    number = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    component = [-1] * count
    found: list[list[int]] = []
    counter = 0
    for root in range(count):
        if number[root] != -1:
            continue
        work: list[tuple[int, Iterator[tuple[int, float]]]] = [
            (root, iter(graph.successors[root]))]
        number[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, children = work[-1]
            advanced = False
            for child, _ in children:
                if number[child] == -1:
                    number[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack[child] = True
                    work.append((child, iter(graph.successors[child])))
                    advanced = True
                    break
                if on_stack[child]:
                    low[node] = min(low[node], number[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == number[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component[member] = len(found)
                    members.append(member)
                    if member == node:
                        break
                found.append(members)
    # Tarjan emits sinks first; renumber so that components are in flow order
    total = len(found)
    graph.component = [total - 1 - c for c in component]
    graph.components = [sorted(members) for members in reversed(found)]
    graph.cyclic = [len(members) > 1 or any(t == members[0] for t, _ in
                                             graph.successors[members[0]])
                    for members in graph.components]


def _loop_backs(graph: ProcessGraph) -> None:
    component = graph.component
    for c, members in enumerate(graph.components):
        if not graph.cyclic[c]:
            continue
        backs = {(s, t) for s in members for t, _ in graph.successors[s]
                 if component[t] == c and t <= s}
        if not _covers(graph, members, backs):
            backs = _depth_first_back_edges(graph, members)
        graph.loop_backs |= backs


def _loop_entries(graph: ProcessGraph, members: list[int]) -> list[int]:
    inside = set(members)
    entries = [m for m in members if m == graph.entry
               or any(p not in inside for p, _ in graph.predecessors[m])]
    return entries or members[:1]


def _covers(graph: ProcessGraph, members: list[int], backs: set[tuple[int, int]]) -> bool:
    """Whether every step of the loop is reachable from its entries without loop-backs."""
    inside = set(members)
    seen = set(_loop_entries(graph, members))
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        for target, _ in graph.successors[node]:
            if target in inside and target not in seen and (node, target) not in backs:
                seen.add(target)
                queue.append(target)
    return len(seen) == len(inside)


def _depth_first_back_edges(graph: ProcessGraph, members: list[int]) -> set[tuple[int, int]]:
    inside = set(members)
    state: dict[int, int] = {}  # 1: on the path, 2: finished
    backs: set[tuple[int, int]] = set()
    for root in _loop_entries(graph, members) + members:
        if root in state:
            continue
        state[root] = 1
        work = [(root, iter(graph.successors[root]))]
        while work:
            node, children = work[-1]
            for child, _ in children:
                if child not in inside:
                    continue
                if state.get(child) == 1:
                    backs.add((node, child))
                elif child not in state:
                    state[child] = 1
                    work.append((child, iter(graph.successors[child])))
                    break
            else:
                state[node] = 2
                work.pop()
    return backs


def _forward_order(graph: ProcessGraph) -> None:
    """Kahn's algorithm on the forward graph, earliest step in the file first."""
    count = len(graph.ids)
    forward: list[list[int]] = [[t for t, _ in graph.successors[s]
                                 if (s, t) not in graph.loop_backs] for s in range(count)]
    indegree = [0] * count
    for targets in forward:
        for target in targets:
            indegree[target] += 1
    ready = [n for n in range(count) if indegree[n] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        for target in forward[node]:
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, target)
    graph.forward_successors = forward
    graph.order = order
    graph.position = [0] * count
    for place, node in enumerate(order):
        graph.position[node] = place
    position = graph.position
    for members in graph.components:  # Tarjan's order of the components is kept: it is
        members.sort(key=lambda n: position[n])  # topological, sorting by first is not


def _dominators(graph: ProcessGraph) -> None:
    if graph.entry is None:
        return
    count = len(graph.ids)
    sink = count  # a virtual step after every end: its dominators are the ends' common ones
    successors: list[list[int]] = [[t for t, _ in targets] for targets in graph.successors]
    successors.append([])
    reached_ends = [e for e in graph.ends if e in graph.reachable]
    for end in reached_ends:
        successors[end].append(sink)
    idom = immediate_dominators(successors, graph.entry)
    chain: list[int] = []
    if reached_ends:
        node = idom.get(sink)
        while node is not None:
            chain.append(node)
            node = idom.get(node)
    idom.pop(sink, None)
    graph.idom = idom
    graph.end_dominators = sorted(chain, key=lambda n: graph.position[n])


def immediate_dominators(successors: list[list[int]], entry: int) -> dict[int, int]:
    """Node -> immediate dominator, for every node reachable from `entry` except `entry`.

    Cooper, Harvey and Kennedy, "A Simple, Fast Dominance Algorithm" (2001): iterate over
    the reverse postorder until nothing changes; two or three rounds on process graphs.
    The same result as networkx's `immediate_dominators` (which maps the start to itself
    in 3.4 and omits it in 3.6; we omit it), without building a networkx graph.
    """
    postorder: list[int] = []
    number: dict[int, int] = {}
    visited = {entry}
    work = [(entry, iter(successors[entry]))]
    while work:
        node, children = work[-1]
        for child in children:
            if child not in visited:
                visited.add(child)
                work.append((child, iter(successors[child])))
                break
        else:
            work.pop()
            number[node] = len(postorder)
            postorder.append(node)
    predecessors: dict[int, list[int]] = {node: [] for node in postorder}
    for node in postorder:
        for child in successors[node]:
            predecessors[child].append(node)
    idom: dict[int, int] = {entry: entry}
    ordered = postorder[-2::-1]  # reverse postorder without the entry
    changed = True
    while changed:
        changed = False
        for node in ordered:
            new: int | None = None
            for pred in predecessors[node]:
                if pred not in idom:
                    continue
                if new is None:
                    new = pred
                    continue
                a, b = pred, new
                while a != b:
                    while number[a] < number[b]:
                        a = idom[a]
                    while number[b] < number[a]:
                        b = idom[b]
                new = a
            if new is not None and idom.get(node) != new:
                idom[node] = new
                changed = True
    del idom[entry]
    return idom


def _match_joins(graph: ProcessGraph) -> None:
    for join in graph.order:
        step = graph.steps[join]
        if step.kind is not Kind.PARALLEL or join not in graph.idom:
            continue
        if len({p for p, _ in graph.predecessors[join] if p in graph.reachable}) < 2:
            continue
        candidate = graph.idom.get(join)
        tried = 0
        while candidate is not None and tried < _JOIN_SEARCH_LIMIT:
            if graph.is_fork[candidate]:
                tried += 1
                region = _branches_meeting(graph, candidate, join)
                if region is not None:
                    graph.join_fork[join] = candidate
                    previous = graph.block_join.get(candidate)
                    if previous is None or graph.position[join] > graph.position[previous]:
                        graph.block_join[candidate] = join
                        graph.block_region[candidate] = region
                    break
            candidate = graph.idom.get(candidate)


def _branches_meeting(graph: ProcessGraph, fork: int, join: int) -> frozenset[int] | None:
    """The steps of the fork's branches up to `join`, if two branches meet there.

    A breadth-first search of the forward graph from each branch, never past the join,
    labels every step with the first branch reaching it; the join joins the fork's
    branches when its direct predecessors carry two different labels.
    """
    limit = graph.position[join]
    label: dict[int, int] = {}
    queue: deque[int] = deque()
    direct: set[int] = set()
    for branch, (start, _) in enumerate(graph.successors[fork]):
        if start == join:
            direct.add(branch)
        elif start not in label and graph.position[start] < limit and start != fork:
            label[start] = branch
            queue.append(start)
    while queue:
        node = queue.popleft()
        for target in graph.forward_successors[node]:
            if target != join and target != fork and target not in label \
                    and graph.position[target] < limit:
                label[target] = label[node]
                queue.append(target)
    arriving = set(direct)
    for source, _ in graph.predecessors[join]:
        if source in label and (source, join) not in graph.loop_backs:
            arriving.add(label[source])
    return frozenset(label) if len(arriving) >= 2 else None
