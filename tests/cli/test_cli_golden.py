"""Golden outputs of `procmap validate` on a few bad files, in every finding format.

The inputs live in tests/golden/validate/input/; rewrite the outputs after an intended
change with `PROCMAP_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cli/test_cli_golden.py` and
review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from procmap.rules import all_rules

if TYPE_CHECKING:
    from conftest import Golden, RunCli

HERE = Path(__file__).parent.parent / "golden" / "validate"


def validate(run_cli: RunCli, fmt: str, env: dict[str, str] | None = None) -> str:
    result = run_cli(["validate", "input", "--format", fmt], cwd=HERE, env=env)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize(("fmt", "name"), [("text", "text.txt"), ("json", "json.json"),
                                           ("github", "github.txt")])
def test_golden(run_cli: RunCli, golden: Golden, fmt: str, name: str) -> None:
    golden(validate(run_cli, fmt), f"validate/{name}")


def _stable_sarif(document: dict[str, Any]) -> dict[str, Any]:
    """SARIF without what changes whenever a rule is added or the version bumps (the
    descriptors are checked structurally below)."""
    run = document["runs"][0]
    run["tool"]["driver"]["version"] = "<version>"
    run["tool"]["driver"]["rules"] = "<rules>"
    return document


def test_golden_sarif(run_cli: RunCli, golden: Golden) -> None:
    document = json.loads(validate(run_cli, "sarif"))
    golden(json.dumps(_stable_sarif(document), ensure_ascii=False, indent=2) + "\n",
           "validate/sarif.json")


def test_sarif_structure(run_cli: RunCli) -> None:
    document = json.loads(validate(run_cli, "sarif"))
    assert document["version"] == "2.1.0"
    assert "sarif" in document["$schema"]
    assert len(document["runs"]) == 1
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "procmap"
    descriptors = driver["rules"]
    ids = [rule["id"] for rule in descriptors]
    assert ids == list(all_rules()), "every rule procmap has is described, in order"
    assert len(ids) == len(set(ids))
    for rule in descriptors:
        assert rule["shortDescription"]["text"].strip()
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["results"], "the input has findings"
    for result in run["results"]:
        assert descriptors[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("input/")
        assert location["region"]["startLine"] >= 1
        assert location["region"]["startColumn"] >= 1


def test_the_formats_agree(run_cli: RunCli) -> None:
    """The same findings, in the same order, whatever the format."""
    report = json.loads(validate(run_cli, "json"))
    expected = [(f["file"], f["line"], f["column"], f["rule"]) for f in report["findings"]]
    assert report["summary"] == {"error": 9, "warning": 3, "info": 0}
    assert report["files"] == 3

    text = validate(run_cli, "text").splitlines()
    assert len(text) == len(expected) + 1
    for line, (file, row, col, rule) in zip(text[:-1], expected, strict=True):
        assert line.startswith(f"{file}:{row}:{col}: ") and f"[{rule}]" in line

    github = validate(run_cli, "github").splitlines()
    for line, (file, row, col, rule) in zip(github, expected, strict=True):
        assert f"file={file},line={row},col={col},title={rule}::" in line

    sarif = json.loads(validate(run_cli, "sarif"))["runs"][0]["results"]
    assert [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["locations"][0]["physicalLocation"]["region"]["startColumn"],
             r["ruleId"]) for r in sarif] == expected


def test_github_escapes_what_would_break_a_workflow_command(run_cli: RunCli,
                                                            tmp_path: Path) -> None:
    (tmp_path / "a,b:c.yaml").write_text("procmap: 1\nid: x\nname: x\nsteps: 5%\n",
                                         encoding="utf-8")
    result = run_cli(["validate", "a,b:c.yaml", "--format", "github"])
    line = result.stdout.splitlines()[0]
    assert line.startswith("::error file=a%2Cb%3Ac.yaml,line=4,col=8,title=schema::")
    assert "5%25" in line and "\n" not in line
