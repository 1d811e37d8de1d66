"""A process as a graph: flow weights, loops, the forward graph, dominators, fork/join.

Steps are numbered in file order (the first definition of an id; transitions to unknown
steps are left out, validate reports them). `build_graph` makes each process a networkx
`DiGraph` on those numbers (`ProcessGraph.flow`, edge attribute `weight`) and runs the
graph algorithms on it with networkx; the metrics' hot loops read the same edges from
plain lists (`successors`, `predecessors`, `forward_successors`). networkx is imported
when the first graph is built, never at import time: `validate` imports this module
(through the rule catalog) and must start fast.

- **Flow weights**: an exclusive choice (a `decision` or `approval` with several
  transitions) sends each transition its probability (equal shares when none is given,
  normalised when they do not quite sum to 1); a parallel fork (a `parallel` step, and
  the implicit split of a `task`, `wait`, `subprocess` or `start` with several
  transitions) sends a token down every transition (weight 1).
- **Loop-backs** (rules.md): inside each strongly connected set of steps, a transition
  to a step written earlier in the file (or to itself). Without them the graph is
  acyclic: the *forward graph*, ordered topologically with the earlier step in the
  file first among ready steps. A loop entered in the middle (its first step in the file
  is reached only through a loop-back) would leave steps unreachable in the forward
  graph; for such a loop, and only for it, the loop-backs are the back edges of a
  depth-first search from where the loop is entered, in file order.
- **Parallel joins**: a `parallel` step with several incoming transitions is matched to
  the nearest parallel fork that dominates it (every path to the join passes the fork)
  and from which at least two different branches arrive at it directly. A join with no
  such fork merges exclusive branches and is treated as a plain merge.
- **Dominators of the ends**: steps every case passes (single-point-of-failure): the
  dominators of a virtual sink after every end.

networkx functions used: `strongly_connected_components` and `condensation` (loops),
`bfs_layers` and `dfs_labeled_edges` (loop-backs), `lexicographical_topological_sort`
(forward order), `immediate_dominators`, `descendants` (reachable steps) and
`relabel_nodes` (`digraph`, on step ids).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from procmap.model import CHOICE_KINDS, Kind, Process, Step, Transition

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
    flow: nx.DiGraph  # nodes 0..n-1 in file order, edge attribute `weight`
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
        import networkx as nx

        if self.entry is None:
            return frozenset()
        return frozenset(nx.descendants(self.flow, self.entry) | {self.entry})

    @cached_property
    def digraph(self) -> nx.DiGraph:
        """`flow` relabelled with step ids (a copy), for callers who want names: node
        attributes `kind` and `role`, edge attributes `weight` (probability, or 1 for
        parallel) and `loop_back`."""
        import networkx as nx

        graph = nx.relabel_nodes(self.flow, dict(enumerate(self.ids)), copy=True)
        for step_id, step in zip(self.ids, self.steps, strict=True):
            graph.nodes[step_id].update(kind=step.kind.value, role=step.role)
        for source, target, data in graph.edges(data=True):
            data["loop_back"] = (self.index[source], self.index[target]) in self.loop_backs
        return graph


def build_graph(process: Process, *, full: bool = True) -> ProcessGraph:
    """Number the steps, weigh the transitions and find loops, dominators and joins
    (`full=False`: loops and the forward graph only)."""
    steps = list(process.step_index.values())
    ids = [step.id for step in steps]
    index = {step_id: number for number, step_id in enumerate(ids)}
    successors, is_fork = _weighted_transitions(steps, index)
    graph = ProcessGraph(process=process, ids=ids, steps=steps, index=index,
                         successors=successors, predecessors=_predecessors(successors),
                         is_fork=is_fork, entry=_entry(steps),
                         ends=[n for n, s in enumerate(steps) if s.kind is Kind.END],
                         flow=_flow_digraph(len(ids), successors))
    if not ids:
        return graph
    _strongly_connected(graph)
    forward = _loop_backs(graph)
    _forward_order(graph, forward)
    if full:
        _dominators(graph)
        _match_joins(graph)
    return graph


def _weighted_transitions(steps: list[Step], index: dict[str, int]
                          ) -> tuple[list[list[tuple[int, float]]], list[bool]]:
    """Every step's weighted successors, and whether it is a parallel fork."""
    successors: list[list[tuple[int, float]]] = []
    is_fork: list[bool] = []
    for step in steps:
        targets, fork = _flow(step, index)
        successors.append(targets)
        is_fork.append(fork)
    return successors, is_fork


