"""Fixtures for the BPMN export/import tests: the examples, the OMG schemas, the MIWG
reference models (kept in tests/fixtures/, see bpmn_helpers.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bpmn_helpers import EXAMPLES, MIWG, XSD

from procmap.config import Config
from procmap.model import Workspace
from procmap.pipeline import validate_paths


@pytest.fixture(scope="session")
def examples() -> Workspace:
    """The examples/ directory, validated: it must have no errors."""
    result = validate_paths([str(EXAMPLES)], Config())
    assert not result.has_errors, [f.message for f in result.findings]
    return result.workspace


@pytest.fixture(scope="session")
def bpmn_schema() -> Any:
    """The OMG BPMN 2.0 schema (BPMN20.xsd and the files it includes), as lxml loads it."""
    etree = pytest.importorskip("lxml.etree")
    if not XSD.exists():
        pytest.skip(f"the BPMN XSDs are not at {XSD}")
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture(scope="session")
def miwg() -> Path:
    if not MIWG.is_dir():
        pytest.skip(f"the BPMN MIWG reference models are not at {MIWG}")
    return MIWG
