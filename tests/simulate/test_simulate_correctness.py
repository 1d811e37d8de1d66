"""The simulation reproduces what theory says: audit's expected lead time without
contention, Erlang C for one role, branch shares as SLA attainment, working hours."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from procmap.config import Config
from procmap.pipeline import validate_paths
from procmap.simulate.engine import Engine
from procmap.simulate.model import (
    END,
    EXPONENTIAL,
    PASS,
    TASK,
    Node,
    Pool,
    SimModel,
    SimProcess,
)
from procmap.simulate.run import Options, simulate
from procmap.simulate.stats import mean_ci

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"


def test_without_contention_mean_lead_time_is_audits_expected_lead_time() -> None:
    from procmap.analysis.audit import run_audit

    config = Config()
    validation = validate_paths([str(EXAMPLES)], config)
    audit = {p.id: p.metrics for p in run_audit(validation, config).processes}
    result = simulate(validation, config, Options(cases=3000, replications=8,
                                                  typed_waits=True, contention=False))
    checked = 0
    for figures in result.base.figures.processes:
        metrics = audit[figures["id"]]
        assert metrics is not None
        expected = metrics.expected_lead_time_hours
        mean = figures["lead_time_hours"]["mean"]
        half = figures["lead_time_mean_ci"]
        assert abs(mean - expected) <= max(half, 1e-3), (figures["id"], mean, half,
                                                         expected)
        checked += 1
    assert checked == 4  # every example with a demand


def _erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time in queue of M/M/c (Erlang C)."""
    load = arrival_rate / service_rate
    rho = load / servers
    below = sum(load**k / math.factorial(k) for k in range(servers))
    top = load**servers / math.factorial(servers) / (1 - rho)
    waiting = top / (below + top)
    return waiting / (servers * service_rate - arrival_rate)


def _queue(servers: int, utilization: float) -> SimModel:
    nodes = [Node("in", "in", PASS, targets=[1]),
             Node("serve", "serve", TASK, pool=0, duration=(EXPONENTIAL, 1.0, 0.0),
                  targets=[2]),
             Node("out", "out", END)]
    process = SimProcess("queue", "queue", nodes, 0, utilization * servers, None, -1, False)
    return SimModel([process], [Pool("desk", "desk", servers, 1.0, None, None, None)])


@pytest.mark.parametrize(("servers", "utilization"), [(1, 0.5), (1, 0.7), (3, 0.8)])
def test_one_role_reproduces_erlang_c_mean_wait(servers: int, utilization: float) -> None:
    # 0.9 needs millions of cases for 3% (the variance grows as 1/(1-rho)^4): it is
    # checked by `bench/simulate_bench.py --erlang` (docs/benchmarks.md)
    model = _queue(servers, utilization)
    waits = []
    for replication in range(5):
        stats = Engine(model, seed=0, replication=replication, cases=50_000,
                       warmup=5_000).run()
        pool = stats.pools[0]
        waits.append(sum(pool.waits) / len(pool.waits))
    mean, _half = mean_ci(waits)
    expected = _erlang_c_wait(utilization * servers, 1.0, servers)
    assert abs(mean / expected - 1) < 0.03, (mean, expected)


def test_seventy_thirty_branches_give_seventy_percent_sla_attainment() -> None:
    config = Config()
    validation = validate_paths([str(FIXTURES / "sla-attainment" / "fail" / "process.yaml")],
                                config)
    result = simulate(validation, config, Options(cases=4000, replications=5))
    figures = result.base.figures.processes[0]
    share, half = figures["sla_attainment"], figures["sla_attainment_ci"]
    assert half > 0
    assert abs(share - 0.70) <= half, (share, half)


def test_sixty_forty_branches_give_sixty_percent_deadline_attainment() -> None:
    config = Config()
    path = FIXTURES / "deadline-attainment" / "fail" / "process.yaml"
    validation = validate_paths([str(path)], config)
    result = simulate(validation, config, Options(cases=4000, replications=5))
    share = result.base.figures.processes[0]["deadlines"]["answer"]
    assert share == pytest.approx(0.60, abs=0.02)


CALENDAR = """\
procmap: 1
id: 客户投诉处理
name: 客户投诉处理
demand: 30/d
roles:
  - id: clerk
    name: 客服专员
    capacity: 2
    calendar: mon-fri 09:00-18:00
    timezone: Asia/Shanghai
steps:
  - {id: received, kind: start, next: check}
  - {id: check, name: 审核, role: clerk, duration: {median: 20m, p90: 1h}, next: done}
  - {id: done, kind: end}
"""


def test_a_role_working_nine_to_six_never_starts_outside_its_hours(tmp_path: Path) -> None:
    from datetime import datetime

    from procmap.simulate.eventlog import records

    path = tmp_path / "calendar.yaml"
    path.write_text(CALENDAR, encoding="utf-8")
    config = Config()
    validation = validate_paths([str(path)], config)
    result = simulate(validation, config, Options(cases=1500, replications=1, log=True))
    assert result.log is not None
    rows = records(result.log, result.base.model)
    starts = [datetime.fromisoformat(r[5]) for r in rows if r[4] == "start"]
    assert len(starts) == 1500 + 150
    for moment in starts:
        offset = moment.utcoffset()
        assert offset is not None and offset.total_seconds() == 8 * 3600
        assert moment.weekday() < 5, moment
        assert 9 <= moment.hour < 18, moment
    # work waits over nights and weekends: some cases arrive one day and start the next
    completes = [datetime.fromisoformat(r[5]) for r in rows if r[4] == "complete"]
    assert all(c.weekday() < 5 and (9 <= c.hour < 18 or (c.hour, c.minute, c.second) ==
                                    (18, 0, 0)) for c in completes)