def _predecessors(successors: list[list[tuple[int, float]]]
                  ) -> list[list[tuple[int, float]]]:
    predecessors: list[list[tuple[int, float]]] = [[] for _ in successors]
    for source, targets in enumerate(successors):
        for target, weight in targets:
            predecessors[target].append((source, weight))
    return predecessors


def _flow_digraph(count: int, successors: list[list[tuple[int, float]]]) -> nx.DiGraph:
    import networkx as nx

    flow = nx.DiGraph()
    flow.add_nodes_from(range(count))
    flow.add_weighted_edges_from((source, target, weight)
                                 for source, targets in enumerate(successors)
                                 for target, weight in targets)
    return flow


def _entry(steps: list[Step]) -> int | None:
    """The first `start` step, else the first step (None without steps)."""
    return next((n for n, s in enumerate(steps) if s.kind is Kind.START),
                0 if steps else None)


def _flow(step: Step, index: dict[str, int]) -> tuple[list[tuple[int, float]], bool]:
    known = [t for t in step.next if t.to in index]
    if not known:
        return [], False
    fork = len(known) > 1 and step.kind in FORK_KINDS
    if len(known) > 1 and step.kind in CHOICE_KINDS:
        weights = _choice_weights(known)
    else:
        weights = [1.0] * len(known)
    merged: dict[int, float] = {}
    for transition, weight in zip(known, weights, strict=True):
        target = index[transition.to]
        merged[target] = merged.get(target, 0.0) + weight
    return list(merged.items()), fork


def _choice_weights(known: list[Transition]) -> list[float]:
    """An exclusive choice's probabilities, normalised; equal shares when not given."""
    given = [t.probability for t in known]
    total = sum(p for p in given if p is not None and p > 0)
    if all(p is not None and p >= 0 for p in given) and total > 0:
        return [(p or 0.0) / total for p in given]
    # none given (or invalid, reported by validate): equally likely
    return [1.0 / len(known)] * len(known)


def _strongly_connected(graph: ProcessGraph) -> None:
    import networkx as nx

    # the sets in flow order: a topological order of the condensation, ties broken by
    # file order (networkx does not promise any order of strongly_connected_components)
    found = list(nx.strongly_connected_components(graph.flow))
    condensed = nx.condensation(graph.flow, scc=found)
    first = {c: min(found[c]) for c in condensed}
    order = nx.lexicographical_topological_sort(condensed, key=first.__getitem__)
    graph.components = [sorted(found[c]) for c in order]
    graph.component = [0] * len(graph.ids)
    for c, members in enumerate(graph.components):
        for member in members:
            graph.component[member] = c
    graph.cyclic = [len(members) > 1 or graph.flow.has_edge(members[0], members[0])
                    for members in graph.components]


def _loop_backs(graph: ProcessGraph) -> nx.DiGraph:
    """Set `graph.loop_backs`; returns the forward graph (`flow` without them)."""
    import networkx as nx

    written_back = _written_back(graph)
    backward = set().union(*written_back.values())
    forward = nx.DiGraph()
    forward.add_nodes_from(graph.flow)
    forward.add_edges_from((s, t) for s, targets in enumerate(graph.successors)
                           for t, _ in targets if (s, t) not in backward)
    # Whether each loop's steps are reached from its entries: one search from all entries
    # of all loops will do, as a path that leaves a loop never comes back to it.
    entries = [n for c in written_back for n in _loop_entries(graph, graph.components[c])]
    reached = {node for layer in nx.bfs_layers(forward, entries) for node in layer}
    for c, backs in written_back.items():
        members = graph.components[c]
        if not reached.issuperset(members):  # entered in the middle
            forward.add_edges_from(backs)
            backs = _depth_first_back_edges(graph, members)
            forward.remove_edges_from(backs)
        graph.loop_backs |= backs
    return forward


