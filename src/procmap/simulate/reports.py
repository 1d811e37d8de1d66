"""`procmap simulate` as text, on a colour terminal, as Markdown and as JSON.

Every figure is the mean over replications; people see names (客服专员), JSON keeps ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from procmap.i18n import _
from procmap.text.escape import markdown as md
from procmap.text.units import hours as hours_text

if TYPE_CHECKING:
    from rich.console import Console

    from procmap.simulate.run import ScenarioResult, SimResult


def share(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def duration(value: float | None) -> str:
    return "-" if value is None else hours_text(value)


def _ci(value: float | None) -> str:
    return "" if not value else f" ± {value * 100:.1f}%"


def header(result: SimResult) -> str:
    options = result.options
    return _("{cases} cases per process after {warmup} warm-up cases, {replications} "
             "replications, seed {seed}; figures are means over replications").format(
                 cases=f"{options.cases:,}", warmup=f"{options.warmup_cases:,}",
                 replications=options.replications, seed=options.seed)


def process_rows(scenario: ScenarioResult) -> list[list[str]]:
    """One row per process: name, cases, mean, p50, p90, p95, SLA, attainment, cost."""
    rows = []
    for figures in scenario.figures.processes:
        lead = figures["lead_time_hours"]
        rows.append([figures["name"], f"{figures['cases']:,}", duration(lead["mean"]),
                     duration(lead["p50"]), duration(lead["p90"]), duration(lead["p95"]),
                     duration(figures["sla_hours"]),
                     share(figures["sla_attainment"]) + _ci(figures["sla_attainment_ci"]),
                     "-" if figures["cost_per_case"] is None
                     else f"{figures['cost_per_case']:,.2f}"])
    return rows


def process_columns() -> list[str]:
    return [_("process"), _("cases"), _("mean"), "p50", "p90", "p95", _("SLA"),
            _("within SLA"), _("cost per case")]


def deadline_rows(scenario: ScenarioResult) -> list[list[str]]:
    rows = []
    for figures, proc in _with_model(scenario):
        labels = {n.id: n.label for n in proc.nodes}
        deadlines = {n.id: n.deadline for n in proc.nodes}
        for step_id, value in figures["deadlines"].items():
            rows.append([figures["name"], labels.get(step_id, step_id),
                         duration(deadlines.get(step_id)), share(value)])
    return rows


def deadline_columns() -> list[str]:
    return [_("process"), _("step"), _("deadline"), _("reached in time")]


def role_rows(scenario: ScenarioResult) -> list[list[str]]:
    rows = []
    for figures in scenario.figures.roles:
        unstable = figures["id"] in scenario.figures.unstable
        rows.append([figures["name"], str(figures["people"]),
                     share(figures["utilization"]) + (" ⚠" if unstable else ""),
                     duration(figures["queue_wait_hours"]["mean"]),
                     duration(figures["queue_wait_hours"]["p90"])])
    return rows


def role_columns() -> list[str]:
    return [_("role"), _("people"), _("utilization"), _("mean queue wait"),
            _("p90 queue wait")]


def comparison_rows(result: SimResult) -> list[list[str]]:
    """Per scenario and process: p90 lead time and SLA attainment, with the change."""
    rows = []
    base = {p["id"]: p for p in result.base.figures.processes}
    for scenario in result.scenarios:
        for figures in scenario.figures.processes:
            before = base.get(figures["id"])
            p90 = figures["lead_time_hours"]["p90"]
            old_p90 = before["lead_time_hours"]["p90"] if before else None
            delta = "" if p90 is None or old_p90 is None or abs(p90 - old_p90) < 1e-9 else \
                f" ({'+' if p90 > old_p90 else '-'}{hours_text(abs(p90 - old_p90))})"
            rows.append([scenario.name, figures["name"], duration(p90) + delta,
                         share(figures["sla_attainment"])])
    return rows


def comparison_columns() -> list[str]:
    return [_("scenario"), _("process"), _("p90 lead time"), _("within SLA")]


def _with_model(scenario: ScenarioResult) -> list[tuple[dict[str, Any], Any]]:
    by_id = {p.id: p for p in scenario.model.processes}
    return [(f, by_id[f["id"]]) for f in scenario.figures.processes]


def _table_text(columns: list[str], rows: list[list[str]]) -> list[str]:
    from rich.cells import cell_len

    widths = [max([cell_len(c)] + [cell_len(r[i]) for r in rows])
              for i, c in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths,
                                                                     strict=True)).rstrip()

    return [line(columns), *(line(r) for r in rows)]


def _sections(result: SimResult) -> list[tuple[str, list[str], list[list[str]]]]:
    sections = [(_("Lead time per process"), process_columns(), process_rows(result.base))]
    if deadline_rows(result.base):
        sections.append((_("Deadlines"), deadline_columns(), deadline_rows(result.base)))
    sections.append((_("Roles"), role_columns(), role_rows(result.base)))
    if result.scenarios:
        sections.append((_("Scenarios (same random numbers)"), comparison_columns(),
                         comparison_rows(result)))
    return sections


def render_text(result: SimResult, **_options: Any) -> str:
    from procmap.report.text import format_line
    from procmap.text.escape import terminal_lines

    lines = ["procmap simulate: " + header(result), ""]
    for title, columns, rows in _sections(result):
        lines += [title, *_table_text(columns, rows), ""]
    for process_id, why in result.skipped.items():
        lines.append(_("not simulated: {process}: {why}").format(process=process_id, why=why))
    lines += [format_line(f) for f in result.findings]
    return terminal_lines("\n".join(lines).rstrip() + "\n")


def print_rich(console: Console, result: SimResult, **_options: Any) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from procmap.report.rich_text import print_findings
    from procmap.text.escape import terminal

    console.print(f"[bold]procmap simulate[/] · {escape(terminal(header(result)))}")
    for title, columns, rows in _sections(result):
        table = Table(title=escape(title), title_justify="left", title_style="bold")
        for number, column in enumerate(columns):
            table.add_column(column, justify="left" if number < 2 else "right")
        for row in rows:
            table.add_row(*(Text(terminal(cell)) for cell in row))
        console.print(table)
    print_findings(console, result.findings, result.files)


def render_markdown(result: SimResult, **_options: Any) -> str:
    lines = ["## procmap simulate", "", md(header(result)), ""]
    for title, columns, rows in _sections(result):
        lines += [f"### {md(title)}", "", _md_row(columns),
                  "|" + "|".join(" --- " for _c in columns) + "|",
                  *(_md_row(r) for r in rows), ""]
    if result.findings:
        lines += [f"### {md(_('Findings'))}", ""]
        for finding in result.findings:
            lines.append(f"- **{finding.severity.label}** `{finding.rule}` "
                         f"{md(finding.file)}:{finding.line}:{finding.column}: "
                         f"{md(finding.message)}")
        lines.append("")
    return "\n".join(lines)


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(md(c) for c in cells) + " |"


def render_json(result: SimResult, **_options: Any) -> str:
    from procmap.report.writers import json_text

    return json_text(result.to_json())
