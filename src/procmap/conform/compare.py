"""Observed against designed: per process, step, transition and role (conform.md).

`conform(workspace, engine, ...)` registers the model's tables with the engine, runs the
shared SQL (`queries.py`), replays each distinct variant (`replay.py`) and returns a
`ConformResult`: the JSON of conform.md, and the `conform` rules' findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procmap.conform.queries import Clock, Engine, run_all
from procmap.conform.replay import OPTIONAL_KINDS, SILENT_KINDS, Deviation, Net, replay_activities
from procmap.findings import Finding
from procmap.model import CHOICE_KINDS, Kind

if TYPE_CHECKING:
    from procmap.analysis.graph import ProcessGraph
    from procmap.conform.read import LogInfo
    from procmap.model import ProcessEntry, Transition, Workspace
    from procmap.model.calendar import WorkCalendar

HOUR = 3600.0
END = "\x00end"  # the end of a case in the directly-follows graph


@dataclass
class ProcessReport:
    """One process: its model, what was observed, and the JSON of it."""

    entry: ProcessEntry
    graph: ProcessGraph
    data: dict[str, Any]
    #: step id -> observed rows (visits, times); transitions with designed values
    deviation_cases: dict[str, int] = field(default_factory=dict)


@dataclass
class ConformResult:
    log: LogInfo
    processes: list[ProcessReport]
    unmatched_cases: int
    cases: int
    findings: list[Finding] = field(default_factory=list)
    accepted: int = 0  # deviations silenced by [conform] accept
    #: the names of the roles with working hours that do the steps measured: their
    #: durations are measured in those hours (`worktime.py`), as they are designed
    calendar_roles: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        from procmap.text.escape import display_path

        log = self.log
        return {"version": 1, "log": display_path(log.path), "format": log.format,
                "events": log.events, "cases": self.cases, "rejected_rows": log.rejected,
                "rejected_examples": log.rejected_rows,
                "malformed_lines": log.malformed_lines, "duplicates": log.duplicates,
                "unmatched_cases": self.unmatched_cases,
                "processes": [p.data for p in self.processes],
                "findings": [f.to_json() for f in self.findings]}


def _h(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / HOUR, 4)


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


class Model:
    """The event-log view of one process: which activity is which step."""

    def __init__(self, entry: ProcessEntry) -> None:
        from procmap.analysis.graph import build_graph

        self.entry = entry
        self.graph = build_graph(entry.process)
        self.net = Net(self.graph)
        self.steps_of: dict[str, int] = {}
        for number, step in enumerate(self.graph.steps):
            if step.kind in SILENT_KINDS:
                continue
            for name in step.activity_names:
                self.steps_of.setdefault(name, number)

    @property
    def id(self) -> str:
        return self.entry.process.id


def register_model(engine: Engine, models: Sequence[Model]) -> None:
    """The tables the shared SQL reads about the model (queries.py)."""
    activity_rows, names, processes, deadlines = [], [], [], []
    for position, model in enumerate(models):
        process = model.entry.process
        for activity, number in model.steps_of.items():
            step = model.graph.steps[number]
            activity_rows.append((model.id, activity, step.id, step.role))
            if step.deadline is not None:
                deadlines.append((model.id, activity, step.id, step.deadline * HOUR))
        names.append((process.id, process.id))
        if process.name != process.id:
            names.append((process.name, process.id))
        processes.append((model.id, position, None if process.sla is None
                          else process.sla * HOUR, 1 if len(models) == 1 else 0))
    engine.register("activity_map", ("process", "activity", "step", "role"),
                    ("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"), activity_rows)
    engine.register("process_names", ("name", "process"), ("VARCHAR", "VARCHAR"),
                    list(dict.fromkeys(names)))
    engine.register("processes", ("process", "position", "sla_s", "fallback"),
                    ("VARCHAR", "INTEGER", "DOUBLE", "INTEGER"), processes)
    engine.register("deadlines", ("process", "activity", "step", "limit_s"),
                    ("VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE"), deadlines)


def conform(workspace: Workspace, entries: Sequence[ProcessEntry], engine: Engine,
            log: LogInfo, *, accept: Sequence[Mapping[str, str]] = ()) -> ConformResult:
    """Measure the processes `entries` against the log loaded in `engine`."""
    models = [Model(entry) for entry in entries]
    register_model(engine, models)
    rows = run_all(engine, single=len(models) == 1 and log.columns.get("process") is None,
                   clocks=_clocks(workspace, models))
    _count_copies(log, rows)
    owner = {activity: m.id for m in models for activity in m.steps_of}
    by_process = _rows_by_process(rows)
    days = _days_observed(rows)
    counts = {p: int(r[0][0]) for p, r in ((p, d["case_counts"]) for p, d in by_process.items())
              if r}
    reports = []
    for model in models:
        data = by_process.get(model.id, {})
        owners = {a: p for a, p in owner.items() if p != model.id}
        reports.append(_report(workspace, model, data, owners, days, accept))
    return ConformResult(log, reports, unmatched_cases=counts.get(None, 0),
                         cases=sum(counts.values()),
                         calendar_roles=_calendar_roles(workspace, entries))


def _clocks(workspace: Workspace, models: Sequence[Model]) -> list[Clock]:
    """The activities whose durations count working time: those of the steps of roles
    with working hours (not around the clock), per process and role."""
    roles = workspace.roles
    calendars = _working_hours(workspace, [s.role for m in models for s in m.entry.process.steps])
    clocks: list[Clock] = []
    for model in models:
        by_role: dict[str, list[str]] = defaultdict(list)
        for activity, number in model.steps_of.items():
            role = model.graph.steps[number].role
            if role in calendars:
                by_role[role].append(activity)
        clocks.extend((model.id, activities, calendars[role], roles[role].role.timezone)
                      for role, activities in by_role.items())
    return clocks


def _calendar_roles(workspace: Workspace, entries: Sequence[ProcessEntry]) -> list[str]:
    """The names of the roles with working hours (not around the clock) that own steps of
    `entries`, in order of first use."""
    roles = workspace.roles
    return [roles[r].role.label for r in _working_hours(
        workspace, [step.role for entry in entries for step in entry.process.steps])]


def _working_hours(workspace: Workspace, used: Sequence[str | None]) -> dict[str, WorkCalendar]:
    """Role id -> calendar of the roles among `used` with working hours (not around the
    clock), in order of first use, each parsed once."""
    from procmap.model.calendar import WorkCalendar

    roles = workspace.roles
    found: dict[str, WorkCalendar] = {}
    for role in dict.fromkeys(r for r in used if r in roles):
        text = roles[role].role.calendar
        calendar = WorkCalendar.parse(text) if text else None
        if calendar is not None and not calendar.around_the_clock:
            found[role] = calendar
    return found


_Rows = dict[str, list[tuple[Any, ...]]]  # query name -> its rows


def _rows_by_process(rows: Mapping[str, list[tuple[Any, ...]]]
                     ) -> dict[str | None, _Rows]:
    """Every query's rows (but the log totals) grouped by their first column, the process
    (None: cases no process claims)."""
    by_process: dict[str | None, _Rows] = defaultdict(lambda: defaultdict(list))
    for name, result in rows.items():
        if name != "log_totals":
            for row in result:
                by_process[row[0]][name].append(row[1:])
    return by_process


def _days_observed(rows: Mapping[str, list[tuple[Any, ...]]]) -> float:
    """How many days the log spans (at least one)."""
    totals = rows["log_totals"][0] if rows["log_totals"] else (0, 0, None, None)
    return max(((totals[3] or 0) - (totals[2] or 0)) / (24 * HOUR), 1.0)


def _count_copies(log: LogInfo, rows: Mapping[str, list[tuple[Any, ...]]]) -> None:
    """The log's exact duplicates, which the queries count and read once."""
    totals = rows["log_totals"][0] if rows["log_totals"] else (0, 0, None, None)
    log.events, log.duplicates = int(totals[0] or 0), int(totals[1] or 0)


