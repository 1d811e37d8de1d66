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
from procmap.i18n import N_, _, ngettext
from procmap.report.diff_common import (
    KINDS,
    NONE,
    NOT_ANALYSED,
    STATUS,
    costs,
    duration,
    headline,
    location,
    metric_change,
    metric_delta,
    metric_label,
    metric_value,
    severity_counts,
    side_label,
    structure_summary,
    value,
)
from procmap.report.text import severity_label
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


#: words of the comment's headings and tables (translated where shown: `_w`)
_WORDS = {
    '; ': N_('; '),
    '.': N_('.'),
    'What it costs': N_('What it costs'),
    'Roles': N_('Roles'),
    'role': N_('role'),
    'change': N_('change'),
    'removed': N_('removed'),
    'Findings whose severity changed': N_('Findings whose severity changed'),
    'Process': N_('Process'),
    'field': N_('field'),
    'old': N_('old'),
    'new': N_('new'),
    'Roles doing its steps': N_('Roles doing its steps'),
    'Steps changed': N_('Steps changed'),
    'step': N_('step'),
    'Transitions': N_('Transitions'),
    'from': N_('from'),
    'to': N_('to'),
    'when / probability': N_('when / probability'),
    'Metrics': N_('Metrics'),
    '(per case)': N_('(per case)'),
    'metric': N_('metric'),
    'Critical path': N_('Critical path'),
}


def _w(word: str) -> str:
    return _(_WORDS[word])


def render(report: DiffReport, max_chars: int = MAX_CHARS) -> str:
    """The comment; when it would be longer than `max_chars`, the details of the last
    processes are left out first, then findings beyond the first few are only counted."""
    details = [_details(p) for p in report.processes if p.status != UNCHANGED]
    text = _join(_head(report, MAX_FINDINGS), details)
    if len(text) <= max_chars:
        return text
    note = "\n_" + _("Some details were left out to fit in a comment: run `procmap diff` "
                      "locally to see all of them.") + "_\n"
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
    old_label = escape(side_label(report.old.label))
    new_label = escape(side_label(report.new.label))
    lines = [MARKER, f"### procmap diff: {old_label} {ARROW} {new_label}", ""]
    findings = report.findings
    lines.append(f"**{headline(report.counts())}** · " + _(
        "findings: **{introduced} introduced**{introduced_counts}, {resolved} resolved"
        "{resolved_counts}").format(
        introduced=len(findings.introduced), introduced_counts=_counts(findings.introduced),
        resolved=len(findings.resolved), resolved_counts=_counts(findings.resolved)))
    lines.append("")
    shown = [p for p in report.processes if p.status != UNCHANGED]
    if not shown and not report.roles_edited and not findings:
        lines.append(_("No process differs between {old} and {new}.").format(
            old=old_label, new=new_label))
        return [*lines, ""]
    if shown:
        lines += _summary_table(shown)
    unchanged = len(report.with_status(UNCHANGED))
    if unchanged:
        lines.append(ngettext("{count} other process unchanged.",
                              "{count} other processes unchanged.", unchanged).format(
            count=unchanged))
        lines.append("")
    cost_lines = [f"- {_process_title(p)}: {_w('; ').join(parts)}{_w('.')}"
                  for p in shown if (parts := costs(p))]
    if cost_lines:
        lines += [f"**{_w('What it costs')}**", "", *cost_lines, ""]
    if report.roles_edited:
        lines += _roles(report)
    lines += _findings_section(_("Findings introduced"), findings.introduced, limit)
    lines += _severity_section(findings.severity_changed)
    lines += _findings_section(_("Findings resolved"), findings.resolved, limit)
    if findings.unchecked:
        count = len(findings.unchecked)
        lines += ["_" + ngettext(
            "{count} audit finding of {old} could not be checked: the new version could not "
            "be analysed (fix its validation errors first).",
            "{count} audit findings of {old} could not be checked: the new version could not "
            "be analysed (fix its validation errors first).", count).format(
            count=count, old=old_label) + "_", ""]
    return lines


def _counts(findings: Sequence[Finding]) -> str:
    counts = severity_counts(list(findings))
    return f" ({counts})" if counts else ""


def _process_title(process: ProcessDiff) -> str:
    if process.name and process.name != process.id:
        return f"**{escape(process.name)}** ({code(process.id)})"
    return f"**{code(process.id)}**"


def _summary_table(processes: Sequence[ProcessDiff]) -> list[str]:
    labels = [_("process"), _("status"), _("steps")]
    metrics = [key for key in SUMMARY_METRICS
               if any(p.metric(key) is not None for p in processes)]
    labels += [_label(processes, key) for key in metrics]
    labels.append(_("findings"))
    rows = ["| " + " | ".join(labels) + " |", "|" + " --- |" * len(labels)]
    for process in processes:
        cells = [_process_title(process), _status(process.status), _steps_cell(process)]
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
            return metric_label(metric)
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
        return _("{value} (no change)").format(value=metric_value(metric, metric.new))
    return metric_change(metric, ARROW)


def _roles(report: DiffReport) -> list[str]:
    lines = [f"**{_w('Roles')}**", "", f"| {_w('role')} | {_w('change')} |", "| --- | --- |"]
    for role in report.roles_added:
        lines.append(f"| {code(role.id)} | " + _("added: capacity {capacity}, {hours}h/d").format(
            capacity=f"{role.capacity:g}", hours=f"{role.availability:g}") + " |")
    for role in report.roles_removed:
        lines.append(f"| {code(role.id)} | {_w('removed')} |")
    for change in report.roles_changed:
        lines.append(f"| {code(change.id)} | {_changes(change.changes)} |")
    return [*lines, ""]


