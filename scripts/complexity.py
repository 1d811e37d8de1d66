"""Functions a person can hold in their head: `make lint` fails when a function in
`src/procmap/` has a cyclomatic complexity above 15, or one in `src/procmap/cli/` above 8
(radon's measure, the one CONTRIBUTING.md and docs quote).

    python scripts/complexity.py          # list the offenders, exit 1 if any
"""

from __future__ import annotations

import sys
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Class, Function

SRC = Path(__file__).resolve().parent.parent / "src" / "procmap"
LIMITS = ((SRC / "cli", 8), (SRC, 15))  # the first folder that holds a file sets its limit


def limit_of(path: Path) -> int:
    return next(limit for folder, limit in LIMITS if folder in path.parents)


def functions(blocks: list[Function | Class]) -> list[Function]:
    """Every function and method (a class's own figure is not a function's)."""
    found: dict[tuple[int, str], Function] = {}
    for block in blocks:
        for function in (block.methods if isinstance(block, Class) else [block]):
            found[(function.lineno, function.name)] = function
    return list(found.values())


def offenders() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        limit = limit_of(path)
        for block in functions(cc_visit(path.read_text(encoding="utf-8"))):
            if block.complexity > limit:
                name = getattr(block, "fullname", block.name)
                found.append(f"{path.relative_to(SRC.parent.parent)}:{block.lineno}: "
                             f"{name} has complexity {block.complexity} (limit {limit})")
    return found


def main() -> int:
    found = offenders()
    for line in found:
        print(line)
    if found:
        print(f"procmap complexity: {len(found)} functions above the limit; split them into "
              "named steps")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
