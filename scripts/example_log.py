"""Write an event log simulated from the processes of a folder (for `make run`).

    python scripts/example_log.py examples out/example-log.csv [--cases 300]

Each process gets its cases (start and complete events, lognormal times from the
model's `{median, p90}` values, branches by their probabilities) and a `process` column.
It uses the conform tests' generator (tests/conform/simlog.py); `procmap simulate --log`
writes the same format.
"""

from __future__ import annotations

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "conform"))

import simlog  # noqa: E402

from procmap.config import Config  # noqa: E402
from procmap.pipeline import validate_paths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()
    validation = validate_paths([args.source], Config())
    cases: list[list[simlog.Event]] = []
    for number, entry in enumerate(validation.workspace.processes):
        generator = simlog.Generator(entry.process, seed=number + 1)
        cases += generator.cases(args.cases, every_minutes=20.0,
                                 prefix=entry.process.id.upper()[:4])
    os.makedirs(os.path.dirname(os.path.abspath(args.target)), exist_ok=True)
    rows = simlog.write_csv(args.target, cases, process_column=True)
    print(f"procmap: wrote {rows} events of {len(cases)} cases to {args.target}")


if __name__ == "__main__":
    main()
