"""Every real BPMN model in the shared fixtures imports into YAML that `procmap
validate` accepts.

The models (`bpmn-real/`: 175 files from 8 public repositories, see its README and
MANIFEST.tsv) keep their repositories' licences, so they are not copied here: the test
reads them from `$PROCMAP_FIXTURES/bpmn-real`, by default from ``shared/fixtures`` beside
the repository (or beside one of its parent directories), and is skipped, with that
reason shown, where they are absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from procmap.bpmn import BpmnReadError, import_file
from procmap.bpmn.output import check
from procmap.findings import Severity

ROOT = Path(__file__).resolve().parents[2]

#: files that are malformed in their source, and why: import must refuse them cleanly
MALFORMED = {
    "bpmn-js__test__fixtures__bpmn__multiple-nested-processes.bpmn":
        "not well-formed: the prefix bpmn is used without a namespace declaration",
}


def _fixtures() -> Path | None:
    if os.environ.get("PROCMAP_FIXTURES"):
        return Path(os.environ["PROCMAP_FIXTURES"])
    for parent in [ROOT, *ROOT.parents]:
        candidate = parent.parent / "shared" / "fixtures" if parent == ROOT else \
            parent / "shared" / "fixtures"
        if (candidate / "bpmn-real").is_dir():
            return candidate
    return None


FIXTURES = _fixtures()
REAL = FIXTURES / "bpmn-real" if FIXTURES else None
MODELS = sorted(p.name for p in REAL.iterdir() if p.suffix in (".bpmn", ".xml")) \
    if REAL and REAL.is_dir() else []
ABSENT = (f"the real BPMN models are not there ({REAL or '../shared/fixtures/bpmn-real'}): "
          "set PROCMAP_FIXTURES to the fixtures directory")


@pytest.mark.skipif(not MODELS, reason=ABSENT)
def test_the_collection_is_complete() -> None:
    assert len(MODELS) >= 175
    assert set(MALFORMED) <= set(MODELS)


@pytest.mark.skipif(not MODELS, reason=ABSENT)
@pytest.mark.parametrize("name", MODELS or ["absent"])
def test_real_model_imports_and_validates(name: str, tmp_path: Path) -> None:
    assert REAL is not None
    path = str(REAL / name)
    if name in MALFORMED:
        with pytest.raises(BpmnReadError, match="not well-formed"):
            import_file(path)
        return
    result = import_file(path)
    assert result.processes
    targets = [(str(tmp_path / file), text) for file, text in result.files()]
    errors = [f"{f.rule}: {f.message}" for f in check(targets)
              if f.severity >= Severity.ERROR]
    assert errors == []
    for finding in result.findings:  # sub-elements are named by their owner, not '?'
        assert " ? " not in finding.message and "a error" not in finding.message
