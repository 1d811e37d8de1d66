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
_ICONS = {Severity.ERROR: "🔴 error", Severity.WARNING: "🟠 warning", Severity.INFO: "🔵 info"}
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    aligns = align or "l" * len(header)
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join("---:" if a == "r" else "---" for a in aligns) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _counts(findings: Sequence[Finding]) -> str:
    counts = summarize(findings)
    parts = [f"{n} {label}{'s' if n != 1 and label != 'info' else ''}"
             for label, n in counts.items() if n]
    return ", ".join(parts) if parts else "none"


def _title(analysis: ProcessAnalysis) -> str:
    process = analysis.entry.process
    if process.name and process.name != process.id:
        return f"{escape(process.name)} ({code(process.id)})"
    return code(process.id)


def _sla(analysis: ProcessAnalysis) -> str:
    metrics = analysis.metrics
    sla = analysis.entry.process.sla
    if sla is None:
        return "none"
    if metrics is None:
        return wording.hours(sla)
    if metrics.worst_lead_time_hours > sla + 1e-9:
        mark = "❌ worst case over" if metrics.expected_lead_time_hours <= sla + 1e-9 \
            else "❌ over"
    else:
        mark = "✅"
    return f"{wording.hours(sla)} {mark}"


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
    lines: list[str] = ["## procmap audit", ""]
    analysed = result.analysed
    lines.append(f"**{_counts(result.findings)}** · {result.files} "
                 f"file{'s' if result.files != 1 else ''} · {len(analysed)} of "
                 f"{len(result.processes)} process{'es' if len(result.processes) != 1 else ''}"
                 " analysed")
    lines.append("")
    if result.processes:
        rows = []
        for analysis in result.processes:
            metrics = analysis.metrics
            found = result.audit_findings.get(analysis.id, [])
            if metrics is None:
                rows.append([_title(analysis), "not analysed: " + escape(
                    analysis.not_analysed or ""), "", "", "", "", "", _counts(found)])
                continue
            rows.append([
                _title(analysis),
                f"{wording.hours(metrics.expected_lead_time_hours)} / "
                f"{wording.hours(metrics.worst_lead_time_hours)}",
                _sla(analysis),
                wording.percent(metrics.flow_efficiency),
                wording.hours(metrics.effort_hours),
                wording.number(metrics.handoffs),
                wording.number(metrics.approvals),
                _counts(found),
            ])
        lines += _table(["process", "lead time (expected / worst)", "SLA", "flow efficiency",
                         "effort per case", "handoffs", "approvals", "findings"], rows,
                        "lllrrrrl")
        lines.append("")
    from procmap.analysis.audit import by_cost

    if result.findings:
        lines += ["### Findings, costliest first", ""]
        ordered = by_cost(result.findings)
        rows = [[_ICONS[f.severity], code(f.rule), escape(f.process or ""), _location(f),
                 cost_text(f), escape(f.message)] for f in ordered[:MAX_FINDING_ROWS]]
        lines += _table(["severity", "rule", "process", "where", "cost", "message"],
                        rows, "llllrl")
        lines.append("")
        if len(ordered) > MAX_FINDING_ROWS:
            lines += [f"… and {len(ordered) - MAX_FINDING_ROWS} more findings, smaller ones: "
                      "see `procmap audit --format html` or `--format json`.", ""]
    for analysis in analysed:
        lines += _details(analysis)
    return "\n".join(lines).rstrip("\n") + "\n"


def _details(analysis: ProcessAnalysis) -> list[str]:
    metrics = analysis.metrics
    assert metrics is not None
    process = analysis.entry.process
    lines = [f"<details><summary>{_summary_text(analysis)}</summary>", ""]
    path = [code(s) for s in metrics.critical_path]
    if len(path) > 2 * MAX_PATH_ENDS:
        path = [*path[:MAX_PATH_ENDS], f"… {len(path) - 2 * MAX_PATH_ENDS} more …",
                *path[-MAX_PATH_ENDS:]]
    lines.append(f"File {escape(analysis.entry.file)}. Critical path "
                 f"({wording.hours(metrics.worst_lead_time_hours)}): " + " → ".join(path) + ".")
    lines.append("")
    if metrics.effort_by_role:
        rows = []
        for role, hours in metrics.effort_by_role.items():
            utilization = metrics.utilization.get(role)
            rows.append([code(role), wording.hours(hours),
                         "" if utilization is None else
                         f"{wording.percent(utilization)} {_bar(utilization)}"])
        lines += _table(["role", "effort per case", "utilization"], rows, "lrl")
        lines.append("")
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
    lines += _table(["step", "name", "role", "visits", "time", "expected per case",
                     "share of lead time"], rows, "lllrrrr")
    if more > 0:
        lines += ["", f"The {MAX_STEP_ROWS} steps with the most expected time per case; "
                  f"{more} more in `procmap audit --format html`."]
    lines += ["", "</details>", ""]
    return lines


def _summary_text(analysis: ProcessAnalysis) -> str:
    # inside <summary>: HTML, not Markdown; escape for HTML only
    process = analysis.entry.process
    name = markdown_html(process.name or process.id)
    return f"{name} ({markdown_html(process.id)}): roles, critical path and visits"


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
        lines += [f"- {_ICONS[f.severity]} {code(f.rule)} {_location(f)}: {escape(f.message)}"
                  for f in findings]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
