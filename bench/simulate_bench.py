"""Speed and accuracy of `procmap simulate` (numbers in docs/benchmarks.md).

    python bench/simulate_bench.py            # complaint example + one-desk queue vs SimPy
    python bench/simulate_bench.py --erlang   # M/M/1 and M/M/5 at utilization 0.9

1. Cases per second on the complaint example with shared roles and working calendars
   (every role of the example on `mon-fri 09:00-18:00` in Asia/Shanghai; tech-support
   raised to 6 people so the queue is stable), one replication, engine time only.
2. A one-desk queue (Poisson arrivals, fixed 1 h service, utilization 0.7): 100,000
   cases of `procmap simulate` (a subprocess: start-up, validation, JSON included)
   against a minimal SimPy script of the same queue (a subprocess too). CPU time of
   each (the machine is shared: wall-clock time measures the neighbours), best of 3.
3. `--prosimos PYTHON`: the complaint model (same calendars, fixed durations) in
   Prosimos, run by PYTHON (a separate environment with `pip install prosimos`):
   CPU time for 2,000 cases against procmap's for the same cases.
4. `--erlang`: the mean queue wait of M/M/1 and M/M/5 at utilization 0.9 against
   Erlang C, with 1,000,000 cases x 5 replications (the unit tests cover 0.5-0.8).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALENDAR = "mon-fri 09:00-18:00"

ONE_DESK = """\
procmap: 1
id: desk
name: One desk
demand: 16.8/d
roles:
  - {id: clerk, capacity: 1, availability: 24h/d}
steps:
  - {id: arrive, kind: start, next: serve}
  - {id: serve, role: clerk, duration: 1h, next: leave}
  - {id: leave, kind: end}
"""

SIMPY = """
import random, simpy
CASES = 100_000
env = simpy.Environment()
desk = simpy.Resource(env, capacity=1)
rng = random.Random(0)
waits = []
def case(env):
    arrived = env.now
    with desk.request() as request:
        yield request
        waits.append(env.now - arrived)
        yield env.timeout(1.0)
def source(env):
    for _ in range(CASES):
        yield env.timeout(rng.expovariate(0.7))
        env.process(case(env))
env.process(source(env))
env.run()
print(sum(waits) / len(waits))
"""


def complaint_rate(cases: int = 20_000) -> float:
    from procmap.config import Config
    from procmap.pipeline import validate_paths
    from procmap.simulate.run import Options, simulate
    from procmap.simulate.scenario import parse_set

    config = Config()
    validation = validate_paths([str(ROOT / "examples")], config)
    processes = {e.process.id: e.process for e in validation.workspace.processes}
    roles = {k: v.role for k, v in validation.workspace.roles.items()}
    sets = [f"roles.{r}.calendar={CALENDAR}" for r in roles if r != "customer"]
    sets += [f"roles.{r}.timezone=Asia/Shanghai" for r in roles if r != "customer"]
    sets.append("roles.tech-support.capacity=6")
    changes = [parse_set(text, processes, roles) for text in sets]
    options = Options(cases=cases, warmup=0, replications=1)
    # CPU time: the machine is shared, wall-clock time there measures the neighbours
    start = time.process_time()
    result = simulate(validation, config, options, only={"complaint-handling"},
                      changes=changes)
    elapsed = time.process_time() - start
    figures = result.base.figures.processes[0]
    print(f"complaint example, calendars: {cases:,} cases in {elapsed:.2f} s CPU = "
          f"{cases / elapsed:,.0f} cases/s (p90 lead time {figures['lead_time_hours']['p90']}"
          f" h, SLA attainment {figures['sla_attainment']})")
    return cases / elapsed


def _best(command: list[str], cwd: str, runs: int = 3) -> float:
    """The least CPU time (user + system) of a command over `runs` runs."""
    import resource

    best = math.inf
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, used)
    return best


def one_desk() -> float:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "desk.yaml").write_text(ONE_DESK, encoding="utf-8")
        Path(folder, "simpy_desk.py").write_text(SIMPY, encoding="utf-8")
        ours = _best([sys.executable, "-m", "procmap", "simulate", "desk.yaml", "--cases",
                      "100000", "--warmup", "0", "--replications", "1", "-f", "json",
                      "-o", os.devnull, "--fail-on", "never"], folder)
        try:
            import simpy  # noqa: F401
        except ImportError:
            print(f"one desk, 100,000 cases: procmap {ours:.2f} s; SimPy not installed")
            return math.nan
        theirs = _best([sys.executable, "simpy_desk.py"], folder)
    print(f"one desk, 100,000 cases, start-up included (CPU time, best of 3): procmap "
          f"{ours:.2f} s, SimPy {theirs:.2f} s: {ours / theirs:.2f}x SimPy's time")
    return ours / theirs


def erlang() -> None:
    from procmap.simulate.engine import Engine
    from procmap.simulate.model import END, EXPONENTIAL, PASS, TASK, Node, Pool, SimModel
    from procmap.simulate.model import SimProcess as Process

    for servers in (1, 5):
        nodes = [Node("in", "in", PASS, targets=[1]),
                 Node("serve", "serve", TASK, pool=0, duration=(EXPONENTIAL, 1.0, 0.0),
                      targets=[2]), Node("out", "out", END)]
        model = SimModel([Process("q", "q", nodes, 0, 0.9 * servers, None, -1, False)],
                         [Pool("desk", "desk", servers, 1.0, None, None, None)])
        waits = []
        for replication in range(5):
            pool = Engine(model, seed=0, replication=replication, cases=1_000_000,
                          warmup=50_000).run().pools[0]
            waits.append(sum(pool.waits) / len(pool.waits))
        load = 0.9 * servers
        below = sum(load**k / math.factorial(k) for k in range(servers))
        top = load**servers / math.factorial(servers) / 0.1
        expected = top / (below + top) / (servers - load)
        mean = sum(waits) / len(waits)
        print(f"M/M/{servers} at 0.9: mean wait {mean:.4f} h, Erlang C {expected:.4f} h, "
              f"{(mean / expected - 1) * 100:+.1f}%")


PROSIMOS_RUN = """
import sys
from prosimos.simulation_engine import run_simulation
run_simulation(sys.argv[1], sys.argv[2], int(sys.argv[3]), stat_out_path=None,
               log_out_path=sys.argv[4], starting_at="2026-01-05T00:00:00+08:00")
