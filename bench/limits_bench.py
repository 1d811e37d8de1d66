"""How fast procmap refuses hostile input: the times the loader tests used to assert.

Stand-alone: ``python bench/limits_bench.py [--repeat N]``. Each case runs the real CLI
(``python -m procmap validate FILE --format json``) in a subprocess, as a user's CI would,
and checks that the expected finding came back. The tests (tests/loader/test_bad_input.py)
check *what* procmap answers and that a hang is stopped by a timeout; this script
measures *how long* the answer takes, with the budgets the tests once asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from procmap.loader import load_bytes


def _bomb(levels: int = 9, width: int = 9) -> bytes:
    lines = ["procmap: 1", "id: lol", "name: lol",
             "x-l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"x-l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    lines += ["steps:", "  - {id: s, kind: start, next: e}", "  - {id: e, kind: end}"]
    return ("\n".join(lines) + "\n").encode()


#: (name, file content, expected rule, budget in seconds the tests used to assert)
CLI_CASES: list[tuple[str, Callable[[], bytes], str, float]] = [
    ("100,000 nested [ ]", lambda: b"procmap: 1\nx: " + b"[" * 100_000 + b"1"
     + b"]" * 100_000 + b"\n", "yaml-limit", 20.0),
    ("100,000 nested { }", lambda: b"procmap: 1\nx: " + b"{a: " * 100_000 + b"1"
     + b"}" * 100_000 + b"\n", "yaml-limit", 20.0),
    ("alias bomb (9 levels x 9)", _bomb, "yaml-alias", 10.0),
    ("50 MB file", lambda: b"procmap: 1\nx-data: \"" + b"x" * 50_000_000 + b"\"\n",
     "yaml-limit", 15.0),
]


def _time_cli(content: bytes, rule: str, repeat: int) -> list[float]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "hostile.yaml"
        path.write_bytes(content)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "procmap", "validate", str(path),
                                   "--format", "json"], capture_output=True, env=env,
                                  timeout=300, check=False)
            times.append(time.perf_counter() - start)
            rules = [f["rule"] for f in json.loads(done.stdout)["findings"]]
            if done.returncode != 1 or rules != [rule]:
                raise SystemExit(f"unexpected answer ({done.returncode}, {rules})")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    over = 0
    print(f"{'case':<34} {'median s':>9} {'min s':>7} {'budget s':>9}")
    for name, content, rule, budget in CLI_CASES:
        times = _time_cli(content(), rule, args.repeat)
        median = statistics.median(times)
        over += median > budget
        print(f"{name:<34} {median:>9.2f} {min(times):>7.2f} {budget:>9.0f}"
              + ("  OVER BUDGET" if median > budget else ""))
    raw = b"a: [" + b"1, " * 4_000_000 + b"]\n"
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        doc = load_bytes(raw, "big.yaml")
        times.append(time.perf_counter() - start)
        assert [f.rule for f in doc.findings] == ["yaml-limit"]
    median = statistics.median(times)
    over += median > 2.0
    print(f"{'12 MB in process (load_bytes)':<34} {median:>9.4f} {min(times):>7.4f} {2:>9}"
          + ("  OVER BUDGET" if median > 2.0 else ""))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
