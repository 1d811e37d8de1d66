"""Validate speed: start-up, one file, and a 1,000-file repository (vs check-jsonschema).

Run with `make bench` (or `python bench/validate_bench.py`). Times are wall-clock medians
of whole commands, as a user or CI sees them. Nothing here is asserted: the numbers go
in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from generate import catalog, process, repository  # noqa: E402

BIN = os.path.dirname(sys.executable)
PROCMAP = [os.path.join(BIN, "procmap")]
SCHEMA = os.path.join(HERE, "..", "schema", "procmap-1.schema.json")


def timed(command: list[str], runs: int, timeout: float = 600) -> tuple[float, float, int]:
    """(median, min, exit code) in seconds over `runs` runs."""
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, timeout=timeout)
        times.append(time.perf_counter() - start)
        code = result.returncode
    return statistics.median(times), min(times), code


def main() -> None:
    work = tempfile.mkdtemp(prefix="procmap-bench-")
    try:
        single = os.path.join(work, "one")
        os.makedirs(single)
        with open(os.path.join(single, "process.yaml"), "w", encoding="utf-8") as handle:
            handle.write(process("single", 50, seed=1).replace(
                "steps:", "roles:\n" + "\n".join(catalog().splitlines()[2:]) + "\nsteps:", 1))
        repo = repository(os.path.join(work, "repo"), 1000, 50)
        files = sorted(os.path.join(repo, name) for name in os.listdir(repo))
        size_mb = sum(os.path.getsize(f) for f in files) / 1e6
        rows = []
        rows.append(("procmap --version", *timed([*PROCMAP, "--version"], 15)))
        rows.append(("procmap --help", *timed([*PROCMAP, "--help"], 15)))
        one = os.path.join(single, "process.yaml")
        rows.append(("procmap validate one-file.yaml (50 steps)",
                     *timed([*PROCMAP, "validate", one], 15)))
        rows.append((f"procmap validate repo (1,000 files x 50 steps, {size_mb:.1f} MB)",
                     *timed([*PROCMAP, "validate", repo], 5)))
        serial = dict(os.environ, PROCMAP_WORKERS="1")
        start = time.perf_counter()
        subprocess.run([*PROCMAP, "validate", repo], capture_output=True, env=serial)
        rows.append(("  same, one process (PROCMAP_WORKERS=1)",
                     time.perf_counter() - start, time.perf_counter() - start, 0))
        checker = shutil.which("check-jsonschema", path=BIN) or shutil.which("check-jsonschema")
        if checker:
            median, best, code = timed([checker, "--schemafile", SCHEMA, *files], 1, 900)
            rows.append(("check-jsonschema, same files, structure only", median, best, code))
        print(f"{'command':66} {'median s':>9} {'min s':>7}  exit")
        for name, median, best, code in rows:
            print(f"{name:66} {median:9.3f} {best:7.3f}  {code}")
        if checker:
            ours = rows[3][1]
            print(f"\nprocmap validate is {rows[-1][1] / ours:.1f}x faster than check-jsonschema "
                  "on the same 1,000 files")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
