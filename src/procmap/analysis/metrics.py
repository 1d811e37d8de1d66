"""Per-process metrics, exactly as rules.md defines them.

**Visits** (expected passes of a case through each step) solve the linear system of the
Markov chain `visits(k) = [k is the start] + sum over transitions p -> k of
weight(p -> k) x visits(p)`, where an exclusive choice weighs its transitions by
probability and a parallel fork (or implicit split) by 1 each. A matched parallel join's
equation is replaced by `visits(join) = visits(fork)`: it is passed once per set of
branches. The system is solved one strongly connected set of steps at a time, in flow
order: a step outside any loop is one addition; a loop is a small sparse system solved
exactly by elimination (`procmap.analysis.linear`). A loop no case can leave makes the
system singular: `EndlessLoop`, reported as the `endless-loop` finding.

**Expected lead time** is the expected time from the start to the end, computed
backwards as the expected *time to finish* of every step:
`T(k) = time(k) + sum of probability x T(next)` for exclusive flow,
`T(fork) = time(fork) + longest branch + T(join)` for a matched fork/join, where a
branch's time is its expected time to reach the join (solved the same way over the
branch's steps, inner blocks first), and `T(fork) = time(fork) + max T(branch)` for a
fork whose branches never join (policy iteration when that fork is inside a loop). A
fork's branches are the steps reached from it in the forward graph before its join; a
branch that leaves them another way (to an end, or back before the fork) counts until it
leaves.
Without parallel steps `T(start)` equals the sum of visits x step time (the standard
identity of absorbing Markov chains), as rules.md requires.

**Worst lead time** and the critical path are the longest start-to-end path by step time
in the forward graph (no loop-back taken); the same pass gives every step's longest
start-to-step-done time, for `deadline`.

**Handoffs** follow tokens between role-bearing steps; steps without a `role` (events,
gateways) are transparent: the role a token last saw is carried through them (through
joins too, so three branches meeting before one step are three consecutive pairs).

A `subprocess` step whose `duration` is not written takes the called process's expected
lead time as its duration, and adds the called process's effort per role (per visit) to
this process's effort, instead of its own role's.

Numbers are kept in full precision here; reports round hours, visits and ratios to 4
decimals.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from procmap.analysis.graph import ProcessGraph, build_graph
from procmap.analysis.linear import SingularSystem, solve
from procmap.model import Kind
from procmap.model.process import DEFAULT_AVAILABILITY

if TYPE_CHECKING:
    from procmap.analysis.whatif import Saving
    from procmap.findings import Finding
    from procmap.model import ProcessEntry, Step, Workspace

#: policy iterations for forks without a join inside loops (converges in 2-3 in practice)
_POLICY_ROUNDS = 30


class EndlessLoop(Exception):
    """A loop with no way out: expected visits (and times) are infinite."""

    def __init__(self, steps: list[int]) -> None:
        super().__init__(steps)
        self.steps = steps


@dataclass(frozen=True)
class LoopBack:
    """One rework loop: a loop-back transition and what repeating costs."""

    source: str  # the step the loop-back leaves from
    target: str  # the (earlier) step it returns to
    transition: int  # its index in the source's `next`
    condition: str | None  # its `when`
    repetitions: float  # expected times a case takes it
    cost_hours: float  # expected hours per case spent repeating the loop body
    body: tuple[str, ...]  # the steps repeated, in flow order


@dataclass
class ProcessMetrics:
    """The numbers of one process (full precision; see `to_json` for the report)."""

    steps: int
    visits: dict[str, float]
    effort_hours: float
    effort_by_role: dict[str, float]
    expected_lead_time_hours: float
    worst_lead_time_hours: float
    critical_path: list[str]
    flow_efficiency: float
    handoffs: float
    approvals: float
    utilization: dict[str, float]
    sla_hours: float | None = None
    demand_per_day: float | None = None
    step_time: dict[str, float] = field(default_factory=dict)  # wait + duration
    step_duration: dict[str, float] = field(default_factory=dict)  # subprocess: callee ELT
    expected_hours: dict[str, float] = field(default_factory=dict)  # visits x time
    longest_to: dict[str, float] = field(default_factory=dict)  # forward start-to-step-done
    longest_via: dict[str, str] = field(default_factory=dict, repr=False)  # previous step
    loops: list[LoopBack] = field(default_factory=list)
    roles_in: dict[str, dict[str, float]] = field(default_factory=dict)  # arrivals by role
    roles_out: dict[str, dict[str, float]] = field(default_factory=dict)  # next role/visit
    handoff_wait_hours: float = 0.0  # queueing at steps reached by a handoff, per case
    #: visits per case of each role's work steps (not `wait` steps), called processes'
    #: included: the tasks that queue for the role (organisation.py, Erlang C)
    tasks_by_role: dict[str, float] = field(default_factory=dict)

    def longest_path_to(self, step_id: str) -> list[str]:
        """The longest forward path from the start to `step_id` (for deadlines)."""
        path = [step_id]
        while path[-1] in self.longest_via:
            path.append(self.longest_via[path[-1]])
        return path[::-1]

    @property
    def rework_repetitions(self) -> float:
        return sum(loop.repetitions for loop in self.loops)

    def to_json(self) -> dict[str, object]:
        """The `metrics` object of `audit --format json` (rules.md), plus a few extras."""
        return {
            "steps": self.steps,
            "effort_hours": _round(self.effort_hours),
            "expected_lead_time_hours": _round(self.expected_lead_time_hours),
            "worst_lead_time_hours": _round(self.worst_lead_time_hours),
            "critical_path": list(self.critical_path),
            "flow_efficiency": _round(self.flow_efficiency),
            "handoffs": _round(self.handoffs),
            "approvals": _round(self.approvals),
            "visits": {k: _round(v) for k, v in self.visits.items()},
            "utilization": {k: _round(v) for k, v in self.utilization.items()},
            "effort_by_role": {k: _round(v) for k, v in self.effort_by_role.items()},
            "sla_hours": None if self.sla_hours is None else _round(self.sla_hours),
            "rework_repetitions": _round(self.rework_repetitions),
        }


def _round(value: float) -> float:
    rounded = round(value, 4)
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


@dataclass
class ProcessAnalysis:
    """A process with its graph and metrics, or why it has none."""

    entry: ProcessEntry
    graph: ProcessGraph
    metrics: ProcessMetrics | None = None
    endless_loop: list[str] | None = None  # steps of a loop no case can leave
    not_analysed: str | None = None  # why there are no metrics (shown to the user)
    findings: list[Finding] = field(default_factory=list)  # audit findings, configured
    #: metrics of the processes it calls (for what-if analyses, `procmap.analysis.whatif`)
    callees: Mapping[str, ProcessMetrics | None] = field(default_factory=dict, repr=False)
    #: what-if savings already computed: changes -> hours of expected lead time saved
    savings: dict[frozenset[tuple[str, str, int]], Saving] = field(default_factory=dict,
                                                                   repr=False)
    #: organisation-level figures (`procmap.analysis.organisation`), set by the audit
    cost_per_case: float | None = None
    within_sla: bool | None = None
    #: organisation-wide utilization of the roles with work in this process
    role_utilization: dict[str, float] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.entry.process.id


def analyse_processes(workspace: Workspace, selected: list[ProcessEntry],
                      blocked: Mapping[str, str] | None = None) -> list[ProcessAnalysis]:
    """Analyse `selected` processes (and, as needed, the processes they call).

    `blocked` maps process ids that must not be analysed (validation errors) to the reason.
    Called processes are analysed first, with an explicit stack (a chain of thousands of
    subprocess calls needs no recursion); a call back into a process being analysed (a
    cycle, reported by validate) has no metrics.
    """
    blocked = blocked or {}
    done: dict[int, ProcessAnalysis] = {}
    for entry in selected:
        if id(entry) not in done:
            _analyse_calls_first(workspace, entry, blocked, done)
    return [done[id(entry)] for entry in selected]


class _Pending:
    """A process being analysed, waiting for the processes it calls."""

    def __init__(self, entry: ProcessEntry, blocked: Mapping[str, str]) -> None:
        self.entry = entry
        self.calls = iter([s for s in entry.process.steps
                           if s.kind is Kind.SUBPROCESS and s.process is not None])
        self.callees: dict[str, ProcessMetrics | None] = {}
        self.problem = blocked.get(entry.process.id)
        self.waiting: Step | None = None  # the call whose process is being analysed

    def called(self, step: Step, result: ProcessAnalysis) -> None:
        assert step.process is not None
        self.callees[step.process] = result.metrics
        if result.metrics is None and self.problem is None \
                and "duration" not in step.model_fields_set:
            self.problem = f"it calls '{step.process}', which could not be analysed"

    def next_callee(self, workspace: Workspace, in_progress: set[int],
                    done: Mapping[int, ProcessAnalysis]) -> ProcessEntry | None:
        """The next called process still to analyse, or None when all are known."""
        for step in self.calls:
            assert step.process is not None
            if step.process in self.callees:
                continue
            callee = workspace.process(step.process)
            if callee is None or id(callee) in in_progress:
                self.callees[step.process] = None
            elif id(callee) in done:
                self.called(step, done[id(callee)])
            else:
                self.waiting = step
                return callee
        return None

    def analysis(self, workspace: Workspace) -> ProcessAnalysis:
        if self.problem is not None:
            return ProcessAnalysis(self.entry, build_graph(self.entry.process),
                                   not_analysed=self.problem)
        return analyse_process(self.entry, workspace, self.callees)


def _analyse_calls_first(workspace: Workspace, entry: ProcessEntry,
                         blocked: Mapping[str, str], done: dict[int, ProcessAnalysis]) -> None:
    stack = [_Pending(entry, blocked)]
    in_progress = {id(entry)}
    while stack:
        pending = stack[-1]
        callee = pending.next_callee(workspace, in_progress, done)
        if callee is not None:
            in_progress.add(id(callee))
            stack.append(_Pending(callee, blocked))
            continue
        stack.pop()
        in_progress.discard(id(pending.entry))
        result = done[id(pending.entry)] = pending.analysis(workspace)
        if stack:
            caller = stack[-1]
            assert caller.waiting is not None
            caller.called(caller.waiting, result)
            caller.waiting = None


def analyse_process(entry: ProcessEntry, workspace: Workspace | None = None,
                    callees: Mapping[str, ProcessMetrics | None] | None = None
                    ) -> ProcessAnalysis:
    """Graph and metrics of one process. `callees` gives the metrics of called processes."""
    graph = build_graph(entry.process)
    analysis = ProcessAnalysis(entry, graph, callees=dict(callees or {}))
    if graph.entry is None:
        analysis.not_analysed = "it has no steps"
        return analysis
    try:
        analysis.metrics = _Calculator(graph, workspace, callees or {}).metrics()
    except EndlessLoop as loop:
        analysis.endless_loop = [graph.ids[n] for n in sorted(
            loop.steps, key=lambda n: graph.position[n])]
        analysis.not_analysed = "a loop has no way out (endless-loop)"
    return analysis


class _Calculator:
    def __init__(self, graph: ProcessGraph, workspace: Workspace | None,
                 callees: Mapping[str, ProcessMetrics | None]) -> None:
        self.g = graph
        self.workspace = workspace
        self.callees = callees
        process = graph.process
        self.duration: list[float] = []
        self.callee_effort: dict[int, dict[str, float]] = {}
        self.callee_tasks: dict[int, dict[str, float]] = {}
        for number, step in enumerate(graph.steps):
            duration = step.duration
            if step.kind is Kind.SUBPROCESS and "duration" not in step.model_fields_set:
                called = callees.get(step.process or "")
                if called is not None:
                    duration = called.expected_lead_time_hours
                    self.callee_effort[number] = called.effort_by_role
                    self.callee_tasks[number] = called.tasks_by_role
            self.duration.append(duration)
        self.waits = [float(step.wait) for step in graph.steps]
        self.time = [self.waits[n] + self.duration[n] for n in range(len(graph.steps))]
        self.process = process
        self.flow: list[float] = [1.0] * len(graph)  # visits, once known

    # -- visits --------------------------------------------------------------------------

    def visits(self) -> list[float]:
        g = self.g
        visits = [0.0] * len(g)
        for c, members in enumerate(g.components):
            if not g.cyclic[c]:
                node = members[0]
                visits[node] = self._inflow(node, visits)
                continue
            inside = set(members)
            weights: dict[int, dict[int, float]] = {}
            constants: dict[int, float] = {}
            for node in members:
                constant = 1.0 if node == g.entry else 0.0
                row: dict[int, float] = {}
                fork = g.join_fork.get(node)
                if fork is not None:
                    if fork in inside:
                        row[fork] = 1.0
                    else:
                        constant += visits[fork]
                else:
                    for source, weight in g.predecessors[node]:
                        if source in inside:
                            row[source] = row.get(source, 0.0) + weight
                        else:
                            constant += weight * visits[source]
                weights[node] = row
                constants[node] = constant
            if not any(constants.values()):
                continue  # nothing enters this loop: every visit is 0
            try:
                solved = solve(members, weights, constants)
            except SingularSystem as exc:
                raise EndlessLoop(members) from exc
            for node, value in solved.items():
                visits[node] = max(value, 0.0)
        return visits

    def _inflow(self, node: int, visits: list[float]) -> float:
        total = 1.0 if node == self.g.entry else 0.0
        fork = self.g.join_fork.get(node)
        if fork is not None:
            return total + visits[fork]
        return total + sum(weight * visits[source]
                           for source, weight in self.g.predecessors[node])

    # -- expected times ------------------------------------------------------------------

    def block_times(self) -> dict[int, float]:
        """Fork -> its longest branch, as expected time from the fork to its join."""
        g = self.g
        blocks: dict[int, float] = {}
        for fork in sorted(g.block_join, key=lambda n: -g.position[n]):  # inner first
            join = g.block_join[fork]
            region = g.block_region[fork]
            to_join = self.times_to_finish(blocks, region)
            blocks[fork] = max((to_join.get(t, 0.0) for t, _ in g.successors[fork]
                                if t != join), default=0.0)
        return blocks

    def times_to_finish(self, blocks: Mapping[int, float],
                        region: frozenset[int] | None = None) -> dict[int, float]:
        """Expected time from entering each step until the case finishes (or, within a
        fork's `region`, until it leaves the region, e.g. reaches the join).

        Needs `self.flow` to hold the visits (see `expected_lead_time`): a singular loop
        is an endless loop only when some case enters it."""
        finish: dict[int, float] = {}
        nothing: set[int] = set()
        for members in self._finish_groups(region):
            if not self._has_loop(members):
                # no loop among these steps (a region's share of a larger loop): every
                # step's successors are known once the later ones are done
                for node in reversed(members):
                    finish[node] = self._finish_row(node, blocks, finish, nothing, None)[0]
                continue
            finish.update(self._solve_loop_group(members, blocks, finish))
        return finish

    def _finish_groups(self, region: frozenset[int] | None) -> list[list[int]]:
        """Groups of steps to solve, last component first (each in flow order)."""
        g = self.g
        if region is None:
            return g.components[::-1]
        # only the region's own components: blocks are small, processes are not
        by_component: dict[int, list[int]] = {}
        for node in region:
            by_component.setdefault(g.component[node], []).append(node)
        groups: list[list[int]] = []
        for c in sorted(by_component, reverse=True):
            members = by_component[c]
            members.sort(key=lambda n: g.position[n])
            groups.append(members)
        return groups

    def _has_loop(self, members: list[int]) -> bool:
        g = self.g
        inside = set(members)
        return any((m, t) in g.loop_backs for m in members
                   for t, _ in g.successors[m] if t in inside)

    def _solve_loop_group(self, members: list[int], blocks: Mapping[int, float],
                          finish: dict[int, float]) -> dict[int, float]:
        """Times to finish of a loop's steps: a linear system, with policy iteration over
        the branch each fork without a join waits for."""
        g = self.g
        inside = set(members)
        order = list(reversed(members))
        forks = [n for n in members if g.is_fork[n] and n not in blocks
                 and any(t in inside for t, _ in g.successors[n])]
        policy = {n: self._best_branch(n, finish, inside, None) for n in forks}
        solved: dict[int, float] = {}
        for _ in range(_POLICY_ROUNDS):
            weights: dict[int, dict[int, float]] = {}
            constants: dict[int, float] = {}
            for node in members:
                constants[node], weights[node] = self._finish_row(
                    node, blocks, finish, inside, policy.get(node))
            try:
                solved = solve(order, weights, constants)
            except SingularSystem as exc:
                if any(self.flow[n] > 0 for n in members):
                    raise EndlessLoop(members) from exc
                return dict.fromkeys(members, 0.0)  # a loop no case ever enters
            if not self._improve_policy(policy, forks, finish, inside, solved):
                break
        return solved

    def _improve_policy(self, policy: dict[int, int], forks: list[int],
                        finish: Mapping[int, float], inside: set[int],
                        solved: Mapping[int, float]) -> bool:
        """Switch each fork to a longer branch if there is one; whether any changed."""
        changed = False
        for n in forks:
            best = self._best_branch(n, finish, inside, solved)
            current = policy[n]
            if best != current and self._value(best, finish, solved) > \
                    self._value(current, finish, solved) + 1e-12:
                policy[n] = best
                changed = True
        return changed

    def _finish_row(self, node: int, blocks: Mapping[int, float], finish: dict[int, float],
                    inside: set[int], branch: int | None) -> tuple[float, dict[int, float]]:
        g = self.g
        constant = self.time[node]
        row: dict[int, float] = {}
        if node in blocks:
            constant += blocks[node]
            join = g.block_join[node]
            if join in inside:
                row[join] = 1.0
            else:
                constant += finish.get(join, 0.0)
            return constant, row
        if g.is_fork[node]:
            if branch is None:  # all branches known: take the longest
                return constant + max(finish.get(t, 0.0) for t, _ in g.successors[node]), row
            if branch in inside:
                row[branch] = 1.0
            else:
                constant += finish.get(branch, 0.0)
            return constant, row
        for target, weight in g.successors[node]:
            if target in inside:
                row[target] = row.get(target, 0.0) + weight
            else:
                constant += weight * finish.get(target, 0.0)
        return constant, row

    def _value(self, node: int, finish: Mapping[int, float],
               solved: Mapping[int, float] | None) -> float:
        if solved is not None and node in solved:
            return solved[node]
        return finish.get(node, 0.0)

    def _best_branch(self, fork: int, finish: Mapping[int, float], inside: set[int],
                     solved: Mapping[int, float] | None) -> int:
        targets = [t for t, _ in self.g.successors[fork]]
        if solved is None:  # first guess: the longest branch already known
            outside = [t for t in targets if t not in inside]
            if outside:
                return max(outside, key=lambda t: finish.get(t, 0.0))
            return targets[0]
        return max(targets, key=lambda t: self._value(t, finish, solved))

    # -- longest paths -------------------------------------------------------------------

    def longest(self) -> tuple[list[float | None], list[int]]:
        g = self.g
        best: list[float | None] = [None] * len(g)
        via = [-1] * len(g)
        assert g.entry is not None
        best[g.entry] = self.time[g.entry]
        for node in g.order:
            here = best[node]
            if here is None:
                continue
            for target in g.forward_successors[node]:
                candidate = here + self.time[target]
                current = best[target]
                if current is None or candidate > current + 1e-12:
                    best[target] = candidate
                    via[target] = node
        return best, via

    # -- role flows ----------------------------------------------------------------------

    def role_flows(self, visits: list[float]) -> tuple[list[dict[str, float]],
                                                       list[dict[str, float]]]:
        """For every step: tokens arriving by the role they last saw, and (per visit)
        the roles of the next role-bearing steps."""
        g = self.g
        roles = [s.role for s in g.steps]
        carried: list[dict[str, float]] = [{} for _ in g.ids]  # transparent steps only

        def source(p: int) -> dict[str, float]:
            role = roles[p]
            return {role: visits[p]} if role is not None else carried[p]

        self._propagate(carried, [n for n in range(len(g)) if roles[n] is None],
                        lambda n: g.predecessors[n], source, forward=True)
        ahead: list[dict[str, float]] = [{} for _ in g.ids]

        def destination(q: int) -> dict[str, float]:
            role = roles[q]
            return {role: 1.0} if role is not None else ahead[q]

        self._propagate(ahead, [n for n in range(len(g)) if roles[n] is None],
                        lambda n: g.successors[n], destination, forward=False)
        arriving: list[dict[str, float]] = [{} for _ in g.ids]
        leaving: list[dict[str, float]] = [{} for _ in g.ids]
        for node in range(len(g)):
            if roles[node] is None:
                continue
            for p, weight in g.predecessors[node]:
                _add(arriving[node], source(p), weight)
            for q, weight in g.successors[node]:
                _add(leaving[node], destination(q), weight)
        return arriving, leaving

    def _propagate(self, values: list[dict[str, float]], transparent: list[int],
                   neighbours: Callable[[int], list[tuple[int, float]]],
                   known: Callable[[int], dict[str, float]], *, forward: bool) -> None:
        g = self.g
        if not transparent:
            return
        is_transparent = set(transparent)
        components = range(len(g.components)) if forward else range(
            len(g.components) - 1, -1, -1)
        for c in components:
            members = [m for m in g.components[c] if m in is_transparent]
            if not members:
                continue
            if not forward:
                members.reverse()
            constants, weights = _role_rows(members, neighbours, known)
            if not any(weights.values()):
                for node in members:
                    values[node] = constants[node]
                continue
            _solve_by_role(values, members, weights, constants)

    # -- loops ---------------------------------------------------------------------------

    def loops(self, visits: list[float]) -> list[LoopBack]:
        g = self.g
        backward: dict[int, list[int]] = {}
        result = []
        for source, target in sorted(g.loop_backs,
                                     key=lambda e: (g.position[e[0]], g.position[e[1]])):
            weight = next(w for t, w in g.successors[source] if t == target)
            repetitions = visits[source] * weight
            if repetitions <= 0 or visits[target] <= 0:
                continue
            if not backward:
                for s, targets in enumerate(g.forward_successors):
                    for t in targets:
                        backward.setdefault(t, []).append(s)
            body = self._loop_body(source, target, backward)
            per_pass = sum(visits[n] * self.time[n] for n in body) / visits[target]
            number = g.transition_index(source, target)
            result.append(LoopBack(
                source=g.ids[source], target=g.ids[target], transition=number,
                condition=g.steps[source].next[number].when if g.steps[source].next else None,
                repetitions=repetitions, cost_hours=repetitions * per_pass,
                body=tuple(g.ids[n] for n in sorted(body, key=lambda n: g.position[n]))))
        return result

    def _loop_body(self, source: int, target: int, backward: dict[int, list[int]]
                   ) -> set[int]:
        """Steps on a forward path from the loop-back's target to its source."""
        g = self.g
        component = g.component[source]
        low, high = g.position[target], g.position[source]

        def sweep(start: int, step: Callable[[int], list[int]]) -> set[int]:
            seen = {start}
            queue = deque(seen)
            while queue:
                node = queue.popleft()
                for other in step(node):
                    if other not in seen and g.component[other] == component \
                            and low <= g.position[other] <= high:
                        seen.add(other)
                        queue.append(other)
            return seen

        ahead = sweep(target, lambda n: g.forward_successors[n])
        behind = sweep(source, lambda n: backward.get(n, []))
        return ahead & behind

    # -- everything ----------------------------------------------------------------------

    def expected_lead_time(self, visits: list[float]) -> float:
        """Expected time from the start to the end. `times_to_finish` tells an endless
        loop from a loop no case enters by the visits, so they are set first."""
        assert self.g.entry is not None
        self.flow = visits
        return self.times_to_finish(self.block_times())[self.g.entry]

    def critical_path(self, best: list[float | None], via: list[int]
                      ) -> tuple[float, list[int]]:
        """The worst lead time and its path: the longest way to an end reached (or, if
        none is, to any step reached)."""
        g = self.g
        reached_ends = [e for e in g.ends if best[e] is not None]
        candidates = reached_ends or [n for n in range(len(g)) if best[n] is not None]
        last = max(candidates, key=lambda n: (best[n] or 0.0, -g.position[n]))
        worst = best[last] or 0.0
        path = [last]
        while via[path[-1]] != -1:
            path.append(via[path[-1]])
        path.reverse()
        return worst, path

    def handoffs(self, arriving: list[dict[str, float]]) -> tuple[float, float]:
        """Handoffs per case, and the hours per case waited at steps reached by one."""
        handoffs = 0.0
        handoff_wait = 0.0
        for node, step in enumerate(self.g.steps):
            if step.role is None:
                continue
            changed = sum(n for role, n in arriving[node].items() if role != step.role)
            handoffs += changed
            handoff_wait += changed * step.wait
        return handoffs, handoff_wait

    def utilization(self, effort_by_role: dict[str, float]) -> dict[str, float]:
        utilization: dict[str, float] = {}
        demand = self.process.demand
        if demand is not None:
            for role, hours in effort_by_role.items():
                capacity, availability = self._capacity(role)
                utilization[role] = demand * hours / (capacity * availability)
        return utilization

    def metrics(self) -> ProcessMetrics:
        g = self.g
        process = self.process
        visits = self.visits()
        expected_lead_time = self.expected_lead_time(visits)
        best, via = self.longest()
        worst, path = self.critical_path(best, via)

        effort_by_role, tasks_by_role = self.work_by_role(visits)
        effort_by_role = self._in_role_order(effort_by_role)
        effort = sum(effort_by_role.values())

        arriving, leaving = self.role_flows(visits)
        handoffs, handoff_wait = self.handoffs(arriving)
        utilization = self.utilization(effort_by_role)

        ids = g.ids
        return ProcessMetrics(
            steps=len(process.steps),
            visits=self._by_step(visits),
            effort_hours=effort,
            effort_by_role=effort_by_role,
            expected_lead_time_hours=expected_lead_time,
            worst_lead_time_hours=worst,
            critical_path=[ids[n] for n in path],
            flow_efficiency=_flow_efficiency(effort, expected_lead_time),
            handoffs=handoffs,
            approvals=self.approvals(visits),
            utilization=utilization,
            sla_hours=process.sla,
            demand_per_day=process.demand,
            step_time=self._by_step(self.time),
            step_duration=self._by_step(self.duration),
            expected_hours=self._by_step([v * t for v, t in zip(visits, self.time,
                                                                strict=True)]),
            longest_to={ids[n]: value for n, value in enumerate(best) if value is not None},
            longest_via={ids[n]: ids[p] for n, p in enumerate(via) if p != -1},
            loops=self.loops(visits),
            roles_in={ids[n]: arriving[n] for n in range(len(g)) if arriving[n]},
            roles_out={ids[n]: leaving[n] for n in range(len(g)) if leaving[n]},
            handoff_wait_hours=handoff_wait,
            tasks_by_role=self._in_role_order(tasks_by_role),
        )

    def _by_step(self, values: list[float]) -> dict[str, float]:
        """Step id -> value, for a value of every step."""
        ids = self.g.ids
        return {ids[n]: values[n] for n in range(len(self.g))}

    def approvals(self, visits: list[float]) -> float:
        """Approval steps passed per case."""
        return sum(visits[n] for n, s in enumerate(self.g.steps) if s.kind is Kind.APPROVAL)

    def work_by_role(self, visits: list[float]) -> tuple[dict[str, float], dict[str, float]]:
        """Effort hours and work-step visits per case by role. A `wait` step is a timer:
        it takes no role's time."""
        g = self.g
        process = self.process
        effort_by_role: dict[str, float] = {}
        tasks_by_role: dict[str, float] = {}
        lanes: dict[str, str] | None = None
        for node, step in enumerate(g.steps):
            if not visits[node] or step.kind is Kind.WAIT:
                continue
            if node in self.callee_effort:
                _add(effort_by_role, self.callee_effort[node], visits[node])
                _add(tasks_by_role, self.callee_tasks[node], visits[node])
                continue
            if not self.duration[node]:
                continue
            role = step.role
            if role is None:
                if lanes is None:
                    from procmap.model.lanes import step_lanes

                    lanes = step_lanes(process, process.owner or "")
                role = lanes.get(step.id) or process.owner or "?"
            effort_by_role[role] = effort_by_role.get(role, 0.0) + visits[node] * \
                self.duration[node]
            tasks_by_role[role] = tasks_by_role.get(role, 0.0) + visits[node]
        return effort_by_role, tasks_by_role

    def _in_role_order(self, by_role: dict[str, float]) -> dict[str, float]:
        if self.workspace is None:
            return by_role
        order = {role: n for n, role in enumerate(self.workspace.roles)}
        return dict(sorted(by_role.items(), key=lambda item: (order.get(item[0], len(order)),
                                                              item[0])))

    def _capacity(self, role: str) -> tuple[float, float]:
        entry = self.workspace.roles.get(role) if self.workspace is not None else None
        if entry is None:
            for defined in self.process.roles:
                if defined.id == role:
                    return defined.capacity, defined.availability
            return 1.0, DEFAULT_AVAILABILITY
        return entry.role.capacity, entry.role.availability


def _role_rows(members: list[int], neighbours: Callable[[int], list[tuple[int, float]]],
               known: Callable[[int], dict[str, float]]
               ) -> tuple[dict[int, dict[str, float]], dict[int, dict[int, float]]]:
    """The equations of a group of transparent steps: roles brought in from outside the
    group (constants) and weights of the neighbours inside it."""
    group = set(members)
    constants: dict[int, dict[str, float]] = {}
    weights: dict[int, dict[int, float]] = {}
    for node in members:
        constant: dict[str, float] = {}
        row: dict[int, float] = {}
        for other, weight in neighbours(node):
            if other in group:
                row[other] = row.get(other, 0.0) + weight
            else:
                _add(constant, known(other), weight)
        constants[node] = constant
        weights[node] = row
    return constants, weights


def _solve_by_role(values: list[dict[str, float]], members: list[int],
                   weights: dict[int, dict[int, float]],
                   constants: dict[int, dict[str, float]]) -> None:
    """Solve a loop of transparent steps once per role, into `values`."""
    for role in {r for constant in constants.values() for r in constant}:
        try:
            solved = solve(members, weights,
                           {n: constants[n].get(role, 0.0) for n in members})
        except SingularSystem:
            continue  # an endless loop of gateways: reported through visits
        for node, value in solved.items():
            if value:
                values[node][role] = value


def _flow_efficiency(effort: float, expected_lead_time: float) -> float:
    """Share of the expected lead time spent working (0 for a process taking no time)."""
    return min(1.0, effort / expected_lead_time) if expected_lead_time > 0 else 0.0


def _add(total: dict[str, float], part: Mapping[str, float], factor: float) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0.0) + factor * value


