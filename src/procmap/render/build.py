"""Process (+ optional audit analysis) -> `Diagram`, the structure every renderer draws.

Lanes are the roles the process's steps are drawn in (`procmap.model.lanes`), in
workspace role order, labelled with the roles' names. Each step becomes a node with its
kind, name, small detail lines ("30m", "wait 2h", "SLA 24h", "deadline 3d") and hover
details (role, times, RACI, system, description, visits). Transitions become edges
labelled "when (70%)"; loop-backs (rework) are flagged so renderers draw them against
the flow.

With `highlight=True` and an analysis (`procmap.analysis.audit.analyse_workspace`), the
critical path's nodes and edges are marked, steps flagged by `bottleneck-step` or
`waiting-waste` are bottlenecks, roles over the utilization warning threshold are
overloaded lanes with a badge ("137% utilised"), and steps with findings carry a short
badge. Strings stay raw user text: renderers escape them.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING

from procmap.i18n import N_, _
from procmap.model.fields import format_hours
from procmap.model.lanes import process_lanes, step_lanes
from procmap.render.diagram import Diagram, Direction, Edge, Lane, Node

if TYPE_CHECKING:
    from procmap.analysis.metrics import ProcessAnalysis, ProcessMetrics
    from procmap.findings import Finding
    from procmap.model import Process, ProcessEntry, Step, Workspace

_BOTTLENECK_RULES = frozenset({"bottleneck-step", "waiting-waste"})
_BADGES = {
    "redundant-approval": N_("redundant approval"),
    "rubber-stamp-approval": N_("rubber stamp"),
    "self-approval": N_("self-approval"),
    "serial-approvals": N_("serial approvals"),
    "ping-pong-handoff": N_("ping-pong handoff"),
    "single-point-of-failure": N_("single point of failure"),
    "endless-loop": N_("endless loop"),
}
_UTILIZATION_WARNING = 0.85  # lanes are flagged from here when no findings are given


def diagram_for(entry: ProcessEntry, workspace: Workspace,
                analysis: ProcessAnalysis | None = None, *, direction: Direction | str = "LR",
                highlight: bool = False) -> Diagram:
    """The diagram of one process; see the module docstring. `direction` is "LR" or
    "TB" (anything else is drawn LR)."""
    flow: Direction = "TB" if str(direction).upper() == "TB" else "LR"
    process = entry.process
    role_order = list(workspace.roles)
    fallback = process.owner or (role_order[0] if role_order else "")
    metrics = analysis.metrics if analysis is not None else None
    findings = analysis.findings if analysis is not None else []
    # what the highlight marks, with an analysis to mark it from
    marked = analysis if highlight else None
    critical_nodes, critical_edges = _critical(metrics if marked is not None else None)
    lanes = _lanes(process, workspace, role_order, marked)
    nodes = _nodes(process, workspace, metrics, fallback,
                   _findings_by_step(findings) if marked is not None else {}, critical_nodes)
    edges = _edges(process, critical_edges, _loop_backs(entry, analysis))
    return Diagram(id=process.id, title=process.label, lanes=lanes, nodes=nodes, edges=edges,
                   subtitle=_subtitle(entry, metrics, analysis), direction=flow,
                   highlight=highlight,
                   meta={k: v for k, v in (("file", entry.file), ("owner", process.owner),
                                           ("version", process.version)) if v})


def _critical(metrics: ProcessMetrics | None) -> tuple[set[str], set[tuple[str, str]]]:
    """The critical path's steps and transitions (none without metrics to mark)."""
    if metrics is None:
        return set(), set()
    path = metrics.critical_path
    return set(path), set(pairwise(path))


def _lanes(process: Process, workspace: Workspace, role_order: list[str],
           marked: ProcessAnalysis | None) -> list[Lane]:
    """A lane per role the steps are drawn in; overloaded ones flagged when `marked`."""
    metrics = marked.metrics if marked is not None else None
    lanes = []
    for role_id in process_lanes(process, role_order):
        definition = workspace.roles.get(role_id)
        label = definition.role.label if definition is not None else role_id
        overloaded, badge = False, ""
        if marked is not None and metrics is not None:
            overloaded, badge = _lane_load(role_id, metrics, marked.findings, marked)
        lanes.append(Lane(role_id, label, overloaded=overloaded, badge=badge))
    return lanes


