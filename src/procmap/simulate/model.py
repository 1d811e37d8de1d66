"""Compile validated processes and roles into the engine's plain structures.

Step graphs come from `procmap.analysis.graph.build_graph` (flow weights, fork/join
matching), so simulate walks the same flow that audit analyses.

- A role is a pool of people. With a `calendar` it has `capacity` people (rounded up;
  a fractional capacity slows each of them down in proportion) who work only in the
  calendar's hours in its `timezone`. Without one it works around the clock at the
  `availability` share of time, as audit assumes: `capacity x availability / 24` full-time
  servers, rounded up, each slowed down so the pool's working hours per day stay exact.
- Durations are fixed, or lognormal for `{median, p90}`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from procmap.model import CHOICE_KINDS, Kind

if TYPE_CHECKING:
    from procmap.analysis.graph import ProcessGraph
    from procmap.model import Process, Role, Step
    from procmap.simulate.worktime import WorkingTime

# node kinds of the engine
PASS, END, TASK, TIMER, CALL, JOIN = range(6)
# duration kinds: (kind, a, b)
FIXED, LOGNORMAL, EXPONENTIAL = range(3)
Dist = tuple[int, float, float]
NO_TIME: Dist = (FIXED, 0.0, 0.0)


def dist(hours: float) -> Dist:
    """A duration as the engine samples it: fixed, or lognormal for a Spread."""
    median = getattr(hours, "median", None)
    p90 = getattr(hours, "p90", None)
    if median is not None and p90 is not None and median > 0 and p90 > median:
        from procmap.model.fields import Z90

        return (LOGNORMAL, math.log(median), math.log(p90 / median) / Z90)
    return (FIXED, float(hours), 0.0)


def dist_mean(d: Dist) -> float:
    kind, a, b = d
    if kind == LOGNORMAL:
        return math.exp(a + b * b / 2)
    return a


@dataclass
class Pool:
    """A role's people."""

    id: str
    label: str
    servers: int
    speed: float  # work per working hour of one person (1: full time)
    work: WorkingTime | None  # None: around the clock
    cost: float | None  # per person-hour
    zone: str | None


@dataclass
class Node:
    """One step as the engine runs it."""

    id: str
    label: str
    kind: int
    pool: int = -1
    duration: Dist = NO_TIME
    wait: Dist = NO_TIME  # a timer before queueing (--typed-waits), or a wait step's time
    targets: list[int] = field(default_factory=list)
    cumulative: list[float] | None = None  # exclusive choice: cumulative probabilities
    need: int = 0  # join: tokens to wait for
    call: int = -1  # subprocess: the called process
    deadline: float | None = None
    activity: str = ""  # the name in the event log


@dataclass
class SimProcess:
    id: str
    label: str
    nodes: list[Node]
    entry: int
    demand_per_hour: float  # 0: only called as a subprocess
    sla: float | None
    arrival_pool: int  # whose calendar arrivals follow (-1: around the clock)
    has_cost: bool
    selected: bool = True  # reported (else only called)


@dataclass
class SimModel:
    processes: list[SimProcess]
    pools: list[Pool]

    def process_index(self, process_id: str) -> int:
        return next(i for i, p in enumerate(self.processes) if p.id == process_id)


def make_pool(role: Role) -> Pool:
    from procmap.model.calendar import WorkCalendar
    from procmap.simulate.worktime import WorkingTime

    calendar = WorkCalendar.parse(role.calendar) if role.calendar else None
    if calendar is not None and not calendar.around_the_clock:
        servers = max(1, math.ceil(role.capacity - 1e-9))
        return Pool(role.id, role.label, servers, role.capacity / servers,
                    WorkingTime(calendar, role.timezone), role.cost, role.timezone)
    if calendar is not None:  # 24/7: everyone full time
        servers = max(1, math.ceil(role.capacity - 1e-9))
        return Pool(role.id, role.label, servers, role.capacity / servers, None, role.cost,
                    role.timezone)
    full_time = role.capacity * role.availability / 24
    servers = max(1, math.ceil(full_time - 1e-9))
    return Pool(role.id, role.label, servers, full_time / servers, None, role.cost,
                role.timezone)


