"""The JSON Schema (draft 2020-12) of format 1, generated from the models.

It covers the structural part of validation only (keys, types, patterns), for editors
and other validators; references, graph rules and audit are procmap's own.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = ("https://raw.githubusercontent.com/procmap/procmap/main/schema/"
             "procmap-1.schema.json")


def json_schema() -> dict[str, Any]:
    from pydantic import TypeAdapter

    from procmap.model.fields import ID_SCHEMA
    from procmap.model.process import Catalog, Process, Transition

    schema = TypeAdapter(Process | Catalog).json_schema(ref_template="#/$defs/{model}")
    defs = schema.setdefault("$defs", {})
    defs["Transition"] = Transition.model_json_schema(ref_template="#/$defs/{model}")
    for name, fields in _field_docs().items():
        for key, doc in fields.items():
            defs[name]["properties"][key]["description"] = doc
    step = defs["Step"]["properties"]
    # `next` is a step id, or a list of step ids and transitions
    step["next"] = {"anyOf": [ID_SCHEMA, {
        "type": "array",
        "items": {"anyOf": [ID_SCHEMA, {"$ref": "#/$defs/Transition"}]},
    }], "description": step["next"]["description"]}
    # `consulted`, `informed`, `activity`, `inputs` and `outputs` take one item or a list
    for name in ("consulted", "informed", "activity", "inputs", "outputs"):
        listed = step[name]
        single = ID_SCHEMA if name in ("consulted", "informed") else listed["items"]
        step[name] = {"anyOf": [single, {
            key: value for key, value in listed.items()
            if key not in ("default", "description")}],
            "default": listed.get("default", []), "description": listed["description"]}
    for definition in defs.values():
        for field in definition.get("properties", {}).values():
            _valid_default(field)
    schema.pop("anyOf", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "procmap process file, format 1",
        "description": "A business process (it has `steps`) or a role catalog (it has "
                       "`roles` and no `steps`). See docs/format.md.",
        # discriminated by `steps`: an editor reports the errors of the one shape meant,
        # not "'demand', 'owner' do not match any of the regexes" from the other
        "type": "object",
        "if": {"required": ["steps"]},
        "then": {"$ref": "#/$defs/Process"},
        "else": {"$ref": "#/$defs/Catalog"},
        **schema,
    }


def _field_docs() -> dict[str, dict[str, str]]:
    """Model name -> field -> the docstring written under the field in model/process.py."""
    import ast
    import inspect

    from procmap.model import process

    docs: dict[str, dict[str, str]] = {}
    for node in ast.parse(inspect.getsource(process)).body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields = docs.setdefault(node.name, {})
        for before, after in zip(node.body, node.body[1:], strict=False):
            if (isinstance(before, ast.AnnAssign) and isinstance(before.target, ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)):
                fields[before.target.id] = " ".join(after.value.value.split())
    return {name: fields for name, fields in docs.items() if fields}


def _valid_default(field: dict[str, Any]) -> None:
    """Replace a default the field's own schema would refuse (`duration: 0.0` for a
    duration pattern) by its written form, or drop it; null defaults stay (optional)."""
    if "default" not in field or field["default"] is None:
        return
    default = field["default"]
    if isinstance(default, (int, float)) and not _accepts_numbers(field):
        pattern = str(field.get("pattern", "")) + str(field.get("anyOf", ""))
        written = f"{default:g}h/d" if "/" in pattern else f"{default:g}h"
        field["default"] = written
        field.setdefault("examples", [written])


def _accepts_numbers(field: dict[str, Any]) -> bool:
    types: list[Any] = []
    for option in [field, *field.get("anyOf", [])]:
        kind = option.get("type")
        types.extend(kind if isinstance(kind, list) else [kind])
    return "number" in types or "integer" in types


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
