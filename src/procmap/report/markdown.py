"""`audit --format markdown`: a report for pull-request comments.

A summary table of the processes, every finding sorted by what it costs, and per
process the roles, the critical path and the visits folded in `<details>`. All user text
is escaped: HTML special characters become entities, Markdown punctuation is
backslash-escaped (so a `|` cannot break a table), `@` cannot mention anybody and line
breaks cannot end a table row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from procmap.analysis import wording
from procmap.findings import Finding, Severity, summarize
from procmap.i18n import N_, _, ngettext
from procmap.text.escape import markdown as escape
from procmap.text.escape import markdown_code as code
from procmap.text.escape import markdown_html

if TYPE_CHECKING:
    from procmap.analysis.audit import AuditResult
    from procmap.analysis.metrics import ProcessAnalysis
    from procmap.analysis.raci import RaciMatrix

#: GitHub refuses comments over 65,536 characters: long lists are cut, pointing at the
#: complete reports (`--format json` or `html`)
MAX_FINDING_ROWS = 50
MAX_STEP_ROWS = 30
MAX_PATH_ENDS = 10
_ICONS = {Severity.ERROR: ("🔴", N_("error")), Severity.WARNING: ("🟠", N_("warning")),
          Severity.INFO: ("🔵", N_("info"))}


def _icon(severity: Severity) -> str:
    mark, label = _ICONS[severity]
    return f"{mark} {_(label)}"

_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    aligns = align or "l" * len(header)
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join("---:" if a == "r" else "---" for a in aligns) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _counts(findings: Sequence[Finding]) -> str:
    counts = summarize(findings)
    words = {"error": lambda n: ngettext("{n} error", "{n} errors", n),
             "warning": lambda n: ngettext("{n} warning", "{n} warnings", n),
             "info": lambda n: _("{n} info")}
    parts = [words[label](n).format(n=n) for label, n in counts.items() if n]
    return ", ".join(parts) if parts else _("none")


def _title(analysis: ProcessAnalysis) -> str:
    process = analysis.entry.process
    if process.name and process.name != process.id:
        return f"{escape(process.name)} ({code(process.id)})"
    return code(process.id)


def _sla(analysis: ProcessAnalysis, result: AuditResult) -> str:
    from procmap.report.audit_data import sla_view

    view = sla_view(analysis, result)
    mark = {True: "✅ ", False: "❌ ", None: ""}[view.within]
    return mark + escape(view.text)


def cost_text(finding: Finding, currency: str | None = None) -> str:
    """What a finding costs, for a table cell (`procmap.report.audit_data.cost_text`)."""
    from procmap.report.audit_data import cost_text as text

    return text(finding, currency)


def _location(finding: Finding) -> str:
    where = f"{escape(finding.file)}:{finding.line}"
    if finding.step:
        where += f" · {code(finding.step)}"
    elif finding.role:
        where += f" · role {code(finding.role)}"
    return where


def render(result: AuditResult) -> str:
    from procmap.report.audit_data import money

    lines: list[str] = [_("## procmap audit"), ""]
    analysed = result.analysed
    files = ngettext("{n} file", "{n} files", result.files).format(n=result.files)
    processes = ngettext("{analysed} of {n} process analysed",
                         "{analysed} of {n} processes analysed", len(result.processes)
                         ).format(analysed=len(analysed), n=len(result.processes))
    lines.append(f"**{_counts(result.findings)}** · {files} · {processes}")
    lines.append("")
    if result.processes:
        rows = []
        for analysis in result.processes:
            metrics = analysis.metrics
            found = result.audit_findings.get(analysis.id, [])
            if metrics is None:
                rows.append([_title(analysis), _("not analysed: {why}").format(
                    why=escape(analysis.not_analysed or "")), "", "", "", "", "", _counts(found)])
                continue
            rows.append([
                _title(analysis),
                f"{wording.hours(metrics.expected_lead_time_hours)} / "
                f"{wording.hours(metrics.worst_lead_time_hours)}",
                _sla(analysis, result),
                wording.percent(metrics.flow_efficiency),
                wording.hours(metrics.effort_hours),
                escape(money(result, analysis.cost_per_case)),
                wording.number(metrics.handoffs),
                wording.number(metrics.approvals),
                _counts(found),
            ])
        lines += _table([_("process"), _("lead time (expected / worst)"), _("SLA"),
                         _("flow efficiency"), _("effort per case"), _("cost per case"),
                         _("handoffs"), _("approvals"), _("findings")], rows, "lllrrrrrl")
        lines.append("")
    lines += _organisation(result)
    from procmap.analysis.audit import by_cost

    if result.findings:
        lines += [_("### Findings, costliest first"), ""]
        ordered = by_cost(result.findings)
        rows = [[_icon(f.severity), code(f.rule), escape(f.process or ""), _location(f),
                 escape(cost_text(f, result.currency)), escape(f.message)]
                for f in ordered[:MAX_FINDING_ROWS]]
        lines += _table([_("severity"), _("rule"), _("process"), _("where"), _("cost"),
                         _("message")], rows, "llllrl")
        lines.append("")
        if len(ordered) > MAX_FINDING_ROWS:
            lines += [f"… and {len(ordered) - MAX_FINDING_ROWS} more findings, smaller ones: "
                      "see `procmap audit --format html` or `--format json`.", ""]
    for analysis in analysed:
        lines += _details(analysis, result)
    return "\n".join(lines).rstrip("\n") + "\n"


def _organisation(result: AuditResult) -> list[str]:
    """The roles across processes: utilization summed over every process with demand."""
    from procmap.report.audit_data import money, role_rows

    rows = []
    for row in role_rows(result):
        if row.utilization is None:
            continue
        mark = "🔴 " if row.level == "over" else "🟠 " if row.level == "high" else ""
        rows.append([_role(row.id, row.name), f"{mark}{wording.percent(row.utilization)} "
                     f"{_bar(row.utilization)}",
                     f"{wording.number(row.load_hours_per_day or 0.0, 1)}h/d / "
                     f"{wording.number(row.capacity_hours_per_day, 1)}h/d",
                     escape(row.queue_text),
                     escape(money(result, row.cost) + "/h" if row.cost is not None else ""),
                     ", ".join(f"{escape(name)} {wording.percent(share)}"
                               for name, share in row.processes)])
    if not rows:
        return []
    return [_("### Roles across processes"), "",
            _("Utilization summed over every process with `demand`; the queue is the mean "
              "wait for a free person (Erlang C)."), "",
            *_table([_("role"), _("utilization"), _("load / capacity"), _("queue"),
                     _("cost"), _("processes (share)")], rows, "lrrrrl"), ""]


def _role(role_id: str, name: str) -> str:
    return code(role_id) if name == role_id else f"{escape(name)} ({code(role_id)})"


def _details(analysis: ProcessAnalysis, result: AuditResult) -> list[str]:
    metrics = analysis.metrics
    assert metrics is not None
    process = analysis.entry.process
    lines = [f"<details><summary>{_summary_text(analysis)}</summary>", ""]
    path = [code(s) for s in metrics.critical_path]
    if len(path) > 2 * MAX_PATH_ENDS:
        path = [*path[:MAX_PATH_ENDS], f"… {len(path) - 2 * MAX_PATH_ENDS} more …",
                *path[-MAX_PATH_ENDS:]]
    lines.append(_("File {file}. Critical path ({hours}): {path}.").format(
        file=escape(analysis.entry.file), hours=wording.hours(metrics.worst_lead_time_hours),
        path=" → ".join(path)))
    lines.append("")
    if metrics.effort_by_role:
        lines += _process_roles(analysis, result)
    rows = []
    lead_time = metrics.expected_lead_time_hours
    steps = [s for s in process.step_index.values() if s.id in metrics.visits]
    more = len(steps) - MAX_STEP_ROWS
    if more > 0:  # a long process: its costliest steps
        steps = sorted(steps, key=lambda s: -metrics.expected_hours[s.id])[:MAX_STEP_ROWS]
    for step in steps:
        expected = metrics.expected_hours[step.id]
        rows.append([code(step.id), escape(step.name or ""), code(step.role or ""),
                     wording.number(metrics.visits[step.id]),
                     wording.hours(metrics.step_time[step.id]), wording.hours(expected),
                     wording.percent(expected / lead_time) if lead_time > 0 else ""])
    lines += _table([_("step"), _("name"), _("role"), _("visits"), _("time"),
                     _("expected per case"), _("share of lead time")], rows, "lllrrrr")
    if more > 0:
        lines += ["", _("The {count} steps with the most expected time per case; {more} more "
                        "in `procmap audit --format html`.").format(count=MAX_STEP_ROWS,
                                                                    more=more)]
    lines += ["", "</details>", ""]
    return lines


def _process_roles(analysis: ProcessAnalysis, result: AuditResult) -> list[str]:
    from procmap.report.audit_data import money, process_roles

    rows = []
    for row in process_roles(analysis, result):
        here = "" if row.utilization_here is None else wording.percent(row.utilization_here)
        overall = "" if row.utilization is None else \
            f"{wording.percent(row.utilization)} {_bar(row.utilization)}"
        typed = "" if row.typed_wait_hours is None else wording.hours(row.typed_wait_hours)
        queue = "" if row.utilization is None else escape(wording.queue(row.queue_wait_hours))
        rows.append([_role(row.id, row.name), wording.hours(row.effort_hours),
                     escape(money(result, row.cost_per_case)), here, overall, typed, queue])
    return [*_table([_("role"), _("effort per case"), _("cost per case"),
                     _("utilization here"), _("utilization overall"), _("typed wait"),
                     _("queue from load")], rows, "lrrrlrr"), ""]


def _summary_text(analysis: ProcessAnalysis) -> str:
    # inside <summary>: HTML, not Markdown; escape for HTML only
    process = analysis.entry.process
    name = markdown_html(process.name or process.id)
    return _("{name} ({id}): roles, critical path and visits").format(
        name=name, id=markdown_html(process.id))


def _bar(share: float, width: int = 10) -> str:
    filled = max(0, min(width, round(share * width)))
    return "█" * filled + "░" * (width - filled)


def render_raci(matrices: Sequence[RaciMatrix], findings: Sequence[Finding]) -> str:
    """`raci --format markdown`: one table per process (steps x roles), then findings."""
    lines: list[str] = ["## RACI", "", "R responsible · A accountable · C consulted · "
                        "I informed", ""]
    for matrix in matrices:
        title = escape(matrix.name) if matrix.name == matrix.process else \
            f"{escape(matrix.name)} ({code(matrix.process)})"
        lines += [f"### {title}", ""]
        if not matrix.rows:
            lines += ["No work steps.", ""]
            continue
        rows = [[code(row.step), escape(row.name), *(row.letters(role)
                                                      for role in matrix.roles)]
                for row in matrix.rows]
        lines += _table(["step", "name", *(code(r) for r in matrix.roles)], rows)
        lines.append("")
    if findings:
        lines += ["### Findings", ""]
        lines += [f"- {_icon(f.severity)} {code(f.rule)} {_location(f)}: {escape(f.message)}"
                  for f in findings]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
