"""`make lint`'s type check: mypy (strict, pyproject.toml) over src, tests, bench and scripts.

pytest puts every test folder on ``sys.path`` (no ``__init__.py``: a test module imports
the helpers next to it, ``from bpmn_helpers import ...``), so each folder's fixtures live
in a module that is also called ``conftest``. One mypy run cannot hold two modules of the
same name, so the main run (``files`` in pyproject.toml) leaves out
``tests/<folder>/conftest.py`` and this script checks each of them in a run of its own,
where it sees its folder's helpers exactly as pytest does.

Usage: ``python scripts/typecheck.py`` (exit code 1 when any run finds a problem).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    runs: list[list[str]] = [[]]
    runs += [[str(path.relative_to(ROOT))] for path in sorted(ROOT.glob("tests/*/**/conftest.py"))]
    failed = 0
    for files in runs:
        done = subprocess.run([sys.executable, "-m", "mypy", *files], cwd=ROOT, check=False)
        failed |= done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
