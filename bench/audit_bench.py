"""Benchmark of `procmap audit` on large generated processes (stand-alone script).

    .venv/bin/python bench/audit_bench.py [--sizes 1000,10000,50000] [--keep DIR]

Generates one process per size with 20 roles, exclusive decisions, approvals with rework
loops, parallel fork/join blocks, wait steps and long outer rework loops that span ten
blocks (nested loops), plus a small process it calls as a subprocess. Times:

- `end to end`: `python -m procmap audit FILE --format json` in a subprocess (start-up,
  YAML, validation, analysis, audit rules, JSON);
- in this process, on the same files: load + validate, the metrics alone (graphs,
  visits, lead times...), and the whole audit (metrics, rules, locating findings).

Target: 10,000 steps under 3 s end to end.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

ROLES = [f"role-{i:02d}" for i in range(20)]
BLOCK = 13  # steps per block


def catalog() -> str:
    lines = ["procmap: 1", "roles:"]
    for index, role in enumerate(ROLES):
        lines += [f"  - id: {role}", f"    name: 角色{index} Role {index}",
                  f"    capacity: {2 + index % 5}", "    availability: 7h/d"]
        if index:
            lines.append(f"    reports_to: {ROLES[(index - 1) // 3]}")
    return "\n".join(lines) + "\n"


def called_process() -> str:
    return """procmap: 1
id: bench-sub
name: 子流程 sub
sla: 1d
steps:
  - {id: s, kind: start, next: work}
  - {id: work, role: role-01, wait: 1h, duration: 30m, next: check}
  - id: check
    kind: decision
    next:
      - {to: work, when: redo, probability: 0.1}
      - {to: e, when: ok, probability: 0.9}
  - {id: e, kind: end}
"""


def process(process_id: str, steps: int, seed: int) -> str:
    """About `steps` steps in blocks of 13; every 10th block ends with an outer rework
    loop back to the start of the block 10 blocks earlier."""
    rng = random.Random(seed)
    out = ["procmap: 1", f"id: {process_id}", f"name: 流程 {process_id}", "owner: role-00",
           "sla: 300d", "demand: 2/d", "steps:",
           "  - {id: s0, name: 开始, kind: start, next: b0-t0}"]
    blocks = max(1, (steps - 2) // BLOCK)

    def role() -> str:
        return rng.choice(ROLES)

    def task(sid: str, to: str, kind: str = "task") -> None:
        out.append(f"  - {{id: {sid}, name: 任务 {sid}, kind: {kind}, role: {role()}, "
                   f"duration: {rng.randint(5, 90)}m, wait: {rng.randint(0, 8)}h, "
                   f"next: {to}}}")

    for b in range(blocks):
        p = f"b{b}"
        nxt = f"b{b + 1}-t0" if b + 1 < blocks else "done"
        outer = b % 10 == 9
        task(f"{p}-t0", f"{p}-d")
        out.append(f"  - {{id: {p}-d, kind: decision, next: [{{to: {p}-t1, when: 简单, "
                   f"probability: 0.7}}, {{to: {p}-t2, when: 复杂, probability: 0.3}}]}}")
        task(f"{p}-t1", f"{p}-a")
        task(f"{p}-t2", f"{p}-w", kind="task")
        out.append(f"  - {{id: {p}-w, kind: wait, role: {role()}, wait: 4h, next: {p}-a}}")
        out.append(f"  - {{id: {p}-a, name: 审批, kind: approval, role: {role()}, "
                   f"duration: 10m, of: case, next: [{{to: {p}-f, when: 批准, "
                   f"probability: 0.85}}, {{to: {p}-t0, when: 退回, probability: 0.15}}]}}")
        out.append(f"  - {{id: {p}-f, kind: parallel, next: [{p}-t3, {p}-t4, {p}-sub]}}")
        task(f"{p}-t3", f"{p}-j")
        task(f"{p}-t4", f"{p}-t5")
        task(f"{p}-t5", f"{p}-j")
        out.append(f"  - {{id: {p}-sub, kind: subprocess, process: bench-sub, role: {role()},"
                   f" next: {p}-j}}")
        out.append(f"  - {{id: {p}-j, kind: parallel, next: {p}-t6}}")
        if outer:
            task(f"{p}-t6", f"{p}-o")
            back = f"b{b - 9}-t0"
            out.append(f"  - {{id: {p}-o, kind: decision, next: [{{to: {nxt}, when: ok, "
                       f"probability: 0.95}}, {{to: {back}, when: 返工, probability: 0.05}}]}}")
        else:
            task(f"{p}-t6", nxt)
    out.append("  - {id: done, name: 结束, kind: end}")
    return "\n".join(out) + "\n"


def write_case(directory: str, steps: int) -> str:
    path = os.path.join(directory, f"n{steps}")
    os.makedirs(path, exist_ok=True)
    for name, text in (("roles.yaml", catalog()), ("sub.yaml", called_process()),
                       ("big.yaml", process(f"big-{steps}", steps, seed=steps))):
        with open(os.path.join(path, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    return path


def end_to_end(path: str) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "procmap", "audit", path, "--format", "json",
                           "--fail-on", "never", "-o", os.path.join(path, "audit.json")],
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
    return elapsed, done.returncode


def in_process(path: str) -> tuple[float, float, float, int, int]:
    """Seconds to load + validate, to compute the metrics alone, and to run the whole
    audit (metrics + rules + locating findings), with the collector off as in the CLI."""
    import gc

    from procmap.analysis.audit import run_audit
    from procmap.analysis.metrics import analyse_processes
    from procmap.config import Config
    from procmap.pipeline import validate_paths

    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        validation = validate_paths([path], Config())
        loaded = time.perf_counter()
        analyse_processes(validation.workspace, validation.workspace.processes)
        analysed = time.perf_counter()
        result = run_audit(validation, Config())
        audited = time.perf_counter()
    finally:
        gc.enable()
    steps = sum(len(e.process.steps) for e in validation.workspace.processes)
    return (loaded - start, analysed - loaded, audited - analysed, steps,
            len(result.findings))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--keep", help="write the generated files here and keep them")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    directory = args.keep or tempfile.mkdtemp(prefix="procmap-bench-")
    rows = []
    for size in sizes:
        path = write_case(directory, size)
        seconds, code = end_to_end(path)
        load, metrics, audit, steps, findings = in_process(path)
        rows.append((size, steps, findings, seconds, load, metrics, audit, code))
    print(f"{'target':>7} {'steps':>6} {'findings':>8} {'end to end':>10} {'validate':>9} "
          f"{'metrics':>8} {'audit':>7}  exit")
    for size, steps, findings, seconds, load, metrics, audit, code in rows:
        print(f"{size:>7} {steps:>6} {findings:>8} {seconds:>9.2f}s {load:>8.2f}s "
              f"{metrics:>7.2f}s {audit:>6.2f}s  {code}")
    print("validate: load + validate in process; metrics: graphs and metrics alone; audit: "
          "metrics + rules + locating the findings")
    ok = all(seconds < 3.0 for size, _, _, seconds, *_ in rows if size == 10000)
    print("10,000 steps under 3 s end to end:", "yes" if ok else "NO")
    if not args.keep:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
