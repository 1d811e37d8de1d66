"""Token replay of one variant (a sequence of activities) against a process graph.

The process is read as a Petri net on `procmap.analysis.graph.ProcessGraph`: every
transition (edge) is a place; a step consumes one token from any incoming place (a merge)
or, for a parallel join matched to its fork (`ProcessGraph.join_fork`), one from each
incoming place; it produces a token on every outgoing place when it forks (a `parallel`
step, or the implicit split of a task with several transitions) and on one of them when
it chooses (a `decision` or an `approval`). Start, end, decision and parallel steps are
silent (they have no events); `wait` and `subprocess` steps may or may not have events.

Replay keeps the set of every marking the events so far can lead to, so parallel branches
may interleave in any order and silent choices are never guessed. A case fits when every
event fires and the last marking can empty itself through silent steps (every token
reaches an end).

Where an event cannot fire, the deviation is named (conform.md):

- `unknown-activity`: an activity that is not a step of the process (removed before the
  replay; `other_process` names the process it belongs to, if any);
- `missing-start`: the first event's step cannot be reached from the start without
  another (task) step;
- `skipped-step`: the event's step is reached from the previous one through steps the
  case never has (each skipped step is named);
- `unmodelled-transition`: any other pair of consecutive events the model does not allow
  (wrong order, a repetition, a jump back);
- `missing-end`: the case stops where the model cannot end without another step.

After a deviation the replay goes on from the event's step (tokens that lead to it are
dropped), so a case with two deviations reports both.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from procmap.model import Kind

if TYPE_CHECKING:
    from procmap.analysis.graph import ProcessGraph

SILENT_KINDS = frozenset({Kind.START, Kind.END, Kind.DECISION, Kind.PARALLEL})
OPTIONAL_KINDS = frozenset({Kind.WAIT, Kind.SUBPROCESS})
#: markings kept per event: bounds odd models (silent loops with forks); real ones use few
MAX_MARKINGS = 2000
#: tokens one place may hold during the silent closure
MAX_TOKENS = 3

Marking = tuple[int, ...]  # sorted place numbers, repeated for several tokens


@dataclass(frozen=True)
class Deviation:
    kind: str
    source: str | None = None  # step id the case came from
    target: str | None = None  # step id (or activity) where it went
    step: str | None = None  # skipped step, or the step a missing-start/end is at
    activity: str | None = None  # unknown activity
    other_process: str | None = None


@dataclass
class Replay:
    fits: bool
    deviations: list[Deviation] = field(default_factory=list)


class Net:
    """The replay view of one process graph."""

    def __init__(self, graph: ProcessGraph) -> None:
        self.graph = graph
        self.places = self._arc_places(graph)
        self.init = len(self.places)
        self.inputs, self.outputs = self._wiring(graph)
        self.and_join = self._and_joins(graph)
        self.silent = [s.kind in SILENT_KINDS for s in graph.steps]
        self.optional = [s.kind in SILENT_KINDS or s.kind in OPTIONAL_KINDS
                         for s in graph.steps]
        self.place_source = {place: source for (source, _t), place in self.places.items()}
        self.place_target = {place: target for (_s, target), place in self.places.items()}
        self._reach: dict[int, frozenset[int]] = {}

    @staticmethod
    def _arc_places(graph: ProcessGraph) -> dict[tuple[int, int], int]:
        """A place per arc (source, target), numbered in the graph's order."""
        places: dict[tuple[int, int], int] = {}
        for source, targets in enumerate(graph.successors):
            for target, _weight in targets:
                places[(source, target)] = len(places)
        return places

    def _wiring(self, graph: ProcessGraph) -> tuple[list[list[int]], list[list[int]]]:
        """Each node's input and output places (the entry also takes the initial one)."""
        inputs: list[list[int]] = [[] for _ in graph.ids]
        outputs: list[list[int]] = [[] for _ in graph.ids]
        for (source, target), place in self.places.items():
            outputs[source].append(place)
            inputs[target].append(place)
        if graph.entry is not None:
            inputs[graph.entry].append(self.init)
        return inputs, outputs

    def _and_joins(self, graph: ProcessGraph) -> dict[int, list[int]]:
        """The places a join waits on all of: reachable, not looping back."""
        return {join: [self.places[(p, join)] for p, _ in graph.predecessors[join]
                       if p in graph.reachable and (p, join) not in graph.loop_backs]
                for join in graph.join_fork}

    # -- firing ---------------------------------------------------------------------

    def fire(self, node: int, marking: Marking) -> list[Marking]:
        """The markings after `node` fires in `marking` (none when it is not enabled)."""
        tokens = list(marking)
        consumed: list[list[int]] = []
        join = self.and_join.get(node)
        if join:
            remaining = list(tokens)
            for place in join:
                if place not in remaining:
                    return []
                remaining.remove(place)
            consumed.append(remaining)
        else:
            for place in set(self.inputs[node]):
                if place in tokens:
                    remaining = list(tokens)
                    remaining.remove(place)
                    consumed.append(remaining)
        if not consumed:
            return []
        outputs = self.outputs[node]
        choices = [outputs] if self.graph.is_fork[node] or len(outputs) <= 1 \
            else [[place] for place in outputs]
        return [tuple(sorted(rest + produced)) for rest in consumed for produced in choices]

    def closure(self, markings: Iterable[Marking]) -> set[Marking]:
        """Every marking reachable through silent (and optional) steps."""
        seen = set(markings)
        queue = deque(seen)
        while queue and len(seen) < MAX_MARKINGS:
            marking = queue.popleft()
            for node in self._candidates(marking):
                if not self.optional[node]:
                    continue
                for after in self.fire(node, marking):
                    if after not in seen and max(
                            (after.count(p) for p in set(after)), default=0) <= MAX_TOKENS:
                        seen.add(after)
                        queue.append(after)
        return seen

    def _candidates(self, marking: Marking) -> set[int]:
        nodes = set()
        for place in set(marking):
            if place == self.init:
                if self.graph.entry is not None:
                    nodes.add(self.graph.entry)
            else:
                nodes.add(self.place_target[place])
        return nodes

    # -- structure ------------------------------------------------------------------

    def reach(self, node: int) -> frozenset[int]:
        """Steps reachable from `node` (itself excluded unless on a loop)."""
        found = self._reach.get(node)
        if found is None:
            seen: set[int] = set()
            stack = [t for t, _w in self.graph.successors[node]]
            while stack:
                current = stack.pop()
                if current not in seen:
                    seen.add(current)
                    stack.extend(t for t, _w in self.graph.successors[current])
            found = self._reach[node] = frozenset(seen)
        return found

    def silently_reached(self, sources: Iterable[int]) -> set[int]:
        """Steps reached from `sources` passing only silent or optional steps."""
        found: set[int] = set()
        stack = [t for s in sources for t, _w in self.graph.successors[s]]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            if self.optional[current]:
                stack.extend(t for t, _w in self.graph.successors[current])
        return found

    def skipped_between(self, source: int, target: int) -> list[int] | None:
        """The steps with events on a shortest way from `source` to `target` (None: no way)."""
        previous: dict[int, int] = {}
        queue = deque(t for t, _w in self.graph.successors[source])
        for start in list(queue):
            previous.setdefault(start, source)
        while queue:
            current = queue.popleft()
            if current == target:
                way: list[int] = []
                node = previous[current]
                while node != source:
                    way.append(node)
                    node = previous[node]
                return [n for n in reversed(way) if not self.optional[n]]
            for successor, _w in self.graph.successors[current]:
                if successor not in previous:
                    previous[successor] = current
                    queue.append(successor)
        return None

    def jump(self, markings: Iterable[Marking], node: int) -> set[Marking]:
        """Markings after forcing `node` to fire: tokens on the way to it are dropped,
        tokens of unrelated (parallel) branches kept."""
        after: set[Marking] = set()
        reach_node = self.reach(node)
        for marking in markings:
            kept = [p for p in marking if p != self.init and self._unrelated(p, node, reach_node)]
            after.add(tuple(sorted(kept + self.outputs[node])))
        return after or {tuple(sorted(self.outputs[node]))}

    def _unrelated(self, place: int, node: int, reach_node: frozenset[int]) -> bool:
        source = self.place_source[place]
        return source not in reach_node and node not in self.reach(source) and source != node


