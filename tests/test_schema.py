"""The JSON Schema of format 1: committed, current, valid, and agreeing with procmap."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from procmap.loader import load_text
from procmap.model.schema import schema_text

ROOT = Path(__file__).parent.parent
COMMITTED = ROOT / "schema" / "procmap-1.schema.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
INIT = files("procmap.data") / "init"
INIT_FILES = sorted(p.name for p in INIT.iterdir() if p.name.endswith(".yaml"))
FIXTURES = Path(__file__).parent / "fixtures" / "rules"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(COMMITTED.read_text(encoding="utf-8")))


def test_the_committed_schema_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "schema/procmap-1.schema.json is stale: run `make schema` "
        "(procmap schema > schema/procmap-1.schema.json) and commit it")


def test_the_schema_command_prints_it() -> None:
    result = subprocess.run([sys.executable, "-m", "procmap", "schema"], capture_output=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == COMMITTED.read_text(encoding="utf-8")


def test_it_is_a_valid_draft_2020_12_schema() -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _procmap_data(text: str) -> Any:
    doc = load_text(text, "x.yaml")
    assert doc.findings == []
    return doc.data


def _errors(validator: Draft202012Validator, data: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_validates(validator: Draft202012Validator, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _errors(validator, _procmap_data(text)) == []
    # editors read YAML 1.1/1.2 without procmap's care for text: the examples quote
    # what would otherwise change type, so they validate there too
    assert _errors(validator, yaml.safe_load(text)) == []


@pytest.mark.parametrize("name", INIT_FILES)
def test_the_init_files_validate(validator: Draft202012Validator, name: str) -> None:
    text = (INIT / name).read_text(encoding="utf-8")
    assert _errors(validator, _procmap_data(text)) == []
    assert _errors(validator, yaml.safe_load(text)) == []


def test_there_are_examples_and_init_files() -> None:
    assert len(EXAMPLES) >= 2 and len(INIT_FILES) >= 2


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*/pass/*.yaml")),
                         ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_passing_rule_fixture_validates(validator: Draft202012Validator, path: Path) -> None:
    data = _procmap_data(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "procmap" in data:
        assert _errors(validator, data) == []


BASE: dict[str, Any] = {
    "procmap": 1, "id": "refund", "name": "退款申请", "sla": "2d", "demand": "20/d",
    "x-team": {"anything": ["goes"]},
    "roles": [{"id": "cs-agent", "capacity": 5, "availability": "7h/d"}],
    "steps": [
        {"id": "received", "kind": "start", "next": "check"},
        {"id": "check", "role": "cs-agent", "duration": "15m", "wait": "PT1H",
         "next": [{"to": "done", "when": "好", "probability": 1, "x-note": "n"}]},
        {"id": "done", "kind": "end"},
    ],
}


def test_the_base_document_is_valid(validator: Draft202012Validator) -> None:
    assert _errors(validator, BASE) == []
    assert _errors(validator, {"procmap": 1, "roles": [{"id": "客服专员"}]}) == []


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target = changed
    for part in path[:-1]:
        target = target[part]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


_DELETE = object()


@pytest.mark.parametrize(("path", "value"), [
    (("naem",), "typo"),                                    # unknown key
    (("steps", 1, "duraton"), "15m"),                       # unknown key in a step
    (("steps", 1, "next", 0, "target"), "done"),            # unknown key in a transition
    (("roles", 0, "people"), 3),                            # unknown key in a role
    (("steps",), "check"),                                  # wrong type
    (("steps",), []),                                       # empty steps
    (("name",), ["a"]),                                     # wrong type
    (("roles", 0, "capacity"), "five"),                     # wrong type
    (("roles", 0, "capacity"), 0),                          # not > 0
    (("steps", 1, "duration"), "30"),                       # bare number
    (("steps", 1, "duration"), "1:30"),                     # clock time
    (("steps", 1, "duration"), "30 minutes"),               # bad unit
    (("steps", 1, "wait"), 30),                             # a number, no unit
    (("sla",), "P"),                                        # empty ISO duration
    (("demand",), "40"),                                    # rate without unit
    (("roles", 0, "availability"), "7h"),                   # availability without /d
    (("id",), "Triage Step"),                               # bad id: space
    (("id",), "-refund"),                                   # bad id: leading dash
    (("id",), "x" * 65),                                    # bad id: too long
    (("steps", 1, "id"), "check!"),                         # bad step id
    (("steps", 1, "next"), "not an id"),                    # bad id in next
    (("steps", 1, "kind"), "finish"),                       # not a kind
    (("procmap",), 2),                                      # another format
    (("procmap",), _DELETE),                                # no version
    (("name",), _DELETE),                                   # a process needs a name
    (("steps", 1, "id"), _DELETE),                          # a step needs an id
    (("steps", 1, "next", 0, "to"), _DELETE),               # a transition needs `to`
])
def test_structurally_invalid_documents_are_rejected(validator: Draft202012Validator,
                                                     path: tuple[Any, ...], value: Any) -> None:
    assert _errors(validator, _set(BASE, path, value)) != []


def test_a_catalog_without_roles_is_rejected(validator: Draft202012Validator) -> None:
    assert _errors(validator, {"procmap": 1}) != []
    assert _errors(validator, {"procmap": 1, "roles": []}) != []


@pytest.mark.parametrize("case", sorted(p.name for p in (FIXTURES / "schema").iterdir()
                                        if p.name.startswith("fail")))
def test_what_procmap_reports_as_schema_errors_the_schema_rejects(validator: Draft202012Validator,
                                                                   case: str) -> None:
    for path in (FIXTURES / "schema" / case).glob("*.yaml"):
        data = _procmap_data(path.read_text(encoding="utf-8"))
        assert _errors(validator, data) != [], path


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(name, key, field) for name, definition in schema["$defs"].items()
            for key, field in definition.get("properties", {}).items()]


def test_every_field_has_a_description_for_hover_help() -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    missing = [f"{name}.{key}" for name, key, field in _properties(schema)
               if not field.get("description")]
    assert missing == []
    assert "How many people fill this role" in \
        schema["$defs"]["Role"]["properties"]["capacity"]["description"]


def test_every_default_is_valid_for_its_own_field() -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    for name, key, field in _properties(schema):
        if "default" in field:
            check = Draft202012Validator({**field, "$defs": schema["$defs"]})
            assert list(check.iter_errors(field["default"])) == [], f"{name}.{key}"
    assert schema["$defs"]["Step"]["properties"]["duration"]["default"] == "0h"
    assert schema["$defs"]["Role"]["properties"]["availability"]["default"] == "8h/d"


def test_a_process_error_names_the_process_field_not_both_shapes(validator: Any) -> None:
    data = _procmap_data(
        "procmap: 1\nid: p\nname: P\nowner: 3.5.x\ndemand: lots\n"
        "steps:\n  - {id: s, kind: start, next: e}\n  - {id: e, kind: end}\n")
    messages = _errors(validator, data)
    assert messages and all("do not match any of the regexes" not in m for m in messages)
    assert any("lots" in m for m in messages)
    catalog = _procmap_data("procmap: 1\nroles:\n  - {id: a, capacity: many}\n")
    messages = _errors(validator, catalog)
    assert len(messages) == 1 and "many" in messages[0]
