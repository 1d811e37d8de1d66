"""`Model` -> format-1 data and readable YAML text.

Ids: procmap's own exports keep their ids. Otherwise an id is made from the name: an
ASCII name becomes a lowercase slug (``Task 1`` -> ``task-1``); a name with other
characters keeps its Unicode letters and digits, lowercased (``客服 专员`` -> ``客服-专员``,
``Rechnung klären`` -> ``rechnung-klären``); ids are
unique (``-2``, ``-3``...) and at most 64 characters. Steps procmap adds are named after
the step they follow (``register-split``) or what they are (``start``, ``end``).
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from procmap.bpmn.ir import UNSUPPORTED, Model, Node, Process, Role
from procmap.findings import Finding
from procmap.i18n import _

_STEP_ORDER = ("id", "name", "kind", "role", "of", "process", "wait", "duration", "sla",
               "deadline", "accountable", "consulted", "informed", "system", "activity",
               "inputs", "outputs", "instructions", "description")
_ROLE_ORDER = ("id", "name", "capacity", "availability", "calendar", "timezone", "cost",
               "reports_to", "description")
_PROCESS_ORDER = ("procmap", "id", "name", "description", "purpose", "scope", "owner",
                  "version", "sla", "demand", "tags")
_MAX_ID = 64
_EVENTS_AND_GATEWAYS = frozenset({"start", "end", "decision", "parallel"})


def slug(text: str) -> str:
    """A format-1 id made from a name ('' when nothing usable is left)."""
    if text.isascii():
        value = re.sub(r"[^a-z0-9_.]+", "-", text.lower())
    else:
        value = re.sub(r"[^\w.]+", "-", text.lower())
    value = re.sub(r"-{2,}", "-", value).strip("-._")
    return value[: _MAX_ID - 4].rstrip("-._")


_VALID_ID = re.compile(r"[^\W_][\w.-]{0,63}")


def valid_id(text: str) -> bool:
    """True if `text` is a format-1 id (and so a safe file name: no separators, no
    leading dot)."""
    return _VALID_ID.fullmatch(text) is not None


def safe_id(text: str, fallback: str) -> str:
    """An id read from a file is data: kept when it is a valid format-1 id, else slugged
    (``../../x`` -> ``x``), else `fallback`."""
    if valid_id(text):
        return text
    return re.sub(r"-*\.{2,}-*", "-", slug(text)).strip("-._") or fallback


def unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: _MAX_ID - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


@dataclass
class ImportedProcess:
    data: dict[str, Any]  # format-1 process, roles not included
    roles: list[str]  # ids of the roles it uses, in role order
    source: str  # how the header comment names the BPMN process
    restored: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.data["id"])


@dataclass
class ImportResult:
    """What one BPMN file becomes: processes, the roles they use, and findings."""

    path: str
    processes: list[ImportedProcess]
    roles: dict[str, dict[str, Any]]  # role id -> format-1 role, in lane order
    findings: list[Finding]

    def files(self) -> list[tuple[str, str]]:
        """(file name, YAML text) pairs. One process: one file with its roles inline.
        Several: one file per process, and the roles they share in `<FILE>-roles.yaml`."""
        source = os.path.basename(self.path)
        if len(self.processes) == 1:
            process = self.processes[0]
            data = dict(process.data)
            roles = [self.roles[r] for r in process.roles]
            return [(file_name(process.id), _process_text(data, roles, process, source))]
        catalog_name = file_name(f"{os.path.splitext(source)[0]}-roles")
        files = [(file_name(p.id), _process_text(dict(p.data), [], p, source))
                 for p in self.processes]
        if self.roles:
            files.insert(0, (catalog_name, _catalog_text(list(self.roles.values()), source)))
        return files


def file_name(stem: str) -> str:
    """``<stem>.yaml`` for a name that came from a file: only a format-1 id is kept as
    it is, anything else is slugged, so that no name holds a separator or ``..``."""
    return f"{safe_id(stem, 'process')}.yaml"


def build(model: Model) -> ImportResult:
    processes = [p for p in model.processes if p.nodes]
    _report_empty(model)
    _process_ids(processes)
    role_ids = _role_ids(model)
    step_ids: dict[str, dict[str, str]] = {p.key: _step_ids(p) for p in processes}
    by_key = {p.key: p for p in processes}
    imported = []
    used_roles: set[str] = set()
    by_id = {role_ids[k]: r for k, r in model.roles.items()}
    rank = {role_ids[k]: i for i, k in enumerate(model.roles)}
    for process in processes:
        item = _import_process(process, step_ids[process.key], role_ids, by_key, by_id, rank)
        used_roles.update(item.roles)
        imported.append(item)
    roles = {role_ids[k]: _role_data(role_ids[k], r.name, r.data)
             for k, r in model.roles.items() if role_ids[k] in used_roles}
    findings = _remap(model.findings, processes, step_ids)
    _hand_out_findings(imported, findings)
    return ImportResult(model.path, imported, roles, findings)


def _report_empty(model: Model) -> None:
    for process in model.processes:
        if not process.nodes:
            model.report(UNSUPPORTED, process.line, 1, _(
                "process '{name}' ({id}) has no flow elements: it is left out").format(
                    name=process.name, id=process.bpmn_id), bpmn_id=process.bpmn_id)


def _import_process(process: Process, ids: dict[str, str], role_ids: dict[str, str],
                    by_key: dict[str, Process], by_id: dict[str, Role],
                    rank: dict[str, int]) -> ImportedProcess:
    """One process's format-1 data, with the roles it needs defined."""
    order = list(process.nodes.values()) if process.restored else _flow_order(process)
    steps = [_step(n, ids, role_ids, by_key) for n in order]
    _drop_inferable_roles(steps, {ids[n.key] for n in process.nodes.values()
                                  if not n.restored and n.kind in _EVENTS_AND_GATEWAYS})
    data = _process_data(process, steps)
    uses = _roles_used(data, process, by_id, role_ids, rank)
    return ImportedProcess(data, uses, _source(process), process.restored)


