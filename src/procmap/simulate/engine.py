"""The event loop: one replication of a compiled model (a `heapq` of timed events).

Measured against SimPy on the same queue (bench/simulate_bench.py, docs/benchmarks.md):
this loop avoids a generator and an event object per step, which is where SimPy's time
goes. Events are tuples `(time, sequence, kind, case, node, extra)`; the sequence keeps
events at the same time in the order they were scheduled, so a run is deterministic.

Random numbers (common random numbers): one `random.Random` per purpose, seeded from
`seed:replication:process:step:purpose` text (SHA-512 seeding, the same on every
machine): arrivals per process, durations and branch choices per step. Two scenarios
differ only where they change the model.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from heapq import heappop, heappush
from typing import Any

from procmap.errors import ProcmapError
from procmap.i18n import _
from procmap.simulate.model import (
    END,
    EXPONENTIAL,
    FIXED,
    JOIN,
    LOGNORMAL,
    PASS,
    TASK,
    TIMER,
    Dist,
    SimModel,
)

ARRIVE, FINISH, TIMER_DONE, WAKE, QUEUE = range(5)
#: events per case beyond which a run stops: only near-endless rework gets there
EVENTS_PER_CASE = 1000


class TooManyEvents(ProcmapError):
    """Cases that loop (almost) forever: the run would not end in reasonable time."""
#: one row of the event log: case, process, step, activity, lifecycle, time, pool, person
LogRow = tuple[str, str, str, str, str, float, int, int]


class Case:
    __slots__ = ("active", "arrival", "cost", "done_at", "joins", "measured", "name",
                 "parent", "proc")

    def __init__(self, proc: int, arrival: float, measured: bool, name: str,
                 parent: tuple[Case, int] | None = None) -> None:
        self.proc = proc
        self.arrival = arrival
        self.active = 1
        self.measured = measured
        self.name = name
        self.parent = parent
        self.joins: dict[int, int] | None = None
        self.done_at: dict[int, float] | None = None
        self.cost = 0.0


@dataclass
class ProcessStats:
    lead_times: list[float] = field(default_factory=list)
    sla_met: int = 0
    deadline_reached: dict[str, int] = field(default_factory=dict)
    deadline_met: dict[str, int] = field(default_factory=dict)
    cost: float = 0.0


@dataclass
class PoolStats:
    waits: list[float] = field(default_factory=list)
    offered: float = 0.0  # work requested before the last arrival (working hours)
    busy: float = 0.0  # occupied person-hours of all tasks
    queue_mid: int = 0
    queue_end: int = 0
    available: float = 0.0  # person working hours from 0 to the last arrival


@dataclass
class RunStats:
    processes: list[ProcessStats]
    pools: list[PoolStats]
    horizon: float  # when the first process stops arriving (utilization is measured to it)
    end: float  # the time of the last event
    log: list[LogRow] | None = None


def _sampler(d: Dist, rng: random.Random) -> Callable[[], float]:
    kind, a, b = d
    if kind == FIXED:
        return lambda: a
    if kind == LOGNORMAL:
        gauss = rng.gauss
        return lambda: math.exp(a + b * gauss(0.0, 1.0))
    if kind == EXPONENTIAL:
        expo = rng.expovariate
        rate = 1.0 / a if a > 0 else math.inf
        return lambda: expo(rate) if rate != math.inf else 0.0
    raise ValueError(kind)


class Engine:
    """One replication. `run()` returns the statistics of the measured cases."""

    def __init__(self, model: SimModel, *, seed: int, replication: int, cases: int,
                 warmup: int, log: bool = False, contention: bool = True,
                 progress: Callable[[int], None] | None = None) -> None:
        self.model = model
        self.cases = cases
        self.warmup = warmup
        self.contention = contention
        self.progress = progress
        self.heap: list[tuple[float, int, int, Any, int, Any]] = []
        self.seq = 0
        self.samplers: list[list[Callable[[], float]]] = []
        self.waits: list[list[Callable[[], float] | None]] = []
        self.choosers: list[list[Callable[[], float] | None]] = []
        self.arrival_rng: list[random.Random] = []
        self._streams(f"{seed}:{replication}")
        self.nodes = [p.nodes for p in model.processes]
        self.pools = model.pools
        self.free: list[list[int]] = [list(range(p.servers - 1, -1, -1)) for p in model.pools]
        self.queue: list[deque[tuple[Case, int, float, float]]] = [
            deque() for _ in model.pools]
        self.wake_pending = [False] * len(model.pools)
        self.stats = RunStats([ProcessStats() for _ in model.processes],
                              [PoolStats() for _ in model.pools], 0.0, 0.0,
                              [] if log else None)
        self.arrived = [0] * len(model.processes)
        # the run's clock for utilization and queue growth: the process whose arrivals
        # end first (all processes arrive until then, in their mix)
        arriving = [(1.0 / p.demand_per_hour, i) for i, p in enumerate(model.processes)
                    if p.demand_per_hour > 0]
        self.clock = min(arriving)[1] if arriving else -1
        self.arriving = True
        demanded = sum(1 for p in model.processes if p.demand_per_hour > 0)
        self.limit = EVENTS_PER_CASE * max(1, (cases + warmup) * demanded) + 1_000_000

    def _streams(self, key: str) -> None:
        """One random stream per purpose (common random numbers, see the docstring)."""
        for proc in self.model.processes:
            base = f"{key}:{proc.id}"
            self.arrival_rng.append(random.Random(f"{base}:arrivals"))
            self.samplers.append([_sampler(n.duration, random.Random(f"{base}:{n.id}:duration"))
                                  for n in proc.nodes])
            self.waits.append([_sampler(n.wait, random.Random(f"{base}:{n.id}:wait"))
                               if n.wait[1] > 0 else None for n in proc.nodes])
            self.choosers.append([random.Random(f"{base}:{n.id}:branch").random
                                  if n.cumulative else None for n in proc.nodes])

    def push(self, time: float, kind: int, case: Any, node: int, extra: Any = None) -> None:
        self.seq += 1
        if self.seq > self.limit:
            raise TooManyEvents(_(
                "the simulation stopped after {events} events: cases pass steps more than "
                "{limit} times on average (check the probabilities of rework loops)")
                .format(events=f"{self.seq:,}", limit=f"{EVENTS_PER_CASE:,}"))
        heappush(self.heap, (time, self.seq, kind, case, node, extra))

    # --- arrivals --------------------------------------------------------------------

    def _next_arrival(self, index: int, time: float) -> None:
        proc = self.model.processes[index]
        rng = self.arrival_rng[index]
        if proc.arrival_pool >= 0 and (work := self.model.pools[proc.arrival_pool].work):
            rate = proc.demand_per_hour * 168.0 / work.hours_per_week
            self.push(work.add(time, rng.expovariate(rate)), ARRIVE, None, index)
        else:
            self.push(time + rng.expovariate(proc.demand_per_hour), ARRIVE, None, index)

    def _arrive(self, index: int, time: float) -> None:
        number = self.arrived[index]
        self.arrived[index] = number + 1
        if number + 1 < self.cases + self.warmup:
            self._next_arrival(index, time)
        proc = self.model.processes[index]
        name = f"{proc.id}-{number + 1}" if self.stats.log is not None else ""
        case = Case(index, time, number >= self.warmup, name)
        if index == self.clock:
            self._sample(number + 1)
        if self.progress is not None and number % 1000 == 999:
            self.progress(1000)
        self._enter(case, proc.entry, time)

    def _sample(self, arrived: int) -> None:
        total = self.cases + self.warmup
        if arrived == (total + 1) // 2:
            for pool, queue in zip(self.stats.pools, self.queue, strict=True):
                pool.queue_mid = len(queue)
        if arrived == total:
            self.arriving = False
            for pool, queue in zip(self.stats.pools, self.queue, strict=True):
                pool.queue_end = len(queue)

    # --- flow --------------------------------------------------------------------------

    def _enter(self, case: Case, first: int, time: float) -> None:
        """Move a token into `first` and on through steps that take no time."""
        nodes = self.nodes[case.proc]
        stack = [first]
        while stack:
            number = stack.pop()
            node = nodes[number]
            kind = node.kind
            if kind == TASK:
                wait = self.waits[case.proc][number]
                if wait is not None:
                    self.push(time + wait(), QUEUE, case, number)
                else:
                    self._request(case, number, time)
            elif kind == PASS:
                if node.deadline is not None:
                    self._reached(case, number, time)
                targets = self._route(case, number)
                if not targets:
                    self._finish_case_if_done(case, time)
                stack.extend(targets)
            elif kind == END:
                case.active -= 1
                self._finish_case_if_done(case, time)
            elif kind == JOIN:
                joins = case.joins if case.joins is not None else {}
                case.joins = joins
                count = joins.get(number, 0) + 1
                if count >= node.need:
                    joins[number] = count - node.need
                    case.active -= node.need - 1
                    targets = self._route(case, number)
                    if not targets:
                        self._finish_case_if_done(case, time)
                    stack.extend(targets)
                else:
                    joins[number] = count
            elif kind == TIMER:
                wait = self.waits[case.proc][number]
                delay = self.samplers[case.proc][number]() + (wait() if wait else 0.0)
                self.push(time + delay, TIMER_DONE, case, number)
            else:  # CALL
                called = self.model.processes[node.call]
                child = Case(node.call, time, False,
                             f"{case.name}/{called.id}" if case.name else "",
                             parent=(case, number))
                self._enter(child, called.entry, time)

    def _route(self, case: Case, number: int) -> list[int]:
        """Where a token goes after `number`: one chosen way, or every way of a fork."""
        node = self.nodes[case.proc][number]
        targets = node.targets
        if node.cumulative is not None:
            chooser = self.choosers[case.proc][number]
            assert chooser is not None
            draw = chooser()
            for target, bound in zip(targets, node.cumulative, strict=True):
                if draw < bound:
                    return [target]
            return [targets[-1]]
        if len(targets) != 1:
            case.active += len(targets) - 1  # a fork (or a dead end: one token less)
        return targets[::-1]  # the stack pops the first way first

    def _reached(self, case: Case, number: int, time: float) -> None:
        if case.measured:
            done = case.done_at if case.done_at is not None else {}
            case.done_at = done
            done.setdefault(number, time - case.arrival)

    def _done_step(self, case: Case, number: int, time: float) -> None:
        if self.nodes[case.proc][number].deadline is not None:
            self._reached(case, number, time)
        targets = self._route(case, number)
        for target in targets:
            self._enter(case, target, time)
        if not targets:
            self._finish_case_if_done(case, time)

    def _finish_case_if_done(self, case: Case, time: float) -> None:
        if case.active > 0:
            return
        if case.parent is not None:
            parent, number = case.parent
            parent.cost += case.cost
            self._done_step(parent, number, time)
            return
        if not case.measured:
            return
        proc = self.model.processes[case.proc]
        stats = self.stats.processes[case.proc]
        lead = time - case.arrival
        stats.lead_times.append(lead)
        if proc.sla is not None and lead <= proc.sla + 1e-9:
            stats.sla_met += 1
        stats.cost += case.cost
        if case.done_at:
            for number, reached in case.done_at.items():
                node = proc.nodes[number]
                stats.deadline_reached[node.id] = stats.deadline_reached.get(node.id, 0) + 1
                if node.deadline is not None and reached <= node.deadline + 1e-9:
                    stats.deadline_met[node.id] = stats.deadline_met.get(node.id, 0) + 1

    # --- people ------------------------------------------------------------------------

    def _request(self, case: Case, number: int, time: float) -> None:
        index = self.nodes[case.proc][number].pool
        pool = self.pools[index]
        work = self.samplers[case.proc][number]()
        if pool.cost is not None:
            case.cost += work * pool.cost
        if self.arriving:
            self.stats.pools[index].offered += work
        if not self.contention:
            self._start(case, number, time, time, index, -1, work)
            return
        free = self.free[index]
        queue = self.queue[index]
        if free and not queue:
            if pool.work is None:
                self._start(case, number, time, time, index, free.pop(), work)
                return
            opens = pool.work.next_open(time)
            if opens == time:
                self._start(case, number, time, time, index, free.pop(), work)
                return
            queue.append((case, number, time, work))
            self._wake(index, opens)
            return
        queue.append((case, number, time, work))

    def _wake(self, pool: int, time: float) -> None:
        if not self.wake_pending[pool]:
            self.wake_pending[pool] = True
            self.push(time, WAKE, None, pool)

    def _dispatch(self, index: int, time: float) -> None:
        free = self.free[index]
        queue = self.queue[index]
        work_time = self.model.pools[index].work
        if free and queue and work_time is not None:
            opens = work_time.next_open(time)
            if opens > time:
                self._wake(index, opens)
                return
        while free and queue:
            case, number, since, work = queue.popleft()
            self._start(case, number, since, time, index, free.pop(), work)

    def _start(self, case: Case, number: int, since: float, time: float, index: int,
               person: int, work: float) -> None:
        pool = self.pools[index]
        occupied = work / pool.speed if self.contention else work
        finish = pool.work.add(time, occupied) if pool.work is not None else time + occupied
        stats = self.stats.pools[index]
        stats.busy += occupied
        if case.measured:
            stats.waits.append(time - since)
        log = self.stats.log
        if log is not None:
            proc = self.model.processes[case.proc]
            node = proc.nodes[number]
            log.append((case.name, proc.id, node.id, node.activity, "start", time, index,
                        person))
        self.push(finish, FINISH, case, number, (index, person))

    # --- the loop ----------------------------------------------------------------------

    def run(self) -> RunStats:
        for index, proc in enumerate(self.model.processes):
            if proc.demand_per_hour > 0 and self.cases + self.warmup > 0:
                self._next_arrival(index, 0.0)
        if self.clock < 0 or self.cases + self.warmup == 0:
            self.arriving = False
        heap = self.heap
        time = 0.0
        while heap:
            time, _, kind, case, number, extra = heappop(heap)
            if kind == FINISH:
                self._finish(case, number, time, extra)
            elif kind == ARRIVE:
                self._arrive(number, time)
                if not self.arriving and self.stats.horizon == 0.0:
                    self.stats.horizon = time
            elif kind == TIMER_DONE:
                self._done_step(case, number, time)
            elif kind == QUEUE:
                self._request(case, number, time)
            else:  # WAKE
                self.wake_pending[number] = False
                self._dispatch(number, time)
        self.stats.end = time
        for pool, stats in zip(self.model.pools, self.stats.pools, strict=True):
            hours = pool.work.open_hours(0.0, self.stats.horizon) if pool.work is not None \
                else self.stats.horizon
            stats.available = hours * pool.servers * pool.speed
        return self.stats

    def _finish(self, case: Case, number: int, time: float, extra: tuple[int, int]) -> None:
        """A person finished a task: log it, take the next task, move the token on."""
        index, person = extra
        log = self.stats.log
        if log is not None:
            proc = self.model.processes[case.proc]
            node = proc.nodes[number]
            log.append((case.name, proc.id, node.id, node.activity, "complete", time, index,
                        person))
        if person >= 0:
            self.free[index].append(person)
            if self.queue[index]:
                self._dispatch(index, time)
        self._done_step(case, number, time)
