"""A reference names nothing: `next`/`to`, `role`, `owner`, `accountable`, `consulted`,
`informed`, `reports_to` or `process`.

References are checked across every file of the invocation: roles may come from a role
catalog, subprocesses from other process files. Validate the whole repository
(`procmap validate .`) so the catalog is included. Each finding suggests the closest
existing id.

Failing:

    - {id: triage, role: cs-agnet, next: resolv}

Passing:

    - {id: triage, role: cs-agent, next: resolve}
"""

import difflib
from collections.abc import Iterable, Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import N_, _
from procmap.model import Kind, Process
from procmap.rules.base import Path, Rule, ValidateContext

RULE = Rule("unknown-reference", Severity.ERROR, "a reference names nothing")


_NAMES = {"role": N_("`{field}` names a role '{name}' that does not exist: {hint}{fix}"),
          "step": N_("`{field}` names a step '{name}' that does not exist: {hint}{fix}"),
          "process": N_("`{field}` names a process '{name}' that does not exist: "
                        "{hint}{fix}")}


def _message(what: str, name: str, field: str, candidates: Iterable[str], fix: str) -> str:
    guess = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    hint = _("did you mean '{name}'? ").format(name=guess[0]) if guess else ""
    return _(_NAMES[what]).format(field=field, name=name, hint=hint, fix=fix)


def _role_references(process: Process) -> Iterator[tuple[Path, str, str, str | None]]:
    """(YAML path, role id, field, step id) of every role a process names."""
    if process.owner:
        yield ("owner",), process.owner, "owner", None
    for index, step in enumerate(process.steps):
        base: Path = ("steps", index)
        if step.role:
            yield (*base, "role"), step.role, "role", step.id
        if step.accountable:
            yield (*base, "accountable"), step.accountable, "accountable", step.id
        for field in ("consulted", "informed"):
            for position, role in enumerate(getattr(step, field)):
                yield (*base, field, position), role, field, step.id


def check(ctx: ValidateContext) -> Iterator[Finding]:
    roles = ctx.workspace.roles
    role_fix = _("define it under `roles` (here or in a role catalog) or fix the id")
    process_ids = {entry.process.id for entry in ctx.processes}
    for entry in ctx.processes:
        process = entry.process
        steps = process.step_index

        for path, name, field, step_id in _role_references(process):
            if name not in roles:
                yield ctx.report(RULE, entry.doc, path,
                                 _message("role", name, field, roles, role_fix),
                                 process=process.id, step=step_id, role=name)
        for index, step in enumerate(process.steps):
            for position, transition in enumerate(step.next):
                if transition.to not in steps:
                    yield ctx.at_step(RULE, entry, step.id, _message(
                        "step", transition.to, "next", steps,
                        _("point it at a step of this process")), "next", position, "to")
            if step.kind is Kind.SUBPROCESS and step.process and step.process not in process_ids:
                yield ctx.report(RULE, entry.doc, ("steps", index, "process"), _message(
                    "process", step.process, "process", process_ids,
                    _("validate the called process's file together with this one "
                      "(e.g. `procmap validate .`) or fix the id")),
                    process=process.id, step=step.id)
    for definition in ctx.workspace.role_definitions:
        boss = definition.role.reports_to
        if boss and boss not in roles:
            yield ctx.report(RULE, definition.doc, (*definition.path, "reports_to"),
                             _message("role", boss, "reports_to", roles, role_fix),
                             role=definition.role.id)
