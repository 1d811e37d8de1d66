"""`audit --format html`: one self-contained page (inline CSS, no external resources).

The template is `audit.html` (procmap.templates: the look every HTML output shares,
printable on A4); `report_context` gathers everything it shows in one place. A summary
of every process, the findings sorted by cost, and per process its numbers, its roles
with utilization bars, the critical path, the steps, and (when the caller passes one)
its swimlane diagram as inline SVG. Every piece of user text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from procmap import __version__
from procmap.analysis import wording
from procmap.findings import Finding, Severity, summarize
from procmap.i18n import N_, _, ngettext
from procmap.report.audit_data import (
    load_level,
    money,
    process_roles,
    role_rows,
    sla_view,
)
from procmap.report.markdown import cost_text

if TYPE_CHECKING:
    from procmap.analysis.audit import AuditResult
    from procmap.analysis.metrics import ProcessAnalysis

_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
_SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


def _anchor(process_id: str) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9_-]", lambda m: f"_{ord(m[0]):x}", process_id)


def render(result: AuditResult, diagrams: Mapping[str, str] | None = None,
           title: str | None = None) -> str:
    """The page. `diagrams` maps process ids to SVG documents to show inline."""
    from procmap import templates

    return templates.render("audit.html", **report_context(result, diagrams, title))


def report_context(result: AuditResult, diagrams: Mapping[str, str] | None = None,
                   title: str | None = None) -> dict[str, Any]:
    """Everything the template `audit.html` shows, from one place: plain values, user
    text unescaped (the template escapes it), SVGs as sanitised Markup."""
    from markupsafe import Markup

    from procmap import templates
    from procmap.analysis.audit import by_cost
    from procmap.i18n import current

    diagrams = diagrams or {}
    title = title or _("procmap audit")
    counts = summarize(result.findings)
    return {
        "page_lang": current(), "policy": templates.csp(), "page_title": title,
        "title": title, "version": __version__, "files": result.files,
        "analysed": len(result.analysed), "total": len(result.processes),
        "counts": counts,
        "summary": [_summary_row(a, result.audit_findings.get(a.id, []), result)
                    for a in result.processes],
        "organisation": _organisation(result),
        "findings": [_finding_row(f, result.currency, _process_names(result))
                     for f in by_cost(result.findings)],
        "processes": [_process(a, result.audit_findings.get(a.id, []),
                               Markup(_inline_svg(diagrams[a.id], a.id))
                               if diagrams.get(a.id) else None, result)
                      for a in result.processes],
    }


def _summary_row(analysis: ProcessAnalysis, found: Sequence[Finding], result: AuditResult
                 ) -> dict[str, Any]:
    metrics = analysis.metrics
    row: dict[str, Any] = {"anchor": _anchor(analysis.id), "label": _label(analysis),
                           "counts": _counts(found), "metrics": metrics is not None,
                           "not_analysed": analysis.not_analysed or ""}
    if metrics is not None:
        row.update(lead=f"{_h(metrics.expected_lead_time_hours)} / "
                        f"{_h(metrics.worst_lead_time_hours)}",
                   sla=_sla(analysis, result), flow=wording.percent(metrics.flow_efficiency),
                   effort=_h(metrics.effort_hours), handoffs=wording.number(metrics.handoffs),
                   approvals=wording.number(metrics.approvals))
    return row


def _label(analysis: ProcessAnalysis) -> str:
    process = analysis.entry.process
    if process.name and process.name != process.id:
        return f"{process.name} ({process.id})"
    return process.id


def _h(value: float) -> str:
    return wording.hours(value)


def _counts(findings: Sequence[Finding]) -> list[tuple[str, str]]:
    """(css class, text) per severity present: [("error", "2 errors")]."""
    counts = summarize(findings)
    return [(label, _count_text(label, n)) for label, n in counts.items() if n]


def _count_text(label: str, n: int) -> str:
    if label == "error":
        return ngettext("{n} error", "{n} errors", n).format(n=n)
    if label == "warning":
        return ngettext("{n} warning", "{n} warnings", n).format(n=n)
    return _("{n} info").format(n=n)


def _sla(analysis: ProcessAnalysis, result: AuditResult) -> tuple[str, str]:
    """(css class, text) of the process SLA from `audit_data.sla_view`: never "met"
    unless rules.md's within_sla is true."""
    view = sla_view(analysis, result)
    css = {True: "ok", False: "error", None: "muted"}[view.within]
    return css, f"{view.text} {view.mark}".strip()


