"""What removing a finding's cause saves: the expected lead time of the model with the
cause minus the model without it (rules.md: "a finding's cost is what removing its cause
would save").

A cause is a set of `Change`s to one process:

- `("wait", step)`: the step's typed wait becomes 0 (no queue before it);
- `("work", step)`: its duration becomes 0 (for a subprocess: the call takes no time);
- `("loop", step, n)`: the step's `n`-th transition (a loop-back) is removed and its
  probability given to the step's other transitions in proportion to theirs;
- `("set-wait", step, seconds)`: the step's typed wait becomes `seconds` (the queue the
  load really gives, for `queue-underestimated`).

The saving is computed by analysing the changed process exactly like the original
(`procmap.analysis.metrics`), so parallel branches with slack save nothing, a rework loop
saves its real share, and no finding can claim more than the process takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procmap.analysis.metrics import ProcessAnalysis
    from procmap.model import Process, Step, Transition, Workspace

Change = tuple[str, str, int]


def wait(step: str) -> Change:
    return ("wait", step, -1)


def work(step: str) -> Change:
    return ("work", step, -1)


def time(step: str) -> frozenset[Change]:
    """Both the wait and the work of a step: the step takes no time."""
    return frozenset({wait(step), work(step)})


def loop_back(step: str, transition: int) -> Change:
    return ("loop", step, transition)


def set_wait(step: str, hours: float) -> Change:
    return ("set-wait", step, round(hours * 3600))


def changed_process(process: Process, changes: Iterable[Change]) -> Process:
    """A copy of `process` with `changes` applied (the original is not touched)."""
    by_step: dict[str, list[Change]] = {}
    for change in changes:
        by_step.setdefault(change[1], []).append(change)
    steps = [_changed_step(step, by_step[step.id]) if step.id in by_step else step
             for step in process.steps]
    changed = process.model_copy(update={"steps": steps})
    changed.__dict__.pop("step_index", None)  # a cached_property copied with the fields
    return changed


def _changed_step(step: Step, changes: list[Change]) -> Step:
    update: dict[str, Any] = {}
    dropped: set[int] = set()
    for kind, _, index in changes:
        if kind == "loop":
            dropped.add(index)
        elif kind in _FIELD_CHANGES:
            name, value = _FIELD_CHANGES[kind](index)
            update[name] = value
    if dropped:
        update["next"] = _kept_transitions(step, dropped)
    return step.model_copy(update=update)


#: change kind -> the field it sets and its value (from the change's index)
_FIELD_CHANGES: dict[str, Callable[[int], tuple[str, float]]] = {
    "wait": lambda _index: ("wait", 0.0),
    "work": lambda _index: ("duration", 0.0),
    "set-wait": lambda index: ("wait", index / 3600),
}


def _kept_transitions(step: Step, dropped: set[int]) -> list[Transition]:
    """The step's transitions but the dropped ones; given probabilities rescaled."""
    kept = [t for n, t in enumerate(step.next) if n not in dropped]
    given = [t.probability for t in kept if t.probability is not None]
    if kept and len(given) == len(kept) and sum(given) > 0:
        total = sum(given)
        kept = [t.model_copy(update={"probability": (t.probability or 0.0) / total})
                for t in kept]
    return kept


@dataclass(frozen=True)
class Saving:
    """What removing a cause saves per case: expected lead time, and work by role."""

    hours: float = 0.0
    effort_by_role: dict[str, float] = field(default_factory=dict)

    def money(self, costs: Mapping[str, float | None]) -> float | None:
        """The work saved, priced; None when a role whose work changes has no cost."""
        total = 0.0
        for role, hours in self.effort_by_role.items():
            if abs(hours) <= 1e-12:
                continue
            cost = costs.get(role)
            if cost is None:
                return None
            total += hours * cost
        return total


#: processes up to this many steps get exact what-if costs; above, the first-order
#: estimate (visits x the time removed, a loop's expected repetitions x its body), which
#: is exact without parallel steps: thousands of what-ifs on a generated 10,000-step
#: process would take minutes (docs/benchmarks.md)
EXACT_MAX_STEPS = 400


def _evaluate(analysis: ProcessAnalysis, changes: Iterable[Change],
              workspace: Workspace | None) -> tuple[float, dict[str, float]] | None:
    from procmap.analysis.metrics import evaluate_changes

    waits: dict[str, float] = {}
    durations: dict[str, float] = {}
    dropped: dict[str, set[int]] = {}
    for kind, step, index in changes:
        if kind == "wait":
            waits[step] = 0.0
        elif kind == "set-wait":
            waits[step] = index / 3600
        elif kind == "work":
            durations[step] = 0.0
        elif kind == "loop":
            dropped.setdefault(step, set()).add(index)
    return evaluate_changes(analysis, waits, durations, dropped, workspace)


def _estimate(analysis: ProcessAnalysis, changes: frozenset[Change]) -> Saving:
    """First-order saving for large processes (see EXACT_MAX_STEPS)."""
    metrics = analysis.metrics
    assert metrics is not None
    steps = analysis.entry.process.step_index
    hours = 0.0
    effort: dict[str, float] = {}
    for kind, step_id, index in changes:
        visits = metrics.visits.get(step_id, 0.0)
        step = steps.get(step_id)
        if step is None:
            continue
        if kind == "wait":
            hours += visits * step.wait
        elif kind == "set-wait":
            hours += visits * (step.wait - index / 3600)
        elif kind == "work":
            duration = metrics.step_duration.get(step_id, 0.0)
            hours += visits * duration
            if step.role is not None:
                effort[step.role] = effort.get(step.role, 0.0) + visits * step.duration
        elif kind == "loop":
            hours += sum(loop.cost_hours for loop in metrics.loops
                         if loop.source == step_id and loop.transition == index)
    return Saving(hours, effort)


def saving(analysis: ProcessAnalysis, changes: Iterable[Change],
           workspace: Workspace | None = None) -> Saving:
    """What `changes` save per case (never a negative lead time; use `lead_time_change`
    for changes that add time)."""
    metrics = analysis.metrics
    changes = frozenset(changes)
    if metrics is None or not changes:
        return Saving()
    cache = analysis.savings
    if changes in cache:
        return cache[changes]
    if metrics.steps > EXACT_MAX_STEPS:
        cache[changes] = _estimate(analysis, changes)
        return cache[changes]
    after = _evaluate(analysis, changes, workspace)
    if after is None:
        cache[changes] = Saving()
    else:
        lead_time, effort_after = after
        effort = {role: hours - effort_after.get(role, 0.0)
                  for role, hours in metrics.effort_by_role.items()}
        # rounded: a difference of two solved systems carries float noise (49.5m
        # must not print as 49m)
        hours = round(metrics.expected_lead_time_hours - lead_time, 9)
        cache[changes] = Saving(max(0.0, hours), effort)
    return cache[changes]


def lead_time_change(analysis: ProcessAnalysis, changes: Iterable[Change],
                     workspace: Workspace | None = None) -> float:
    """Hours the expected lead time grows (> 0) or shrinks (< 0) with `changes`."""
    metrics = analysis.metrics
    if metrics is None:
        return 0.0
    changes = frozenset(changes)
    if metrics.steps > EXACT_MAX_STEPS:
        return -_estimate(analysis, changes).hours
    after = _evaluate(analysis, changes, workspace)
    if after is None:
        return 0.0
    return round(after[0] - metrics.expected_lead_time_hours, 9)