def replay(net: Net, steps: list[int]) -> Replay:
    """Replay a sequence of step numbers (unknown activities already removed)."""
    graph = net.graph
    result = Replay(fits=True)
    states = net.closure({(net.init,)})
    previous: int | None = None
    for position, node in enumerate(steps):
        after = {m for marking in states for m in net.fire(node, marking)}
        if not after:
            result.fits = False
            result.deviations.extend(_name(net, steps, position, previous, node))
            after = net.jump(states, node)
        states = net.closure(after)
        previous = node
    if steps and not any(len(m) == 0 for m in states):
        result.fits = False
        last = graph.ids[previous] if previous is not None else None
        result.deviations.append(Deviation("missing-end", source=last, step=last))
    return result


def _name(net: Net, steps: list[int], position: int, previous: int | None,
          node: int) -> list[Deviation]:
    ids = net.graph.ids
    if previous is None:
        entry = net.graph.entry
        reached = net.silently_reached([entry]) | {entry} if entry is not None else set()
        if node not in reached:
            return [Deviation("missing-start", target=ids[node], step=ids[node])]
        return [Deviation("unmodelled-transition", target=ids[node])]
    skipped = net.skipped_between(previous, node)
    others = set(steps[:position]) | set(steps[position + 1:])
    if skipped and not others & set(skipped):
        return [Deviation("skipped-step", source=ids[previous], target=ids[node],
                          step=ids[s]) for s in skipped]
    return [Deviation("unmodelled-transition", source=ids[previous], target=ids[node])]


def replay_activities(net: Net, activities: list[str], steps_of: Mapping[str, int],
                      owner: Mapping[str, str]) -> Replay:
    """Replay a variant of activity names: unknown ones are deviations, then `replay`."""
    unknown = [a for a in activities if a not in steps_of]
    result = replay(net, [steps_of[a] for a in activities if a in steps_of])
    if unknown:
        result.fits = False
        seen: set[str] = set()
        for activity in unknown:
            if activity not in seen:
                seen.add(activity)
                result.deviations.insert(len(seen) - 1, Deviation(
                    "unknown-activity", activity=activity, other_process=owner.get(activity)))
    return result
