"""All files of one invocation: validated processes and catalogs, one role namespace."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import ValidationError

from procmap.findings import Finding
from procmap.i18n import N_, _
from procmap.loader.document import Document
from procmap.model.fields import id_problem, sanitized_id
from procmap.model.process import KNOWN_KEYS, Catalog, Kind, Process, Role, split_extensions
from procmap.rules.declared import declared_severity

Path = tuple[str | int, ...]

# Keys people reach for from other tools, and the format-1 key they mean.
_SYNONYMS = {
    "type": "kind", "lane": "role", "swimlane": "role", "owner_role": "role",
    "responsible": "role", "transitions": "next", "then": "next", "goto": "next",
    "target": "to", "condition": "when", "label": "when", "prob": "probability",
    "p": "probability", "title": "name", "desc": "description", "time": "duration",
    "effort": "duration", "delay": "wait", "waiting": "wait", "people": "capacity",
    "headcount": "capacity", "manager": "reports_to", "parent": "reports_to",
    "approves": "of", "calls": "process", "tool": "system", "format": "procmap",
}
_CHILDREN: dict[str, dict[str, str]] = {
    "process": {"steps": "step", "roles": "role"},
    "catalog": {"roles": "role"},
    "step": {"next": "transition"},
}


@dataclass
class ProcessEntry:
    process: Process
    doc: Document

    @property
    def file(self) -> str:
        return self.doc.path


@dataclass
class RoleEntry:
    role: Role
    doc: Document
    path: Path  # where the role is defined in doc
    in_catalog: bool
    #: loaded from the project's catalogs to resolve a reference the files given left
    #: open: never a duplicate-id, never an unused-role
    from_project: bool = False


@dataclass
class Workspace:
    documents: list[Document]
    processes: list[ProcessEntry] = field(default_factory=list)
    catalogs: list[tuple[Catalog, Document]] = field(default_factory=list)
    role_definitions: list[RoleEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    explicit: frozenset[str] = frozenset()  # files named one by one, not found by a scan
    #: roles from the project's catalogs that resolve references (`add_project_roles`)
    project_roles: list[RoleEntry] = field(default_factory=list)

    @cached_property
    def roles(self) -> dict[str, RoleEntry]:
        """The role namespace in swimlane order: catalog roles in the order the files
        were given, then each process's own roles; the first definition of an id wins
        (`duplicate-id` reports the others)."""
        namespace: dict[str, RoleEntry] = {}
        for in_catalog in (True, False):
            for entry in self.role_definitions:
                if entry.in_catalog is in_catalog:
                    namespace.setdefault(entry.role.id, entry)
        for entry in self.project_roles:  # the files given win
            namespace.setdefault(entry.role.id, entry)
        return namespace

    def unresolved_roles(self) -> set[str]:
        """Role ids that processes and roles name but no role of this workspace defines."""
        named: set[str] = set()
        for entry in self.processes:
            process = entry.process
            if process.owner:
                named.add(process.owner)
            for step in process.steps:
                named.update(r for r in (step.role, step.accountable) if r)
                named.update(step.consulted)
                named.update(step.informed)
        named.update(e.role.reports_to for e in self.roles.values() if e.role.reports_to)
        return named - set(self.roles)

    def add_project_roles(self, documents: Iterable[Document]) -> None:
        """Resolve open role references from the project's catalog documents: the roles
        named (and the roles those report to) are added, nothing else."""
        available: dict[str, RoleEntry] = {}
        for doc in documents:
            data = doc.data
            if not (isinstance(data, dict) and data.get("procmap") == 1 and "roles" in data
                    and "steps" not in data):
                continue
            if doc.has_extensions:
                split_extensions(data)
            try:
                catalog = Catalog.model_validate(data)
            except ValidationError:
                continue  # a broken catalog resolves nothing; validating it reports why
            for index, role in enumerate(catalog.roles):
                available.setdefault(role.id, RoleEntry(role, doc, ("roles", index),
                                                        in_catalog=True, from_project=True))
        wanted = self.unresolved_roles()
        while wanted:
            added = [available.pop(r) for r in sorted(wanted) if r in available]
            if not added:
                return
            self.project_roles.extend(added)
            self.__dict__.pop("roles", None)  # the namespace changed
            wanted = {e.role.reports_to for e in added if e.role.reports_to} - set(self.roles)

    def process(self, process_id: str) -> ProcessEntry | None:
        for entry in self.processes:
            if entry.process.id == process_id:
                return entry
        return None


def build_workspace(documents: Iterable[Document], explicit: frozenset[str] = frozenset()
                    ) -> Workspace:
    """Validate loaded documents against format 1.

    `explicit` names files the user listed one by one: those must be procmap files,
    while files found by scanning a directory are skipped when they are not.
    """
    workspace = Workspace(documents=[], explicit=explicit)
    for doc in documents:
        workspace.findings.extend(doc.findings)
        if doc.data is None and doc.findings:  # the loader refused it: nothing to check
            workspace.documents.append(doc)
            continue
        data = doc.data
        if not (isinstance(data, dict) and "procmap" in data):
            if doc.path in explicit:
                workspace.documents.append(doc)
                workspace.findings.append(_not_procmap(doc, data))
            continue
        workspace.documents.append(doc)
        if data.get("procmap") != 1 or isinstance(data.get("procmap"), bool):
            line, column = doc.locate(("procmap",))
            workspace.findings.append(Finding(
                doc.path, line, column, "schema", declared_severity("schema"),
                f"unsupported format version {_shown(data.get('procmap'))}: this procmap reads "
                "format 1 (`procmap: 1`)"))
            continue
        if doc.has_extensions:
            split_extensions(data)
        if "steps" in data:
            _add_process(workspace, doc, data)
        elif "roles" in data:
            _add_catalog(workspace, doc, data)
        else:
            line, column = doc.locate(())
            workspace.findings.append(Finding(
                doc.path, line, column, "schema", declared_severity("schema"),
                _("a procmap file needs `steps` (a process) or `roles` (a role catalog)")))
    return workspace


def _not_procmap(doc: Document, data: Any) -> Finding:
    if isinstance(data, dict):
        why = _("its top-level mapping has no `procmap` key")
    elif data is None:
        why = _("it is empty")
    else:
        why = _("its top level is {value}, not a mapping").format(value=_describe(data))
    return Finding(doc.path, 1, 1, "not-procmap", declared_severity("not-procmap"),
                   _("not a procmap file: {why}; procmap files start with `procmap: 1`"
                     ).format(why=why))


def _add_process(workspace: Workspace, doc: Document, data: dict[str, Any]) -> None:
    try:
        process = Process.model_validate(data)
    except ValidationError as exc:
        workspace.findings.extend(_schema_findings(exc, doc, "process"))
        repaired = _without_bad_keys(exc, data, "process")
        if repaired is None:
            return
        process = repaired
    workspace.processes.append(ProcessEntry(process, doc))
    workspace.role_definitions.extend(
        RoleEntry(role, doc, ("roles", i), in_catalog=False)
        for i, role in enumerate(process.roles))


def _add_catalog(workspace: Workspace, doc: Document, data: dict[str, Any]) -> None:
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as exc:
        workspace.findings.extend(_schema_findings(exc, doc, "catalog"))
        return
    workspace.catalogs.append((catalog, doc))
    workspace.role_definitions.extend(
        RoleEntry(role, doc, ("roles", i), in_catalog=True)
        for i, role in enumerate(catalog.roles))


#: keys an object cannot do without: a schema error there leaves nothing to check further
_REQUIRED = {"process": {"procmap", "id", "name", "steps"}, "step": {"id"}, "role": {"id"},
             "transition": {"to"}, "catalog": {"procmap", "roles"}}


def _without_bad_keys(exc: ValidationError, data: dict[str, Any], root: str
                      ) -> Process | None:
    """The process with the keys that failed validation removed, so the structural rules
    can still report everything else in the same run; None when a required key failed."""
    import copy

    candidate = copy.deepcopy(data)
    for _attempt in range(3):
        for error in exc.errors(include_url=False):
            loc = _strip_internal(tuple(p for p in error["loc"] if isinstance(p, (str, int))),
                                  error["type"])
            last = max((i for i, part in enumerate(loc) if isinstance(part, str)), default=-1)
            if last < 0:
                return None
            key = loc[last]
            if loc == ("id",) and isinstance(candidate.get("id"), str):
                # nothing refers to a process id inside its own file: check the rest
                candidate["id"] = sanitized_id(candidate["id"])
                continue
            if key in _REQUIRED[_object_at(root, loc[:last])]:
                return None
            parent: Any = candidate
            for part in loc[:last]:
                parent = parent[part] if isinstance(parent, (dict, list)) else None  # type: ignore[index]
            if not isinstance(parent, dict):
                return None
            parent.pop(key, None)
        try:
            return Process.model_validate(candidate)
        except ValidationError as again:
            exc = again
    return None


def _schema_findings(exc: ValidationError, doc: Document, root: str) -> list[Finding]:
    findings = []
    seen: set[tuple[Path, str]] = set()
    for error in exc.errors(include_url=False):
        loc: Path = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
        loc = _strip_internal(loc, error["type"])
        if (loc, error["type"]) in seen:
            continue
        seen.add((loc, error["type"]))
        message, at, on_key = _translate(error, loc, root, doc)
        line, column = doc.locate(at, key=on_key)
        findings.append(Finding(doc.path, line, column, "schema", declared_severity("schema"),
                                message))
    return findings


def _strip_internal(loc: Path, error_type: str) -> Path:
    """pydantic adds validator names to some locations ('function-before[...]'). The
    unknown key of an `extra_forbidden` error is the user's, whatever it looks like
    (`a[b]`, `extensions`): it stays."""
    keep = len(loc) - 1 if error_type == "extra_forbidden" else len(loc)
    return tuple(p for i, p in enumerate(loc)
                 if i >= keep or not (isinstance(p, str) and _INTERNAL.fullmatch(p)))


_INTERNAL = re.compile(r"[a-z][a-z-]*\[.*\]", re.S)


def _object_at(root: str, loc: Path) -> str:
    """Which kind of object ('step', 'role'...) the location `loc` is inside of."""
    kind = root
    for part in loc:
        if isinstance(part, str):
            kind = _CHILDREN.get(kind, {}).get(part, kind)
    return kind


def _translate(error: Any, loc: Path, root: str, doc: Document) -> tuple[str, Path, bool]:
    """(message, where, on the key?) for one pydantic error."""
    field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    structural = _structure_problem(error["type"], loc, root, field_name, error.get("input"))
    if structural is not None:
        return structural
    return (_value_problem(error, field_name), loc, False)


def _structure_problem(kind: str, loc: Path, root: str, field_name: str, value: Any
                       ) -> tuple[str, Path, bool] | None:
    """A key that should not be there, a key missing, or a mapping that is not one."""
    if kind == "extra_forbidden":
        owner = _object_at(root, loc[:-1])
        return (_unknown_key(str(loc[-1]), owner), loc, True)
    if kind == "missing":
        owner = _object_at(root, loc[:-1])
        return (_("{object} needs the key `{key}`").format(object=_a(owner), key=field_name),
                loc[:-1], True)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        owner = _object_at(root, loc)
        return (_("each {object} must be a mapping of keys, not {value}").format(
            object=_(_OBJECTS.get(owner, owner)), value=_describe(value)), loc, False)
    return None


def _value_problem(error: Any, field_name: str) -> str:
    """What is wrong with a value, and what to write instead."""
    kind = error["type"]
    value = error.get("input")
    where = f"`{field_name}`" if field_name else _("this value")
    if kind in ("string_type", "str_type"):
        if isinstance(value, bool):
            return _("{where}: YAML reads this as the boolean {value}; quote it to keep the "
                     "text").format(where=where, value=str(value).lower())
        return _("{where} must be text, not {value}").format(where=where,
                                                             value=_describe(value))
    if kind == "string_pattern_mismatch":
        return f"{where}: {id_problem(str(value))}"
    if kind == "list_type":
        return _("{where} must be a list, not {value}").format(where=where,
                                                               value=_describe(value))
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "finite_number"):
        return _("{where} must be a number, not {value}").format(where=where,
                                                                 value=_describe(value))
    if kind == "enum" and field_name == "kind":
        kinds = [k.value for k in Kind]
        guess = difflib.get_close_matches(str(value), kinds, n=1)
        hint = _(" (did you mean '{name}'?)").format(name=guess[0]) if guess else ""
        return _("'{value}' is not a step kind{hint}: use one of {kinds}").format(
            value=value, hint=hint, kinds=", ".join(kinds))
    if kind == "too_short" and field_name in ("steps", "roles"):
        return _("`{key}` is empty: list at least one").format(key=field_name)
    if kind == "literal_error" and field_name == "procmap":
        return _("`procmap` must be 1, the format version")
    message = str(error.get("msg", _("invalid value")))
    return f"{where}: {message.removeprefix('Value error, ')}"


def _unknown_key(key: str, owner: str) -> str:
    known = KNOWN_KEYS[owner]
    guess = _SYNONYMS.get(key) if _SYNONYMS.get(key) in known else None
    if guess is None:
        matches = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
        guess = matches[0] if matches else None
    hint = _(" (did you mean `{key}`?)").format(key=guess) if guess else ""
    return _("unknown key `{key}` in {object}{hint}; known keys: {known}; custom data goes "
             "under keys starting with `x-`").format(key=key, object=_a(owner), hint=hint,
                                                      known=", ".join(sorted(known)))


def _shown(value: Any) -> str:
    """A YAML value as a user would write it: true, null, '2'."""
    if value is None:
        return "null (empty)"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value)


#: the objects of format 1, as messages name them ("each step must be a mapping")
_OBJECTS = {"process": N_("process"), "step": N_("step"), "role": N_("role"),
            "transition": N_("transition"), "catalog": N_("role catalog")}
#: ... and with an article ("a step needs the key `id`")
_WITH_ARTICLE = {"process": N_("a process"), "step": N_("a step"), "role": N_("a role"),
                 "transition": N_("a transition"), "catalog": N_("a role catalog")}


def _a(word: str) -> str:
    """The object with its article, in the interface language: `a step`."""
    if word in _WITH_ARTICLE:
        return _(_WITH_ARTICLE[word])
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _describe(value: Any) -> str:
    if value is None:
        return _("nothing (null)")
    if isinstance(value, bool):
        return _("the boolean {value}").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, str):
        return _("the text '{value}'").format(value=value[:30])
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return type(value).__name__
