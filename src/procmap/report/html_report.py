"""`audit --format html`: one self-contained page (inline CSS, no external resources).

A summary of every process, the findings sorted by cost, and per process its numbers,
its roles with utilization bars, the critical path, the steps, and (when the caller
passes one) its swimlane diagram as inline SVG. Every piece of user text is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from procmap import __version__
from procmap.analysis import wording
from procmap.findings import Finding, Severity, summarize
from procmap.i18n import _
from procmap.report.audit_data import money, process_roles, role_rows, sla_view
from procmap.report.markdown import cost_text

if TYPE_CHECKING:
    from procmap.analysis.audit import AuditResult
    from procmap.analysis.metrics import ProcessAnalysis

_CSS = """
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--error:#cf222e;
--warning:#9a6700;--info:#0969da;--ok:#1a7f37;--bar:#0969da}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC",
"Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--ink);margin:0;background:#fff}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;
border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}td.n{text-align:right;white-space:nowrap}
.sev{font-weight:600;white-space:nowrap}.error{color:var(--error)}
.warning{color:var(--warning)}.info{color:var(--info)}.ok{color:var(--ok)}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:150px}
.card b{display:block;font-size:18px}
.bar{background:var(--bg);border:1px solid var(--line);height:12px;width:160px;
display:inline-block;vertical-align:middle;position:relative;overflow:hidden}
.bar span{position:absolute;left:0;top:0;bottom:0;background:var(--bar)}
.bar.over span{background:var(--error)}.bar.high span{background:var(--warning)}
.path{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
.diagram{overflow:auto;border:1px solid var(--line);border-radius:6px;padding:8px;
margin:8px 0}
.diagram svg{max-width:none;height:auto}
td code{white-space:nowrap}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;
background:var(--bg);padding:0 3px;border-radius:3px}
"""

_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _anchor(process_id: str) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9_-]", lambda m: f"_{ord(m[0]):x}", process_id)


def render(result: AuditResult, diagrams: Mapping[str, str] | None = None,
           title: str = "procmap audit") -> str:
    """The page. `diagrams` maps process ids to SVG documents to show inline."""
    from procmap.analysis.audit import by_cost

    diagrams = diagrams or {}
    counts = summarize(result.findings)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body><main>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="muted">{result.files} file{"s" if result.files != 1 else ""}, '
        f"{len(result.analysed)} of {len(result.processes)} processes analysed · "
        f'<span class="error">{counts["error"]} errors</span> · '
        f'<span class="warning">{counts["warning"]} warnings</span> · '
        f'<span class="info">{counts["info"]} info</span> · procmap {_e(__version__)}</p>',
    ]
    parts.append(_summary(result))
    parts.append(_organisation(result))
    if result.findings:
        parts.append(f"<h2>{_e(_('Findings, costliest first'))}</h2>")
        parts.append(_findings(by_cost(result.findings), result, with_process=True))
    for analysis in result.processes:
        parts.append(_process(analysis, result, diagrams.get(analysis.id)))
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def _summary(result: AuditResult) -> str:
    if not result.processes:
        return '<p class="muted">No process found.</p>'
    rows = []
    for analysis in result.processes:
        metrics = analysis.metrics
        name = f'<a href="#{_anchor(analysis.id)}">{_e(_label(analysis))}</a>'
        found = result.audit_findings.get(analysis.id, [])
        if metrics is None:
            rows.append(f"<tr><td>{name}</td><td colspan=6>not analysed: "
                        f"{_e(analysis.not_analysed or '')}</td><td>{_counts(found)}</td></tr>")
            continue
        rows.append(
            f"<tr><td>{name}</td>"
            f'<td class="n">{_h(metrics.expected_lead_time_hours)} / '
            f"{_h(metrics.worst_lead_time_hours)}</td>"
            f"<td>{_sla(analysis, result)}</td>"
            f'<td class="n">{wording.percent(metrics.flow_efficiency)}</td>'
            f'<td class="n">{_h(metrics.effort_hours)}</td>'
            f'<td class="n">{_e(money(result, analysis.cost_per_case))}</td>'
            f'<td class="n">{wording.number(metrics.handoffs)}</td>'
            f'<td class="n">{wording.number(metrics.approvals)}</td>'
            f"<td>{_counts(found)}</td></tr>")
    return _head("process", "lead time (expected / worst)", "SLA", "flow efficiency",
                 "effort per case", "cost per case", "handoffs", "approvals",
                 "findings") + "".join(rows) + "</tbody></table>"


def _head(*labels: str) -> str:
    return "<table><thead><tr>" + "".join(f"<th>{_e(_(label))}</th>" for label in labels) \
        + "</tr></thead><tbody>"


def _bar(utilization: float | None, level: str) -> str:
    if utilization is None:
        return ""
    return (f'<span class="bar {level}"><span style="width:'
            f'{min(100.0, utilization * 100):.1f}%"></span></span> '
            f"{wording.percent(utilization)}")


def _role(role_id: str, name: str) -> str:
    return f"<code>{_e(role_id)}</code>" if name == role_id else \
        f"{_e(name)} (<code>{_e(role_id)}</code>)"


def _organisation(result: AuditResult) -> str:
    """Roles across processes, from `procmap.report.audit_data.role_rows`."""
    rows = []
    for row in role_rows(result):
        if row.utilization is None:
            continue
        shares = ", ".join(f"{_e(name)} {wording.percent(share)}"
                           for name, share in row.processes)
        cost = "" if row.cost is None else _e(money(result, row.cost) + "/h")
        rows.append(f"<tr><td>{_role(row.id, row.name)}</td>"
                    f"<td>{_bar(row.utilization, row.level)}</td>"
                    f'<td class="n">{wording.number(row.load_hours_per_day or 0.0, 1)}h/d / '
                    f"{wording.number(row.capacity_hours_per_day, 1)}h/d</td>"
                    f'<td class="n">{_e(row.queue_text)}</td><td class="n">{cost}</td>'
                    f"<td>{shares}</td></tr>")
    if not rows:
        return ""
    note = _("Utilization summed over every process with demand; the queue is the mean "
             "wait for a free person (Erlang C).")
    return (f"<h2>{_e(_('Roles across processes'))}</h2><p class=\"muted\">{_e(note)}</p>"
            + _head("role", "utilization", "load / capacity", "queue", "cost",
                    "processes (share)") + "".join(rows) + "</tbody></table>")


def _label(analysis: ProcessAnalysis) -> str:
    process = analysis.entry.process
    if process.name and process.name != process.id:
        return f"{process.name} ({process.id})"
    return process.id


def _h(value: float) -> str:
    return _e(wording.hours(value))


def _counts(findings: Sequence[Finding]) -> str:
    counts = summarize(findings)
    parts = [f'<span class="{label}">{n} {label}{"s" if n != 1 and label != "info" else ""}'
             "</span>" for label, n in counts.items() if n]
    return " · ".join(parts) if parts else '<span class="ok">none</span>'


def _sla(analysis: ProcessAnalysis, result: AuditResult) -> str:
    view = sla_view(analysis, result)
    style = {True: "ok", False: "error", None: "muted"}[view.within]
    return f'<span class="{style}">{_e(view.text)} {view.mark}</span>'


def _findings(findings: Sequence[Finding], result: AuditResult, *, with_process: bool
              ) -> str:
    if not findings:
        return '<p class="ok">No findings.</p>'
    head = "<th>process</th>" if with_process else ""
    rows = []
    for finding in findings:
        label = _SEVERITY[finding.severity]
        where = f"{_e(finding.file)}:{finding.line}:{finding.column}"
        if finding.step:
            where += f" · <code>{_e(finding.step)}</code>"
        elif finding.role:
            where += f" · role <code>{_e(finding.role)}</code>"
        cost = _e(cost_text(finding, result.currency))
        process = f"<td>{_e(finding.process or '')}</td>" if with_process else ""
        rows.append(f'<tr><td class="sev {label}">{label}</td><td><code>{_e(finding.rule)}'
                    f"</code></td>{process}<td>{where}</td><td class=\"n\">{cost}</td>"
                    f"<td>{_e(finding.message)}</td></tr>")
    return (f"<table><thead><tr><th>severity</th><th>rule</th>{head}<th>where</th>"
            "<th>cost</th><th>message</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def _process(analysis: ProcessAnalysis, result: AuditResult, svg: str | None) -> str:
    from procmap.analysis.audit import by_cost

    findings = result.audit_findings.get(analysis.id, [])
    process = analysis.entry.process
    parts = [f'<section id="{_anchor(analysis.id)}">',
             f"<h2>{_e(_label(analysis))}</h2>",
             f'<p class="muted">{_e(analysis.entry.file)}'
             + (f" · {_e(process.description)}" if process.description else "") + "</p>"]
    metrics = analysis.metrics
    if metrics is None:
        parts.append(f"<p>Not analysed: {_e(analysis.not_analysed or '')}.</p></section>")
        return "\n".join(parts)
    cards = [("expected lead time", _h(metrics.expected_lead_time_hours)),
             ("worst lead time", _h(metrics.worst_lead_time_hours)),
             ("SLA", _sla(analysis, result)),
             ("flow efficiency", wording.percent(metrics.flow_efficiency)),
             ("effort per case", _h(metrics.effort_hours)),
             ("handoffs per case", wording.number(metrics.handoffs)),
             ("approvals per case", wording.number(metrics.approvals))]
    if analysis.cost_per_case is not None:
        cards.append(("cost per case", _e(money(result, analysis.cost_per_case))))
    parts.append('<div class="cards">' + "".join(
        f'<div class="card"><span class="muted">{_e(_(label))}</span><b>{value}</b></div>'
        for label, value in cards) + "</div>")
    if svg:
        parts.append(f'<div class="diagram">{_inline_svg(svg, analysis.id)}</div>')
    parts.append(f"<h3>{_e(_('Findings'))}</h3>")
    parts.append(_findings(by_cost(findings), result, with_process=False))
    parts.append(f'<h3>Critical path ({_h(metrics.worst_lead_time_hours)})</h3>'
                 f'<p class="path">{" → ".join(_e(s) for s in metrics.critical_path)}</p>')
    if metrics.effort_by_role:
        parts.append(f"<h3>{_e(_('Roles'))}</h3>" + _process_roles(analysis, result))
    rows = []
    lead_time = metrics.expected_lead_time_hours
    for step in process.steps:
        if step.id not in metrics.visits:
            continue
        expected = metrics.expected_hours[step.id]
        share = wording.percent(expected / lead_time) if lead_time > 0 else ""
        rows.append(f"<tr><td><code>{_e(step.id)}</code></td><td>{_e(step.name or '')}</td>"
                    f"<td>{_e(step.role or '')}</td>"
                    f'<td class="n">{wording.number(metrics.visits[step.id])}</td>'
                    f'<td class="n">{_h(metrics.step_time[step.id])}</td>'
                    f'<td class="n">{_h(expected)}</td><td class="n">{share}</td></tr>')
    parts.append("<details><summary>Steps and visits</summary><table><thead><tr><th>step</th>"
                 "<th>name</th><th>role</th><th>visits</th><th>time</th>"
                 "<th>expected per case</th><th>share of lead time</th></tr></thead><tbody>"
                 + "".join(rows) + "</tbody></table></details>")
    parts.append("</section>")
    return "\n".join(parts)


def _process_roles(analysis: ProcessAnalysis, result: AuditResult) -> str:
    rows = []
    for row in process_roles(analysis, result):
        level = "over" if row.overloaded else "high" if (row.utilization or 0) >= 0.85 else ""
        here = "" if row.utilization_here is None else wording.percent(row.utilization_here)
        typed = "" if row.typed_wait_hours is None else _h(row.typed_wait_hours)
        queue = "" if row.utilization is None else _e(wording.queue(row.queue_wait_hours))
        rows.append(f"<tr><td>{_role(row.id, row.name)}</td>"
                    f'<td class="n">{_h(row.effort_hours)}</td>'
                    f'<td class="n">{_e(money(result, row.cost_per_case))}</td>'
                    f'<td class="n">{here}</td><td>{_bar(row.utilization, level)}</td>'
                    f'<td class="n">{typed}</td><td class="n">{queue}</td></tr>')
    return _head("role", "effort per case", "cost per case", "utilization here",
                 "utilization overall", "typed wait", "queue from load") + "".join(rows) \
        + "</tbody></table>"


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