def _hand_out_findings(imported: list[ImportedProcess], findings: list[Finding]) -> None:
    """Each process gets its own findings and the general ones, in file order."""
    by_process: dict[str | None, list[Finding]] = {}
    for finding in findings:
        by_process.setdefault(finding.process, []).append(finding)
    general = by_process.get(None, [])
    for item in imported:  # grouped first: linear in processes x findings
        item.findings = sorted([*general, *by_process.get(item.id, [])],
                               key=lambda f: (f.line, f.column, f.rule))


def _source(process: Process) -> str:
    if process.parent:
        return f"the expanded sub-process '{process.name}' ({process.bpmn_id})"
    return f"the process '{process.name}' ({process.bpmn_id})"


def _process_ids(processes: list[Process]) -> None:
    taken: set[str] = set()
    for process in processes:
        if process.restored and process.data.get("id"):
            process.id = unique(safe_id(str(process.data["id"]), "process"), taken)
    for process in processes:
        if not process.id:
            base = slug(process.name) or slug(process.bpmn_id or "") or "process"
            process.id = unique(base, taken)


def _role_ids(model: Model) -> dict[str, str]:
    taken: set[str] = set()
    ids: dict[str, str] = {}
    for key, role in model.roles.items():
        if role.restored:
            ids[key] = unique(safe_id(key.removeprefix("id:"), "role"), taken)
    for key, role in model.roles.items():
        if key not in ids:
            ids[key] = unique(slug(role.name or "") or "role", taken)
    return ids


def _step_ids(process: Process) -> dict[str, str]:
    taken: set[str] = set()
    ids: dict[str, str] = {}
    nodes = list(process.nodes.values())
    _stored_step_ids(nodes, ids, taken)
    _named_step_ids(nodes, ids, taken)
    _derived_step_ids(nodes, ids, taken)
    return ids


def _stored_step_ids(nodes: list[Node], ids: dict[str, str], taken: set[str]) -> None:
    """procmap's own exports keep their ids first."""
    for node in nodes:
        if node.restored and node.data.get("id"):
            ids[node.key] = unique(safe_id(str(node.data["id"]), node.kind), taken)


def _named_step_ids(nodes: list[Node], ids: dict[str, str], taken: set[str]) -> None:
    """Ids from the name, a readable BPMN id, or what the step is."""
    for node in nodes:
        if node.key not in ids and node.id_from is None:
            base = (slug(node.name or "") or _readable(node.bpmn_id) or slug(node.id_base or "")
                    or node.kind)
            ids[node.key] = unique(base, taken)


def _derived_step_ids(nodes: list[Node], ids: dict[str, str], taken: set[str]) -> None:
    """Steps procmap added are named after the step they follow."""
    for node in nodes:
        if node.key not in ids:
            parent = ids.get(node.id_from or "", node.kind)
            base = f"{parent[: _MAX_ID - 12]}-{node.id_base or node.kind}"
            ids[node.key] = unique(base, taken)


def _readable(bpmn_id: str | None) -> str:
    """A BPMN id worth keeping as the procmap id of an unnamed element ('fork',
    'StartEvent_1'); generated ones ('sid-F0D29912-...', '_6fed62c8-...') are not."""
    if not bpmn_id or len(bpmn_id) > 32 or re.search(r"[0-9a-f]{8}", bpmn_id.lower()):
        return ""
    return slug(bpmn_id)


