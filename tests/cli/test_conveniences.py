"""Issue 9.4/9.5 and 10.9/10.11-13 through the real CLI: format choices from the
registry, one error type, --quiet/--verbose/-V, render -p and -o checks, the stable
parsable format, diff's default-branch hint, Mermaid lanes without a name."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cli_helpers import BROKEN, CLEAN, NO_ROLES, OTHER, no_traceback, write

from procmap import __version__, formats

if TYPE_CHECKING:
    from conftest import RunCli


PARSABLE = r"^[^:]+:\d+:\d+: (error|warning|info)\[[a-z0-9-]+\] .+$"


def test_dash_v_prints_the_version(run_cli: RunCli) -> None:
    for flag in ("-V", "--version"):
        result = run_cli([flag])
        assert (result.returncode, result.stdout) == (0, f"procmap {__version__}\n")


@pytest.mark.parametrize("command,registry", [
    ("validate", "findings"), ("audit", "audit"), ("raci", "raci"), ("diff", "diff"),
    ("render", "render"), ("doctor", "doctor")])
def test_help_lists_the_registered_formats(run_cli: RunCli, command: str, registry: str) -> None:
    result = run_cli([command, "--help"], env={"COLUMNS": "200"})
    assert result.returncode == 0
    choices = "|".join(formats.names(registry))
    assert f"|{choices}>" in result.stdout or f"<{choices}>" in result.stdout
    assert "<str>" not in result.stdout  # metavars say what the value is


@pytest.mark.parametrize("command", [
    "validate", "audit", "raci", "render", "diff", "import", "init", "doctor", "schema",
    "simulate", "conform", "handbook"])
def test_help_shows_metavars_not_python_types(run_cli: RunCli, command: str) -> None:
    result = run_cli([command, "--help"], env={"COLUMNS": "200"})
    assert result.returncode == 0
    for python_type in ("<str>", "<list[", "<int", "<float", "<bool", "<path"):
        assert python_type not in result.stdout, (command, python_type)


def test_completion_lists_format_values(run_cli: RunCli) -> None:
    result = run_cli([], env={"_PROCMAP_COMPLETE": "complete_bash", "COMP_WORDS":
                              "procmap audit --format ", "COMP_CWORD": "3"},
                     code="import sys; sys.argv[0] = 'procmap'; "
                          "from procmap.cli.app import main; main()")
    assert set(result.stdout.split()) >= {"text", "json", "markdown", "html", "sarif",
                                          "parsable"}, result.stdout + result.stderr


def test_bad_choices_are_one_line_errors(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    for args, expected in (
            (["audit", ".", "--format", "pdf"], "'pdf' is not one of 'auto', 'text'"),
            (["audit", ".", "--fail-on", "sometimes"], "'sometimes' is not one of 'error'"),
            (["render", ".", "-o", "x", "--direction", "up"], "'up' is not one of 'lr', 'tb'"),
            (["validate", "--nope"], "No such option: --nope")):
        result = run_cli(args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("procmap: error: ") and expected in result.stderr
        assert len(result.stderr.splitlines()) == 1
        no_traceback(result)


def test_parsable_is_the_same_on_a_terminal(run_cli: RunCli, tmp_path: Path) -> None:
    import re

    write(tmp_path, {"refund.yaml": BROKEN})
    plain = run_cli(["validate", ".", "-f", "parsable"])
    coloured = run_cli(["validate", ".", "-f", "parsable"], env={"FORCE_COLOR": "1"})
    assert plain.stdout == coloured.stdout
    assert plain.stdout == ("refund.yaml:12:15: error[schema] `duration`: a bare number is "
                            "not a duration: add a unit, e.g. 15m, 15h or 15d\n")
    assert all(re.match(PARSABLE, line) for line in plain.stdout.splitlines())


def test_the_editors_problem_matcher_matches_parsable_output(
        run_cli: RunCli, tmp_path: Path) -> None:
    import json
    import re

    docs = (Path(__file__).resolve().parents[2] / "docs" / "editors.md").read_text(
        encoding="utf-8")
    block = re.search(r"```json\n(\{\n  \"version\": \"2\.0\.0\".*?)\n```", docs, re.S)
    assert block, "docs/editors.md has the tasks.json example"
    task = json.loads(block.group(1))["tasks"][0]
    assert "--format parsable" in task["command"]
    pattern = task["problemMatcher"]["pattern"]["regexp"]
    write(tmp_path, {"refund.yaml": BROKEN})
    result = run_cli(task["command"].split()[1:], env={"FORCE_COLOR": "1"})
    match = re.match(pattern, result.stdout.splitlines()[0])
    assert match and match.group(1) == "refund.yaml" and match.group(5) == "schema"


def test_quiet_prints_only_findings(run_cli: RunCli, tmp_path: Path) -> None:
    import re

    write(tmp_path, {"refund.yaml": BROKEN, "other.yaml": OTHER})
    for command in (["validate", "."], ["audit", "."]):
        result = run_cli(["--quiet", *command])
        assert result.returncode == 1
        assert result.stdout and all(re.match(PARSABLE, line)
                                     for line in result.stdout.splitlines()), result.stdout
        assert result.stderr == ""
    empty = run_cli(["-q", "audit", "other.yaml"])
    assert empty.returncode == 0 and empty.stderr == ""
    assert all(re.match(PARSABLE, line) for line in empty.stdout.splitlines())


def test_quiet_hides_notes_and_warnings(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write(tmp_path, {"refund.yaml": CLEAN})
    assert run_cli(["validate", "empty"]).stderr.startswith("procmap: warning: no procmap")
    assert run_cli(["-q", "validate", "empty"]).stderr == ""
    loud = run_cli(["render", "refund.yaml", "-o", "r.mmd"])
    assert loud.stderr == "procmap: wrote r.mmd\n"
    assert run_cli(["-q", "render", "refund.yaml", "-o", "r.mmd"]).stderr == ""


def test_verbose_says_what_was_used(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN, "procmap.toml": "[rules]\nno-sla = \"off\"\n"})
    result = run_cli(["--verbose", "validate", "."])
    assert result.returncode == 0
    assert "procmap: configuration: " in result.stderr and "procmap.toml" in result.stderr
    assert "procmap: 1 file checked\n" in result.stderr


def test_render_p_is_repeatable(run_cli: RunCli, tmp_path: Path) -> None:
    third = CLEAN.replace("id: refund", "id: third").replace("cs-agent", "third-agent")
    write(tmp_path, {"refund.yaml": CLEAN, "other.yaml": OTHER, "third.yaml": third})
    result = run_cli(["render", ".", "-f", "mmd", "-o", "out", "-p", "refund", "-p", "third"])
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["refund.mmd", "third.mmd"]
    missing = run_cli(["render", ".", "-f", "mmd", "-o", "out", "-p", "nope"])
    assert missing.returncode == 2 and "no process with id 'nope'" in missing.stderr


@pytest.mark.parametrize("args,message", [
    (["-o", "x.jpg"], "-o x.jpg: .jpg is no render format: use one of svg, png"),
    (["-o", "x.png", "-f", "svg"], "-o x.png says png but --format says svg"),
])
def test_render_a_wrong_extension_is_an_error(
        run_cli: RunCli, tmp_path: Path, args: list[str], message: str) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    result = run_cli(["render", "refund.yaml", *args])
    assert result.returncode == 2
    assert result.stderr.startswith(f"procmap: error: {message}")
    assert not list(tmp_path.glob("x.*"))


def test_render_the_format_follows_the_extension(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    assert run_cli(["render", "refund.yaml", "-o", "r.MMD"]).returncode == 0
    assert (tmp_path / "r.MMD").read_text(encoding="utf-8").startswith("---\ntitle:")


def test_mermaid_lanes_without_a_name_get_one(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"bare.yaml": NO_ROLES})
    result = run_cli(["render", "bare.yaml", "-o", "-", "-f", "mmd"])
    assert result.returncode == 0, result.stderr
    assert '[""]' not in result.stdout
    assert '  subgraph L0["lane 1"]' in result.stdout


_GRAPHVIZ_FAILS = """
import sys
import procmap.render.graphviz as graphviz
from procmap.render.errors import RenderError

