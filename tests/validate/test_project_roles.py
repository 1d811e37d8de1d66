"""Issue 10: `procmap validate processes/refund.yaml` reads the project's role catalogs
(cli.md, "Project root and role catalogs")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from procmap.config import Config
from procmap.loader.project import project_root
from procmap.pipeline import validate_paths

if TYPE_CHECKING:
    from conftest import RunCli

import subprocess

EXAMPLES = Path(__file__).parent.parent.parent / "examples"


def _project(root: Path, *, marker: str = ".git", config: str = "") -> None:
    (root / "processes").mkdir(parents=True)
    (root / "org").mkdir()
    (root / "processes" / "refund.yaml").write_text(
        (EXAMPLES / "refund-approval.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "org" / "roles.yaml").write_text(
        (EXAMPLES / "roles.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    if marker == ".git":
        (root / ".git").mkdir()
    else:
        (root / marker).write_text(config, encoding="utf-8")


def _found(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    return [(f["rule"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_the_catalog_beside_a_process_resolves_its_roles(run_cli: RunCli, tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_cli(["validate", "processes/refund.yaml", "-f", "json"])
    assert result.returncode == 0, result.stdout
    assert _found(result) == []
    # from inside a subdirectory, and from stdin, the same
    assert run_cli(["validate", "refund.yaml"], cwd=tmp_path / "processes").returncode == 0
    stdin = (tmp_path / "processes" / "refund.yaml").read_text(encoding="utf-8")
    assert run_cli(["validate", "-"], input=stdin,
                   cwd=tmp_path / "processes").returncode == 0


def test_audit_uses_the_catalog_roles(run_cli: RunCli, tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_cli(["audit", "processes/refund.yaml", "-f", "json", "--fail-on", "never"])
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["rule"] == "unknown-reference"] == []
    assert data["processes"][0]["metrics"]["utilization"]  # capacities came from the catalog


def test_without_a_project_the_references_stay_unknown(run_cli: RunCli, tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / ".git").rmdir()
    result = run_cli(["validate", "processes/refund.yaml", "-f", "json"])
    assert result.returncode == 1
    assert {rule for rule, _ in _found(result)} == {"unknown-reference"}


def test_configured_catalogs_are_the_only_ones_read(run_cli: RunCli, tmp_path: Path) -> None:
    _project(tmp_path, marker="procmap.toml", config='catalogs = ["org/roles.yaml"]\n')
    (tmp_path / "decoy.yaml").write_text("procmap: 1\nroles:\n  - {id: decoy}\n",
                                         encoding="utf-8")
    assert run_cli(["validate", "processes/refund.yaml"]).returncode == 0
    (tmp_path / "procmap.toml").write_text('catalogs = ["decoy.yaml"]\n', encoding="utf-8")
    result = run_cli(["validate", "processes/refund.yaml", "-f", "json"])
    assert result.returncode == 1
    (tmp_path / "procmap.toml").write_text('catalogs = ["org/missing.yaml"]\n',
                                           encoding="utf-8")
    result = run_cli(["validate", "processes/refund.yaml"])
    assert result.returncode == 2
    assert "catalogs lists 'org/missing.yaml', which is not a file" in result.stderr


def test_roles_of_the_files_given_win_and_never_duplicate(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    _project(tmp_path)
    process = tmp_path / "processes" / "refund.yaml"
    text = process.read_text(encoding="utf-8")
    # the process defines cs-agent itself, with its own capacity
    process.write_text(text.replace("steps:", "roles:\n  - {id: cs-agent, capacity: 9}\n"
                                    "steps:", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = validate_paths(["processes/refund.yaml"], Config())
    assert [f.rule for f in result.findings] == []
    roles = result.workspace.roles
    assert roles["cs-agent"].role.capacity == 9
    assert roles["cs-agent"].doc.path == "processes/refund.yaml"
    assert roles["cs-lead"].from_project and roles["cs-lead"].doc.path == "org/roles.yaml"


def test_only_the_roles_needed_are_loaded(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    workspace = validate_paths(["processes/refund.yaml"], Config()).workspace
    catalog_ids = {e.role.id for e in workspace.project_roles}
    assert catalog_ids and workspace.unresolved_roles() == set()
    assert "crm-admin" not in catalog_ids  # in the catalog, but refund does not use it


def test_the_project_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert project_root(str(tmp_path / "a" / "b")) == str(tmp_path)
    (tmp_path / "a" / "procmap.toml").write_text("", encoding="utf-8")
    assert project_root(str(tmp_path / "a" / "b" / "x.yaml")) == str(tmp_path / "a")
