"""What-if changes: `--set PATH=VALUE` and `--scenario FILE.yaml`.

A path names a role, process or step field: `roles.<role>.<field>`,
`processes.<process>.<field>`, `steps.<process>.<step>.<field>`. Values are read as
YAML scalars and checked by the field's own type (a bad value is a one-line error).
A scenario file is `{name: ..., set: {path: value, ...}}`, or `{scenarios: [...]}` of such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procmap.errors import ProcmapError
from procmap.i18n import _

#: the largest scenario file read (a few changes; anything bigger is the wrong file)
MAX_SCENARIO_BYTES = 1_000_000


class ScenarioError(ProcmapError):
    """A --set or --scenario that cannot be applied."""


@dataclass
class Change:
    kind: str  # roles | processes | steps
    owner: str  # role id, process id
    step: str | None
    field: str
    value: Any
    text: str  # as written, for messages


@dataclass
class Scenario:
    name: str
    changes: list[Change] = field(default_factory=list)


def parse_set(text: str, processes: dict[str, Any], roles: dict[str, Any]) -> Change:
    """`roles.tech-support.capacity=6` -> a Change (ids may contain dots)."""
    import yaml

    path, equals, raw = text.partition("=")
    if not equals or not path.strip():
        raise ScenarioError(_("--set '{text}': write PATH=VALUE, e.g. "
                              "roles.tech-support.capacity=6").format(text=text[:80]))
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        value = raw.strip()
    return make_change(path.strip(), value, processes, roles)


def make_change(path: str, value: Any, processes: dict[str, Any], roles: dict[str, Any]
                ) -> Change:
    kind, _dot, rest = path.partition(".")
    owner, _dot, name = rest.rpartition(".")
    if kind == "roles" and owner in roles:
        return Change(kind, owner, None, name, value, path)
    if kind == "processes" and owner in processes:
        return Change(kind, owner, None, name, value, path)
    if kind == "steps":
        for process_id, process in processes.items():
            prefix = process_id + "."
            if owner.startswith(prefix) and process.step(owner[len(prefix):]) is not None:
                return Change(kind, process_id, owner[len(prefix):], name, value, path)
    known = {"roles": sorted(roles), "processes": sorted(processes)}.get(kind)
    if known is None and kind != "steps":
        raise ScenarioError(_("'{path}': a path starts with roles., processes. or steps. "
                              "(e.g. roles.tech-support.capacity)").format(path=path[:80]))
    raise ScenarioError(_("'{path}' names no {kind} of the files given{known}").format(
        path=path[:80], kind=kind,
        known=f" ({', '.join(known[:12])})" if known else ""))


def read_scenarios(path: str, processes: dict[str, Any], roles: dict[str, Any]
                   ) -> list[Scenario]:
    import os

    import yaml

    try:
        if os.path.getsize(path) > MAX_SCENARIO_BYTES:
            raise ScenarioError(_("the scenario file {path} is too large").format(path=path))
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError(_("cannot read the scenario file {path}: {why}").format(
            path=path, why=" ".join(str(exc).split())[:200])) from None
    items = data.get("scenarios") if isinstance(data, dict) and "scenarios" in data \
        else [data]
    if not isinstance(items, list) or not items:
        raise ScenarioError(_("{path}: a scenario is a mapping with `name` and `set`")
                            .format(path=path))
    result = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("set"), dict):
            raise ScenarioError(_("{path}: a scenario is a mapping with `name` and `set` "
                                  "(a mapping of PATH: VALUE)").format(path=path))
        name = str(item.get("name") or f"{os.path.basename(path)} {number}")
        result.append(Scenario(name, [make_change(str(k), v, processes, roles)
                                      for k, v in item["set"].items()]))
    return result


def apply(changes: list[Change], processes: dict[str, Any], roles: dict[str, Any]
          ) -> tuple[dict[str, Any], dict[str, Any]]:
    """New (processes, roles) maps with the changes applied (the inputs are unchanged)."""
    processes = dict(processes)
    roles = dict(roles)
    for change in changes:
        if change.kind == "roles":
            roles[change.owner] = _updated(roles[change.owner], change)
        elif change.kind == "processes":
            processes[change.owner] = _updated(processes[change.owner], change)
        else:
            process = processes[change.owner]
            steps = [_updated(s, change) if s.id == change.step else s for s in process.steps]
            processes[change.owner] = process.model_copy(update={"steps": steps})
            processes[change.owner].__dict__.pop("step_index", None)
    return processes, roles


def _updated(obj: Any, change: Change) -> Any:
    from typing import Annotated

    from pydantic import TypeAdapter, ValidationError

    info = type(obj).model_fields.get(change.field)
    if info is None or change.field in ("id", "steps", "roles", "next", "procmap"):
        fields = sorted(k for k in type(obj).model_fields
                        if k not in ("id", "steps", "roles", "next", "procmap", "extensions"))
        raise ScenarioError(_("'{path}': no field '{field}' to change (fields: {fields})")
                            .format(path=change.text[:80], field=change.field[:40],
                                    fields=", ".join(fields)))
    annotation: Any = Annotated.__class_getitem__(  # type: ignore[attr-defined]
        (info.annotation, *info.metadata)) if info.metadata else info.annotation
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    try:
        value = adapter.validate_python(change.value)
    except ValidationError as exc:
        problem = exc.errors()[0].get("msg", "invalid value")
        raise ScenarioError(_("'{path}={value}': {problem}").format(
            path=change.text[:80], value=str(change.value)[:40], problem=problem)) from None
    updated = obj.model_copy(update={change.field: value})
    updated.__dict__.pop("step_index", None)
    fields_set = set(obj.model_fields_set) | {change.field}
    object.__setattr__(updated, "__pydantic_fields_set__", fields_set)
    return updated
