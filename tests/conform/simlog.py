"""A small deterministic event-log generator for the conform tests (and `make run`).

Cases walk a process graph from its start: decisions pick a branch by probability,
parallel forks run every branch (each on its own clock) and meet at their join, wait and
duration are lognormal with the step's `{median, p90}` (or fixed). Every visited step
with events writes a `start` and a `complete` event. The generator keeps what it drew
(`Truth`), so tests compare what conform recovers with what really happened.

Until `procmap simulate --log` exists this stands in for it; it writes the same format.
"""

from __future__ import annotations

import csv
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from procmap.analysis.graph import ProcessGraph, build_graph
from procmap.model import Kind, Process

SILENT = {Kind.START, Kind.END, Kind.DECISION, Kind.PARALLEL}
Z90 = 1.2815515655446004
BEGIN = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


@dataclass
class Event:
    case: str
    activity: str
    time: datetime
    lifecycle: str
    resource: str | None = None
    process: str | None = None


@dataclass
class Truth:
    """What the generator drew: branch counts, durations and waits, lead times."""

    branches: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    waits: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lead_times: list[float] = field(default_factory=list)  # hours


def _draw(rng: random.Random, value: float) -> float:
    median = getattr(value, "median", None)
    p90 = getattr(value, "p90", None)
    if median is None or p90 is None or p90 <= median or median <= 0:
        return float(value)
    sigma = math.log(p90 / median) / Z90
    return float(median) * math.exp(rng.gauss(0.0, sigma))


class Generator:
    def __init__(self, process: Process, seed: int = 7) -> None:
        self.process = process
        self.graph: ProcessGraph = build_graph(process)
        self.rng = random.Random(seed)
        self.truth = Truth()

    def cases(self, count: int, every_minutes: float = 7.0,
              prefix: str = "C") -> list[list[Event]]:
        return [self.case(f"{prefix}-{number:06d}",
                          BEGIN + timedelta(minutes=every_minutes * number))
                for number in range(count)]

    def case(self, case_id: str, begin: datetime) -> list[Event]:
        events: list[Event] = []
        entry = self.graph.entry
        assert entry is not None
        end = self._walk(entry, 0.0, None, case_id, begin, events)
        self.truth.lead_times.append(end - min(
            ((e.time - begin).total_seconds() / 3600 for e in events), default=0.0))
        return events

    def _walk(self, node: int, clock: float, stop: int | None, case_id: str,
              begin: datetime, events: list[Event]) -> float:
        graph = self.graph
        while True:
            if node == stop:
                return clock
            step = graph.steps[node]
            if step.kind not in SILENT:
                clock = self._work(step, clock, case_id, begin, events)
            successors = graph.successors[node]
            if not successors or step.kind is Kind.END:
                return clock
            if graph.is_fork[node] and len(successors) > 1:
                join = graph.block_join.get(node)
                clock = max(self._walk(target, clock, join, case_id, begin, events)
                            for target, _w in successors)
                if join is None:
                    return clock
                node = join
                continue
            if len(successors) > 1:
                weights = [w for _t, w in successors]
                target = self.rng.choices([t for t, _w in successors], weights)[0]
                self.truth.branches[(step.id, graph.ids[target])] += 1
                node = target
            else:
                node = successors[0][0]

    def _work(self, step: Any, clock: float, case_id: str, begin: datetime,
              events: list[Event]) -> float:
        wait = _draw(self.rng, step.wait)
        # a step without a designed duration still takes a second: events at the same
        # instant have no order a log could keep
        duration = max(_draw(self.rng, step.duration), 1 / 3600)
        self.truth.waits[step.id].append(wait)
        self.truth.durations[step.id].append(duration)
        name = step.activity_names[-1]
        start = clock + wait
        done = start + duration
        for at, lifecycle in ((start, "start"), (done, "complete")):
            events.append(Event(case_id, name, begin + timedelta(hours=at), lifecycle,
                                step.role, self.process.id))
        return done


def write_csv(path: str, cases: list[list[Event]], *, shuffle_seed: int | None = 3,
              process_column: bool = False, zone: str = "Z") -> int:
    """Write the events (in random row order unless `shuffle_seed` is None)."""
    rows = [event for case in cases for event in case]
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "activity", "timestamp", "lifecycle", "resource",
                         *(["process"] if process_column else [])])
        for e in rows:
            stamp = e.time.strftime("%Y-%m-%dT%H:%M:%S.%f") + zone
            writer.writerow([e.case, e.activity, stamp, e.lifecycle, e.resource or "",
                             *([e.process or ""] if process_column else [])])
    return len(rows)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# -- noise: each returns the case changed in one known way ------------------------------

def with_unknown_activity(case: list[Event], name: str = "发送短信 <sms>") -> list[Event]:
    done = [e for e in case if e.lifecycle == "complete"]
    anchor = done[len(done) // 2]
    extra = Event(anchor.case, name, anchor.time + timedelta(seconds=1), "complete")
    return [*case, extra]


def with_skipped_step(case: list[Event], activity: str) -> list[Event]:
    return [e for e in case if e.activity != activity]


def with_swapped_steps(case: list[Event], first: str, second: str) -> list[Event]:
    times = {(e.activity, e.lifecycle): e.time for e in case}
    swapped = []
    for e in case:
        other = second if e.activity == first else first if e.activity == second else None
        if other is None:
            swapped.append(e)
        else:
            swapped.append(Event(e.case, e.activity, times[(other, e.lifecycle)],
                                 e.lifecycle, e.resource, e.process))
    return swapped


def with_other_process_event(case: list[Event], activity: str) -> list[Event]:
    return with_unknown_activity(case, activity)
