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
from procmap.i18n import _
from procmap.report.text import format_line, summary_line
from procmap.text.escape import one_line, terminal

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from procmap.analysis.audit import AuditResult
    from procmap.analysis.metrics import ProcessAnalysis, ProcessMetrics


def _label(analysis: ProcessAnalysis) -> str:
    process = analysis.entry.process
    if process.name and process.name != process.id:
        return f"{process.id} ({terminal(one_line(process.name))})"
    return process.id


def _lead_time(analysis: ProcessAnalysis, metrics: ProcessMetrics,
               result: AuditResult) -> str:
    from procmap.report.audit_data import sla_view

    return _("expected {expected}, worst {worst}; SLA {sla}").format(
        expected=wording.hours(metrics.expected_lead_time_hours),
        worst=wording.hours(metrics.worst_lead_time_hours),
        sla=terminal(one_line(sla_view(analysis, result).text)))


def _bar(share: float, width: int = 20) -> str:
    filled = max(0, min(width, round(share * width)))
    return "#" * filled + "." * (width - filled)


def _role_name(role_id: str, name: str) -> str:
    if name == role_id:
        return role_id
    return f"{terminal(one_line(name))} ({role_id})"


def _process_lines(analysis: ProcessAnalysis, result: AuditResult) -> list[str]:
    from procmap.report.audit_data import money, process_roles

    metrics = analysis.metrics
    if metrics is None:
        return [_("  not analysed: {reason}").format(reason=analysis.not_analysed)]
    lines = [_("  lead time        {text}").format(
                 text=_lead_time(analysis, metrics, result)),
             _("  flow efficiency  {share}; effort {effort} per case; handoffs {handoffs}; "
               "approvals {approvals}").format(
                 share=wording.percent(metrics.flow_efficiency),
                 effort=wording.hours(metrics.effort_hours),
                 handoffs=wording.number(metrics.handoffs),
                 approvals=wording.number(metrics.approvals))]
    if analysis.cost_per_case is not None:
        lines.append(_("  cost per case    {money}").format(
            money=money(result, analysis.cost_per_case)))
    for row in process_roles(analysis, result):
        text = _("  role {role} {effort} per case").format(
            role=f"{_role_name(row.id, row.name):<20}",
            effort=f"{wording.hours(row.effort_hours):>8}")
        if row.cost_per_case is not None:
            text += f", {money(result, row.cost_per_case)}"
        if row.utilization is not None:
            text += "  " + _("[{bar}] {here} here, {overall} overall").format(
                bar=_bar(row.utilization), here=wording.percent(row.utilization_here or 0.0),
                overall=wording.percent(row.utilization))
        if row.typed_wait_hours is not None and row.utilization is not None:
            text += "; " + _("typed wait {typed}, queue from load {queue}").format(
                typed=wording.hours(row.typed_wait_hours),
                queue=wording.queue(row.queue_wait_hours))
        lines.append(text)
    lines.append(_("  critical path    {path}").format(
        path=wording.path(metrics.critical_path, 12)))
    return lines


def _organisation_lines(result: AuditResult) -> list[str]:
    from procmap.report.audit_data import role_rows

    rows = [row for row in role_rows(result) if row.utilization is not None]
    if not rows:
        return []
    lines = [_("roles across processes (utilization summed over every process with demand)")]
    for row in rows:
        shares = ", ".join(f"{terminal(one_line(name))} {wording.percent(share)}"
                           for name, share in row.processes)
        lines.append("  " + _("{role} [{bar}] {percent}: {load}h/d of {supply}h/d; queue "
                              "{queue}; {shares}").format(
            role=f"{_role_name(row.id, row.name):<20}", bar=_bar(row.utilization or 0.0),
            percent=wording.percent(row.utilization or 0.0),
            load=wording.number(row.load_hours_per_day or 0.0, 1),
            supply=wording.number(row.capacity_hours_per_day, 1), queue=row.queue_text,
            shares=shares))
    lines.append("")
    return lines


def render(result: AuditResult) -> str:
    from procmap.analysis.audit import by_cost

    lines: list[str] = []
    for analysis in result.processes:
        lines.append(f"{_label(analysis)}  {analysis.entry.file}")
        lines.extend(_process_lines(analysis, result))
        lines.append("")
    lines.extend(_organisation_lines(result))
    lines.extend(format_line(f) for f in by_cost(result.findings))
    lines.append(summary_line(result.findings, result.files))
    return "\n".join(lines) + "\n"