def evaluate_changes(analysis: ProcessAnalysis, waits: Mapping[str, float],
                     durations: Mapping[str, float], dropped: Mapping[str, set[int]],
                     workspace: Workspace | None = None
                     ) -> tuple[float, dict[str, float]] | None:
    """Expected lead time and effort by role of the analysed process with some steps'
    wait or duration replaced and some transitions removed (what-if analyses,
    `procmap.analysis.whatif`). The graph is reused (no rebuilding, no networkx): a
    removed transition only loses its weight, the other transitions of its step share it
    in proportion, as a new model would. None when the changed model has an endless loop.
    """
    from dataclasses import replace

    from procmap.analysis.graph import _flow

    graph = analysis.graph
    entry = graph.entry
    if entry is None:
        return None
    if dropped:
        successors = list(graph.successors)
        for step_id, indices in dropped.items():
            node = graph.index[step_id]
            step = graph.steps[node]
            kept = [t for n, t in enumerate(step.next) if n not in indices]
            successors[node] = _flow(step.model_copy(update={"next": kept}), graph.index)[0]
        predecessors: list[list[tuple[int, float]]] = [[] for _ in graph.ids]
        for source, targets in enumerate(successors):
            for target, weight in targets:
                predecessors[target].append((source, weight))
        graph = replace(graph, successors=successors, predecessors=predecessors)
    calculator = _Calculator(graph, workspace, analysis.callees)
    for step_id, hours in durations.items():
        node = graph.index[step_id]
        calculator.duration[node] = hours
        calculator.callee_effort.pop(node, None)
        calculator.callee_tasks.pop(node, None)
    for step_id, hours in waits.items():
        calculator.waits[graph.index[step_id]] = hours
    calculator.time = [calculator.waits[n] + calculator.duration[n] for n in range(len(graph))]
    try:
        visits = calculator.visits()
        lead_time = calculator.expected_lead_time(visits)
    except EndlessLoop:
        return None
    effort, _tasks = calculator.work_by_role(visits)
    return lead_time, effort
