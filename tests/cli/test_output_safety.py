"""Issue 10.2/10.7: -o never replaces special files, - is stdout, modes are kept, and
inputs that used to end in "internal error" get one precise line (exit 2)."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cli_helpers import BROKEN, CLEAN, OTHER, no_traceback, write

from procmap.io import WriteError, write_atomic, write_output

if TYPE_CHECKING:
    from conftest import RunCli


posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")


# -- procmap.io ----------------------------------------------------------------------------

@posix
def test_a_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_output(str(fifo), "hello\n")
        assert os.read(reader, 100) == b"hello\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@posix
def test_a_device_stays_a_device() -> None:
    # /dev/zero, not /dev/null: on a CI machine where an older procmap ran as root with
    # `-o /dev/null`, /dev/null may already be a regular file (we have seen it)
    if not stat.S_ISCHR(os.stat("/dev/zero").st_mode):
        pytest.skip("/dev/zero is not a character device here")
    write_output("/dev/zero", b"discarded")
    assert stat.S_ISCHR(os.stat("/dev/zero").st_mode)


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_atomic(str(target), "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@posix
def test_a_new_file_respects_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(str(tmp_path / "new.txt"), "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


@posix
def test_a_symlink_to_a_file_is_kept_and_its_target_replaced(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    write_output(str(tmp_path / "link.txt"), "new")
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text(encoding="utf-8") == "new"


def test_an_unwritable_target_is_a_write_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(WriteError, match=r"^cannot write .*file/out\.txt: "):
        write_output(str(tmp_path / "file" / "out.txt"), "x")
    assert not list(tmp_path.glob(".procmap-*"))  # no temporary file left behind


# -- through the CLI -----------------------------------------------------------------------

@posix
def test_o_dev_stdout_writes_to_stdout(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": BROKEN})
    result = run_cli(["validate", "refund.yaml", "-f", "json", "-o", "/dev/stdout"])
    assert result.returncode == 1, result.stderr
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["schema"]
    assert os.path.islink("/dev/stdout") or not os.path.isfile("/dev/stdout")


@pytest.mark.parametrize("command", [
    ["validate", "refund.yaml", "-f", "json"],
    ["audit", "refund.yaml", "-f", "json"],
    ["raci", "refund.yaml", "-f", "json"],
    ["render", "refund.yaml", "-f", "mmd"],
    ["schema"],
])
def test_o_dash_is_stdout_for_every_command(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    result = run_cli([*command, "-o", "-"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert not (tmp_path / "-").exists()
    if command[0] == "render":
        assert result.stdout.startswith('---\ntitle: "退款申请"\n---\nflowchart LR\n')
        assert "wrote" not in result.stderr
    elif command[0] != "schema":
        assert json.loads(result.stdout)["files"] == 1


def test_render_o_dash_with_several_processes_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN, "other.yaml": OTHER})
    result = run_cli(["render", ".", "-f", "mmd", "-o", "-"])
    assert result.returncode == 2
    assert result.stderr.startswith("procmap: error: 2 processes to draw: give a directory")
    assert result.stdout == ""


def test_config_dev_zero_is_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN})
    result = run_cli(["validate", "refund.yaml", "--config", os.devnull.replace(
        "null", "zero") if sys.platform != "win32" else "NUL"], timeout=30)
    assert result.returncode == 2
    assert result.stderr == ("procmap: error: the configuration /dev/zero is not a regular "
                             "file: give a procmap.toml or a pyproject.toml\n")


def test_a_huge_config_is_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path, {"refund.yaml": CLEAN, "procmap.toml": "#" * 2_000_000})
    result = run_cli(["validate", "refund.yaml", "--config", "procmap.toml"])
    assert result.returncode == 2
    assert "larger than any configuration" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@posix
def test_a_closed_stdin_is_one_line(tmp_path: Path) -> None:
    import subprocess

    from testenv import cli_env

    result = subprocess.run(
        [sys.executable, "-c", "import os; os.close(0); "
         "import runpy, sys; sys.argv = ['procmap', 'validate', '-']; "
         "runpy.run_module('procmap', run_name='__main__')"],
        cwd=tmp_path, capture_output=True, text=True, env=cli_env(), check=False)
    assert result.returncode == 2
    assert result.stderr == ("procmap: error: standard input is closed: nothing to read for "
                             "`-` (pipe a file in, or name the files)\n")


@posix
def test_a_deleted_working_directory_is_one_line(tmp_path: Path) -> None:
    import subprocess

    from testenv import cli_env

    gone = tmp_path / "gone"
    gone.mkdir()
    code = (f"import os; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); "
            "import runpy, sys; sys.argv = ['procmap', 'validate']; "
            "runpy.run_module('procmap', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, env=cli_env(), check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("procmap: error: the current directory no longer exists")
    no_traceback(result)


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_a_console_without_cjk_gets_escapes(run_cli: RunCli, tmp_path: Path, encoding: str) -> None:
    write(tmp_path, {"客户投诉.yaml": BROKEN})
    result = run_cli(["validate", "."], env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("\\u5ba2\\u6237\\u6295\\u8bc9.yaml:12:15: error[schema]")
    no_traceback(result)


@posix
@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names are UTF-8 only")
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_non_utf8_file_name_gives_valid_json(run_cli: RunCli, tmp_path: Path, fmt: str) -> None:
    (tmp_path / "caf\udce9.yaml".encode("utf-8", "surrogateescape").decode(
        "utf-8", "surrogateescape")).write_bytes(BROKEN.encode("utf-8"))
    result = run_cli(["validate", ".", "-f", fmt])
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)  # valid UTF-8 and valid JSON
    if fmt == "json":
        assert data["findings"][0]["file"] == "caf\\xe9.yaml"
    else:
        location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "caf%E9.yaml"
