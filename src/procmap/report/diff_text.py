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
    FindingChanges,
    Flow,
    MetricChange,
    ProcessDiff,
    StepSummary,
)
from procmap.findings import Severity
from procmap.i18n import _, ngettext
from procmap.report.diff_common import (
    KINDS,
    STATUS,
    costs,
    duration,
    headline,
    metric_change,
    metric_label,
    severity_counts,
    side_label,
    value,
)
from procmap.report.text import format_line, severity_label
from procmap.text.escape import terminal

if TYPE_CHECKING:
    from rich.console import Console

Line = tuple[str, str]  # (rich style, text)

STYLES = {"+": "green", "-": "red", "~": "yellow"}
SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow",
                   Severity.INFO: "cyan"}


def lines(report: DiffReport) -> list[Line]:
    out: list[Line] = [("bold", f"procmap diff: {side_label(report.old.label)} -> "
                                f"{side_label(report.new.label)}")]
    for process in report.processes:
        if process.status != UNCHANGED:
            out += _process(process)
    if report.roles_edited:
        out += _roles(report)
    out += _findings(report.findings)
    out.append(("bold", _summary(report)))
    return out


def _roles(report: DiffReport) -> list[Line]:
    out: list[Line] = [("bold", _("roles:"))]
    out += [("green", "  + " + _("role {role}: capacity {capacity}, {hours}h/d").format(
        role=r.id, capacity=f"{r.capacity:g}", hours=f"{r.availability:g}"))
        for r in report.roles_added]
    out += [("red", "  - " + _("role {role}").format(role=r)) for r in
            (r.id for r in report.roles_removed)]
    out += [("yellow", "  ~ " + _("role {role}: {changes}").format(
        role=c.id, changes=_changes(c.changes))) for c in report.roles_changed]
    return out


def _findings(findings: FindingChanges) -> list[Line]:
    out: list[Line] = []
    for introduced, items in ((True, findings.introduced), (False, findings.resolved)):
        if items:
            title = _("findings introduced ({count}):") if introduced \
                else _("findings resolved ({count}):")
            out.append(("bold", title.format(count=len(items))))
            out += [(SEVERITY_STYLES[f.severity] if introduced else "dim",
                     f"  {format_line(f)}") for f in items]
    if findings.unchecked:
        count = len(findings.unchecked)
        out.append(("dim", ngettext(
            "{count} audit finding of the old version could not be checked: the new "
            "version was not analysed",
            "{count} audit findings of the old version could not be checked: the new "
            "version was not analysed", count).format(count=count)))
    if findings.severity_changed:
        out.append(("bold", _("findings whose severity changed ({count}):").format(
            count=len(findings.severity_changed))))
        out += [(SEVERITY_STYLES[c.new.severity], "  " + _("{finding} (was {severity})").format(
            finding=format_line(c.new), severity=severity_label(c.old.severity)))
                for c in findings.severity_changed]
    return out


def _summary(report: DiffReport) -> str:
    findings = report.findings
    introduced = severity_counts(findings.introduced)
    resolved = len(findings.resolved)
    unchanged = len(report.with_status(UNCHANGED))
    count = len(findings.introduced)
    return "procmap diff: " + _("{processes}{unchanged}; {introduced}{severities}, "
                                "{resolved} resolved").format(
        processes=headline(report.counts()),
        unchanged=_(" ({count} unchanged)").format(count=unchanged) if unchanged else "",
        introduced=ngettext("{count} finding introduced", "{count} findings introduced",
                            count).format(count=count),
        severities=f" ({introduced})" if introduced else "", resolved=resolved)


def _process(process: ProcessDiff) -> list[Line]:
    title = process.id if process.name == process.id else f"{process.id} ({process.name})"
    status = _(STATUS[process.status]) if process.status in STATUS else process.status
    out: list[Line] = [("bold", f"{title}: {status}")]
    if process.status in (ADDED, REMOVED):
        sign = "+" if process.status == ADDED else "-"
        steps = process.steps_added or process.steps_removed
        file = process.new_file or process.old_file
        out.append((STYLES[sign], f"  {sign} " + ngettext(
            "{count} step in {file}", "{count} steps in {file}", len(steps)).format(
            count=len(steps), file=file)))
    else:
        out += _edited(process)
    if not any(process.not_analysed):  # else every metric would read "n/a"
        out += [(_metric_style(m), f"  {metric_label(m)}: {metric_change(m)}")
                for m in process.changed_metrics]
    old_path, new_path = process.critical_path
    if old_path != new_path and new_path:
        out.append(("", "  " + _("critical path: {path}").format(path=" -> ".join(new_path))))
    for old, reason in zip((True, False), process.not_analysed, strict=True):
        if reason:
            text = _("the old version was {reason}") if old \
                else _("the new version was {reason}")
            out.append(("dim", "  " + text.format(reason=reason)))
    parts = costs(process)
    if parts:
        out.append(("bold", "  " + _("costs: {costs}").format(costs=_("; ").join(parts))))
    return out


def _edited(process: ProcessDiff) -> list[Line]:
    step, flow, role = _("step {what}"), _("transition {what}"), _("role {what}")
    out: list[Line] = [("yellow", f"  ~ {c.field}: {_value(c)}") for c in process.fields]
    out += [("green", "  + " + step.format(what=_step(s))) for s in process.steps_added]
    out += [("red", "  - " + step.format(what=_step(s))) for s in process.steps_removed]
    out += [("yellow", "  ~ " + step.format(what=f"{s.id}: {_changes(s.changes)}"))
            for s in process.steps_changed]
    out += [("green", "  + " + flow.format(what=_flow(f))) for f in process.flows_added]
    out += [("red", "  - " + flow.format(what=_flow(f))) for f in process.flows_removed]
    out += [("yellow", "  ~ " + flow.format(
        what=f"{c.source} -> {c.target}: {_changes(c.changes)}")) for c in process.flows_changed]
    out += [("green", "  + " + role.format(what=r)) for r in process.lanes_added]
    out += [("red", "  - " + role.format(what=r)) for r in process.lanes_removed]
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
    if step.role:
        return _("{step}: {kind} by {role}, wait {wait}, duration {duration}").format(
            step=f"{step.id}{name}", kind=_(KINDS.get(step.kind, step.kind)), role=step.role,
            wait=duration(step.wait), duration=duration(step.duration))
    return _("{step}: {kind}, wait {wait}, duration {duration}").format(
        step=f"{step.id}{name}", kind=_(KINDS.get(step.kind, step.kind)), wait=duration(step.wait),
        duration=duration(step.duration))


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
