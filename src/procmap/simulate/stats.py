"""Replications -> figures: means over replications with a 95% confidence half-width."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from procmap.simulate.engine import PoolStats, ProcessStats, RunStats
from procmap.simulate.model import TASK, Pool, SimModel, SimProcess

# Student's t, 0.975 quantile, by degrees of freedom (1..30); normal beyond
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
         2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074,
         2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)
PERCENTILES = (("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99))
#: lead-time histogram bins of the html report (from the first replication)
HISTOGRAM_BINS = 40


def quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default)."""
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean_ci(values: list[float]) -> tuple[float, float]:
    """(mean, 95% confidence half-width) of per-replication values (NaNs left out)."""
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return math.nan, math.nan
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, math.nan  # one replication: no interval (null in JSON)
    variance = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    df = len(values) - 1
    t = _T975[df - 1] if df <= len(_T975) else 1.96
    return mean, t * math.sqrt(variance / len(values))


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or math.isnan(value):
        return None
    rounded = round(value, digits)
    return 0.0 if rounded == 0 else rounded


@dataclass
class Figures:
    """One scenario's results, as in the JSON contract (plus what reports draw)."""

    processes: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    histograms: dict[str, list[float]] = field(default_factory=dict)  # first replication
    unstable: list[str] = field(default_factory=list)  # role ids


def summarize(model: SimModel, runs: list[RunStats]) -> Figures:
    processes = [_process(model, index, runs) for index, proc in enumerate(model.processes)
                 if proc.selected and proc.demand_per_hour > 0]
    roles = []
    unstable = []
    working = {n.pool for p in model.processes for n in p.nodes if n.kind == TASK}
    for index, pool in enumerate(model.pools):
        if index not in working:
            continue  # an owner whose calendar only paces arrivals
        figures, growing = _role(pool, [run.pools[index] for run in runs])
        roles.append(figures)
        if growing:
            unstable.append(pool.id)
    histograms = {model.processes[i].id: sorted(runs[0].processes[i].lead_times)
                  for i, p in enumerate(model.processes) if p.selected} if runs else {}
    return Figures(processes, roles, histograms, unstable)


def _role(pool: Pool, stats: list[PoolStats]) -> tuple[dict[str, Any], bool]:
    """A role's figures, and whether its queue grows (utilization >= 1 and a queue longer
    at the end of the arrivals than half-way, in most replications)."""
    utilization = mean_ci([s.offered / s.available if s.available > 0 else math.nan
                           for s in stats])[0]
    waits = mean_ci([sum(s.waits) / len(s.waits) if s.waits else math.nan for s in stats])[0]
    p90 = mean_ci([quantile(sorted(s.waits), 0.9) if s.waits else math.nan
                   for s in stats])[0]
    growing = sum(1 for s in stats if s.queue_end > max(s.queue_mid, pool.servers))
    unstable = not math.isnan(utilization) and utilization >= 1.0 and growing * 2 > len(stats)
    return {"id": pool.id, "name": pool.label, "people": pool.servers,
            "utilization": _round(utilization),
            "queue_wait_hours": {"mean": _round(waits), "p90": _round(p90)},
            "queue_at_end": _round(mean_ci([float(s.queue_end) for s in stats])[0], 1)
            }, unstable


def _lead(stats: list[ProcessStats]) -> tuple[dict[str, float | None], float]:
    ordered = [sorted(s.lead_times) for s in stats]
    mean, half = mean_ci([sum(o) / len(o) if o else math.nan for o in ordered])
    lead: dict[str, float | None] = {"mean": _round(mean)}
    for name, q in PERCENTILES:
        lead[name] = _round(mean_ci([quantile(o, q) for o in ordered])[0])
    return lead, half


def _deadlines(proc: SimProcess, stats: list[ProcessStats]) -> dict[str, float | None]:
    deadlines: dict[str, float | None] = {}
    for node in proc.nodes:
        if node.deadline is not None:
            deadlines[node.id] = _round(mean_ci([
                s.deadline_met.get(node.id, 0) / s.deadline_reached[node.id]
                if s.deadline_reached.get(node.id) else math.nan for s in stats])[0])
    return deadlines


def _process(model: SimModel, index: int, runs: list[RunStats]) -> dict[str, Any]:
    proc = model.processes[index]
    stats = [run.processes[index] for run in runs]
    lead, mean_half = _lead(stats)
    sla, sla_half = (math.nan, math.nan)
    if proc.sla is not None:
        sla, sla_half = mean_ci([s.sla_met / len(s.lead_times) if s.lead_times else math.nan
                                 for s in stats])
    cost = mean_ci([s.cost / len(s.lead_times) if s.lead_times else math.nan
                    for s in stats])[0]
    priced = proc.has_cost and any(p.cost is not None for p in model.pools)
    return {"id": proc.id, "name": proc.label,
            "cases": sum(len(s.lead_times) for s in stats),
            "lead_time_hours": lead, "lead_time_mean_ci": _round(mean_half),
            "sla_hours": proc.sla,
            "sla_attainment": _round(sla), "sla_attainment_ci": _round(sla_half),
            "deadlines": _deadlines(proc, stats),
            "cost_per_case": _round(cost, 2) if priced else None}
