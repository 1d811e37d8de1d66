"""Fixtures of the audit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def examples_result() -> object:
    from procmap.analysis.audit import run_audit
    from procmap.config import Config
    from procmap.pipeline import validate_paths

    return run_audit(validate_paths([str(EXAMPLES)], Config()), Config())