def _finding_line(finding: Finding, prefix: str = "") -> str:
    where = [code(part) for part in (finding.process, finding.step or finding.role) if part]
    place = _(" in {where}").format(where=" › ".join(where)) if where else ""
    return (f"- {ICONS[finding.severity]} {prefix}**{severity_label(finding.severity)}** "
            f"{code(finding.rule)}{place} ({escape(location(finding))}): "
            f"{escape(finding.message)}")


def _findings_section(title: str, findings: Sequence[Finding], limit: int) -> list[str]:
    if not findings:
        return []
    lines = [f"**{title} ({len(findings)})**", "", *(_finding_line(f) for f in findings[:limit])]
    if len(findings) > limit:
        rest = findings[limit:]
        lines.append("- " + _("… and {count} more ({counts})").format(
            count=len(rest), counts=severity_counts(list(rest))))
    return [*lines, ""]


def _severity_section(changes: Sequence[SeverityChange]) -> list[str]:
    if not changes:
        return []
    lines = [f"**{_w('Findings whose severity changed')} ({len(changes)})**", ""]
    for change in changes:
        lines.append(_finding_line(change.new, f"{severity_label(change.old.severity)} {ARROW} "))
    return [*lines, ""]


# -- details, folded ---------------------------------------------------------------------

def _details(process: ProcessDiff) -> str:
    title = escape_html(process.name)
    status = _status(process.status)
    summary = structure_summary(process) or status
    lines = ["<details>",
             f"<summary><b>{title}</b> (<code>{escape_html(process.id)}</code>), "
             f"{escape_html(status)}: {escape_html(summary)}</summary>", ""]
    if process.fields:
        lines += [f"**{_w('Process')}**", "", f"| {_w('field')} | {_w('old')} | {_w('new')} |",
                  "| --- | --- | --- |"]
        lines += [f"| {c.field} | {escape(value(c.field, c.old))} | "
                  f"{escape(value(c.field, c.new))} |" for c in process.fields]
        lines.append("")
    lines += _steps(process)
    lines += _flows(process)
    if process.lanes_added or process.lanes_removed:
        parts = [f"+{code(r)}" for r in process.lanes_added]
        parts += [f"−{code(r)}" for r in process.lanes_removed]
        lines += [f"**{_w('Roles doing its steps')}**: {', '.join(parts)}", ""]
    lines += _metrics(process)
    for old, reason in zip((True, False), process.not_analysed, strict=True):
        if reason:
            text = _("The old version was {reason}.") if old \
                else _("The new version was {reason}.")
            lines += ["_" + text.format(reason=escape(reason)) + "_", ""]
    lines += ["</details>", ""]
    return "\n".join(lines)


def _steps(process: ProcessDiff) -> list[str]:
    lines: list[str] = []
    header = " | ".join([_("step"), _("name"), _("kind"), _("role"), _("wait"), _("duration")])
    for title, steps in ((_("Steps added"), process.steps_added),
                         (_("Steps removed"), process.steps_removed)):
        if process.status in (ADDED, REMOVED) and len(steps) > 0:
            title = _("Steps")
        if steps:
            lines += [f"**{title}**", "", f"| {header} |",
                      "| --- | --- | --- | --- | --- | --- |"]
            lines += [_step_row(s) for s in steps]
            lines.append("")
    if process.steps_changed:
        lines += [f"**{_w('Steps changed')}**", "", f"| {_w('step')} | {_w('change')} |",
                  "| --- | --- |"]
        lines += [f"| {code(s.id)} | {_changes(s.changes)} |"
                  for s in process.steps_changed]
        lines.append("")
    return lines


def _step_row(step: StepSummary) -> str:
    return (f"| {code(step.id)} | {escape(step.name or '')} | "
            f"{_(KINDS.get(step.kind, step.kind))} | "
            f"{code(step.role) if step.role else NONE} | {duration(step.wait)} | "
            f"{duration(step.duration)} |")


def _changes(changes: Sequence[Change]) -> str:
    return "<br>".join(f"{c.field}: {escape(value(c.field, c.old))} {ARROW} "
                       f"{escape(value(c.field, c.new))}" for c in changes)


def _flows(process: ProcessDiff) -> list[str]:
    if process.status in (ADDED, REMOVED):
        return []
    changed = _("changed")
    rows = [*(_flow_row(_("added"), f) for f in process.flows_added),
            *(_flow_row(_("removed"), f) for f in process.flows_removed),
            *(f"| {changed} | {code(c.source)} | {code(c.target)} | {_changes(c.changes)} |"
              for c in process.flows_changed)]
    if not rows:
        return []
    return [f"**{_w('Transitions')}**", "",
            f"| | {_w('from')} | {_w('to')} | {_w('when / probability')} |",
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
        lines += [f"**{_w('Metrics')}** {_w('(per case)')}", "",
                  f"| {_w('metric')} | {_w('old')} | {_w('new')} | {_w('change')} |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| {escape(metric_label(m))} | {metric_value(m, m.old)} | "
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
    notes = ([_("now through {steps}").format(steps=_step_list(joined))] * bool(joined)
             + [_("no longer through {steps}").format(steps=_step_list(left))] * bool(left))
    note = f" ({_w('; ').join(notes)})" if notes else ""
    path = f" {ARROW} ".join(code(step) for step in new) or NONE
    return f"**{_w('Critical path')}**{note}: {path}"


def _status(status: str) -> str:
    return _(STATUS[status]) if status in STATUS else status


__all__ = ["MARKER", "code", "escape", "escape_html", "render"]