def compile_model(processes: list[Process], roles: dict[str, Role],
                  selected: set[str], typed_waits: bool = False) -> SimModel:
    """The engine's model of `processes` (the selected ones and every process they call)."""
    from procmap.model import Role as RoleModel

    pools: list[Pool] = []
    pool_index: dict[str, int] = {}

    def pool_of(role_id: str | None) -> int:
        if role_id is None:
            return -1
        if role_id not in pool_index:
            role = roles.get(role_id) or RoleModel(id=role_id)
            pool_index[role_id] = len(pools)
            pools.append(make_pool(role))
        return pool_index[role_id]

    order = {p.id: i for i, p in enumerate(processes)}
    compiled = [_compile_process(p, pool_of, order, typed_waits) for p in processes]
    for sim in compiled:
        sim.selected = sim.id in selected
    return SimModel(compiled, pools)


def _compile_process(process: Process, pool_of: Callable[[str | None], int],
                     order: dict[str, int], typed_waits: bool) -> SimProcess:
    from procmap.analysis.graph import build_graph

    graph = build_graph(process)
    nodes: list[Node] = []
    for number, step in enumerate(graph.steps):
        node = Node(step.id, step.label, PASS, deadline=step.deadline,
                    activity=step.activity[0] if step.activity else step.label)
        node.targets = [target for target, _ in graph.successors[number]]
        if step.kind in CHOICE_KINDS and len(node.targets) > 1 and not graph.is_fork[number]:
            node.cumulative = _cumulative([w for _, w in graph.successors[number]])
        _set_kind(node, step, graph, number, order)
        if node.kind in (TASK, TIMER):
            _set_times(node, step, pool_of, typed_waits)
        nodes.append(node)
    return SimProcess(process.id, process.label, nodes, graph.entry or 0,
                      (process.demand or 0.0) / 24, process.sla,
                      pool_of(_arrival_role(process)), any(n.pool >= 0 for n in nodes))


def _arrival_role(process: Process) -> str | None:
    """Whose calendar the arrivals follow: the owner, else the first step's role."""
    return process.owner or next((s.role for s in process.steps if s.role is not None), None)


def _cumulative(weights: list[float]) -> list[float]:
    """An exclusive choice's cumulative probabilities (normalised, the last exactly 1)."""
    total = sum(weights) or 1.0
    running, cumulative = 0.0, []
    for weight in weights:
        running += weight / total
        cumulative.append(running)
    cumulative[-1] = 1.0
    return cumulative


def _set_kind(node: Node, step: Step, graph: ProcessGraph, number: int,
              order: dict[str, int]) -> None:
    kind = step.kind
    if kind is Kind.END:
        node.kind = END
    elif number in graph.join_fork:
        node.kind = JOIN
        node.need = len(graph.predecessors[number])
    elif kind is Kind.WAIT:
        node.kind = TIMER
    elif kind is Kind.SUBPROCESS and step.process in order and \
            "duration" not in step.model_fields_set:
        node.kind = CALL
        node.call = order[step.process]
    elif kind in (Kind.TASK, Kind.APPROVAL, Kind.SUBPROCESS) and step.role is not None:
        node.kind = TASK
    elif step.duration or step.wait:
        node.kind = TIMER  # time without a role: it passes, nobody works


def _set_times(node: Node, step: Step, pool_of: Callable[[str | None], int],
               typed_waits: bool) -> None:
    """Durations of a task or timer; a wait step's `wait` always counts (it is a timer)."""
    node.duration = dist(step.duration)
    if step.wait and (typed_waits or step.kind is Kind.WAIT):
        node.wait = dist(step.wait)
    if node.kind == TASK:
        node.pool = pool_of(step.role)
