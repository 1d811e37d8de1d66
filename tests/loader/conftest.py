"""Helpers for the loader tests: validate a text or bytes as a file, in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from procmap.config import Config
from procmap.findings import Finding
from procmap.pipeline import validate_paths

#: a clean process: tests replace one line of it to break exactly one thing
PROCESS = """\
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

Check = Callable[..., list[Finding]]


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Check:
    """`check(text_or_bytes, name="process.yaml")`: the findings of validating that file
    (named explicitly), as the CLI would, but in-process."""
    monkeypatch.chdir(tmp_path)

    def run(content: str | bytes, name: str = "process.yaml") -> list[Finding]:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        return validate_paths([name], Config()).findings

    return run


@pytest.fixture
def process() -> str:
    return PROCESS
