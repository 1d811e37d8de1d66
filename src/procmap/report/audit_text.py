"""`audit --format text`: per process a summary, roles, critical path and findings.

`render` is plain text (pipes, files, NO_COLOR): a summary block per process, then every
finding as `path:line:col: severity[rule] message`, costliest first, so that editors and
CI log parsers still find them. `print_rich` draws the same for a person at a terminal
with rich: a summary panel per process, a role table with utilization bars, the
critical path and the findings sorted by cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmap.analysis import wording
from procmap.findings import Finding, Severity
from procmap.report.text import format_line, summary_line
from procmap.text.escape import one_line, terminal

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

    from procmap.analysis.audit import AuditResult
    from procmap.analysis.metrics import ProcessAnalysis, ProcessMetrics


def _label(analysis: ProcessAnalysis) -> str:
    process = analysis.entry.process
    if process.name and process.name != process.id:
        return f"{process.id} ({terminal(one_line(process.name))})"
    return process.id


def _lead_time(analysis: ProcessAnalysis, metrics: ProcessMetrics) -> str:
    sla = analysis.entry.process.sla
    text = (f"expected {wording.hours(metrics.expected_lead_time_hours)}, worst "
            f"{wording.hours(metrics.worst_lead_time_hours)}")
    if sla is None:
        return text + ", no SLA"
    verdict = "breached" if metrics.worst_lead_time_hours > sla + 1e-9 else "met"
    return f"{text}, SLA {wording.hours(sla)} ({verdict})"


def _bar(share: float, width: int = 20) -> str:
    filled = max(0, min(width, round(share * width)))
    return "#" * filled + "." * (width - filled)


def render(result: AuditResult) -> str:
    from procmap.analysis.audit import by_cost

    lines: list[str] = []
    for analysis in result.processes:
        lines.append(f"{_label(analysis)}  {analysis.entry.file}")
        metrics = analysis.metrics
        if metrics is None:
            lines.append(f"  not analysed: {analysis.not_analysed}")
            lines.append("")
            continue
        lines.append(f"  lead time        {_lead_time(analysis, metrics)}")
        lines.append(f"  flow efficiency  {wording.percent(metrics.flow_efficiency)}; effort "
                     f"{wording.hours(metrics.effort_hours)} per case; handoffs "
                     f"{wording.number(metrics.handoffs)}; approvals "
                     f"{wording.number(metrics.approvals)}")
        for role, hours in metrics.effort_by_role.items():
            utilization = metrics.utilization.get(role)
            use = "" if utilization is None else \
                f"  [{_bar(utilization)}] {wording.percent(utilization)}"
            lines.append(f"  role {role:<20} {wording.hours(hours):>8} per case{use}")
        lines.append(f"  critical path    {wording.path(metrics.critical_path, 12)}")
        lines.append("")
    lines.extend(format_line(f) for f in by_cost(result.findings))
    lines.append(summary_line(result.findings, result.files))
    return "\n".join(lines) + "\n"


_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_rich(console: Console, result: AuditResult) -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from procmap.analysis.audit import by_cost

    shown: set[int] = set()
    for analysis in result.processes:
        findings = by_cost(result.audit_findings.get(analysis.id, []))
        shown.update(id(f) for f in findings)
        metrics = analysis.metrics
        if metrics is None:
            console.print(Panel(Text(f"not analysed: {analysis.not_analysed}"),
                                title=Text(_label(analysis), style="bold"),
                                subtitle=Text(terminal(analysis.entry.file)), title_align="left"))
            continue
        summary = Table.grid(padding=(0, 2))
        summary.add_column(style="dim")
        summary.add_column()
        sla = analysis.entry.process.sla
        lead = Text(_lead_time(analysis, metrics))
        if sla is not None and metrics.worst_lead_time_hours > sla + 1e-9:
            lead.stylize("bold red")
        summary.add_row("lead time", lead)
        summary.add_row("flow efficiency", wording.percent(metrics.flow_efficiency))
        summary.add_row("effort", f"{wording.hours(metrics.effort_hours)} per case")
        summary.add_row("handoffs", f"{wording.number(metrics.handoffs)} per case")
        summary.add_row("approvals", f"{wording.number(metrics.approvals)} per case")
        summary.add_row("critical path", Text(wording.path(metrics.critical_path, 12)))
        roles = Table(box=None, pad_edge=False, show_edge=False)
        roles.add_column("role")
        roles.add_column("effort/case", justify="right")
        roles.add_column("utilization")
        for role, hours in metrics.effort_by_role.items():
            utilization = metrics.utilization.get(role)
            cell = Text("")
            if utilization is not None:
                style = "red" if utilization >= 1 else "yellow" if utilization >= 0.85 \
                    else "green"
                filled = max(0, min(20, round(utilization * 20)))
                cell = Text("█" * filled, style=style)
                cell.append("░" * (20 - filled), style="dim")
                cell.append(f" {wording.percent(utilization)}")
            roles.add_row(Text(role), wording.hours(hours), cell)
        body: list[RenderableType] = [summary, Text(""), roles]
        if findings:
            body.append(Text(""))
            body.extend(_finding_text(f) for f in findings)
        console.print(Panel(Group(*body), title=Text(_label(analysis), style="bold"),
                            subtitle=Text(terminal(analysis.entry.file)), title_align="left",
                            subtitle_align="right"))
    others = [f for f in by_cost(result.findings) if id(f) not in shown]
    for finding in others:
        console.print(_finding_text(finding), soft_wrap=True)
    worst = max((f.severity for f in result.findings), default=None)
    style = _STYLES[worst] if worst else "bold green"
    mark = "✖" if worst is Severity.ERROR else ("!" if worst else "✔")
    console.print(Text(f"{mark} ", style=style) + Text(summary_line(result.findings,
                                                                    result.files)))


def _finding_text(finding: Finding) -> Text:
    from rich.text import Text

    from procmap.report.markdown import cost_text

    line = Text()
    line.append(f"{finding.severity.label:<7}", style=_STYLES[finding.severity])
    line.append(f" {finding.rule}", style="magenta")
    cost = cost_text(finding)
    if cost:
        line.append(f" [{cost}]", style="dim")
    line.append("  " + terminal(one_line(finding.message)))
    line.append(f"  {terminal(finding.file)}:{finding.line}:{finding.column}", style="dim")
    return line
