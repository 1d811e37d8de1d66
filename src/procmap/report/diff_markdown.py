"""`procmap diff --format markdown`: a pull-request comment.

First what a reviewer needs at a glance (one table row per process that changed, what
the change costs, the findings it introduces and resolves), then the details of each
process folded in `<details>`. Everything that comes from the files (names, messages,
paths, conditions) is escaped: it cannot break the tables, inject HTML or mention people.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from procmap.diff.model import (
    ADDED,
    REMOVED,
    UNCHANGED,
    Change,
    DiffReport,
    Flow,
    MetricChange,
    ProcessDiff,
    SeverityChange,
    StepSummary,
)
from procmap.findings import Finding, Severity
from procmap.report.diff_common import (
    NONE,
    NOT_ANALYSED,
    costs,
    duration,
    headline,
    location,
    metric_change,
    metric_delta,
    metric_value,
    severity_counts,
    structure_summary,
    value,
)
from procmap.text.escape import markdown as escape
from procmap.text.escape import markdown_code as code
from procmap.text.escape import markdown_html as escape_html

#: a hidden marker, so a bot can find and update its earlier comment
MARKER = "<!-- procmap-diff -->"
#: GitHub refuses comments over 65,536 characters; leave room for a wrapper
MAX_CHARS = 60_000
ARROW = "→"
#: findings listed in full per section; the rest are counted
MAX_FINDINGS = 50
ICONS = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}
SUMMARY_METRICS = ("expected_lead_time_hours", "worst_lead_time_hours", "effort_hours",
                   "approvals")

_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")


def render(report: DiffReport, max_chars: int = MAX_CHARS) -> str:
    """The comment; when it would be longer than `max_chars`, the details of the last
    processes are left out first, then findings beyond the first few are only counted."""
    details = [_details(p) for p in report.processes if p.status != UNCHANGED]
    text = _join(_head(report, MAX_FINDINGS), details)
    if len(text) <= max_chars:
        return text
    note = ("\n_Some details were left out to fit in a comment: run `procmap diff` "
            "locally to see all of them._\n")
    for limit in (MAX_FINDINGS, 10, 0):
        head = _head(report, limit)
        kept = list(details)
        while kept and len(_join(head, kept)) + len(note) > max_chars:
            kept.pop()
        text = _join(head, kept) + note
        if len(text) <= max_chars:
            break
    return text


def _join(head: list[str], details: list[str]) -> str:
    return "\n".join([*head, *details]).rstrip("\n") + "\n"


def _head(report: DiffReport, limit: int) -> list[str]:
    lines = [MARKER,
             f"### procmap diff: {escape(report.old.label)} {ARROW} "
             f"{escape(report.new.label)}", ""]
    findings = report.findings
    lines.append(f"**{headline(report.counts())}** · findings: "
                 f"**{len(findings.introduced)} introduced**"
                 f"{_counts(findings.introduced)}, {len(findings.resolved)} resolved"
                 f"{_counts(findings.resolved)}")
    lines.append("")
    shown = [p for p in report.processes if p.status != UNCHANGED]
    if not shown and not report.roles_edited and not findings:
        lines.append(f"No process differs between {escape(report.old.label)} and "
                     f"{escape(report.new.label)}.")
        return [*lines, ""]
    if shown:
        lines += _summary_table(shown)
    unchanged = len(report.with_status(UNCHANGED))
    if unchanged:
        lines.append(f"{unchanged} other process{'es' if unchanged != 1 else ''} "
                     "unchanged.")
        lines.append("")
    cost_lines = [f"- {_process_title(p)}: {'; '.join(parts)}."
                  for p in shown if (parts := costs(p))]
    if cost_lines:
        lines += ["**What it costs**", "", *cost_lines, ""]
    if report.roles_edited:
        lines += _roles(report)
    lines += _findings_section("Findings introduced", findings.introduced, limit)
    lines += _severity_section(findings.severity_changed)
    lines += _findings_section("Findings resolved", findings.resolved, limit)
    if findings.unchecked:
        count = len(findings.unchecked)
        lines += [f"_{count} audit finding{'s' if count != 1 else ''} of {escape(report.old.label)}"
                  " could not be checked: the new version could not be analysed (fix its "
                  "validation errors first)._", ""]
    return lines


def _counts(findings: Sequence[Finding]) -> str:
    counts = severity_counts(list(findings))
    return f" ({counts})" if counts else ""


def _process_title(process: ProcessDiff) -> str:
    if process.name and process.name != process.id:
        return f"**{escape(process.name)}** ({code(process.id)})"
    return f"**{code(process.id)}**"


def _summary_table(processes: Sequence[ProcessDiff]) -> list[str]:
    labels = ["process", "status", "steps"]
    metrics = [key for key in SUMMARY_METRICS
               if any(p.metric(key) is not None for p in processes)]
    labels += [_label(processes, key) for key in metrics]
    labels.append("findings")
    rows = ["| " + " | ".join(labels) + " |", "|" + " --- |" * len(labels)]
    for process in processes:
        cells = [_process_title(process), process.status, _steps_cell(process)]
        for key in metrics:
            metric = process.metric(key)
            cells.append(_metric_cell(process, metric) if metric is not None
                         else NOT_ANALYSED)
        changes = process.findings
        cells.append(f"+{len(changes.introduced)} / −{len(changes.resolved)}")
        rows.append("| " + " | ".join(cells) + " |")
    return [*rows, ""]


def _label(processes: Sequence[ProcessDiff], key: str) -> str:
    for process in processes:
        metric = process.metric(key)
        if metric is not None:
            return metric.label
    return key


def _steps_cell(process: ProcessDiff) -> str:
    old, new = process.step_counts
    if old is None or new is None:
        return str(new if old is None else old)
    return f"{old} {ARROW} {new}"


def _metric_cell(process: ProcessDiff, metric: MetricChange) -> str:
    """The change of a metric; a side the audit could not analyse shows as n/a."""
    if process.status in (ADDED, REMOVED):
        return metric_value(metric, metric.new if process.status == ADDED else metric.old)
    if metric.old is None or metric.new is None:
        old = NOT_ANALYSED if metric.old is None else metric_value(metric, metric.old)
        new = NOT_ANALYSED if metric.new is None else metric_value(metric, metric.new)
        return f"{old} {ARROW} {new}"
    if not metric.changed:
        return f"{metric_value(metric, metric.new)} (no change)"
    return metric_change(metric, ARROW)


def _roles(report: DiffReport) -> list[str]:
    lines = ["**Roles**", "", "| role | change |", "| --- | --- |"]
    for role in report.roles_added:
        lines.append(f"| {code(role.id)} | added: capacity {role.capacity:g}, "
                     f"{role.availability:g}h/d |")
    for role in report.roles_removed:
        lines.append(f"| {code(role.id)} | removed |")
    for change in report.roles_changed:
        lines.append(f"| {code(change.id)} | {_changes(change.changes)} |")
    return [*lines, ""]


def _finding_line(finding: Finding, prefix: str = "") -> str:
    where = [code(part) for part in (finding.process, finding.step or finding.role) if part]
    place = f" in {' › '.join(where)}" if where else ""
    return (f"- {ICONS[finding.severity]} {prefix}**{finding.severity.label}** "
            f"{code(finding.rule)}{place} ({escape(location(finding))}): "
            f"{escape(finding.message)}")


def _findings_section(title: str, findings: Sequence[Finding], limit: int) -> list[str]:
    if not findings:
        return []
    lines = [f"**{title} ({len(findings)})**", "", *(_finding_line(f) for f in findings[:limit])]
    if len(findings) > limit:
        rest = findings[limit:]
        lines.append(f"- … and {len(rest)} more ({severity_counts(list(rest))})")
    return [*lines, ""]


def _severity_section(changes: Sequence[SeverityChange]) -> list[str]:
    if not changes:
        return []
    lines = [f"**Findings whose severity changed ({len(changes)})**", ""]
    for change in changes:
        lines.append(_finding_line(change.new, f"{change.old.severity.label} {ARROW} "))
    return [*lines, ""]


# -- details, folded ---------------------------------------------------------------------

def _details(process: ProcessDiff) -> str:
    title = escape_html(process.name)
    summary = structure_summary(process) or process.status
    lines = ["<details>",
             f"<summary><b>{title}</b> (<code>{escape_html(process.id)}</code>), "
             f"{process.status}: {escape_html(summary)}</summary>", ""]
    if process.fields:
        lines += ["**Process**", "", "| field | old | new |", "| --- | --- | --- |"]
        lines += [f"| {c.field} | {escape(value(c.field, c.old))} | "
                  f"{escape(value(c.field, c.new))} |" for c in process.fields]
        lines.append("")
    lines += _steps(process)
    lines += _flows(process)
    if process.lanes_added or process.lanes_removed:
        parts = [f"+{code(r)}" for r in process.lanes_added]
        parts += [f"−{code(r)}" for r in process.lanes_removed]
        lines += [f"**Roles doing its steps**: {', '.join(parts)}", ""]
    lines += _metrics(process)
    for side, reason in zip(("old", "new"), process.not_analysed, strict=True):
        if reason:
            lines += [f"_The {side} version was {escape(reason)}._", ""]
    lines += ["</details>", ""]
    return "\n".join(lines)


def _steps(process: ProcessDiff) -> list[str]:
    lines: list[str] = []
    for title, steps in (("Steps added", process.steps_added),
                         ("Steps removed", process.steps_removed)):
        if process.status in (ADDED, REMOVED) and len(steps) > 0:
            title = "Steps"
        if steps:
            lines += [f"**{title}**", "", "| step | name | kind | role | wait | duration |",
                      "| --- | --- | --- | --- | --- | --- |"]
            lines += [_step_row(s) for s in steps]
            lines.append("")
    if process.steps_changed:
        lines += ["**Steps changed**", "", "| step | change |", "| --- | --- |"]
        lines += [f"| {code(s.id)} | {_changes(s.changes)} |"
                  for s in process.steps_changed]
        lines.append("")
    return lines


def _step_row(step: StepSummary) -> str:
    return (f"| {code(step.id)} | {escape(step.name or '')} | {step.kind} | "
            f"{code(step.role) if step.role else NONE} | {duration(step.wait)} | "
            f"{duration(step.duration)} |")


def _changes(changes: Sequence[Change]) -> str:
    return "<br>".join(f"{c.field}: {escape(value(c.field, c.old))} {ARROW} "
                       f"{escape(value(c.field, c.new))}" for c in changes)


def _flows(process: ProcessDiff) -> list[str]:
    if process.status in (ADDED, REMOVED):
        return []
    rows = [*(_flow_row("added", f) for f in process.flows_added),
            *(_flow_row("removed", f) for f in process.flows_removed),
            *(f"| changed | {code(c.source)} | {code(c.target)} | {_changes(c.changes)} |"
              for c in process.flows_changed)]
    if not rows:
        return []
    return ["**Transitions**", "", "| | from | to | when / probability |",
            "| --- | --- | --- | --- |", *rows, ""]


def _flow_row(kind: str, flow: Flow) -> str:
    label = " · ".join(part for part in (
        escape(flow.when) if flow.when else "",
        f"p={flow.probability:g}" if flow.probability is not None else "") if part)
    return f"| {kind} | {code(flow.source)} | {code(flow.target)} | {label or NONE} |"


def _metrics(process: ProcessDiff) -> list[str]:
    lines: list[str] = []
    changed = process.changed_metrics
    if changed and not any(process.not_analysed):  # else every metric would read "n/a"
        lines += ["**Metrics** (per case)", "", "| metric | old | new | change |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| {escape(m.label)} | {metric_value(m, m.old)} | "
                  f"{metric_value(m, m.new)} | {metric_delta(m)} |" for m in changed]
        lines.append("")
    old_path, new_path = process.critical_path
    if old_path != new_path and process.status not in (ADDED, REMOVED):
        lines += [_critical_path(old_path, new_path), ""]
    return lines


def _step_list(steps: list[str]) -> str:
    return ", ".join(code(s) for s in steps)


def _critical_path(old: tuple[str, ...] | None, new: tuple[str, ...] | None) -> str:
    """The new critical path, and which steps joined or left it."""
    old, new = old or (), new or ()
    joined = [s for s in new if s not in old]
    left = [s for s in old if s not in new]
    notes = ([f"now through {_step_list(joined)}"] * bool(joined)
             + [f"no longer through {_step_list(left)}"] * bool(left))
    note = f" ({'; '.join(notes)})" if notes else ""
    path = f" {ARROW} ".join(code(step) for step in new) or NONE
    return f"**Critical path**{note}: {path}"


__all__ = ["MARKER", "code", "escape", "escape_html", "render"]
