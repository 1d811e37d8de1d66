"""Wording shared by the diff formats: values, metric changes, and what a change costs.

Numbers are shown the same way everywhere: hours with 2 decimals (`21.41 h`), changes
with their sign (`+1.28 h`), relative changes with one decimal (`+6.0%`), ratios
(flow efficiency, utilization) as percentages with changes in percentage points.
"""

from __future__ import annotations

from collections.abc import Sized
from typing import Any

from procmap.diff.model import ADDED, AFFECTED, CHANGED, REMOVED, MetricChange, ProcessDiff
from procmap.findings import Finding, Severity
from procmap.i18n import N_, _, ngettext
from procmap.text.units import day_duration

duration = day_duration  # a value as a person writes it: procmap.text.units
HOURS_FIELDS = frozenset({"duration", "wait", "sla", "deadline"})
NONE = "none"
NOT_ANALYSED = "n/a"  # a metric the audit has no value for on one side


def value(field: str, data: Any) -> str:
    """A field's value as a person writes it in a process file."""
    if data is None:
        return NONE
    if isinstance(data, bool):
        return str(data).lower()
    if isinstance(data, list):
        return ", ".join(str(v) for v in data) if data else NONE
    if isinstance(data, dict) and {"median", "p90", "mean"} <= set(data):
        return _("{{median: {median}, p90: {p90}}} (mean {mean})").format(
            median=duration(data["median"]), p90=duration(data["p90"]),
            mean=f"{data['mean']:.2f}h")
    if isinstance(data, (float, int)):
        if field in HOURS_FIELDS:
            return duration(float(data))
        if field == "demand":
            return f"{data:g}/d"
        if field == "availability":
            return f"{data:g}h/d"
        return f"{data:g}"
    return str(data)


def metric_value(metric: MetricChange, data: float | None) -> str:
    if data is None:
        return NOT_ANALYSED
    if metric.unit == "hours":
        return f"{data:.2f} h"
    if metric.unit == "ratio":
        return f"{data * 100:.1f}%"
    if metric.metric == "steps":
        return f"{data:g}"
    return f"{data:.2f}"


def signed_delta(metric: MetricChange) -> str | None:
    """`+1.28 h`, `-0.5 pp`, `+1`; None when a side has no value."""
    delta = metric.delta
    if delta is None:
        return None
    if metric.unit == "hours":
        return f"{delta:+.2f} h"
    if metric.unit == "ratio":
        return f"{delta * 100:+.2f} pp"
    if metric.metric == "steps":
        return f"{delta:+g}"
    return f"{delta:+.2f}"


def metric_delta(metric: MetricChange, separator: str = " ") -> str:
    """`+1.28 h (+6.0%)` (or with separator ", ": `+1.28 h, +6.0%`); `new` or `gone`
    when a side has no value."""
    text = signed_delta(metric)
    if text is None:
        return _("new") if metric.old is None else _("gone")
    percent = metric.percent
    if percent is None:
        return text
    return f"{text}, {percent:+.1f}%" if separator == ", " else f"{text} ({percent:+.1f}%)"


def metric_change(metric: MetricChange, arrow: str = "->") -> str:
    """`21.41 h -> 22.70 h (+1.28 h, +6.0%)`."""
    old, new = metric_value(metric, metric.old), metric_value(metric, metric.new)
    if metric.delta is None:
        return f"{old} {arrow} {new}"
    return f"{old} {arrow} {new} ({metric_delta(metric, ', ')})"


def _changed(process: ProcessDiff, key: str) -> tuple[MetricChange, float] | None:
    """A metric that changed, with its delta; None when it did not."""
    metric = process.metric(key)
    if metric is None or not metric.changed or metric.delta is None:
        return None
    return metric, metric.delta


#: what a change does, in words: (more, less) for each kind of cost
_COSTS = {
    "effort": (N_("{hours} h more work per case{percent}"),
               N_("{hours} h less work per case{percent}")),
    "effort-day": (N_(", {hours} h more work per day at {demand} cases/day"),
                   N_(", {hours} h less work per day at {demand} cases/day")),
    "expected_lead_time_hours": (N_("each case takes {hours} h longer on average{percent}"),
                                 N_("each case takes {hours} h less on average{percent}")),
    "worst_lead_time_hours": (N_("the worst case {hours} h longer{percent}"),
                              N_("the worst case {hours} h less{percent}")),
    "approvals": (N_("{count} more approvals per case{percent}"),
                  N_("{count} fewer approvals per case{percent}")),
    "handoffs": (N_("{count} more handoffs per case{percent}"),
                 N_("{count} fewer handoffs per case{percent}")),
}


def _said(kind: str, delta: float) -> str:
    more, less = _COSTS[kind]
    return _(more if delta > 0 else less)


def _effort_cost(process: ProcessDiff) -> str | None:
    changed = _changed(process, "effort_hours")
    if changed is None:
        return None
    effort, delta = changed
    text = _said("effort", delta).format(hours=f"{abs(delta):.2f}",
                                         percent=_percent(effort))
    if process.demand_per_day:
        text += _said("effort-day", delta).format(
            hours=f"{abs(delta) * process.demand_per_day:.1f}",
            demand=f"{process.demand_per_day:g}")
    return text


