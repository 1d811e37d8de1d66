"""Validate speed: start-up, one file, and a 1,000-file repository (vs check-jsonschema).

Run with `make bench` (or `python bench/validate_bench.py`). Times are wall-clock medians
of whole commands, as a user or CI sees them. Nothing here is asserted: the numbers go
in docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from generate import (  # noqa: E402
    bpmn_gateway_chain,
    bpmn_pools,
    catalog,
    process,
    repository,
)

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


BARE_LOAD = """
import gc, sys, yaml
gc.disable()
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def side_by_side(commands: list[list[str]], runs: int) -> list[tuple[float, float, int]]:
    """(median, min, exit code) of each command, run in turn `runs` times: alternating
    keeps a noisy machine's slow moments from favouring one of them."""
    times: list[list[float]] = [[] for _ in commands]
    codes = [0] * len(commands)
    for _ in range(runs):
        for index, command in enumerate(commands):
            start = time.perf_counter()
            codes[index] = subprocess.run(command, capture_output=True).returncode
            times[index].append(time.perf_counter() - start)
    return [(statistics.median(t), min(t), code) for t, code in zip(times, codes, strict=True)]


def compile_procmap() -> None:
    """Byte-compile procmap as `pip install` does: an editable install under
    PYTHONDONTWRITEBYTECODE would otherwise compile its modules on every start."""
    import compileall

    import procmap

    compileall.compile_dir(os.path.dirname(procmap.__file__), quiet=1)


def _in_process(function: object, *args: object, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        function(*args)  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def _roles_chain(count: int) -> str:
    lines = ["procmap: 1", "roles:"]
    lines += [f"  - {{id: r{i}, reports_to: r{i + 1}}}" for i in range(count - 1)]
    lines.append(f"  - {{id: r{count - 1}, reports_to: r0}}")
    return "\n".join(lines) + "\n"


def scaling() -> None:
    """Each bounded cost at two sizes: the growth factor is ~2 when linear, ~4 when
    quadratic, ~8 when cubic (issue 10: these were cubic or worse)."""
    from procmap.config import Config
    from procmap.loader.discover import discover
    from procmap.model.fields import parse_availability
    from procmap.pipeline import validate_paths

    def availability(size: int) -> None:
        with contextlib.suppress(ValueError):
            parse_availability(" " * size)

    def chain(size: int) -> None:
        work = tempfile.mkdtemp(prefix="procmap-scale-")
        try:
            path = os.path.join(work, "roles.yaml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(_roles_chain(size))
            validate_paths([path], Config())
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def scan(size: int) -> None:
        work = tempfile.mkdtemp(prefix="procmap-scale-")
        try:
            for index in range(size):
                folder = os.path.join(work, f"d{index % 50}")
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, f"f{index}.yaml"), "w") as handle:
                    handle.write("other: 1\n")
            discover([work])
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def gateways(size: int) -> None:
        from procmap.bpmn import import_bpmn

        import_bpmn(bpmn_gateway_chain(size), "chain.bpmn").files()

    def pools(size: int) -> None:
        from procmap.bpmn import import_bpmn

        import_bpmn(bpmn_pools(size), "pools.bpmn").files()

    cases = [("availability of n blanks", availability, 100_000),
             ("reports_to chain of n roles", chain, 10_000),
             ("directory scan of n files", scan, 2_000),
             ("import: n pass-through gateways", gateways, 10_000),
             ("import: n pools on one line", pools, 2_000)]
    print(f"{'case':32} {'n':>8} {'time n':>9} {'time 2n':>9} {'growth':>7}")
    for name, function, size in cases:
        small = _in_process(function, size)
        large = _in_process(function, 2 * size)
        print(f"{name:32} {size:8,} {small:9.4f} {large:9.4f} {large / small:7.2f}")


def main() -> None:
    if "--scaling" in sys.argv:
        scaling()
        return
    compile_procmap()
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
        validate_run, bare_run = side_by_side([[*PROCMAP, "validate", repo],
                                   [sys.executable, "-c", BARE_LOAD, *files]], 9)
        rows.append((f"procmap validate repo (1,000 files x 50 steps, {size_mb:.1f} MB)",
                     *validate_run))
        rows.append(("bare libyaml load of the same files (one process, no GC)", *bare_run))
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
        print(f"\nprocmap validate / bare libyaml load: {rows[3][1] / rows[4][1]:.2f}x "
              f"(median), {rows[3][2] / rows[4][2]:.2f}x (best)")
        if checker:
            ours = rows[3][1]
            print(f"\nprocmap validate is {rows[-1][1] / ours:.1f}x faster than check-jsonschema "
                  "on the same 1,000 files")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
