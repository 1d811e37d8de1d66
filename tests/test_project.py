"""Project hygiene: the declared licence and dependencies are true, tests assert no
wall-clock time, and the project's own pre-commit configuration is valid."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: the runtime dependencies this Python installs (`tomli; python_version < '3.11'` only on 3.10)
RUNTIME = [r for r in map(Requirement, PYPROJECT["project"]["dependencies"])
           if r.marker is None or r.marker.evaluate()]


def _imported_top_level_names(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


def test_the_license_file_is_the_declared_apache_2() -> None:
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


@pytest.mark.parametrize("requirement", RUNTIME, ids=str)
def test_every_runtime_dependency_is_imported(requirement: Requirement) -> None:
    """A dependency nobody imports costs every user an install (the `graphviz` Python
    package was one: procmap runs the Graphviz binaries itself)."""
    name = requirement.name
    canonical = re.sub(r"[-_.]+", "-", name).lower()
    modules = {module for module, dists in packages_distributions().items()
               if any(re.sub(r"[-_.]+", "-", d).lower() == canonical for d in dists)}
    assert modules, f"{name} is declared but not installed: pip install -e '.[dev]'"
    assert modules & _imported_top_level_names(ROOT / "src" / "procmap"), (
        f"{name} is a runtime dependency, but src/procmap never imports {sorted(modules)}: "
        "use it or remove it from pyproject.toml")


def test_no_test_measures_wall_clock_time() -> None:
    """Speed lives in bench/ (docs/benchmarks.md): a timing assertion fails at random on a
    busy CI machine. Assert the result on a bounded input, and that the hang protection
    (a limit, a timeout) is in place."""
    clock = re.compile(r"\btime\.(perf_counter|monotonic|time|process_time)\s*\(")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "tests").rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8")
                                               .splitlines(), 1)
                 if clock.search(line)]
    assert offenders == [], offenders


def test_the_projects_pre_commit_config_is_valid() -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is a dev extra: pip install -e '.[dev]'")
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config",
                           str(ROOT / ".pre-commit-config.yaml")], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_registered_markers_are_the_documented_ones() -> None:
    markers = {line.split(":")[0] for line in PYPROJECT["tool"]["pytest"]["ini_options"]
               ["markers"]}
    assert {"network", "graphviz", "browser"} <= markers
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for marker in markers:
        assert f"`{marker}`" in contributing, f"document the marker {marker!r}"
