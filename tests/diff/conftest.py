"""Fixtures for `procmap diff`: the refund example before and after a change, temporary
git repositories, and the audit JSON the expected numbers are computed from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parents[2]


Git = Callable[..., str]


@pytest.fixture
def git() -> Git:
    """`git(repo, "commit", "-m", "x")`: git with only the repository's own settings (no
    global or system configuration), so tests behave the same on every machine."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_TERMINAL_PROMPT": "0"}

    def run(repo: Path, *args: str) -> str:
        completed = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True,
                                   text=True, check=False)
        assert completed.returncode == 0, f"git {' '.join(args)}: {completed.stderr}"
        return completed.stdout

    return run


@pytest.fixture
def new_repo(git: Git) -> Callable[[Path], Path]:
    """An empty repository on branch main, with its own committer identity."""

    def create(path: Path) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        git(path, "init", "--quiet", "--initial-branch=main")
        git(path, "config", "user.name", "procmap tests")
        git(path, "config", "user.email", "tests@procmap.invalid")
        git(path, "config", "commit.gpgsign", "false")
        return path

    return create


@pytest.fixture
def commit(git: Git) -> Callable[[Path, str], str]:
    """Commit everything in the working tree; returns the commit id."""

    def run(repo: Path, message: str) -> str:
        git(repo, "add", "--all")
        git(repo, "commit", "--quiet", "--allow-empty", "-m", message)
        return git(repo, "rev-parse", "HEAD").strip()

    return run


@pytest.fixture
def audit_json(run_cli: Any) -> Callable[..., dict[str, Any]]:
    """The audit JSON of a directory, from `procmap audit` itself: what the diff's
    numbers must agree with."""

    def audit(directory: Path) -> dict[str, Any]:
        result = run_cli(["audit", ".", "--format", "json", "--fail-on", "never"],
                         cwd=directory)
        assert result.returncode == 0, result.stderr
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    return audit


@pytest.fixture
def golden_file() -> Callable[[str, str], None]:
    """Compare with tests/diff/golden/NAME; PROCMAP_UPDATE_GOLDEN=1 rewrites it."""

    def compare(text: str, name: str) -> None:
        path = GOLDEN / name
        if os.environ.get("PROCMAP_UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"{path} is missing: run with PROCMAP_UPDATE_GOLDEN=1"
        assert text == path.read_text(encoding="utf-8"), (
            f"output differs from {path.relative_to(ROOT)}; if the change is intended, "
            "rerun with PROCMAP_UPDATE_GOLDEN=1 and review the diff")

    return compare
