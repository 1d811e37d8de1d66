"""`-o FILE` writes atomically, but never replaces what is not a regular file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from procmap.io import write_atomic


def test_a_regular_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.txt"
    write_atomic(str(target), "旧的\n" * 1000)
    write_atomic(str(target), "新的\n")
    assert target.read_text(encoding="utf-8") == "新的\n"
    assert [p.name for p in target.parent.iterdir()] == ["report.txt"]  # no temporary left


def test_a_symlink_keeps_pointing_at_its_file(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(str(link), '{"a": 1}')
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8") == '{"a": 1}'


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_named_pipe_is_written_through_not_replaced(tmp_path: Path) -> None:
    # the same path as `-o /dev/null` or `-o /dev/stdout`: a device renamed over is gone
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(str(fifo), "客户投诉处理\n")
    reader.join(timeout=30)
    assert received == ["客户投诉处理\n".encode()]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
