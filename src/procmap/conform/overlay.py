"""`procmap render --observed LOG`: what the log shows, drawn on the swimlane diagram.

`observe(diagram)` returns the diagram with the measurements of the process (set by
`remember` from a conform run): each step gets a line with its observed cases and median
wait and duration, each transition a width by the share of cases taking it and their
count, and every `unmodelled-transition` deviation an extra edge drawn in the deviation
style (`Edge.deviation`). Processes the log has no cases of are drawn unchanged.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from procmap.i18n import _

if TYPE_CHECKING:
    from procmap.conform.compare import ConformResult
    from procmap.render.diagram import Diagram

#: process id -> its conform JSON (`ProcessReport.data`), for the diagrams being drawn
_OBSERVED: dict[str, dict[str, Any]] = {}
#: edge widths: from the thinnest (few cases) to the widest (every case)
MIN_WIDTH, MAX_WIDTH = 1.0, 7.0


def remember(result: ConformResult) -> None:
    _OBSERVED.clear()
    _OBSERVED.update({r.data["id"]: r.data for r in result.processes if r.data["cases"]})


def _hours(value: float | None) -> str:
    from procmap.text.units import short_duration

    return "-" if value is None else short_duration(value)


def observe(diagram: Diagram) -> Diagram:
    data = _OBSERVED.get(diagram.id)
    if data is None:
        return diagram
    from procmap.render.diagram import Edge

    cases = max(data["cases"], 1)
    steps = data["steps"]
    nodes = []
    for node in diagram.nodes:
        seen = steps.get(node.id)
        if seen is None:
            nodes.append(node)
            continue
        line = _("observed: {cases} cases, wait {wait}, work {work}").format(
            cases=seen["cases"], wait=_hours(seen["wait_hours"]["p50"]),
            work=_hours(seen["duration_hours"]["p50"]))
        nodes.append(replace(node, details=(*node.details, line)))
    reached = {step: seen["cases"] for step, seen in steps.items()}
    edges = []
    for edge in diagram.edges:
        share = min(reached.get(edge.target, reached.get(edge.source, 0)) / cases, 1.0)
        edges.append(replace(edge, width=MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * share))
    for item in data["deviations"]:
        if item["kind"] == "unmodelled-transition" and item.get("from") and item.get("to"):
            edges.append(Edge(item["from"], item["to"], deviation=True, label=_(
                "not in the model: {cases} cases").format(cases=item["cases"])))
    subtitle = _("observed: {cases} cases, fitness {fitness}").format(
        cases=data["cases"], fitness=f"{(data['fitness'] or 0):.1%}")
    return replace(diagram, nodes=nodes, edges=edges,
                   subtitle=" · ".join(p for p in (diagram.subtitle, subtitle) if p))
