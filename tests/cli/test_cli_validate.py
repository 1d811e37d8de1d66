"""`procmap validate` end to end, through a real subprocess."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import procmap

if TYPE_CHECKING:
    import subprocess

    from conftest import RunCli

CLEAN = """\
procmap: 1
id: refund
name: 退款申请
roles:
  - id: cs-agent
steps:
  - id: received
    kind: start
    next: check
  - id: check
    role: cs-agent
    duration: 15m
    next: done
  - id: done
    kind: end
"""
# one error: a bare number as duration (line 12, column 15)
BROKEN = CLEAN.replace("duration: 15m", "duration: 15")
# one warning: a task with two ways out (implicit-split on line 13, column 5)
WARNING = CLEAN.replace("    next: done\n", "    next: [done, done2]\n") + (
    "  - id: done2\n    kind: end\n")


def named(process_id: str, text: str = BROKEN) -> str:
    """The same process under another id, with its own role (ids are unique per run)."""
    return text.replace("refund", process_id).replace("cs-agent", f"{process_id}-agent")


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, int, str, str]]:
    data = json.loads(result.stdout)
    return [(f["file"], f["line"], f["column"], f["rule"], f["severity"])
            for f in data["findings"]]


# -- exit codes ----------------------------------------------------------------------------

def test_clean_files_exit_0(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    result = run_cli(["validate", "refund.yaml"])
    assert result.returncode == 0
    assert result.stdout == "procmap: 1 file checked, no problems found\n"
    assert result.stderr == ""


def test_an_error_exits_1_with_file_line_col(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": BROKEN})
    result = run_cli(["validate", "refund.yaml", "--format", "text"])
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("refund.yaml:12:15: error[schema] `duration`: a bare number")
    assert lines[-1] == "procmap: 1 error in 1 of 1 file"
    no_traceback(result)


def test_warnings_pass_unless_strict(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": WARNING})
    result = run_cli(["validate", "refund.yaml"])
    assert result.returncode == 0
    assert "refund.yaml:13:5: warning[implicit-split]" in result.stdout
    strict = run_cli(["validate", "--strict", "refund.yaml"])
    assert strict.returncode == 1
    assert strict.stdout == result.stdout


def test_strict_with_no_warning_still_exits_0(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    assert run_cli(["validate", "--strict", "refund.yaml"]).returncode == 0


def test_a_missing_path_exits_2_with_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(["validate", "nope.yaml"])
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "procmap: error: nope.yaml: no such file or directory\n"


def test_a_missing_path_among_good_ones_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    result = run_cli(["validate", "refund.yaml", "missing/"])
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "missing" in result.stderr


@pytest.mark.parametrize("output", ["refund.yaml/report.txt", "."])
def test_an_unwritable_output_exits_2(run_cli: RunCli, tmp_path: Path, output: str) -> None:
    write(tmp_path, {"refund.yaml": BROKEN})
    result = run_cli(["validate", "refund.yaml", "-o", output])
    assert result.returncode == 2
    assert result.stderr.startswith("procmap: error: cannot write ")
    assert len(result.stderr.splitlines()) == 1
    no_traceback(result)


def test_output_to_a_file_keeps_the_exit_code(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": BROKEN})
    result = run_cli(["validate", "refund.yaml", "-f", "json", "-o", "out/report.json"])
    assert result.returncode == 1
    assert result.stdout == ""
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in report["findings"]] == ["schema"]


def test_an_unknown_format_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    result = run_cli(["validate", "refund.yaml", "--format", "xml"])
    assert result.returncode == 2
    assert "'xml' is not one of 'auto', 'text'" in result.stderr  # a real choice
    no_traceback(result)


def test_an_unknown_option_exits_2(run_cli: RunCli) -> None:
    result = run_cli(["validate", "--no-such-option"])
    assert result.returncode == 2
    no_traceback(result)


# -- inputs ----------------------------------------------------------------------------

def test_stdin(run_cli: RunCli) -> None:
    result = run_cli(["validate", "-"], input=BROKEN)
    assert result.returncode == 1
    assert result.stdout.startswith("<stdin>:12:15: error[schema]")
    clean = run_cli(["validate", "-", "--format", "json"], input=CLEAN)
    assert clean.returncode == 0
    assert json.loads(clean.stdout)["files"] == 1


def test_stdin_that_is_not_procmap(run_cli: RunCli) -> None:
    result = run_cli(["validate", "-", "-f", "json"], input="services: {}\n")
    assert findings(result) == [("<stdin>", 1, 1, "not-procmap", "error")]


def test_a_directory_scan_finds_nested_files_and_ignores_other_yaml(run_cli: RunCli,
                                                                    tmp_path: Path) -> None:
    write(tmp_path, {
        "repo/processes/refund.yaml": BROKEN,
        "repo/processes/deep/er/complaint.yml": named("complaint"),
        "repo/docker-compose.yml": "services:\n  web: {image: nginx}\n",
        "repo/.github/workflows/ci.yaml": "on: push\njobs: {}\n",
        "repo/mkdocs.yaml": "site_name: x\n  bad: [indent\n",
        "repo/notes.txt": "procmap: 1\n",
        "repo/README.md": "procmap: 1 files are YAML\n",
        "repo/broken-config.yaml": "# mentions procmap but is broken: [\n",
    })
    result = run_cli(["validate", "repo", "-f", "json"])
    assert result.returncode == 1
    assert findings(result) == [
        ("repo/processes/deep/er/complaint.yml", 12, 15, "schema", "error"),
        ("repo/processes/refund.yaml", 12, 15, "schema", "error"),
    ]
    assert json.loads(result.stdout)["files"] == 2


def test_no_path_means_the_current_directory(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"a/refund.yaml": BROKEN})
    result = run_cli(["validate", "-f", "json"])
    assert findings(result) == [("a/refund.yaml", 12, 15, "schema", "error")]


def test_a_non_procmap_file_named_explicitly_is_a_finding(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"docker-compose.yml": "services:\n  web: {image: nginx}\n",
                     "refund.yaml": CLEAN})
    scanned = run_cli(["validate", ".", "-f", "json"])
    assert scanned.returncode == 0 and findings(scanned) == []
    named = run_cli(["validate", "docker-compose.yml", "refund.yaml", "-f", "json"])
    assert named.returncode == 1
    assert findings(named) == [("docker-compose.yml", 1, 1, "not-procmap", "error")]


def test_hidden_and_dependency_directories_are_skipped(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {
        "refund.yaml": CLEAN,
        ".hidden/broken.yaml": BROKEN,
        ".git/x.yaml": BROKEN,
        "node_modules/pkg/broken.yaml": BROKEN,
        ".broken.yaml": BROKEN,
    })
    result = run_cli(["validate", "-f", "json"])
    assert result.returncode == 0
    assert json.loads(result.stdout)["files"] == 1
    # named explicitly, a hidden directory is read
    assert run_cli(["validate", ".hidden"]).returncode == 1


def test_an_empty_directory_warns(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli(["validate", "empty"])
    assert result.returncode == 0
    assert "no procmap files found" in result.stderr


def test_a_file_given_twice_is_read_once(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": BROKEN})
    result = run_cli(["validate", "refund.yaml", "./refund.yaml", ".", "-f", "json"])
    assert findings(result) == [("refund.yaml", 12, 15, "schema", "error")]


def test_roles_from_a_catalog_in_another_file(run_cli: RunCli, tmp_path: Path) -> None:
    process = CLEAN.replace("roles:\n  - id: cs-agent\n", "")
    write(tmp_path, {"p/refund.yaml": process,
                     "roles.yaml": "procmap: 1\nroles:\n  - id: cs-agent\n"})
    alone = run_cli(["validate", "p/refund.yaml", "-f", "json"])
    assert findings(alone) == [("p/refund.yaml", 9, 11, "unknown-reference", "error")]
    together = run_cli(["validate", "p/refund.yaml", "roles.yaml"])
    assert together.returncode == 0, together.stdout


# -- configuration ------------------------------------------------------------------------

def test_procmap_toml_found_by_walking_up(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"repo/procmap.toml": '[rules]\nimplicit-split = "error"\n',
                     "repo/sub/dir/refund.yaml": WARNING})
    result = run_cli(["validate", "refund.yaml", "-f", "json"],
                     cwd=tmp_path / "repo" / "sub" / "dir")
    assert result.returncode == 1
    assert findings(result) == [("refund.yaml", 13, 5, "implicit-split", "error")]


def test_a_rule_turned_off(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"procmap.toml": '[rules]\nimplicit-split = "off"\n',
                     "warn.yaml": named("w", WARNING)})
    result = run_cli(["validate", "--strict", "-f", "json"])
    assert result.returncode == 0
    assert findings(result) == []


# issue 10: `schema = "off"` let invalid files through to analysis as zeros
@pytest.mark.parametrize("rule", ["schema", "yaml-syntax", "duplicate-key", "encoding"])
def test_load_and_schema_rules_cannot_be_configured(run_cli: RunCli, tmp_path: Path,
                                                    rule: str) -> None:
    write(tmp_path, {"procmap.toml": f'[rules]\n{rule} = "off"\n', "refund.yaml": BROKEN})
    result = run_cli(["validate", "-f", "json"])
    assert result.returncode == 2
    assert f"[rules] {rule} cannot be configured" in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_error_lowered_to_a_warning(run_cli: RunCli, tmp_path: Path) -> None:
    missing_role = CLEAN.replace("    role: cs-agent\n", "").replace(
        "roles:\n  - id: cs-agent\n", "")
    write(tmp_path, {"procmap.toml": '[rules]\nmissing-role = "warning"\n',
                     "refund.yaml": missing_role})
    result = run_cli(["validate", "-f", "json"])
    assert result.returncode == 0
    assert findings(result) == [("refund.yaml", 8, 5, "missing-role", "warning")]
    assert run_cli(["validate", "--strict"]).returncode == 1


def test_pyproject_tool_table_found_by_walking_up(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\n\n[tool.procmap.rules]\n'
                          'implicit-split = "error"\n',
        "a/b/refund.yaml": WARNING,
    })
    result = run_cli(["validate", "refund.yaml", "-f", "json"], cwd=tmp_path / "a" / "b")
    assert findings(result) == [("refund.yaml", 13, 5, "implicit-split", "error")]
    assert result.returncode == 1


def test_a_pyproject_without_the_table_is_not_a_config(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"procmap.toml": '[rules]\nimplicit-split = "error"\n',
                     "a/pyproject.toml": '[project]\nname = "x"\n',
                     "a/refund.yaml": WARNING})
    result = run_cli(["validate", "refund.yaml", "-f", "json"], cwd=tmp_path / "a")
    assert findings(result) == [("refund.yaml", 13, 5, "implicit-split", "error")]


def test_the_nearest_config_wins(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"procmap.toml": '[rules]\nimplicit-split = "error"\n',
                     "a/procmap.toml": '[rules]\nimplicit-split = "info"\n',
                     "a/refund.yaml": WARNING})
    result = run_cli(["validate", "refund.yaml", "-f", "json"], cwd=tmp_path / "a")
    assert findings(result) == [("refund.yaml", 13, 5, "implicit-split", "info")]


def test_an_explicit_config(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"ci/strict.toml": '[rules]\nimplicit-split = "error"\n',
                     "refund.yaml": WARNING})
    result = run_cli(["validate", "refund.yaml", "--config", "ci/strict.toml"])
    assert result.returncode == 1


@pytest.mark.parametrize(("config", "words"), [
    ('[rules]\nimplicit-splits = "off"\n', "did you mean 'implicit-split'"),
    ('[rules]\nimplicit-split = "fatal"\n', "use one of off, info, warning, error"),
    ('[rule]\nschema = "off"\n', "unknown section"),
    ('[rules\n', "not valid TOML"),
    ('rules = "off"\n', "must be a table"),
])
def test_a_bad_config_exits_2_with_one_line(run_cli: RunCli, tmp_path: Path, config: str,
                                            words: str) -> None:
    write(tmp_path, {"procmap.toml": config, "refund.yaml": CLEAN})
    result = run_cli(["validate", "refund.yaml"])
    assert result.returncode == 2
    assert result.stdout == ""
    assert words in result.stderr
    assert len(result.stderr.splitlines()) == 1
    no_traceback(result)


def test_a_missing_explicit_config_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    result = run_cli(["validate", "refund.yaml", "--config", "nope.toml"])
    assert result.returncode == 2
    assert "nope.toml" in result.stderr
    no_traceback(result)


def test_x_ignore_silences_a_rule_for_that_step_only(run_cli: RunCli, tmp_path: Path) -> None:
    text = CLEAN.replace("name: 退款申请\n", "name: 退款申请\nowner: cs-agent\n").replace(
        "    role: cs-agent\n    duration: 15m\n    next: done\n",
        "    duration: 15m\n    x-ignore: [missing-role]\n    next: pack\n"
        "  - id: pack\n    duration: 5m\n    next: done\n")
    write(tmp_path, {"refund.yaml": text})
    result = run_cli(["validate", "refund.yaml", "-f", "json"])
    # `check` (line 11) ignores missing-role, `pack` (line 15) does not
    assert findings(result) == [("refund.yaml", 15, 5, "missing-role", "error")]
    assert "'pack'" in json.loads(result.stdout)["findings"][0]["message"]
    without = run_cli(["validate", "-", "-f", "json"],
                      input=text.replace("    x-ignore: [missing-role]\n", ""))
    assert [f[1:4] for f in findings(without)] == [(11, 5, "missing-role"),
                                                   (14, 5, "missing-role")]


def test_x_ignore_as_a_single_rule_id(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": WARNING.replace(
        "    role: cs-agent\n", "    role: cs-agent\n    x-ignore: implicit-split\n")})
    result = run_cli(["validate", "--strict", "refund.yaml"])
    assert result.returncode == 0, result.stdout


# -- output ---------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[")


def test_plain_text_when_not_a_terminal(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": BROKEN})
    result = run_cli(["validate", "refund.yaml"])
    assert not ANSI.search(result.stdout)
    assert result.stdout.splitlines()[0].startswith("refund.yaml:12:15: error[schema]")


def test_force_color_colours_and_no_color_wins(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": BROKEN})
    coloured = run_cli(["validate", "refund.yaml"], env={"FORCE_COLOR": "1"})
    assert ANSI.search(coloured.stdout)
    assert coloured.returncode == 1
    plain = run_cli(["validate", "refund.yaml"], env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not ANSI.search(plain.stdout)
    assert plain.stdout.startswith("refund.yaml:12:15: error[schema]")
    assert plain.returncode == 1


def test_format_auto_uses_github_annotations_in_github_actions(run_cli: RunCli,
                                                               tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": BROKEN})
    result = run_cli(["validate", "refund.yaml"], env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith(
        "::error file=refund.yaml,line=12,col=15,title=schema::`duration`: a bare number")
    assert result.returncode == 1
    explicit = run_cli(["validate", "refund.yaml", "--format", "text"],
                       env={"GITHUB_ACTIONS": "true"})
    assert explicit.stdout.startswith("refund.yaml:12:15: error[schema]")


def test_json_document_shape(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": BROKEN, "warn.yaml": named("w", WARNING)})
    result = run_cli(["validate", "-f", "json"])
    data = json.loads(result.stdout)
    assert list(data) == ["version", "files", "findings", "summary"]
    assert data["version"] == 1 and data["files"] == 2
    assert data["summary"] == {"error": 1, "warning": 1, "info": 0}
    first = data["findings"][0]
    assert {k: first[k] for k in ("file", "line", "column", "rule", "severity")} == {
        "file": "refund.yaml", "line": 12, "column": 15, "rule": "schema",
        "severity": "error"}
    assert first["message"]
    second = data["findings"][1]
    assert (second["rule"], second["process"], second["step"]) == (
        "implicit-split", "w", "check")


# -- other commands ---------------------------------------------------------------------

def test_version(run_cli: RunCli) -> None:
    result = run_cli(["--version"])
    assert result.returncode == 0
    assert result.stdout == f"procmap {procmap.__version__}\n"


def _commands(run_cli: RunCli) -> list[str]:
    result = run_cli(["--help"])
    assert result.returncode == 0
    section = result.stdout.split("Commands:", 1)[1]
    return re.findall(r"^  ([a-z][a-z-]*)\s", section, re.M)


def test_every_command_has_help_with_an_example(run_cli: RunCli) -> None:
    commands = _commands(run_cli)
    assert {"validate", "schema", "init"} <= set(commands)
    for command in commands:
        result = run_cli([command, "--help"])
        assert result.returncode == 0, command
        assert "Example" in result.stdout, f"`procmap {command} --help` has no example"
        assert "procmap " + command in result.stdout, command


def test_init_writes_a_repository_that_validates_clean(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(["init", "demo"])
    assert result.returncode == 0, result.stderr
    assert {p.name for p in (tmp_path / "demo").iterdir()} >= {"roles.yaml",
                                                              "refund-request.yaml"}
    check = run_cli(["validate", "demo", "--strict", "-f", "json"])
    assert check.returncode == 0
    data = json.loads(check.stdout)
    assert data["findings"] == [] and data["files"] == 2


def test_init_refuses_to_overwrite_without_force(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli(["init", "demo"]).returncode == 0
    roles = tmp_path / "demo" / "roles.yaml"
    roles.write_text("# my own roles\n", encoding="utf-8")
    refused = run_cli(["init", "demo"])
    assert refused.returncode == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert roles.read_text(encoding="utf-8") == "# my own roles\n"
    forced = run_cli(["init", "demo", "--force"])
    assert forced.returncode == 0
    assert roles.read_text(encoding="utf-8") != "# my own roles\n"


def test_init_into_an_unwritable_place_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run_cli(["init", "file/demo"])
    assert result.returncode == 2
    assert result.stderr.startswith("procmap: error:")
    no_traceback(result)


def test_no_arguments_prints_help(run_cli: RunCli) -> None:
    result = run_cli([])
    assert "Usage" in result.stdout + result.stderr
    assert result.returncode in (0, 2)
    no_traceback(result)


_BOOM = """
import sys
import procmap.pipeline

def boom(*args, **kwargs):
    raise RuntimeError("simulated bug")

procmap.pipeline.validate_paths = boom
from procmap.cli.app import main
sys.argv = ["procmap", *sys.argv[1:]]
main()
"""


def test_an_internal_error_is_one_line_and_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "refund.yaml").write_text(CLEAN, encoding="utf-8")
    quiet = run_cli(["validate", "refund.yaml"], code=_BOOM)
    assert quiet.returncode == 2
    assert quiet.stderr == ("procmap: internal error: RuntimeError: simulated bug (run again "
                            "with --debug for the traceback, and please report it)\n")
    no_traceback(quiet)
    debug = run_cli(["--debug", "validate", "refund.yaml"], code=_BOOM)
    assert "Traceback" in debug.stderr and "simulated bug" in debug.stderr
    assert debug.returncode != 0