def _report(workspace: Workspace, model: Model, data: Mapping[str, list[tuple[Any, ...]]],
            owners: Mapping[str, str], days: float,
            accept: Sequence[Mapping[str, str]]) -> ProcessReport:
    process = model.entry.process
    cases = int(data["case_counts"][0][0]) if data.get("case_counts") else 0
    lead = data["lead_times"][0] if data.get("lead_times") else None
    fitting, deviations, kinds = _deviations(model, data.get("variants", []), owners, accept)
    replayed = sum(int(r[1]) for r in data.get("variants", []))
    rework = sum(int(r[1]) for r in data.get("variants", [])
                 if _repeats(r[0]))
    steps = _steps(model, data.get("activity_times", []), cases)
    report = {
        "id": process.id, "name": process.name, "file": model.entry.file, "cases": cases,
        "fitness": _r(fitting / replayed) if replayed else None,
        "fitting_cases": fitting,
        "lead_time_hours": None if lead is None else {
            "mean": _h(lead[1]), "p50": _h(lead[2]), "p90": _h(lead[3]), "p95": _h(lead[4])},
        "sla_hours": process.sla,
        "sla_attainment": None if lead is None else _r(lead[5]),
        "deadlines": {str(r[0]): _r(r[2]) for r in sorted(data.get("deadlines", []))},
        "rework": _r(rework / replayed) if replayed else None,
        "rework_cases": rework,
        "steps": steps,
        "transitions": _transitions(model, data.get("directly_follows", [])),
        "roles": _roles(workspace, model, data, days),
        "deviations": deviations,
        "deviation_cases": kinds,
        "variants": len(data.get("variants", [])),
    }
    return ProcessReport(model.entry, model.graph, report, kinds)