def _findings_by_step(findings: list[Finding]) -> dict[str, list[Finding]]:
    by_step: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.step is not None:
            by_step.setdefault(finding.step, []).append(finding)
    return by_step


def _nodes(process: Process, workspace: Workspace, metrics: ProcessMetrics | None,
           fallback: str, by_step: dict[str, list[Finding]],
           critical_nodes: set[str]) -> list[Node]:
    """A node per step, with its details, tooltip and (when marked) findings' badges."""
    lanes_of = step_lanes(process, fallback)
    nodes = []
    for step in process.step_index.values():
        step_findings = by_step.get(step.id, [])
        nodes.append(Node(
            id=step.id,
            lane=lanes_of.get(step.id, fallback),
            kind=step.kind.value,  # type: ignore[arg-type]
            label=step.label,
            details=_details(step, metrics),
            tooltip=_tooltip(step, process.owner, workspace, metrics),
            bottleneck=any(f.rule in _BOTTLENECK_RULES for f in step_findings),
            badge=_badge(step.id, step_findings, metrics),
            critical=step.id in critical_nodes,
        ))
    return nodes


def _edges(process: Process, critical_edges: set[tuple[str, str]],
           loop_backs: set[tuple[str, str]]) -> list[Edge]:
    """An edge per transition to a known step (once per target)."""
    edges = []
    known = process.step_index
    for step in known.values():
        seen: set[str] = set()
        for transition in step.next:
            if transition.to not in known or transition.to in seen:
                continue
            seen.add(transition.to)
            edges.append(Edge(
                step.id, transition.to, label=_edge_label(transition.when,
                                                          transition.probability),
                critical=(step.id, transition.to) in critical_edges,
                loop_back=(step.id, transition.to) in loop_backs))
    return edges


def _details(step: Step, metrics: ProcessMetrics | None) -> tuple[str, ...]:
    lines = []
    duration = step.duration
    if metrics is not None:
        duration = metrics.step_duration.get(step.id, duration)
    if duration > 0:
        lines.append(format_hours(duration))
    if step.wait > 0:
        lines.append(_("wait {time}").format(time=format_hours(step.wait)))
    if step.sla is not None:
        lines.append(_("SLA {time}").format(time=format_hours(step.sla)))
    if step.deadline is not None:
        lines.append(_("deadline {time}").format(time=format_hours(step.deadline)))
    return tuple(lines)


def _tooltip(step: Step, owner: str | None, workspace: Workspace,
             metrics: ProcessMetrics | None) -> tuple[tuple[str, str], ...]:
    def label(role_id: str) -> str:
        definition = workspace.roles.get(role_id)
        return definition.role.label if definition is not None else role_id

    pairs: list[tuple[str, str]] = []
    if step.role:
        pairs.append((_("role"), label(step.role)))
    duration = metrics.step_duration.get(step.id, step.duration) if metrics else step.duration
    if duration > 0:
        pairs.append((_("duration"), format_hours(duration)))
    if step.wait > 0:
        pairs.append((_("wait"), format_hours(step.wait)))
    if step.sla is not None:
        pairs.append((_("SLA"), format_hours(step.sla)))
    if step.deadline is not None:
        pairs.append((_("deadline"), format_hours(step.deadline)))
    raci = _raci_text(step, owner, label)
    if raci:
        pairs.append(("RACI", raci))
    if step.kind.value == "subprocess" and step.process:
        pairs.append((_("calls"), step.process))
    if step.of:
        pairs.append((_("approves"), step.of))
    if step.system:
        pairs.append((_("system"), step.system))
    if step.description:
        pairs.append((_("step description"), step.description))
    if metrics is not None and step.id in metrics.visits:
        pairs.append((_("visits"), _("{visits} per case").format(
            visits=f"{metrics.visits[step.id]:.3g}")))
    return tuple(pairs)


def _raci_text(step: Step, owner: str | None, label: Callable[[str], str]) -> str:
    if not step.role and not (step.accountable or step.consulted or step.informed):
        return ""
    parts = []
    if step.role:
        parts.append(f"R: {label(step.role)}")
    accountable = step.accountable or owner or step.role
    if accountable:
        parts.append(f"A: {label(accountable)}")
    if step.consulted:
        parts.append("C: " + ", ".join(label(r) for r in step.consulted))
    if step.informed:
        parts.append("I: " + ", ".join(label(r) for r in step.informed))
    return " · ".join(parts)


