"""XES (IEEE 1849) -> a CSV of events, streaming: memory stays flat for any log size.

lxml's `iterparse` with entities, DTDs and network access off (a log is untrusted
input); each trace's events are written as soon as they are read and the elements
cleared. The CSV has the columns `read.py` detects: case, activity, timestamp,
lifecycle, resource.
"""

from __future__ import annotations

import csv
from typing import Any

from procmap.errors import ProcmapError
from procmap.i18n import _

_KEYS = {"concept:name": "activity", "time:timestamp": "timestamp",
         "lifecycle:transition": "lifecycle", "org:resource": "resource"}
_FIELDS = ("case", "activity", "timestamp", "lifecycle", "resource")


def _local(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def xes_to_csv(path: str, target: str) -> str:
    """Write the events of the XES file `path` to the CSV `target`; return `target`."""
    from lxml import etree

    try:
        with open(target, "w", encoding="utf-8", newline="") as out:
            writer = _TraceWriter(csv.writer(out))
            for action, element in etree.iterparse(
                    path, events=("start", "end"), resolve_entities=False, no_network=True,
                    load_dtd=False, huge_tree=False, remove_comments=True):
                if action == "start":
                    writer.start(_local(element.tag))
                else:
                    writer.end(element)
    except etree.XMLSyntaxError as exc:
        raise ProcmapError(_("{path} is not valid XES: {why}").format(
            path=path, why=" ".join(str(exc).split())[:200])) from exc
    except OSError as exc:
        raise ProcmapError(_("cannot read the log {path}: {why}").format(
            path=path, why=exc.strerror or exc)) from exc
    return target


class _TraceWriter:
    """The CSV rows of the traces being parsed: a trace's events are held until its
    end (its case id may come after them), then written and the elements freed."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.case: str | None = None
        self.pending: list[dict[str, str]] = []
        writer.writerow(_FIELDS)

    def start(self, name: str) -> None:
        if name == "trace":
            self.case, self.pending = None, []

    def end(self, element: Any) -> None:
        name = _local(element.tag)
        parent = element.getparent()
        parent_name = _local(parent.tag) if parent is not None else ""
        if name == "event":
            self.pending.append(_event(element))
            element.clear()
        elif parent_name == "trace" and element.get("key") == "concept:name":
            self.case = element.get("value")
        elif name == "trace":
            self._write_trace(element)

    def _write_trace(self, element: Any) -> None:
        for event in self.pending:
            self.writer.writerow([self.case or "", *(event.get(k, "") for k in _FIELDS[1:])])
        self.pending = []
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


def _event(element: object) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in element:  # type: ignore[attr-defined]
        role = _KEYS.get(child.get("key", ""))
        if role is not None and child.get("value") is not None:
            values[role] = child.get("value")
    return values
