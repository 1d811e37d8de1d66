"""`make sdist-check`: build the source distribution and the wheel, check what they hold,
and run tests from the unpacked sdist.

The sdist must hold every file git tracks under docs/, examples/, schema/, tests/ (the
copied BPMN fixtures with their licences included), bench/ and scripts/, plus README,
LICENSE, CHANGELOG and CONTRIBUTING, and nothing built or downloaded (virtualenvs,
node_modules, caches, bytecode). The wheel holds the package only, with py.typed, the
`procmap init` templates and the licence. Then pytest runs from the unpacked sdist with
its own src/ first on the path, so what is tested is what was shipped.

Usage: python scripts/check_sdist.py [--full] [--keep DIR]
  --full   run the whole suite from the sdist (default: a quick, representative part)
Needs `build` (pip install build) and, for the isolated build, the package index.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DIRS = ("docs/", "examples/", "schema/", "tests/", "bench/", "scripts/")
REQUIRED = ("README.md", "LICENSE", "CHANGELOG.md", "CONTRIBUTING.md", "pyproject.toml",
            "PKG-INFO", "MANIFEST.in", "Makefile", ".ci/run", "src/procmap/__init__.py",
            "src/procmap/py.typed", "docs/release.md", "schema/procmap-1.schema.json",
            "tests/conftest.py", "tests/fixtures/bpmn-xsd/BPMN20.xsd",
            "tests/fixtures/bpmn-xsd/README.md", "tests/fixtures/bpmn-miwg/LICENSE.txt",
            "tests/fixtures/bpmn-miwg/README.md", "tests/bpmn/js/package-lock.json")
FORBIDDEN = ("/.venv/", "/node_modules/", "/__pycache__/", ".pyc", "/.mypy_cache/",
             "/.pytest_cache/", "/.ruff_cache/", "/.hypothesis/", "/bench/results/", "/.git/",
             "/out/", "/dist/")
WHEEL_REQUIRED = ("procmap/__init__.py", "procmap/py.typed", "procmap/data/__init__.py")
QUICK_TESTS = ("tests/test_schema.py", "tests/test_docs.py", "tests/validate",
               "tests/cli/test_cli_golden.py", "tests/bpmn/test_bpmn_import_miwg.py",
               "tests/bpmn/test_bpmn_export.py")


def tracked() -> set[str]:
    """Files git tracks (and new files it would track) under the shipped folders."""
    done = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                           "--exclude-standard", "--", *SHIPPED_DIRS], cwd=ROOT,
                          capture_output=True, check=False)
    if done.returncode != 0:
        return set()  # not a checkout (e.g. run from an unpacked sdist): REQUIRED only
    return {name for name in done.stdout.decode().split("\0")
            if name and (ROOT / name).is_file()}


def problems_of_sdist(names: list[str]) -> list[str]:
    top = names[0].split("/", 1)[0]
    inside = {name[len(top) + 1:] for name in names if name.startswith(top + "/")}
    problems = [f"missing from the sdist: {name}" for name in REQUIRED if name not in inside]
    problems += [f"tracked but not in the sdist: {name}"
                 for name in sorted(tracked() - inside)]
    problems += [f"should not be in the sdist: {name}" for name in names
                 if any(bad in "/" + name for bad in FORBIDDEN)]
    return problems


def problems_of_wheel(names: list[str]) -> list[str]:
    problems = [f"missing from the wheel: {name}" for name in WHEEL_REQUIRED
                if name not in names]
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in names):
        problems.append("the wheel does not carry LICENSE (.dist-info/licenses/LICENSE)")
    problems += [f"should not be in the wheel: {name}" for name in names
                 if name.startswith(("tests/", "docs/", "bench/")) or "__pycache__" in name]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--keep", type=Path, help="build into DIR and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="procmap-sdist-") as temp:
        out = args.keep or Path(temp) / "dist"
        # sdist first, then the wheel built *from the sdist*: a file the sdist forgets
        # breaks the wheel build here, not on a user's machine
        built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                               capture_output=True, text=True, check=False)
        if built.returncode != 0:
            print(built.stdout[-3000:], built.stderr[-3000:], sep="\n")
            print("sdist-check: `python -m build` failed")
            return 1
        (sdist,) = out.glob("procmap-*.tar.gz")
        (wheel,) = out.glob("procmap-*.whl")
        with tarfile.open(sdist) as archive:
            names = sorted(member.name for member in archive.getmembers() if member.isfile())
            problems = problems_of_sdist(names)
            with zipfile.ZipFile(wheel) as zipped:
                problems += problems_of_wheel(zipped.namelist())
            for problem in problems:
                print(f"sdist-check: {problem}")
            if problems:
                return 1
            print(f"sdist-check: {sdist.name} holds {len(names)} files, {wheel.name} "
                  f"the package; listings are complete")
            unpacked = Path(temp) / "unpacked"
            if hasattr(tarfile, "data_filter"):  # Python >= 3.10.12 / 3.11.4
                archive.extractall(unpacked, filter="data")
            else:  # our own archive, just built
                archive.extractall(unpacked)
        project = unpacked / names[0].split("/", 1)[0]
        env = {**os.environ, "PYTHONPATH": str(project / "src"), "PROCMAP_OFFLINE": "1"}
        where = subprocess.run([sys.executable, "-c", "import procmap; print(procmap.__file__)"],
                               cwd=project, env=env, capture_output=True, text=True,
                               check=False).stdout.strip()
        if not Path(where).is_relative_to(project):
            print(f"sdist-check: tests would import procmap from {where}, not the sdist")
            return 1
        tests = [] if args.full else list(QUICK_TESTS)
        command = [sys.executable, "-m", "pytest", "-q", "-rfEs", "-p", "no:cacheprovider",
                   *tests]
        print(f"sdist-check: running {' '.join(command[2:])} in {project.name}/", flush=True)
        ran = subprocess.run(command, cwd=project, env=env, check=False)
        return ran.returncode


if __name__ == "__main__":
    sys.exit(main())