def _flow_order(process: Process) -> list[Node]:
    """Steps in reading order: a depth-first reverse postorder from the start, so each
    step comes after the steps leading to it (loops aside), first branches first."""
    nodes = process.nodes
    starts = [k for k, n in nodes.items() if n.kind == "start"]
    order: list[str] = []
    seen: set[str] = set()
    for root in [*starts, *nodes]:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(reversed([f.target for f in nodes[root].next])))]
        while stack:
            key, children = stack[-1]
            child = next(children, None)
            if child is None:
                order.append(key)
                stack.pop()
            elif child in nodes and child not in seen:
                seen.add(child)
                stack.append((child, iter(reversed([f.target for f in nodes[child].next]))))
    return [nodes[k] for k in reversed(order)]


def _step(node: Node, ids: dict[str, str], role_ids: dict[str, str],
          processes: dict[str, Process]) -> dict[str, Any]:
    step: dict[str, Any] = {"id": ids[node.key]}
    if node.name and (node.name != step["id"] or node.restored):
        step["name"] = node.name
    if node.kind != "task":
        step["kind"] = node.kind
    data = dict(node.data)
    data.pop("id", None)
    if not node.restored:
        _add_bpmn_links(node, step, data, role_ids, processes)
    if node.description:
        data["description"] = node.description
    step.update(_ordered(data, _STEP_ORDER))
    _add_next(node, step, ids)
    return step


def _add_bpmn_links(node: Node, step: dict[str, Any], data: dict[str, Any],
                    role_ids: dict[str, str], processes: dict[str, Process]) -> None:
    """An imported (not restored) step's role, called process and BPMN id."""
    if node.role:
        step["role"] = role_ids[node.role]
    called = processes.get(node.called or "")
    if called is not None:
        data["process"] = called.id
    if node.bpmn_id:
        data["x-bpmn-id"] = node.bpmn_id


def _add_next(node: Node, step: dict[str, Any], ids: dict[str, str]) -> None:
    """`next`: a plain id for a single unlabelled transition, else the list."""
    transitions = [_transition(f.target, f.when, f.condition, f.default, f.data, ids)
                   for f in node.next if f.target in ids]
    if len(transitions) == 1 and list(transitions[0]) == ["to"]:
        step["next"] = transitions[0]["to"]
    elif transitions:
        step["next"] = transitions