_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_rich(console: Console, result: AuditResult) -> None:
    from rich.text import Text

    from procmap.analysis.audit import by_cost

    shown: set[int] = set()
    for analysis in result.processes:
        findings = by_cost(result.audit_findings.get(analysis.id, []))
        shown.update(id(f) for f in findings)
        console.print(_rich_process(analysis, findings, result))
    others = [f for f in by_cost(result.findings) if id(f) not in shown]
    for line in _organisation_lines(result):
        console.print(Text(line), soft_wrap=True)
    for finding in others:
        console.print(_finding_text(finding, result.currency), soft_wrap=True)
    worst = max((f.severity for f in result.findings), default=None)
    style = _STYLES[worst] if worst else "bold green"
    mark = "✖" if worst is Severity.ERROR else ("!" if worst else "✔")
    console.print(Text(f"{mark} ", style=style) + Text(summary_line(result.findings,
                                                                    result.files)))


def _rich_process(analysis: ProcessAnalysis, findings: list[Finding],
                  result: AuditResult) -> Panel:
    """A process's panel: its summary, roles and findings (or why it was not analysed)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    metrics = analysis.metrics
    if metrics is None:
        return Panel(Text(_("not analysed: {reason}").format(
            reason=analysis.not_analysed)),
                     title=Text(_label(analysis), style="bold"),
                     subtitle=Text(terminal(analysis.entry.file)), title_align="left")
    body: list[RenderableType] = [_rich_summary(analysis, metrics, result), Text(""),
                                  _rich_roles(analysis, result)]
    if findings:
        body.append(Text(""))
        body.extend(_finding_text(f, result.currency) for f in findings)
    return Panel(Group(*body), title=Text(_label(analysis), style="bold"),
                 subtitle=Text(terminal(analysis.entry.file)), title_align="left",
                 subtitle_align="right")


def _rich_summary(analysis: ProcessAnalysis, metrics: ProcessMetrics,
                  result: AuditResult) -> Table:
    from rich.table import Table
    from rich.text import Text

    from procmap.report.audit_data import money

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="dim")
    summary.add_column()
    lead = Text(_lead_time(analysis, metrics, result))
    if analysis.within_sla is False:
        lead.stylize("bold red")
    summary.add_row(_("lead time"), lead)
    summary.add_row(_("flow efficiency"), wording.percent(metrics.flow_efficiency))
    summary.add_row(_("effort"), _("{hours} per case").format(
        hours=wording.hours(metrics.effort_hours)))
    if analysis.cost_per_case is not None:
        summary.add_row(_("cost per case"), money(result, analysis.cost_per_case))
    summary.add_row(_("handoffs"), _("{count} per case").format(
        count=wording.number(metrics.handoffs)))
    summary.add_row(_("approvals"), _("{count} per case").format(
        count=wording.number(metrics.approvals)))
    summary.add_row(_("critical path"), Text(wording.path(metrics.critical_path, 12)))
    return summary


def _rich_roles(analysis: ProcessAnalysis, result: AuditResult) -> Table:
    from rich.table import Table
    from rich.text import Text

    from procmap.report.audit_data import load_level, money, process_roles

    roles = Table(box=None, pad_edge=False, show_edge=False)
    roles.add_column(_("role"))
    roles.add_column(_("effort/case"), justify="right")
    roles.add_column(_("cost/case"), justify="right")
    roles.add_column(_("utilization overall"))
    roles.add_column(_("typed wait / queue"), justify="right")
    for row in process_roles(analysis, result):
        cell = Text("")
        if row.utilization is not None:
            style = "red" if row.overloaded else "yellow" if load_level(
                row.utilization, result.utilization_warning) else "green"
            filled = max(0, min(20, round(row.utilization * 20)))
            cell = Text("█" * filled, style=style)
            cell.append("░" * (20 - filled), style="dim")
            cell.append(f" {wording.percent(row.utilization)}")
        queue = ""
        if row.typed_wait_hours is not None and row.utilization is not None:
            queue = f"{wording.hours(row.typed_wait_hours)} / " + \
                wording.queue(row.queue_wait_hours)
        roles.add_row(Text(_role_name(row.id, row.name)), wording.hours(row.effort_hours),
                      money(result, row.cost_per_case), cell, queue)
    return roles


def _finding_text(finding: Finding, currency: str | None = None) -> Text:
    from rich.text import Text

    from procmap.report.markdown import cost_text

    line = Text()
    line.append(f"{finding.severity.label:<7}", style=_STYLES[finding.severity])
    line.append(f" {finding.rule}", style="magenta")
    cost = cost_text(finding, currency)
    if cost:
        line.append(f" [{cost}]", style="dim")
    line.append("  " + terminal(one_line(finding.message)))
    line.append(f"  {terminal(finding.file)}:{finding.line}:{finding.column}", style="dim")
    return line