def _repeats(activities: Sequence[str]) -> bool:
    return len(set(activities)) < len(activities)


def _accepted(deviation: Deviation, process: str, accept: Sequence[Mapping[str, str]]) -> bool:
    fields = {"kind": deviation.kind, "process": process, "from": deviation.source,
              "to": deviation.target, "step": deviation.step, "activity": deviation.activity}
    return any(all(fields.get(k) == v for k, v in rule.items()) for rule in accept)


def _deviations(model: Model, variants: list[tuple[Any, ...]], owners: Mapping[str, str],
                accept: Sequence[Mapping[str, str]]
                ) -> tuple[int, list[dict[str, Any]], dict[str, int]]:
    fitting = 0
    entries: dict[Deviation, list[Any]] = {}
    kinds: dict[str, int] = {}
    for variant, count, example in variants:
        outcome = replay_activities(model.net, list(variant), model.steps_of, owners)
        shown = [d for d in outcome.deviations if not _accepted(d, model.id, accept)]
        if outcome.fits or not shown:
            fitting += int(count)
            continue
        for kind in {d.kind for d in shown}:
            kinds[kind] = kinds.get(kind, 0) + int(count)
        for deviation in dict.fromkeys(shown):
            entry = entries.setdefault(deviation, [0, str(example)])
            entry[0] += int(count)
            entry[1] = min(entry[1], str(example))
    listed = []
    # most cases first; equal counts in a fixed order, whatever order the engine
    # returned the variants in
    for deviation, (count, example) in sorted(entries.items(), key=lambda e: (
            -e[1][0], e[0].kind, *(v or "" for v in (e[0].source, e[0].target, e[0].step,
                                                     e[0].activity, e[0].other_process)))):
        item: dict[str, Any] = {"kind": deviation.kind}
        for key, value in (("from", deviation.source), ("to", deviation.target),
                           ("step", deviation.step), ("activity", deviation.activity),
                           ("other_process", deviation.other_process)):
            if value is not None:
                item[key] = value
        item.update(cases=count, example_case=example)
        listed.append(item)
    return fitting, listed, dict(sorted(kinds.items()))


def _steps(model: Model, times: list[tuple[Any, ...]], cases: int) -> dict[str, Any]:
    best: dict[int, tuple[Any, ...]] = {}
    for row in times:
        number = model.steps_of.get(row[0])
        if number is not None and (number not in best or row[1] > best[number][1]):
            best[number] = row
    steps: dict[str, Any] = {}
    for number in sorted(best):
        (_activity, visits, step_cases, w50, w90, d50, d90, g50, g90, _busy,
         timed, waited) = best[number]
        step = model.graph.steps[number]
        steps[step.id] = {
            "name": step.label, "cases": int(step_cases),
            "visits": _r(int(visits) / cases if cases else 0.0),
            "wait_hours": {"p50": _h(w50), "p90": _h(w90)},
            "duration_hours": {"p50": _h(d50), "p90": _h(d90)},
            "gap_hours": {"p50": _h(g50), "p90": _h(g90)},
            "timed": {"wait": int(waited), "duration": int(timed)},
            "designed": {"wait_hours": _designed(step.wait),
                         "duration_hours": _designed(step.duration)},
        }
    return steps


