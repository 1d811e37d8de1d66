"""Issue 10.3: control characters from YAML values and file names never reach the
terminal raw, in any text output; a file name with a newline cannot forge a line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cli_helpers import BROKEN, CLEAN, write

if TYPE_CHECKING:
    from conftest import RunCli


# ESC sequences, BEL, CR and a bidi override in a quoted YAML value (a schema message
# quotes it) and in the process name (audit and raci print it)
HOSTILE = CLEAN.replace("name: 退款申请", 'name: "退款\\e]0;pwned\\a申请\\u202e"').replace(
    "kind: start", 'kind: "\\e[31mstart\\r"')
RAW = ("\x1b", "\x07", "\r", "\u202e")


def _raw(text: str) -> list[str]:
    return [char for char in RAW if char in text]


@pytest.mark.parametrize("command", [
    ["validate", "."], ["validate", ".", "-f", "parsable"], ["validate", ".", "-f", "github"],
    ["audit", "."], ["raci", "."], ["render", ".", "-f", "mmd", "-o", "out"],
])
@pytest.mark.parametrize("color", [False, True])
def test_no_control_character_reaches_the_terminal(run_cli: RunCli, tmp_path: Path, command: str,
                                                   color: bool) -> None:
    write(tmp_path, {"refund.yaml": HOSTILE})
    result = run_cli(command, env={"FORCE_COLOR": "1"} if color else None)
    assert result.returncode in (0, 1), result.stderr
    # colour output has rich's own ESC sequences; none of ours: no ESC before "]0;" or
    # "[31m", no BEL, no CR, no bidi control
    for stream in (result.stdout, result.stderr):
        assert "\x1b]0;" not in stream and "\x1b[31mstart" not in stream
        assert not [c for c in _raw(stream) if c != "\x1b"]
        if not color:
            assert _raw(stream) == []


def test_a_schema_message_shows_the_escape_visibly(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": HOSTILE})
    result = run_cli(["validate", "refund.yaml", "-f", "parsable"])
    assert "refund.yaml:8:11: error[schema] '\\x1b[31mstart ' is not a step kind" \
        in result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="newlines in file names are POSIX")
@pytest.mark.parametrize("fmt", ["text", "parsable", "github"])
def test_a_file_name_with_a_newline_cannot_forge_a_line(run_cli: RunCli, tmp_path: Path,
                                                        fmt: str) -> None:
    write(tmp_path, {"x\n::error file=forged.yaml,line=1::pwned\n.yaml": BROKEN})
    result = run_cli(["validate", ".", "-f", fmt])
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line.startswith("::error file=forged")]
    assert len(lines) == (1 if fmt == "github" else 2 if fmt == "text" else 1)
    assert "x\\n" in result.stdout


def test_json_keeps_the_exact_name(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"a\x1bb.yaml": BROKEN})
    result = run_cli(["validate", ".", "-f", "json"])
    assert json.loads(result.stdout)["findings"][0]["file"] == "a\x1bb.yaml"


def test_diff_text_escapes_names(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"old/refund.yaml": CLEAN, "new/refund.yaml": HOSTILE})
    result = run_cli(["diff", "old", "new", "--fail-on", "never"])
    assert result.returncode == 0, result.stderr
    assert _raw(result.stdout) == [] and _raw(result.stderr) == []
    assert "\\x1b]0;pwned\\x07" in result.stdout


def test_error_messages_escape_paths(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(["validate", "no\x1b[2Jsuch.yaml"])
    assert result.returncode == 2
    assert result.stderr == "procmap: error: no\\x1b[2Jsuch.yaml: no such file or directory\n"
