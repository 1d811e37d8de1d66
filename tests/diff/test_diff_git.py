"""`procmap diff` on git revisions of a temporary repository."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from diffcases import example_files, refund_text, with_finance_approval, write_repo

Repo = Callable[[Path], Path]
Commit = Callable[[Path, str], str]


@pytest.fixture
def history(tmp_path: Path, new_repo: Repo, commit: Commit, git: Any) -> Path:
    """main: (1) the refund example in processes/, next to a CI file that is not a
    procmap file; (2) the finance approval added, and the file renamed."""
    repo = new_repo(tmp_path / "repo")
    write_repo(repo / "processes", example_files())
    write_repo(repo, {".github/workflows/ci.yml": "on: push\n",
                      "docs/other.yaml": "title: not a process\n"})
    commit(repo, "refund process")
    git(repo, "mv", "processes/refund-approval.yaml", "processes/refund.yaml")
    (repo / "processes" / "refund.yaml").write_text(with_finance_approval(refund_text()),
                                                    encoding="utf-8")
    commit(repo, "finance approves refunds")
    return repo


def _report(run_cli: Any, repo: Path, *args: str, code: int = 0) -> dict[str, Any]:
    result = run_cli(["diff", "--format", "json", "--fail-on", "never", *args], cwd=repo)
    assert result.returncode == code, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_two_revisions(run_cli: Any, history: Path,
                       audit_json: Callable[..., dict[str, Any]], tmp_path: Path) -> None:
    report = _report(run_cli, history, "HEAD~1..HEAD")
    assert report["old"] == {"label": "HEAD~1", "files": 2}
    assert report["new"] == {"label": "HEAD", "files": 2}
    [process] = report["processes"]
    assert process["status"] == "changed"
    assert process["old_file"] == "processes/refund-approval.yaml"
    assert process["new_file"] == "processes/refund.yaml"
    assert [s["id"] for s in process["steps"]["added"]] == ["approve-finance"]
    # the same numbers as auditing each version's files
    write_repo(tmp_path / "old", example_files())
    write_repo(tmp_path / "new", example_files(with_finance_approval(refund_text())))
    for side in ("old", "new"):
        [metrics] = [p["metrics"] for p in audit_json(tmp_path / side)["processes"]]
        assert process["metrics"]["effort_hours"][side] == metrics["effort_hours"]
        assert process["metrics"]["expected_lead_time_hours"][side] == metrics[
            "expected_lead_time_hours"]
    # the same report, whichever way the revisions are written
    for args in (["HEAD~1", "HEAD"], ["main~1..main"], ["HEAD~1...HEAD"]):
        again = _report(run_cli, history, *args)
        assert again["processes"] == report["processes"], args


def test_revision_against_the_working_tree(run_cli: Any, history: Path) -> None:
    assert _report(run_cli, history, "HEAD")["processes"][0]["status"] == "unchanged"
    refund = history / "processes" / "refund.yaml"
    refund.write_text(refund.read_text(encoding="utf-8").replace(
        "    wait: 2h\n", "    wait: 4h\n"), encoding="utf-8")
    (history / "processes" / "new-untracked.yaml").write_text(
        "procmap: 1\nid: tiny\nname: tiny\nsteps:\n  - {id: s, kind: start, next: e}\n"
        "  - {id: e, kind: end}\n", encoding="utf-8")
    report = _report(run_cli, history, "main")
    assert report["new"]["label"] == "working tree"
    status = {p["id"]: p["status"] for p in report["processes"]}
    assert status == {"refund-approval": "changed", "tiny": "added"}
    refund_diff = next(p for p in report["processes"] if p["id"] == "refund-approval")
    assert refund_diff["steps"]["changed"] == [{"id": "approve-finance", "name": "财务复核",
                                                "changes": [{"field": "wait", "old": 2.0,
                                                             "new": 4.0}]}]
    # a deleted file is gone from the working tree, even before `git rm`
    refund.unlink()
    status = {p["id"]: p["status"] for p in _report(run_cli, history, "HEAD")["processes"]}
    assert status == {"refund-approval": "removed", "tiny": "added"}


def test_paths_limit_both_sides(run_cli: Any, history: Path, git: Any, commit: Commit
                                ) -> None:
    write_repo(history / "elsewhere", {"refund-copy.yaml": "procmap: 1\nid: other\n"
               "name: other\nsteps:\n  - {id: s, kind: start, next: e}\n"
               "  - {id: e, kind: end}\n"})
    commit(history, "another process elsewhere")
    everything = _report(run_cli, history, "HEAD~2")
    assert {p["id"] for p in everything["processes"]} == {"refund-approval", "other"}
    for args in (["HEAD~2", "--", "processes"], ["HEAD~2", "processes"],
                 ["HEAD~2..HEAD", "--", "processes/"], ["HEAD~2", "HEAD", "processes"]):
        limited = _report(run_cli, history, *args)
        assert [p["id"] for p in limited["processes"]] == ["refund-approval"], args
    # from a subdirectory, paths are relative to it, like git's
    limited = _report(run_cli, history / "processes", "HEAD~2", "--", ".")
    assert [p["id"] for p in limited["processes"]] == ["refund-approval"]


def test_bad_revisions_are_one_line_errors(run_cli: Any, history: Path, tmp_path: Path
                                           ) -> None:
    for args in (["no-such-branch"], ["HEAD~1..nope"], ["HEAD", "--", "../outside"],
                 ["HEAD", "nope", "--", "processes"], ["HEAD~1", "mian"]):
        result = run_cli(["diff", *args], cwd=history)
        assert result.returncode == 2, (args, result.stdout)
        assert result.stderr.startswith("procmap: error: ") and result.stderr.count(
            "\n") == 1, result.stderr
    assert "not a revision" in run_cli(["diff", "no-such-branch"], cwd=history).stderr
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    result = run_cli(["diff", "main"], cwd=outside)
    assert result.returncode == 2
    assert "not inside a git repository" in result.stderr


def test_markdown_from_revisions(run_cli: Any, history: Path) -> None:
    result = run_cli(["diff", "HEAD~1", "--format", "markdown", "--fail-on", "warning"],
                     cwd=history)
    assert result.returncode == 1  # the approval introduces warnings
    assert result.stdout.startswith("<!-- procmap-diff -->\n### procmap diff: HEAD\\~1 → "
                                    "working tree\n")
    assert "moved to another file" in result.stdout
    assert "| file | processes/refund-approval.yaml | processes/refund.yaml |" in (
        result.stdout)