def _written_back(graph: ProcessGraph) -> dict[int, set[tuple[int, int]]]:
    """Loop -> its transitions to a step written earlier in the file (or to itself)."""
    component = graph.component
    written_back: dict[int, set[tuple[int, int]]] = {}
    for c, members in enumerate(graph.components):
        if graph.cyclic[c]:
            written_back[c] = {(s, t) for s in members for t, _ in graph.successors[s]
                               if component[t] == c and t <= s}
    return written_back


def _loop_entries(graph: ProcessGraph, members: list[int]) -> list[int]:
    inside = set(members)
    entries = [m for m in members if m == graph.entry
               or any(p not in inside for p, _ in graph.predecessors[m])]
    return entries or members[:1]


def _depth_first_back_edges(graph: ProcessGraph, members: list[int]) -> set[tuple[int, int]]:
    """The back edges (to a step on the search path) of a depth-first search of the loop
    from its entries, then from any step not reached yet, in file order."""
    import networkx as nx

    inside = set(members)
    loop = nx.DiGraph()
    loop.add_nodes_from(_loop_entries(graph, members))  # the search starts from the nodes
    loop.add_nodes_from(members)  # in the order they were added
    loop.add_edges_from((s, t) for s in members for t, _ in graph.successors[s]
                        if t in inside)
    path: set[int] = set()
    backs: set[tuple[int, int]] = set()
    for source, target, label in nx.dfs_labeled_edges(loop):
        if label == "forward":
            path.add(target)
        elif label == "reverse":
            path.discard(target)
        elif label == "nontree" and target in path:
            backs.add((source, target))
    return backs


def _forward_order(graph: ProcessGraph, forward: nx.DiGraph) -> None:
    import networkx as nx

    count = len(graph.ids)
    graph.forward_successors = [[t for t, _ in graph.successors[s]
                                 if (s, t) not in graph.loop_backs] for s in range(count)]
    # steps are numbered in file order: among ready steps, the earliest in the file first
    graph.order = list(nx.lexicographical_topological_sort(forward))
    graph.position = [0] * count
    for place, node in enumerate(graph.order):
        graph.position[node] = place
    position = graph.position
    for members in graph.components:  # the order of the components is kept: it is
        members.sort(key=lambda n: position[n])  # topological, sorting by first is not


def _dominators(graph: ProcessGraph) -> None:
    import networkx as nx

    if graph.entry is None:
        return
    # a virtual step after every end, whose dominators are the steps common to all ends;
    # it is in `flow` only for the search
    sink = len(graph.ids)
    reached_ends = [e for e in graph.ends if e in graph.reachable]
    flow = graph.flow
    flow.add_edges_from((end, sink) for end in reached_ends)
    try:
        idom: dict[int, int] = nx.immediate_dominators(flow, graph.entry)
    finally:
        if sink in flow:
            flow.remove_node(sink)
    idom.pop(graph.entry, None)  # networkx 3.4 maps the start to itself, 3.6 leaves it out
    chain: list[int] = []
    if reached_ends:
        node = idom.get(sink)
        while node is not None:
            chain.append(node)
            node = idom.get(node)
    idom.pop(sink, None)
    graph.idom = idom
    graph.end_dominators = sorted(chain, key=lambda n: graph.position[n])


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
    label, direct = _label_branches(graph, fork, join)
    arriving = set(direct)
    for source, _ in graph.predecessors[join]:
        if source in label and (source, join) not in graph.loop_backs:
            arriving.add(label[source])
    return frozenset(label) if len(arriving) >= 2 else None


def _label_branches(graph: ProcessGraph, fork: int, join: int
                    ) -> tuple[dict[int, int], set[int]]:
    """Step -> the first of the fork's branches reaching it before `join`; and the
    branches that go to the join directly."""
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
    return label, direct
