"""Time `procmap handbook` on a synthetic repository (bench/generate.py).

Stand-alone: ``python bench/handbook_bench.py [--processes 1000] [--steps 12]``. Runs the
real CLI in a subprocess twice into a fresh directory: the whole build, and the build
without diagrams (no Graphviz on PATH) to show what drawing costs. Needs Graphviz.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import repository


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # procmap, Graphviz, workers
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of procmap and everything it ran)."""
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, "-m", "procmap", *args], capture_output=True,
                          env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"procmap failed: {done.stderr.decode()[-2000:]}")
    return elapsed, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=12)
    args = parser.parse_args()
    if not shutil.which("dot"):
        sys.exit("needs Graphviz (dot)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    with tempfile.TemporaryDirectory(prefix="procmap-handbook-bench-") as folder:
        source = os.path.join(folder, "repo")
        os.makedirs(source)
        repository(source, args.processes, args.steps)
        full = run(["handbook", source, "-o", os.path.join(folder, "site")], env)
        pages = sum(1 for _ in Path(folder, "site").rglob("*.html"))
        size = sum(p.stat().st_size for p in Path(folder, "site").rglob("*")) / 1e6
        bare = {**env, "PATH": os.pathsep.join(
            p for p in env.get("PATH", "").split(os.pathsep)
            if not (Path(p) / "dot").exists())}
        without = run(["handbook", source, "-o", os.path.join(folder, "site2")], bare)
    load = os.getloadavg()[0]
    print(f"{'processes':>9} {'steps':>5} {'pages':>6} {'MB':>6} {'wall s':>7} {'CPU s':>6} "
          f"{'no diagrams: wall s':>19} {'CPU s':>6} {'load':>5}")
    print(f"{args.processes:>9} {args.steps:>5} {pages:>6} {size:>6.1f} {full[0]:>7.1f} "
          f"{full[1]:>6.1f} {without[0]:>19.1f} {without[1]:>6.1f} {load:>5.1f}")


if __name__ == "__main__":
    main()