def fail(*args, **kwargs):
    raise RenderError("dot crashed: out of memory")

graphviz.render_image = fail
graphviz.graphviz_available = lambda: True
from procmap.cli.app import main
sys.argv[0] = "procmap"
main()
"""


def test_a_graphviz_failure_is_an_error_not_an_internal_one(
        run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    result = run_cli(["render", "refund.yaml", "-o", "r.svg"], code=_GRAPHVIZ_FAILS)
    assert result.returncode == 2
    assert result.stderr == "procmap: error: dot crashed: out of memory\n"
    assert not (tmp_path / "r.svg").exists()


def test_audit_html_without_graphviz_says_diagrams_were_left_out(run_cli: RunCli,
                                                                  tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    result = run_cli(["audit", "refund.yaml", "-f", "html", "-o", "r.html"],
                     env={"PATH": str(tmp_path / "no-bin")})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("procmap: warning: the HTML report has no diagrams: Graphviz's "
                             "`dot` is not installed (`procmap doctor` shows the fix; "
                             "--no-diagrams silences this)\n")
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    silent = run_cli(["audit", "refund.yaml", "-f", "html", "-o", "r.html", "--no-diagrams"],
                     env={"PATH": str(tmp_path / "no-bin")})
    assert silent.stderr == ""


@pytest.mark.graphviz
def test_audit_html_of_many_processes_stays_readable(run_cli: RunCli, tmp_path: Path) -> None:
    from procmap.report.writers import MAX_INLINE_DIAGRAMS

    count = MAX_INLINE_DIAGRAMS + 1
    write(tmp_path, {f"p{i}.yaml": CLEAN.replace("id: refund", f"id: p{i}").replace(
        "cs-agent", f"agent-{i}") for i in range(count)})
    result = run_cli(["audit", ".", "-f", "html", "-o", "r.html", "--fail-on", "never"])
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"procmap: warning: the HTML report shows no diagrams: {count} processes are more "
        f"than {MAX_INLINE_DIAGRAMS} a readable page holds; `procmap handbook` writes a "
        "page per process with its diagram\n")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<svg" not in page and page.count("p1") >= 1
    few = run_cli(["audit", "p1.yaml", "p2.yaml", "-f", "html", "-o", "few.html"])
    assert few.returncode == 0, few.stderr
    assert (tmp_path / "few.html").read_text(encoding="utf-8").count('class="diagram scroll"') == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_main_on_a_master_repository_suggests_master(run_cli: RunCli, tmp_path: Path) -> None:
    import os
    import subprocess

    (tmp_path / ".gitconfig-empty").write_text("", encoding="utf-8")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(tmp_path / ".gitconfig-empty"),
           "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True,
                       capture_output=True)

    git("init", "-q", "-b", "master")
    write(tmp_path, {"refund.yaml": CLEAN})
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x")
    result = run_cli(["diff", "main"])
    assert result.returncode == 2
    assert result.stderr == ("procmap: error: 'main' is not a revision of this repository, "
                             "nor a file or directory (the default branch here is "
                             "'master': procmap diff master)\n")
