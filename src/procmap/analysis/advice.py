"""Advice that does not contradict itself (rules.md: "no finding may recommend a change
that another rule would then flag").

A finding that advises a concrete change to the model carries it as a `Suggestion`
(`Finding.suggestion`). Before a rule gives such advice it asks `raises(ctx, suggestion,
rule)`: the suggestion is applied to a copy of the workspace, every audit rule runs on
the copy, and the findings that are new (by rule, process, step and role) are returned.
A suggestion that would raise one is not given; the rule says something else instead.
The same `apply` lets tests apply every suggestion to the examples and check that no
other rule then fires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procmap.analysis.audit import AuditContext
    from procmap.analysis.metrics import ProcessAnalysis
    from procmap.config import Config
    from procmap.findings import Finding
    from procmap.model import Workspace

Key = tuple[str, str | None, str | None, str | None]


@dataclass(frozen=True)
class Suggestion:
    """A change to one step (`process` and `step`) or to one role's definition (`role`):
    field name -> new value."""

    changes: tuple[tuple[str, Any], ...]
    process: str | None = None
    step: str | None = None
    role: str | None = None


def apply(workspace: Workspace, suggestion: Suggestion) -> Workspace:
    """A copy of `workspace` with `suggestion` applied (the original is untouched)."""
    from procmap.model import ProcessEntry

    update = dict(suggestion.changes)
    processes = []
    for entry in workspace.processes:
        process = entry.process
        if suggestion.step is not None and process.id == suggestion.process:
            steps = [s.model_copy(update=update) if s.id == suggestion.step else s
                     for s in process.steps]
            process = process.model_copy(update={"steps": steps})
            process.__dict__.pop("step_index", None)
        elif suggestion.role is not None and any(r.id == suggestion.role
                                                 for r in process.roles):
            roles = [r.model_copy(update=update) if r.id == suggestion.role else r
                     for r in process.roles]
            process = process.model_copy(update={"roles": roles})
        processes.append(ProcessEntry(process, entry.doc) if process is not entry.process
                         else entry)

    def role_entries(entries: list[Any]) -> list[Any]:
        return [replace(e, role=e.role.model_copy(update=update))
                if suggestion.role is not None and e.role.id == suggestion.role else e
                for e in entries]

    return replace(workspace, processes=processes,
                   role_definitions=role_entries(workspace.role_definitions),
                   project_roles=role_entries(workspace.project_roles))


#: fields whose change leaves every step's time, and so every what-if saving, unchanged
_TIMELESS = frozenset({"role", "capacity"})


def audit_findings(workspace: Workspace, config: Config, selected: set[str] | None = None,
                   known: Mapping[str, ProcessAnalysis] | None = None,
                   changed: str | None = None) -> list[Finding]:
    """The audit rules' findings on `workspace`, without advice checks (for comparing).
    `known`: analyses whose what-if savings still hold, except for process `changed`."""
    from procmap.analysis.audit import AuditContext
    from procmap.analysis.metrics import analyse_processes
    from procmap.analysis.rules import audit_rules
    from procmap.pipeline import configure, run_rule

    everything = analyse_processes(workspace, workspace.processes)
    for analysis in everything:  # what-if savings are costly: reuse those still valid
        if known and analysis.id in known and analysis.id != changed:
            analysis.savings = known[analysis.id].savings
    processes = [a for a in everything if selected is None or a.id in selected]
    context = AuditContext(workspace, config, processes, [a.entry for a in processes],
                           everything=everything)
    context.advising = True
    found: list[Finding] = []
    for module in audit_rules("audit"):
        if config.severity(module.rule.id, module.rule.severity) is not None:
            found.extend(run_rule(module, context))
    return configure(found, workspace, config)


def key(finding: Finding) -> Key:
    return (finding.rule, finding.process, finding.step, finding.role)


#: above this many steps in the invocation a suggestion is not checked (each check is a
#: whole audit) and so not given: the findings give their advice in words only
CHECK_MAX_STEPS = 400


def conflicts(ctx: AuditContext, suggestion: Suggestion, rule: str) -> bool:
    """True when following `suggestion` would raise a finding of another rule, or when
    the invocation is too large to check it (then it is not given either)."""
    if ctx.advising:
        return False
    if sum(len(e.process.steps) for e in ctx.workspace.processes) > CHECK_MAX_STEPS:
        return True
    return bool(raises(ctx, suggestion, rule))


def raises(ctx: AuditContext, suggestion: Suggestion, rule: str) -> list[Finding]:
    """Findings of rules other than `rule` that following `suggestion` would raise."""
    if ctx.advising:
        return []
    selected = {a.id for a in ctx.all}
    baseline = ctx.advice_baseline
    if baseline is None:
        baseline = {key(f) for f in audit_findings(ctx.workspace, ctx.config, selected,
                                                   {a.id: a for a in ctx.everything})}
        ctx.advice_baseline = baseline
    known = {a.id: a for a in ctx.everything}
    timeless = {name for name, _ in suggestion.changes} <= _TIMELESS
    after = audit_findings(apply(ctx.workspace, suggestion), ctx.config, selected, known,
                           None if timeless else suggestion.process)
    return [f for f in after if f.rule != rule and key(f) not in baseline]
