"""BPMN 2.0 in and out: `procmap render --format bpmn` and `procmap import FILE.bpmn`.

One package, one vocabulary:

* `vocabulary`: namespaces, procmap's extension names, the kind <-> element tables;
* `codecs`: values as BPMN text and back (ids, numbers, durations, {median, p90});
* `export`: processes -> BPMN XML (built with lxml), `diagram`: its DI, placed and
  routed by `procmap.render` (the layout the SVG uses);
* import, one way like the rest of procmap: `xml` (safe parsing: no DTDs, no
  entities, no network, a size bound) -> `reader` (BPMN elements -> a plain graph per
  process, `ir`, with ``import-*`` findings) -> `rewrite` (BPMN's shapes -> format 1's)
  -> `emit` (ids, format-1 data, readable YAML) -> `output` (where files go, safely).

See docs/bpmn.md for the mapping and the findings.
"""

from __future__ import annotations

from procmap.bpmn.emit import ImportedProcess, ImportResult
from procmap.bpmn.xml import MAX_BPMN_BYTES, BpmnReadError, too_large
from procmap.i18n import _

__all__ = ["MAX_BPMN_BYTES", "BpmnReadError", "ImportResult", "ImportedProcess",
           "import_bpmn", "import_file"]


def import_bpmn(raw: bytes, path: str) -> ImportResult:
    """Import the BPMN document `raw` (read from `path`, used in findings).

    Raises `BpmnReadError` when the file cannot be imported at all (unsafe, malformed,
    not BPMN); everything else is a finding in the result.
    """
    from procmap.bpmn.emit import build
    from procmap.bpmn.reader import read_model
    from procmap.bpmn.rewrite import normalise
    from procmap.bpmn.xml import parse_bpmn

    root = parse_bpmn(raw, path)
    model = read_model(root, raw, path)
    normalise(model)
    result = build(model)
    if not result.processes:
        raise BpmnReadError(_("{path}: the file has no process with flow elements to "
                              "import").format(path=path))
    return result


def import_file(path: str) -> ImportResult:
    """`import_bpmn` on a file, refusing files over `MAX_BPMN_BYTES` before reading."""
    import os

    try:
        size = os.path.getsize(path)
        if size > MAX_BPMN_BYTES:
            raise BpmnReadError(too_large(path, size))
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BPMN_BYTES + 1)
    except OSError as exc:
        raise BpmnReadError(_("{path}: cannot read: {reason}").format(
            path=path, reason=exc.strerror or exc)) from exc
    return import_bpmn(raw, path)