def _edge_label(when: str | None, probability: float | None) -> str:
    share = f"{probability * 100:.3g}%" if probability is not None else ""
    if when and share:
        return f"{when} ({share})"
    return when or share


def _lane_load(role_id: str, metrics: ProcessMetrics, findings: list[Finding],
               analysis: ProcessAnalysis | None = None) -> tuple[bool, str]:
    # the organisation-wide figure (every process of the invocation), as role-overload
    # judges it; the process's own share when no audit computed it
    utilization = analysis.role_utilization.get(role_id) if analysis is not None \
        and analysis.role_utilization else metrics.utilization.get(role_id)
    flagged = any(f.rule == "role-overload" and f.role == role_id for f in findings) or (
        utilization is not None and utilization >= _UTILIZATION_WARNING)
    if utilization is None:
        return False, ""
    if flagged or (utilization >= _UTILIZATION_WARNING and not findings):
        return True, _("{percent}% utilised").format(percent=f"{utilization * 100:.0f}")
    return False, ""


def _badge(step_id: str, findings: list[Finding], metrics: ProcessMetrics | None) -> str:
    texts: list[str] = []
    for finding in sorted(findings, key=lambda f: (-int(f.severity), -(f.cost_hours or 0))):
        text = _badge_text(step_id, finding, metrics)
        if text and text not in texts:
            texts.append(text)
    return " · ".join(texts[:2])


def _badge_text(step_id: str, finding: Finding, metrics: ProcessMetrics | None) -> str:
    rule = finding.rule
    if metrics is not None:
        lead_time = metrics.expected_lead_time_hours
        if rule == "bottleneck-step" and lead_time > 0:
            # what removing the step saves (the finding's computed cost), as the audit says
            hours = finding.cost_hours if finding.cost_hours is not None \
                else metrics.expected_hours.get(step_id, 0.0)
            return _("{percent}% of lead time").format(percent=f"{hours / lead_time * 100:.0f}")
        if rule == "waiting-waste":
            time = metrics.step_time.get(step_id, 0.0)
            wait = time - metrics.step_duration.get(step_id, 0.0)
            if time <= 0:
                return _("waiting")
            return _("waiting {percent}%").format(percent=f"{wait / time * 100:.0f}")
        if rule == "rework-loop":
            for loop in metrics.loops:
                if loop.source == step_id:
                    return _("rework ×{times}").format(times=f"{loop.repetitions:.2g}")
    if rule in ("deadline-breach", "process-sla-breach") and finding.cost_hours:
        return _("{time} late").format(time=format_hours(finding.cost_hours))
    return _(_BADGES[rule]) if rule in _BADGES else ""


def _subtitle(entry: ProcessEntry, metrics: ProcessMetrics | None,
              analysis: ProcessAnalysis | None = None) -> str:
    parts = []
    if entry.process.sla is not None:
        verdict = ""
        if analysis is not None and analysis.metrics is not None:
            # rules.md within_sla: never "met" while a role it uses is overloaded
            verdict = " " + (_("met") if analysis.within_sla else _("not met"))
            if analysis.within_sla is not True and analysis.role_utilization and any(
                    u >= 1 - 1e-12 for u in analysis.role_utilization.values()):
                verdict += " " + _("(a role is overloaded)")
        parts.append(_("SLA {time}").format(time=format_hours(entry.process.sla)) + verdict)
    if metrics is not None:
        parts.append(_("expected lead time {time}").format(
            time=format_hours(metrics.expected_lead_time_hours)))
        parts.append(_("worst {time}").format(time=format_hours(metrics.worst_lead_time_hours)))
    return " · ".join(parts)


def _loop_backs(entry: ProcessEntry, analysis: ProcessAnalysis | None) -> set[tuple[str, str]]:
    if analysis is not None:
        graph = analysis.graph
    else:
        from procmap.analysis.graph import build_graph

        graph = build_graph(entry.process, full=False)
    return {(graph.ids[s], graph.ids[t]) for s, t in graph.loop_backs}