"""


def _prosimos_parameters(model: object) -> dict[str, object]:
    """Prosimos's JSON for the compiled complaint model (ids as procmap's BPMN export)."""
    from procmap.simulate.model import PASS, TASK, SimModel

    assert isinstance(model, SimModel)
    proc = next(p for p in model.processes if p.id == "complaint-handling")
    week = [{"from": "MONDAY", "to": "FRIDAY", "beginTime": "09:00:00",
             "endTime": "18:00:00"}]
    used = sorted({n.pool for n in proc.nodes if n.kind == TASK})
    profiles, calendars, tasks = [], [], []
    for index in used:
        pool = model.pools[index]
        profiles.append({"id": f"pool-{pool.id}", "name": pool.id, "resource_list": [{
            "id": pool.id, "name": pool.id, "cost_per_hour": 1, "amount": pool.servers,
            "calendar": "week", "assigned_tasks": [f"Step_{n.id}" for n in proc.nodes
                                                   if n.kind == TASK and n.pool == index]}]})
    calendars.append({"id": "week", "name": "week", "time_periods": week})
    for node in proc.nodes:
        if node.kind == TASK:
            tasks.append({"task_id": f"Step_{node.id}", "resources": [{
                "resource_id": model.pools[node.pool].id, "distribution_name": "fix",
                "distribution_params": [{"value": node.duration[1] * 3600}]}]})
    gateways = []
    for node in proc.nodes:
        if node.kind == PASS and node.cumulative is not None:
            shares = [b - a for a, b in zip([0.0, *node.cumulative], node.cumulative,
                                                 strict=False)]
            gateways.append({"gateway_id": f"Step_{node.id}", "probabilities": [
                {"path_id": f"Flow_{node.id}_{i + 1}", "value": share}
                for i, share in enumerate(shares)]})
    mean = 3600 / proc.demand_per_hour * 45 / 168  # arrivals in working hours only
    return {"resource_profiles": profiles,
            "arrival_time_distribution": {"distribution_name": "expon", "distribution_params": [
                {"value": 0}, {"value": mean}, {"value": 0}, {"value": 100 * mean}]},
            "arrival_time_calendar": week, "gateway_branching_probabilities": gateways,
            "task_resource_distribution": tasks, "resource_calendars": calendars}


def prosimos(python: str, cases: int = 2000) -> None:
    import json
    import resource

    from procmap.config import Config
    from procmap.pipeline import validate_paths
    from procmap.simulate.model import compile_model

    validation = validate_paths([str(ROOT / "examples")], Config())
    processes = [e.process for e in validation.workspace.processes
                 if e.process.id == "complaint-handling"]
    roles = {k: v.role for k, v in validation.workspace.roles.items()}
    model = compile_model(processes, roles, {"complaint-handling"})
    for pool in model.pools:
        pool.servers = 6 if pool.id == "tech-support" else math.ceil(roles[pool.id].capacity)
    with tempfile.TemporaryDirectory() as folder:
        bpmn = Path(folder, "complaint.bpmn")
        subprocess.run([sys.executable, "-m", "procmap", "render", str(ROOT / "examples"),
                        "-p", "complaint-handling", "--format", "bpmn", "-o", str(bpmn)],
                       check=True, capture_output=True)
        # Prosimos reads plain <task> elements only
        text = bpmn.read_text(encoding="utf-8")
        bpmn.write_text(text.replace("<userTask", "<task").replace("</userTask>", "</task>"),
                        encoding="utf-8")
        Path(folder, "complaint.json").write_text(json.dumps(_prosimos_parameters(model)))
        Path(folder, "run.py").write_text(PROSIMOS_RUN)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([python, "run.py", str(bpmn), "complaint.json", str(cases),
                               "log.csv"], cwd=folder, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            print("Prosimos failed:", done.stderr.strip().splitlines()[-1:])
            return
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rows = len(Path(folder, "log.csv").read_text(encoding="utf-8").splitlines()) - 1
    ours = complaint_rate(cases)
    print(f"Prosimos, complaint model with calendars: {cases:,} cases ({rows:,} events) in "
          f"{used:.2f} s CPU = {cases / used:,.0f} cases/s (start-up included); procmap "
          f"{ours:,.0f} cases/s: {ours / (cases / used):.0f}x")


if __name__ == "__main__":
    if "--prosimos" in sys.argv:
        prosimos(sys.argv[sys.argv.index("--prosimos") + 1])
    elif "--erlang" in sys.argv:
        erlang()
    else:
        complaint_rate()
        one_desk()
