"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the real pre-commit.

pre-commit installs a hook's environment by pip-installing the hook repository from
the package index: ~30-40 s. `pre-commit run` keeps environments in PRE_COMMIT_HOME,
shared here by the whole session so the configuration tests install once;
`pre-commit try-repo` always installs into a throwaway store of its own (it ignores
PRE_COMMIT_HOME), so it runs once.

The hook repository is a snapshot of this working tree (the files `git ls-files` lists,
committed in a temporary repository): try-repo on the project itself would see only its
last commit plus changes to tracked files, never a new untracked file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
#: what pip needs to build the package, and the hook manifest
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "src/")
INSTALL_TIMEOUT = 900

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    completed = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True,
                               text=True, check=False)
    assert completed.returncode == 0, f"git {' '.join(args)}: {completed.stderr}"
    return completed.stdout


def _new_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    _git(path, "init", "--quiet", "--initial-branch=main")
    _git(path, "config", "user.name", "procmap tests")
    _git(path, "config", "user.email", "tests@procmap.invalid")
    _git(path, "config", "commit.gpgsign", "false")
    return path


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(path, commit) of a repository holding this working tree's package."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard", "--", *PACKAGE_FILES], cwd=ROOT,
                            capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("the project is not a git checkout")
    snapshot = _new_repo(tmp_path_factory.mktemp("hooks") / "procmap")
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _git(snapshot, "add", "--all")
    _git(snapshot, "commit", "--quiet", "-m", "snapshot")
    return snapshot, _git(snapshot, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _sample(path: Path, *, broken: bool) -> Path:
    """A process repository: the refund example and its roles, committed; `broken`
    misspells a role in the refund process."""
    repo = _new_repo(path)
    (repo / "processes").mkdir()
    shutil.copy(EXAMPLES / "roles.yaml", repo / "processes" / "roles.yaml")
    text = (EXAMPLES / "refund-approval.yaml").read_text(encoding="utf-8")
    if broken:
        assert text.count("    role: finance\n    wait: 30m") == 1
        text = text.replace("    role: finance\n    wait: 30m", "    role: finanse\n    wait: 30m")
    (repo / "processes" / "refund-approval.yaml").write_text(text, encoding="utf-8")
    (repo / "README.md").write_text("# processes\n", encoding="utf-8")
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "-m", "processes")
    return repo


def _pre_commit(args: Sequence[str], cwd: Path, home: Path
                ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "PROCMAP_DEBUG")}
    env.update({"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never",
                "PYTHONIOENCODING": "utf-8", "GIT_CONFIG_GLOBAL": os.devnull,
                "GIT_CONFIG_NOSYSTEM": "1"})
    completed = subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd,
                               env=env, capture_output=True, text=True,
                               timeout=INSTALL_TIMEOUT, check=False)
    if "Installing environment" in completed.stdout and completed.returncode == 3:
        pytest.fail(f"pre-commit could not install the hook (is the package index "
                    f"reachable?):\n{completed.stdout}\n{completed.stderr}")
    return completed


def _config_from_docs(repo: str, rev: str) -> str:
    """The .pre-commit-config.yaml of docs/ci.md, pointed at the snapshot."""
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", docs, flags=re.S)
    [block] = [b for b in blocks if "procmap-validate" in b and "repos:" in b]
    config = yaml.safe_load(block)
    [entry] = config["repos"]
    assert {h["id"] for h in entry["hooks"]} == {"procmap-validate", "procmap-audit"}
    entry["repo"], entry["rev"] = repo, rev
    return yaml.safe_dump(config, sort_keys=False)


def test_hook_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"procmap-validate", "procmap-audit"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False  # references span files: check them all
        assert re.search(hook["files"], "processes/refund.yaml")
        assert re.search(hook["files"], "roles.yml")
        assert not re.search(hook["files"], "README.md")
    assert hooks["procmap-validate"]["entry"] == "procmap validate"
    # only the findings: pre-commit shows the output of a failed hook in full
    assert hooks["procmap-audit"]["entry"] == "procmap --quiet audit --fail-on error"


@pytest.mark.network  # pre-commit pip-installs the hook
def test_hooks_from_the_documented_config(hook_repo: tuple[Path, str], tmp_path: Path,
                                          pre_commit_home: Path) -> None:
    snapshot, rev = hook_repo
    good = _sample(tmp_path / "good", broken=False)
    broken = _sample(tmp_path / "broken", broken=True)
    for repo in (good, broken):
        (repo / ".pre-commit-config.yaml").write_text(_config_from_docs(str(snapshot), rev),
                                                      encoding="utf-8")
        _git(repo, "add", ".pre-commit-config.yaml")

    passed = _pre_commit(["run", "--all-files"], good, pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^procmap validate\.+Passed$", passed.stdout, flags=re.M)
    assert re.search(r"^procmap audit\.+Passed$", passed.stdout, flags=re.M)

    failed = _pre_commit(["run", "--all-files"], broken, pre_commit_home)
    assert failed.returncode == 1
    assert "Installing environment" not in failed.stdout  # installed once per session
    assert re.search(r"^procmap validate\.+Failed$", failed.stdout, flags=re.M)
    assert re.search(r"^procmap audit\.+Failed$", failed.stdout, flags=re.M)
    assert re.search(r"processes/refund-approval\.yaml:\d+:11: error\[unknown-reference\] "
                     r"`role` names a role 'finanse'", failed.stdout), failed.stdout


@pytest.mark.network  # pre-commit pip-installs the hook
def test_try_repo_on_a_broken_repository(hook_repo: tuple[Path, str], tmp_path: Path,
                                         pre_commit_home: Path) -> None:
    snapshot, _ = hook_repo
    broken = _sample(tmp_path / "broken", broken=True)
    result = _pre_commit(["try-repo", str(snapshot), "procmap-validate", "--all-files"],
                         broken, pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^procmap validate\.+Failed$", result.stdout, flags=re.M)
    assert "error[unknown-reference]" in result.stdout
    assert "procmap: 1 error" in result.stdout
