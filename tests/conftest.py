"""Shared test helpers: run the real CLI, compare with golden files, hypothesis profiles."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

TESTS = Path(__file__).parent
GOLDEN = TESTS / "golden"

# CI runs are reproducible (fixed examples, no example database); local runs explore.
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI")
                                                                 else "dev"))

# Variables that change procmap's output: tests set them explicitly when they matter.
_OUTPUT_ENV = ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "PROCMAP_DEBUG", "COLUMNS")

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _OUTPUT_ENV}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra or {})
    return env


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
def golden() -> Callable[[str, str], None]:
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