def _transition(target: str, when: str | None, condition: str | None, default: bool,
                data: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    transition: dict[str, Any] = {"to": ids[target]}
    if when:
        transition["when"] = when
    extra = dict(data)
    if "probability" in extra:
        transition["probability"] = extra.pop("probability")
    if condition:
        transition["x-condition"] = condition
    if default:
        transition["x-bpmn-default"] = True
    transition.update(extra)
    return transition


def _ordered(data: dict[str, Any], order: Iterable[str]) -> dict[str, Any]:
    result = {k: data[k] for k in order if k in data and data[k] not in (None, "", [])}
    result.update((k, v) for k, v in data.items() if k not in result and k.startswith("x-"))
    for key in ("consulted", "informed", "tags"):
        if key in result:
            result[key] = _FlowList(result[key])
    return result


def _drop_inferable_roles(steps: list[dict[str, Any]], droppable: set[str]) -> None:
    """Events and gateways default to the lane of a neighbour: keep their `role` only
    where that default would put them in another lane than the BPMN file does."""
    wanted = {s["id"]: s["role"] for s in steps if s["id"] in droppable and "role" in s}
    dropped = dict(wanted)
    for _attempt in range(len(wanted) + 1):
        lanes = _lanes_without(steps, dropped)
        if lanes is None:
            return
        wrong = {sid for sid in dropped if lanes.get(sid) != wanted[sid]}
        if not wrong:
            break
        for sid in wrong:
            del dropped[sid]
    for step in steps:
        if step["id"] in dropped:
            del step["role"]


def _lanes_without(steps: list[dict[str, Any]], dropped: dict[str, Any]) -> dict[str, str] | None:
    """The lane of each step once the `dropped` steps lose their role (None: the steps
    do not validate)."""
    from pydantic import ValidationError

    from procmap.model import Process as ProcessModel
    from procmap.model.lanes import step_lanes
    from procmap.model.process import split_extensions

    trial = [{k: v for k, v in s.items() if not (k == "role" and s["id"] in dropped)}
             for s in steps]
    data = split_extensions(copy.deepcopy({"procmap": 1, "id": "x", "name": "x",
                                           "steps": trial}))
    try:
        model = ProcessModel.model_validate(data)
    except ValidationError:
        return None
    return step_lanes(model, "")


def _process_data(process: Process, steps: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"procmap": 1, "id": process.id, "name": process.name}
    extra = dict(process.data)
    extra.pop("id", None)
    if process.description:
        extra["description"] = process.description
    if not process.restored and process.bpmn_id:
        extra["x-bpmn-id"] = process.bpmn_id
    data.update(_ordered({**data, **extra}, _PROCESS_ORDER))
    data["steps"] = steps
    return data


def _roles_used(data: dict[str, Any], process: Process, by_id: dict[str, Role],
                role_ids: dict[str, str], rank: dict[str, int]) -> list[str]:
    """Role ids the process needs defined: its steps' roles, RACI and owner, and the
    `reports_to` chains of procmap's own roles, in lane order."""
    names = {data.get("owner")}
    for step in data["steps"]:
        names.update((step.get("role"), step.get("accountable")))
        names.update(step.get("consulted", ()))
        names.update(step.get("informed", ()))
    pending = [n for n in names if n in by_id]
    while pending:
        boss = by_id[pending.pop()].data.get("reports_to")
        if boss in by_id and boss not in names:
            names.add(boss)
            pending.append(boss)
    lane_ids = [role_ids[k] for k in process.lanes]
    ordered = [r for r in lane_ids if r in names]
    ordered += sorted((n for n in names if n in by_id and n not in ordered),
                      key=lambda n: rank[n])
    return ordered


def _role_data(role_id: str, name: str | None, data: dict[str, Any]) -> dict[str, Any]:
    role: dict[str, Any] = {"id": role_id}
    if name and name != role_id:
        role["name"] = name
    extra = {k: v for k, v in data.items() if k != "name"}
    for key in ("capacity", "cost"):
        if key in extra:
            extra[key] = _number(extra[key])
    role.update(_ordered(extra, _ROLE_ORDER))
    return role


def _number(text: Any) -> Any:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return text
    return int(value) if value.is_integer() else value


def _remap(findings: list[Finding], processes: list[Process],
           step_ids: dict[str, dict[str, str]]) -> list[Finding]:
    """Findings were reported by BPMN keys: name the procmap process and step instead."""
    process_ids = {p.key: p.id for p in processes}
    result = []
    for finding in findings:
        process = process_ids.get(finding.process or "")
        step = step_ids.get(finding.process or "", {}).get(finding.step or "")
        result.append(replace(finding, process=process, step=step))
    result.sort(key=lambda f: (f.line, f.column, f.rule))
    return result


# ---------------------------------------------------------------- YAML text


class _FlowList(list):  # type: ignore[type-arg]
    """A short list of names, written inline: ``[customer, qa]``."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # lists indented under their key

    def ignore_aliases(self, data: Any) -> bool:
        return True  # procmap files never use anchors


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=96)


def _items(key: str, items: list[dict[str, Any]], blank_lines: bool) -> str:
    blocks = []
    for item in items:
        text = _dump([item])
        blocks.append("".join(f"  {line}\n" if line else "\n"
                              for line in text.rstrip("\n").split("\n")))
    return f"{key}:\n" + ("\n" if blank_lines else "").join(blocks)


def _comment(lines: Iterable[str], width: int = 90) -> str:
    """Comment lines, wrapped; a line's leading spaces indent its continuation too."""
    import textwrap

    out: list[str] = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip(" ")))
        text = indent + " ".join(line.split())
        out.extend("# " + part for part in textwrap.wrap(
            text, width, initial_indent="", subsequent_indent=indent + "  ",
            break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join(part.rstrip() for part in out) + "\n"


def _header(process: ImportedProcess, source: str) -> str:
    lines = [f"Imported by `procmap import` from {source} (BPMN 2.0): "
             f"{process.source}."]
    if process.restored:
        lines.append("A procmap export: ids, durations, SLAs, probabilities and RACI are "
                     "restored from its procmap extension data.")
    else:
        lines.append("Names and the flow come from the BPMN file; x-bpmn-* keys keep BPMN "
                     "details format 1 has no field for. Add durations, waits and "
                     "probabilities by hand.")
    shown = process.findings[:30]
    if shown:
        lines.append(f"What did not map exactly ({len(process.findings)} finding"
                     f"{'s' * (len(process.findings) != 1)}):")
        lines.extend(f"  line {f.line}: {f.rule}: {f.message}" for f in shown)
        if len(process.findings) > len(shown):
            lines.append(f"  ... and {len(process.findings) - len(shown)} more")
    return _comment(lines)


def _process_text(data: dict[str, Any], roles: list[dict[str, Any]],
                  process: ImportedProcess, source: str) -> str:
    steps = data.pop("steps")
    parts = [_header(process, source), _dump(data)]
    if roles:
        parts.append("\n" + _items("roles", roles, blank_lines=False))
    parts.append("\n" + _items("steps", steps, blank_lines=True))
    return "".join(parts)


def _catalog_text(roles: list[dict[str, Any]], source: str) -> str:
    header = _comment([f"Roles imported by `procmap import` from {source} (BPMN 2.0): one "
                       "per lane, shared by the processes imported with them."])
    return header + "procmap: 1\n\n" + _items("roles", roles, blank_lines=False)
