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
    # `next` is a step id, or a list of step ids and transitions
    defs["Step"]["properties"]["next"] = {"anyOf": [ID_SCHEMA, {
        "type": "array",
        "items": {"anyOf": [ID_SCHEMA, {"$ref": "#/$defs/Transition"}]},
    }]}
    # `consulted`, `informed`, `activity`, `inputs` and `outputs` take one item or a list
    for name in ("consulted", "informed", "activity", "inputs", "outputs"):
        listed = defs["Step"]["properties"][name]
        single = ID_SCHEMA if name in ("consulted", "informed") else listed["items"]
        defs["Step"]["properties"][name] = {"anyOf": [single, {
            key: value for key, value in listed.items() if key != "default"}],
            "default": listed.get("default", [])}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "procmap process file, format 1",
        "description": "A business process (it has `steps`) or a role catalog (it has "
                       "`roles` and no `steps`). See docs/format.md.",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