def _designed(value: float) -> dict[str, float] | None:
    if not value:
        return None
    median = getattr(value, "median", value)
    p90 = getattr(value, "p90", None)
    return {"p50": round(float(median), 4)} | ({"p90": round(float(p90), 4)} if p90 else {})


def _first_steps(model: Model, node: int) -> set[str]:
    """The steps with events (or END) a case meets first from `node` on. A `wait` or
    `subprocess` step may have events or not: it counts, and so do the steps after it."""
    graph = model.graph
    found: set[str] = set()
    stack, seen = [node], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        kind = graph.steps[current].kind
        if kind is Kind.END:
            found.add(END)
            continue
        if kind not in SILENT_KINDS:
            found.add(graph.ids[current])
        if kind in SILENT_KINDS or kind in OPTIONAL_KINDS:
            stack.extend(t for t, _w in graph.successors[current])
    return found


def _before_steps(model: Model, node: int) -> set[str]:
    """The steps with events from which a case reaches `node` through silent steps only
    (`node` itself when it has events); through a `wait` or `subprocess` step too, which
    may have events or not."""
    graph = model.graph
    if graph.steps[node].kind not in SILENT_KINDS:
        return {graph.ids[node]}
    found: set[str] = set()
    stack, seen = [node], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for source, _w in graph.predecessors[current]:
            kind = graph.steps[source].kind
            if kind not in SILENT_KINDS:
                found.add(graph.ids[source])
            if kind in SILENT_KINDS or kind in OPTIONAL_KINDS:
                stack.append(source)
    return found


def _transitions(model: Model, pairs: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    graph = model.graph
    step_pairs = _step_pairs(model, pairs)
    listed = []
    for number, step in enumerate(graph.steps):
        if step.kind not in CHOICE_KINDS or len(graph.successors[number]) < 2:
            continue
        branches = _branches(model, number, step_pairs)
        total = sum(n for _i, _t, n in branches)
        for index, transition, observed in branches:
            listed.append({"from": step.id, "to": transition.to, "index": index,
                           "cases": observed,
                           "observed_probability": _r(observed / total) if total else None,
                           "designed_probability": transition.probability})
    return listed


def _step_pairs(model: Model, pairs: list[tuple[Any, ...]]) -> dict[tuple[str, str], int]:
    """How often one step directly followed another (or ended the case: END), from the
    log's directly-follows pairs of activities; pairs with an unknown activity left out."""
    graph = model.graph
    step_pairs: dict[tuple[str, str], int] = defaultdict(int)
    for activity, following, count, _cases in pairs:
        source = model.steps_of.get(activity)
        if source is None:
            continue
        target = model.steps_of.get(following) if following is not None else None
        if following is not None and target is None:
            continue
        step_pairs[(graph.ids[source], END if target is None else graph.ids[target])] += \
            int(count)
    return step_pairs


def _branches(model: Model, number: int, step_pairs: Mapping[tuple[str, str], int]
              ) -> list[tuple[int, Transition, int]]:
    """The branches of the choice step `number`: each transition's index, the transition
    and the cases observed taking it."""
    graph = model.graph
    before = _before_steps(model, number)
    branches = []
    for index, transition in enumerate(graph.steps[number].next):
        target = graph.index.get(transition.to)
        if target is None:
            continue
        firsts = _first_steps(model, target)
        branches.append((index, transition, sum(
            n for (a, b), n in step_pairs.items() if a in before and b in firsts)))
    return branches


def _roles(workspace: Workspace, model: Model, data: Mapping[str, list[tuple[Any, ...]]],
           days: float) -> dict[str, Any]:
    busy: dict[str, float] = defaultdict(float)
    for row in data.get("activity_times", []):
        number = model.steps_of.get(row[0])
        if number is None or row[9] is None:
            continue
        role = model.graph.steps[number].role
        if role is not None:
            busy[role] += float(row[9])
    resources = {str(r[0]): int(r[1]) for r in data.get("role_resources", [])}
    known = workspace.roles
    result: dict[str, Any] = {}
    for role in sorted(set(busy) | set(resources)):
        entry = known.get(role)
        hours = busy.get(role, 0.0) / HOUR
        capacity = entry.role.capacity * entry.role.availability if entry else None
        result[role] = {
            "name": entry.role.label if entry else role,
            "busy_hours": round(hours, 4), "busy_hours_per_day": round(hours / days, 4),
            "resources": resources.get(role),
            "utilization": round(hours / days / capacity, 4) if capacity else None}
    return result
