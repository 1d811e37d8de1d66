"""`procmap diff --simulate`: simulated KPIs of the processes a change touches, both sides.

Each side's files are simulated as `procmap simulate` would (the same seed and so the
same random numbers on both sides: common random numbers), for the processes that were
added, changed or affected; their p90 lead time and SLA attainment join the process's
metrics (`simulated.lead_time_p90_hours`, `simulated.sla_attainment` in the JSON).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from procmap.diff.model import ADDED, AFFECTED, CHANGED, DiffReport, MetricChange
from procmap.i18n import N_, _

if TYPE_CHECKING:
    from procmap.config import Config
    from procmap.loader.document import Document

#: (metric key, label, unit, lower is better, how to read it from simulate's figures)
SIMULATED = (
    ("simulated.lead_time_p90_hours", N_("simulated p90 lead time"), "hours", True),
    ("simulated.sla_attainment", N_("simulated SLA attainment"), "ratio", False),
)
#: cases and replications per side: a pull-request check, not a study
CASES, REPLICATIONS = 2000, 3


def _figures(documents: Sequence[Document], explicit: frozenset[str], config: Config,
             wanted: set[str]) -> dict[str, dict[str, Any]]:
    """Process id -> simulate's figures on one side (empty when nothing can run)."""
    from procmap.pipeline import validate_documents
    from procmap.simulate.run import NothingToSimulate, Options, simulate

    validation = validate_documents(documents, explicit, config)
    present = {e.process.id for e in validation.workspace.processes} & wanted
    if not present:
        return {}
    try:
        result = simulate(validation, config, Options(cases=CASES, replications=REPLICATIONS),
                          only=present)
    except NothingToSimulate:
        return {}
    return {p["id"]: p for p in result.base.figures.processes}


def _value(figures: dict[str, Any] | None, key: str) -> float | None:
    if figures is None:
        return None
    if key == "simulated.lead_time_p90_hours":
        value = figures["lead_time_hours"]["p90"]
    else:
        value = figures["sla_attainment"]
    return None if value is None else float(value)


def add_simulated(report: DiffReport, sides: Sequence[tuple[list[Document], frozenset[str]]],
                  config: Config) -> DiffReport:
    wanted = {p.id for p in report.with_status(ADDED, CHANGED, AFFECTED)}
    if not wanted:
        return report
    old, new = (_figures(documents, explicit, config, wanted)
                for documents, explicit in sides)
    processes = []
    for process in report.processes:
        if process.id in wanted and (process.id in old or process.id in new):
            extra = tuple(MetricChange(key, _(label), unit, _value(old.get(process.id), key),
                                       _value(new.get(process.id), key), lower)
                          for key, label, unit, lower in SIMULATED)
            process = replace(process, metrics=(*process.metrics, *extra))
        processes.append(process)
    return replace(report, processes=tuple(processes))
