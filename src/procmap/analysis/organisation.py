"""Organisation-level capacity (rules.md, "Organisation-level capacity").

People work in many processes at once: a role's load is summed over every process of
the invocation that sets `demand`, and its utilization, queue and cost come from that
sum. Per-process utilization stays in each process's metrics; `role-overload`,
`queue-underestimated`, `within_sla` and the reports' role table read `RoleLoad`.

- `load_hours_per_day` = sum over processes of demand/day x effort(role) per case;
- `utilization` = load / (capacity x availability), with `processes` the share of each
  process (the shares sum to it, largest first);
- `queue_wait_hours`: Erlang C for M/M/c (`procmap.analysis.queueing`): c = capacity
  (a fractional capacity is rounded up to whole servers, each available for its share of
  the time, so the utilization is unchanged); arrivals = sum over processes of demand/day
  x visits of the role's work steps (not `wait` steps) per working hour of a person;
  service time = the visit-weighted mean duration of those steps. None at utilization
  >= 1 (the queue grows without bound) and without demand.
- `cost_per_case` of a process = sum over roles of effort per case x the role's `cost`;
  None unless every role with work in the process has a cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procmap.analysis.queueing import erlang_c_wait, servers
from procmap.model.process import DEFAULT_AVAILABILITY

if TYPE_CHECKING:
    from procmap.analysis.metrics import ProcessAnalysis
    from procmap.model import Role, Workspace

_OVERLOADED = 1.0 - 1e-12


@dataclass
class RoleLoad:
    """One role across every process of the invocation."""

    id: str
    name: str
    capacity: float
    availability: float  # productive hours per person per day
    cost: float | None  # per person-hour, in the configured currency
    load_hours_per_day: float | None = None  # None: no process with demand uses it
    effort_by_process: dict[str, float] = field(default_factory=dict)  # hours per case
    processes: dict[str, float] = field(default_factory=dict)  # share of utilization
    tasks_per_day: float = 0.0
    queue_wait_hours: float | None = None

    @property
    def capacity_hours_per_day(self) -> float:
        return self.capacity * self.availability

    @property
    def utilization(self) -> float | None:
        if self.load_hours_per_day is None:
            return None
        return self.load_hours_per_day / self.capacity_hours_per_day

    @property
    def overloaded(self) -> bool:
        utilization = self.utilization
        return utilization is not None and utilization >= _OVERLOADED

    @property
    def service_hours(self) -> float:
        """Mean duration of one of the role's tasks (visit-weighted)."""
        if not self.tasks_per_day or self.load_hours_per_day is None:
            return 0.0
        return self.load_hours_per_day / self.tasks_per_day

    def to_json(self) -> dict[str, Any]:
        """One entry of the top-level `roles` list of `audit --format json`."""
        utilization = self.utilization
        return {
            "id": self.id,
            "name": self.name,
            "utilization": None if utilization is None else _round(utilization),
            "load_hours_per_day": None if self.load_hours_per_day is None
            else _round(self.load_hours_per_day),
            "capacity_hours_per_day": _round(self.capacity_hours_per_day),
            "processes": {k: _round(v) for k, v in self.processes.items()},
            "queue_wait_hours": None if self.queue_wait_hours is None
            else _round(self.queue_wait_hours),
            "cost": self.cost,
        }


def _round(value: float) -> float:
    rounded = round(value, 4)
    return 0.0 if rounded == 0 else rounded


def role_loads(workspace: Workspace, analyses: Iterable[ProcessAnalysis]
               ) -> dict[str, RoleLoad]:
    """Every role with work in an analysed process, in swimlane order."""
    loads: dict[str, RoleLoad] = {}
    for analysis in analyses:
        metrics = analysis.metrics
        if metrics is None:
            continue
        for role_id, effort in metrics.effort_by_role.items():
            load = loads.get(role_id)
            if load is None:
                load = loads[role_id] = _new_load(role_id, _role(workspace, analysis,
                                                                  role_id))
            load.effort_by_process[analysis.id] = effort
            demand = metrics.demand_per_day
            if demand is None:
                continue
            load.load_hours_per_day = (load.load_hours_per_day or 0.0) + demand * effort
            load.processes[analysis.id] = load.processes.get(analysis.id, 0.0) + \
                demand * effort / load.capacity_hours_per_day
            load.tasks_per_day += demand * metrics.tasks_by_role.get(role_id, 0.0)
    for load in loads.values():
        load.processes = dict(sorted(load.processes.items(), key=lambda kv: -kv[1]))
        load.queue_wait_hours = queue_wait(load)
    order = {role: n for n, role in enumerate(workspace.roles)}
    return dict(sorted(loads.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def queue_wait(load: RoleLoad) -> float | None:
    """Erlang C mean wait of the role's tasks, in working hours (see the module doc)."""
    if load.load_hours_per_day is None or load.overloaded:
        return None
    if not load.tasks_per_day:
        return 0.0
    people = servers(load.capacity)
    hours_per_server = load.capacity_hours_per_day / people  # per day
    arrivals = load.tasks_per_day / hours_per_server  # tasks per working hour of a server
    return erlang_c_wait(arrivals, load.service_hours, people)


def _role(workspace: Workspace, analysis: ProcessAnalysis, role_id: str) -> Role | None:
    entry = workspace.roles.get(role_id)
    if entry is not None:
        return entry.role
    for role in analysis.entry.process.roles:
        if role.id == role_id:
            return role
    return None


def _new_load(role_id: str, role: Role | None) -> RoleLoad:
    if role is None:
        return RoleLoad(role_id, role_id, 1.0, DEFAULT_AVAILABILITY, None)
    cost = float(role.cost) if role.cost is not None else None
    return RoleLoad(role_id, role.label, role.capacity, role.availability, cost)


def cost_per_case(analysis: ProcessAnalysis, loads: Mapping[str, RoleLoad]) -> float | None:
    """Labour cost of one case; None unless every role with work in it has a cost."""
    metrics = analysis.metrics
    if metrics is None:
        return None
    total = 0.0
    for role_id, effort in metrics.effort_by_role.items():
        if effort <= 0:
            continue
        load = loads.get(role_id)
        if load is None or load.cost is None:
            return None
        total += effort * load.cost
    return total


def overloaded_roles(analysis: ProcessAnalysis, loads: Mapping[str, RoleLoad]) -> list[str]:
    """Roles with work in the process whose organisation-wide utilization is >= 1."""
    metrics = analysis.metrics
    if metrics is None:
        return []
    return [r for r in metrics.effort_by_role if r in loads and loads[r].overloaded]


def within_sla(analysis: ProcessAnalysis, loads: Mapping[str, RoleLoad]) -> bool | None:
    """rules.md: True when the process has an `sla`, its expected lead time is within it
    and no role it uses is at utilization >= 1; False otherwise; None without an `sla`."""
    sla = analysis.entry.process.sla
    if sla is None:
        return None
    metrics = analysis.metrics
    if metrics is None:
        return False
    return metrics.expected_lead_time_hours <= sla + 1e-9 and not overloaded_roles(
        analysis, loads)