def _organisation(result: AuditResult) -> list[dict[str, Any]]:
    """The roles across processes (`audit_data.role_rows`), for the template."""
    rows = []
    for row in role_rows(result):
        if row.utilization is None:
            continue
        rows.append({
            "role": row.name if row.name == row.id else f"{row.name} ({row.id})",
            "bar": (row.level, f"{min(100.0, row.utilization * 100):.1f}",
                    wording.percent(row.utilization)),
            "load": f"{wording.number(row.load_hours_per_day or 0.0, 1)}h/d / "
                    f"{wording.number(row.capacity_hours_per_day, 1)}h/d",
            "queue": row.queue_text,
            "cost": "" if row.cost is None else money(result, row.cost) + "/h",
            "processes": ", ".join(f"{name} {wording.percent(share)}"
                                   for name, share in row.processes)})
    return rows


def _process_names(result: AuditResult) -> dict[str, str]:
    """Process id -> the name people know it by (the id stays in the JSON report)."""
    return {p.entry.process.id: p.entry.process.name or p.entry.process.id
            for p in result.processes}


def _finding_row(finding: Finding, currency: str | None = None,
                 names: dict[str, str] | None = None) -> dict[str, Any]:
    label = _SEVERITY[finding.severity]
    process = finding.process or ""
    return {"severity": label, "severity_label": _(_SEVERITY_LABELS[label]),
            "rule": finding.rule, "process": (names or {}).get(process, process),
            "where": f"{finding.file}:{finding.line}:{finding.column}",
            "step": finding.step or "", "role": "" if finding.step else finding.role or "",
            "cost": cost_text(finding, currency), "message": finding.message}


def _process(analysis: ProcessAnalysis, findings: list[Finding], svg: Any,
             result: AuditResult) -> dict[str, Any]:
    from procmap.analysis.audit import by_cost

    process = analysis.entry.process
    view: dict[str, Any] = {
        "anchor": _anchor(analysis.id), "label": _label(analysis),
        "file": analysis.entry.file, "description": process.description or "",
        "metrics": analysis.metrics is not None,
        "not_analysed": analysis.not_analysed or "", "svg": svg,
        "findings": [_finding_row(f, result.currency) for f in by_cost(findings)]}
    metrics = analysis.metrics
    if metrics is None:
        return view
    view["cards"] = [(_("expected lead time"), "", _h(metrics.expected_lead_time_hours)),
                     (_("worst lead time"), "", _h(metrics.worst_lead_time_hours)),
                     (_("SLA"), *_sla(analysis, result)),
                     (_("flow efficiency"), "", wording.percent(metrics.flow_efficiency)),
                     (_("effort per case"), "", _h(metrics.effort_hours)),
                     (_("handoffs per case"), "", wording.number(metrics.handoffs)),
                     (_("approvals per case"), "", wording.number(metrics.approvals))]
    if analysis.cost_per_case is not None:
        view["cards"].append((_("cost per case"), "", money(result, analysis.cost_per_case)))
    view["worst"] = _h(metrics.worst_lead_time_hours)
    view["critical_path"] = list(metrics.critical_path)
    # organisation-wide utilization (every process of the invocation), as role-overload
    view["roles"] = [_role_row(row.id, row.effort_hours, row.utilization,
                               result.utilization_warning)
                     for row in process_roles(analysis, result)]
    lead_time = metrics.expected_lead_time_hours
    view["steps"] = [
        {"id": step.id, "name": step.name or "", "role": step.role or "",
         "visits": wording.number(metrics.visits[step.id]),
         "time": _h(metrics.step_time[step.id]),
         "expected": _h(metrics.expected_hours[step.id]),
         "share": wording.percent(metrics.expected_hours[step.id] / lead_time)
         if lead_time > 0 else ""}
        for step in process.steps if step.id in metrics.visits]
    return view


def _role_row(role: str, hours: float, utilization: float | None,
              warning: float) -> dict[str, Any]:
    row: dict[str, Any] = {"role": role, "effort": _h(hours), "bar": None}
    if utilization is not None:
        level = load_level(utilization, warning)
        row["bar"] = (level, f"{min(100.0, utilization * 100):.1f}",
                      wording.percent(utilization))
    return row


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.S | re.I)
_ID = re.compile(r'\bid="([^"]*)"')


def _inline_svg(svg: str, process_id: str) -> str:
    """An SVG document as an element of this page: no XML prolog or DOCTYPE, no script,
    and ids prefixed so that several diagrams on one page do not collide."""
    body = _PROLOG.sub("", svg, count=1)
    body = _SCRIPT.sub("", body)
    prefix = _anchor(process_id) + "-"
    ids = set(_ID.findall(body))
    if ids:
        body = _ID.sub(lambda m: f'id="{prefix}{m[1]}"', body)
        body = re.sub(r'(url\(#|href="#)([^)"]+)',
                      lambda m: m[1] + (prefix + m[2] if m[2] in ids else m[2]), body)
    return body
