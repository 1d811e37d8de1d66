"""`procmap diff`: what a change to the process files does to the processes.

sources (OLD/NEW -> file bytes, from paths or git) -> audit_adapter (bytes -> the audit
JSON of each side) -> compare (two audits -> DiffReport) -> report/diff_* (formats).
"""

from __future__ import annotations

from collections.abc import Sequence

from procmap.config import Config
from procmap.diff.model import DiffReport
from procmap.diff.sources import DiffInputError, Snapshot, resolve


def diff_snapshots(old: Snapshot, new: Snapshot, config: Config, *,
                   simulate: bool = False) -> DiffReport:
    """`simulate`: add simulated KPIs of the touched processes (`procmap.diff.simulated`)."""
    from procmap.diff.audit_adapter import audit_documents
    from procmap.diff.compare import compare

    sides = [side.documents() for side in (old, new)]
    audited = [audit_documents(*documents, config) for documents in sides]
    report = compare(audited[0], audited[1], old.label, new.label)
    if simulate:
        from procmap.diff.simulated import add_simulated

        report = add_simulated(report, [side.documents() for side in (old, new)], config)
    return report


def diff_arguments(arguments: Sequence[str], split: int | None, config: Config, *,
                   simulate: bool = False) -> DiffReport:
    """The diff the command line asks for (see `procmap.diff.sources`)."""
    old, new = resolve(arguments, split)
    return diff_snapshots(old, new, config, simulate=simulate)


__all__ = ["DiffInputError", "DiffReport", "Snapshot", "diff_arguments", "diff_snapshots"]
