"""Shared test helpers: run the real CLI, compare with golden files, hypothesis profiles;
and the test markers: what a test needs beyond Python (see CONTRIBUTING.md, "Tests").

- ``network``: downloads from a package index or the npm registry. Runs by default (CI
  has the network); ``PROCMAP_OFFLINE=1`` skips these tests, saying why.
- ``graphviz``: needs ``dot`` and ``neato``; skipped, with the reason, when missing.
- ``browser``: needs Chromium and node/npm; skipped, with the reason, when missing.
- ``bigdata``: writes a 2 GB event log (about 3 minutes); skipped with less than 6 GB
  free in the temporary folder, or with ``PROCMAP_SKIP_BIG=1`` (for quick local runs).

A skip must say why (``pytest.skip("...")``): a skip without a reason fails, so the
summary that ``-rfEs`` prints at the end of every run tells what was not tested and why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Generator, Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from procmap.findings import Finding
from testenv import cli_env, english_process_environment

TESTS = Path(__file__).parent
GOLDEN = TESTS / "golden"

# CI runs are reproducible (fixed examples, no example database); local runs explore.
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI")
                                                                 else "dev"))

def _offline() -> bool:
    return os.environ.get("PROCMAP_OFFLINE", "").strip().lower() not in ("", "0", "no",
                                                                         "false")


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


#: marker -> (is the need met?, why a test with it is skipped)
_NEEDS: dict[str, tuple[Callable[[], bool], str]] = {
    "network": (lambda: not _offline(),
                "needs a package index or the npm registry, and PROCMAP_OFFLINE is set"),
    "graphviz": (lambda: bool(shutil.which("dot") and shutil.which("neato")),
                 "needs Graphviz (dot and neato on PATH): apt-get install graphviz, "
                 "or scripts/system-deps.sh"),
    "browser": (lambda: bool(_chromium() and shutil.which("node") and shutil.which("npm")),
                "needs Chromium, node and npm: apt-get install chromium nodejs npm, or "
                "scripts/system-deps.sh --browser"),
    "bigdata": (lambda: not os.environ.get("PROCMAP_SKIP_BIG") and _free_gb() >= 6,
                "writes a 2 GB event log: needs 6 GB free in the temporary folder, and "
                "PROCMAP_SKIP_BIG unset"),
}


def _free_gb() -> float:
    import tempfile

    return shutil.disk_usage(tempfile.gettempdir()).free / 1e9


english_process_environment()


def pytest_report_header(config: pytest.Config) -> list[str]:
    found = {name: "yes" if met() else "no" for name, (met, _) in _NEEDS.items()}
    return [f"procmap test needs: network={found['network']} (PROCMAP_OFFLINE="
            f"{os.environ.get('PROCMAP_OFFLINE', '')!r}), graphviz={found['graphviz']}, "
            f"browser={found['browser']}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmet = {name: pytest.mark.skip(reason=f"[{name}] {why}")
             for name, (met, why) in _NEEDS.items() if not met()}
    for item in items:
        for name, skip in unmet.items():
            if item.get_closest_marker(name) is not None:
                item.add_marker(skip)
                break


_NO_REASON = {"", "skipped", "unconditional skip", "<no reason>"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and isinstance(report.longrepr,
                                                                         tuple):
        path, line, message = report.longrepr
        reason = message.removeprefix("Skipped:").strip().lower()
        if reason in _NO_REASON:
            report.outcome = "failed"
            report.longrepr = (f"{path}:{line}: a skipped test must say why: "
                               "pytest.skip(\"needs ...\") or skipif(..., reason=...)")
    return report


@pytest.fixture(autouse=True)
def _english_interface() -> Generator[None, None, None]:
    """Every test starts (and leaves procmap) in English, whatever an earlier test set."""
    from procmap.i18n import set_language

    set_language("en")
    yield
    set_language("en")

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]
Golden = Callable[[str, str], None]
# The type of tests/loader/conftest.py's `check` fixture, for annotations in test modules:
# `if TYPE_CHECKING: from conftest import Check`. mypy's main run sees only this
# conftest (the per-folder ones are all named `conftest`: scripts/typecheck.py).
Check = Callable[..., "list[Finding]"]


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run `python -m procmap ARGS` in a subprocess (cwd: tmp_path unless given); with
    `code`, run `python -c CODE ARGS` instead (to simulate failures inside procmap)."""

    def run(args: Sequence[str], *, cwd: str | os.PathLike[str] | None = None,
            input: str | bytes | None = None, env: Mapping[str, str] | None = None,
            timeout: float = 60, code: str | None = None
            ) -> subprocess.CompletedProcess[str]:
        data = input.encode("utf-8") if isinstance(input, str) else input
        program = ["-c", code] if code is not None else ["-m", "procmap"]
        completed = subprocess.run(
            [sys.executable, *program, *args], cwd=cwd or tmp_path, input=data,
            capture_output=True, env=cli_env(env), timeout=timeout, check=False)
        return subprocess.CompletedProcess(
            completed.args, completed.returncode,
            completed.stdout.decode("utf-8", "replace"),
            completed.stderr.decode("utf-8", "replace"))

    return run


@pytest.fixture
def golden() -> Golden:
    """`golden(text, "validate/x.txt")`: compare with tests/golden/...; set
    PROCMAP_UPDATE_GOLDEN=1 to rewrite the file instead."""

    def compare(text: str, name: str) -> None:
        path = GOLDEN / name
        if os.environ.get("PROCMAP_UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"{path} is missing: run with PROCMAP_UPDATE_GOLDEN=1"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (
            f"output differs from {path.relative_to(TESTS)}; if the change is intended, "
            "rerun with PROCMAP_UPDATE_GOLDEN=1 and review the diff")

    return compare