def costs(process: ProcessDiff) -> list[str]:
    """What the change does to each case, in words, most important first."""
    parts: list[str | None] = []
    for key in ("expected_lead_time_hours", "worst_lead_time_hours"):
        if (lead := _changed(process, key)) is not None:
            parts.append(_said(key, lead[1]).format(hours=f"{abs(lead[1]):.2f}",
                                                    percent=_percent(lead[0])))
    parts.append(_effort_cost(process))
    for key in ("approvals", "handoffs"):
        if (count := _changed(process, key)) is not None:
            parts.append(_said(key, count[1]).format(count=f"{abs(count[1]):.2f}",
                                                     percent=_percent(count[0])))
    return [part for part in parts if part is not None]


def metric_label(metric: MetricChange) -> str:
    """The name of a metric in the interface language."""
    if metric.metric.startswith("utilization."):
        return _("utilization of {role}").format(role=metric.metric.partition(".")[2])
    return _(metric.label)


def _percent(metric: MetricChange) -> str:
    return "" if metric.percent is None else f" ({metric.percent:+.1f}%)"


def severity_counts(findings: tuple[Finding, ...] | list[Finding]) -> str:
    """`3 warnings, 1 info` (worst first; empty when there are none)."""
    from procmap.report.text import severity_count

    parts = []
    for severity in sorted(Severity, reverse=True):
        count = sum(1 for f in findings if f.severity is severity)
        if count:
            parts.append(severity_count(severity.label, count))
    return _(", ").join(parts)


_FIRST = {"added": N_("{what} added"), "removed": N_("{what} removed"),
          "changed": N_("{what} changed"), "affected": N_("{what} affected")}
_THEN = {"added": N_("{count} added"), "removed": N_("{count} removed"),
         "changed": N_("{count} changed"), "affected": N_("{count} affected")}


def _things(noun: str, count: int) -> str:
    if noun == "step":
        return ngettext("{count} step", "{count} steps", count).format(count=count)
    if noun == "transition":
        return ngettext("{count} transition", "{count} transitions", count).format(count=count)
    if noun == "role":
        return ngettext("{count} role", "{count} roles", count).format(count=count)
    return ngettext("{count} process", "{count} processes", count).format(count=count)


def _edits(noun: str, added: Sized, removed: Sized, changed: Sized) -> str | None:
    """`3 transitions added, 1 removed`, or None when nothing of the kind was edited."""
    counts = [(len(added), "added"), (len(removed), "removed"), (len(changed), "changed")]
    shown = [(n, word) for n, word in counts if n]
    if not shown:
        return None
    first_n, first_word = shown[0]
    words = [_(_FIRST[first_word]).format(what=_things(noun, first_n))]
    words += [_(_THEN[word]).format(count=n) for n, word in shown[1:]]
    return _(", ").join(words)


def structure_summary(process: ProcessDiff) -> str:
    """`1 step added, 3 transitions added, 1 removed`: what was edited, in short."""
    kinds: list[tuple[str, Sized, Sized, Sized]] = [
        ("step", process.steps_added, process.steps_removed, process.steps_changed)]
    if process.status not in (ADDED, REMOVED):
        kinds += [("transition", process.flows_added, process.flows_removed,
                   process.flows_changed),
                  ("role", process.lanes_added, process.lanes_removed, ())]
    parts = [text for kind in kinds if (text := _edits(*kind)) is not None]
    if any(c.field == "file" for c in process.fields):
        parts.append(_("moved to another file"))
    others = [c.field for c in process.fields if c.field != "file"]
    if others:
        parts.append(_("{fields} changed").format(fields=", ".join(others)))
    if not parts and process.status == AFFECTED:
        parts.append(_("not edited; metrics or findings moved (roles or a called process "
                       "changed)"))
    return _("; ").join(parts)


def headline(counts: dict[str, int]) -> str:
    """`1 process changed, 1 added`."""
    parts: list[str] = []
    for status in (CHANGED, ADDED, REMOVED, AFFECTED):
        n = counts.get(status, 0)
        if n:
            parts.append(_(_FIRST[status]).format(what=_things("process", n)) if not parts
                         else _(_THEN[status]).format(count=n))
    return _(", ").join(parts) if parts else _("no process changed")


def location(finding: Finding) -> str:
    return f"{finding.file}:{finding.line}" if finding.line else finding.file


#: step kinds (`kind:` values) as the report shows them
KINDS = {"start": N_("start"), "end": N_("end"), "task": N_("task"),
         "approval": N_("approval"), "decision": N_("decision"), "parallel": N_("parallel"),
         "subprocess": N_("subprocess"), "wait": N_("wait")}

#: how the report names a process's status
STATUS = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed"),
          "affected": N_("affected"), "unchanged": N_("unchanged")}


def side_label(label: str) -> str:
    """How a report names one side of the diff: a revision, a path, the working tree."""
    from procmap.diff.sources import WORKTREE

    return _("working tree") if label == WORKTREE else label
