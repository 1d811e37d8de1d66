"""Process files shared by the CLI tests of issue 9/10 (output safety, conveniences)."""

from __future__ import annotations

from pathlib import Path

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
# a second, independent process (two processes -> render needs a directory)
OTHER = CLEAN.replace("id: refund", "id: other").replace("cs-agent", "other-agent")
# no roles at all: one lane without a name
NO_ROLES = """\
procmap: 1
id: bare
name: 无角色
steps:
  - id: start
    kind: start
    next: done
  - id: done
    kind: end
"""


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def no_traceback(result) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
