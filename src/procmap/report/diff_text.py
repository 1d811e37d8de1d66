"""`procmap diff --format text`: plain lines for logs, coloured with rich on a terminal.

One list of (style, text) lines feeds both: `render` joins the text, `print_rich` prints
each line in its style. `+` marks what was added, `-` what was removed, `~` a change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmap.diff.model import (
    ADDED,
    REMOVED,
    UNCHANGED,
    Change,
    DiffReport,
    Flow,
    MetricChange,
    ProcessDiff,
    StepSummary,
)
from procmap.findings import Severity
from procmap.report.diff_common import (
    costs,
    duration,
    headline,
    metric_change,
    severity_counts,
    value,
)
from procmap.report.text import format_line
from procmap.text.escape import terminal

if TYPE_CHECKING:
    from rich.console import Console

Line = tuple[str, str]  # (rich style, text)

STYLES = {"+": "green", "-": "red", "~": "yellow"}
SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow",
                   Severity.INFO: "cyan"}


def lines(report: DiffReport) -> list[Line]:
    out: list[Line] = [("bold", f"procmap diff: {report.old.label} -> {report.new.label}")]
    for process in report.processes:
        if process.status != UNCHANGED:
            out += _process(process)
    if report.roles_edited:
        out.append(("bold", "roles:"))
        out += [("green", f"  + role {r.id}: capacity {r.capacity:g}, "
                          f"{r.availability:g}h/d") for r in report.roles_added]
        out += [("red", f"  - role {r.id}") for r in report.roles_removed]
        out += [("yellow", f"  ~ role {c.id}: {_changes(c.changes)}")
                for c in report.roles_changed]
    findings = report.findings
    for title, items in (("findings introduced", findings.introduced),
                         ("findings resolved", findings.resolved)):
        if items:
            out.append(("bold", f"{title} ({len(items)}):"))
            out += [(SEVERITY_STYLES[f.severity] if title.endswith("introduced") else "dim",
                     f"  {format_line(f)}") for f in items]
    if findings.unchecked:
        out.append(("dim", f"{len(findings.unchecked)} audit finding"
                           f"{'s' * (len(findings.unchecked) != 1)} of the old version could "
                           "not be checked: the new version was not analysed"))
    if findings.severity_changed:
        out.append(("bold", f"findings whose severity changed "
                            f"({len(findings.severity_changed)}):"))
        out += [(SEVERITY_STYLES[c.new.severity],
                 f"  {format_line(c.new)} (was {c.old.severity.label})")
                for c in findings.severity_changed]
    out.append(("bold", _summary(report)))
    return out


def _summary(report: DiffReport) -> str:
    findings = report.findings
    introduced = severity_counts(findings.introduced)
    resolved = len(findings.resolved)
    unchanged = len(report.with_status(UNCHANGED))
    return (f"procmap diff: {headline(report.counts())}"
            f"{f' ({unchanged} unchanged)' if unchanged else ''}; "
            f"{len(findings.introduced)} finding{'s' * (len(findings.introduced) != 1)} "
            f"introduced{f' ({introduced})' if introduced else ''}, {resolved} resolved")


def _process(process: ProcessDiff) -> list[Line]:
    title = process.id if process.name == process.id else f"{process.id} ({process.name})"
    out: list[Line] = [("bold", f"{title}: {process.status}")]
    if process.status in (ADDED, REMOVED):
        sign = "+" if process.status == ADDED else "-"
        steps = process.steps_added or process.steps_removed
        file = process.new_file or process.old_file
        out.append((STYLES[sign], f"  {sign} {len(steps)} steps in {file}"))
    else:
        out += [("yellow", f"  ~ {c.field}: {_value(c)}") for c in process.fields]
        out += [("green", f"  + step {_step(s)}") for s in process.steps_added]
        out += [("red", f"  - step {_step(s)}") for s in process.steps_removed]
        out += [("yellow", f"  ~ step {s.id}: {_changes(s.changes)}")
                for s in process.steps_changed]
        out += [("green", f"  + transition {_flow(f)}") for f in process.flows_added]
        out += [("red", f"  - transition {_flow(f)}") for f in process.flows_removed]
        out += [("yellow", f"  ~ transition {c.source} -> {c.target}: "
                           f"{_changes(c.changes)}") for c in process.flows_changed]
        out += [("green", f"  + role {r}") for r in process.lanes_added]
        out += [("red", f"  - role {r}") for r in process.lanes_removed]
    if not any(process.not_analysed):  # else every metric would read "n/a"
        out += [(_metric_style(m), f"  {m.label}: {metric_change(m)}")
                for m in process.changed_metrics]
    old_path, new_path = process.critical_path
    if old_path != new_path and new_path:
        out.append(("", f"  critical path: {' -> '.join(new_path)}"))
    for side, reason in zip(("old", "new"), process.not_analysed, strict=True):
        if reason:
            out.append(("dim", f"  the {side} version was {reason}"))
    parts = costs(process)
    if parts:
        out.append(("bold", f"  costs: {'; '.join(parts)}"))
    return out


def _metric_style(metric: MetricChange) -> str:
    worse = metric.worse
    return "" if worse is None else ("red" if worse else "green")


def _value(change: Change) -> str:
    return f"{value(change.field, change.old)} -> {value(change.field, change.new)}"


def _changes(changes: tuple[Change, ...]) -> str:
    return "; ".join(f"{c.field} {_value(c)}" for c in changes)


def _step(step: StepSummary) -> str:
    name = f" ({step.name})" if step.name else ""
    role = f" by {step.role}" if step.role else ""
    return (f"{step.id}{name}: {step.kind}{role}, wait {duration(step.wait)}, "
            f"duration {duration(step.duration)}")


def _flow(flow: Flow) -> str:
    label = ", ".join(part for part in (
        flow.when or "", f"p={flow.probability:g}" if flow.probability is not None else "")
        if part)
    return f"{flow.source} -> {flow.target}{f' [{label}]' if label else ''}"


def render(report: DiffReport) -> str:
    return "\n".join(" ".join(text.split("\n")) for _, text in lines(report)) + "\n"


def print_rich(console: Console, report: DiffReport) -> None:
    from rich.text import Text

    for style, text in lines(report):
        console.print(Text(terminal(" ".join(text.split("\n"))), style=style),
                      soft_wrap=True)
