"""The one catalog of every rule procmap can report: id, phase, severity, options, docs.

Rules are discovered by module, like yamllint's `_RULES`: every module of
`procmap/rules/` (load, validate and import rules) and `procmap/analysis/rules/` (audit
rules) that assigns `RULE = Rule(...)` is a rule. The declaration is read from the
module's *source* (its `Rule(...)` and `Option(...)` literals are evaluated with nothing
else in scope), so the catalog knows every rule without importing analysis code: checking
a `procmap.toml`, an `x-ignore` or writing SARIF never loads the audit engine. A rule's
`check` is imported when it first runs (`RuleModule.check`).

Adding a rule is one module (docstring, `RULE`, options, `check`) plus its fixture folder.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
from functools import cache
from typing import Any

from procmap.findings import Severity
from procmap.rules.base import PHASES, Option, Rule, RuleModule

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: (package, directory) pairs the catalog scans
PACKAGES = (("procmap.rules", os.path.join(_ROOT, "rules")),
            ("procmap.analysis.rules", os.path.join(_ROOT, "analysis", "rules")),
            ("procmap.conform.rules", os.path.join(_ROOT, "conform", "rules")))
_DECLARATION = re.compile(r"^RULE = Rule\(", re.MULTILINE)
_STATEMENT = re.compile(r"^([A-Z_][A-Z0-9_]*) = (?:Rule|Option)\(", re.MULTILINE)
_NAMES = {"Rule": Rule, "Option": Option, "Severity": Severity}


class CatalogError(Exception):
    """A rule module's declaration cannot be read: a bug in procmap, caught by tests."""


@cache
def catalog() -> dict[str, RuleModule]:
    """Rule id -> rule, by phase (load, validate, audit, import, engine), then by id."""
    found: list[RuleModule] = []
    for package, directory in PACKAGES:
        for name in sorted(os.listdir(directory)):
            if name.endswith(".py") and not name.startswith("_"):
                module = _declared(package, os.path.join(directory, name))
                if module is not None:
                    found.append(module)
    found.sort(key=lambda m: (PHASES.index(m.rule.phase), m.rule.id))
    result: dict[str, RuleModule] = {}
    for module in found:
        if module.rule.id in result:
            raise CatalogError(f"rule id {module.rule.id!r} is declared twice "
                               f"({result[module.rule.id].module}, {module.module})")
        result[module.rule.id] = module
    return result


def _declared(package: str, path: str) -> RuleModule | None:
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    if _DECLARATION.search(source) is None:
        return None  # a helper module (base, graph, catalog)
    namespace: dict[str, Any] = dict(_NAMES)
    for name, statement in _declarations(source, path):
        try:
            namespace[name] = eval(compile(ast.Expression(statement), path, "eval"),
                                   {"__builtins__": {}}, namespace)
        except Exception as exc:
            raise CatalogError(f"{path}: the declaration of {name} must use literals "
                               f"only ({exc})") from exc
    rule = namespace.get("RULE")
    if not isinstance(rule, Rule):
        raise CatalogError(f"{path}: RULE must be `Rule(...)`")
    if rule.phase not in PHASES:
        raise CatalogError(f"{path}: unknown phase {rule.phase!r}")
    module = f"{package}.{os.path.basename(path)[:-3]}"
    return RuleModule(rule, _docstring(source, path), module)


def _declarations(source: str, path: str) -> list[tuple[str, ast.expr]]:
    """The top-level `NAME = Rule(...)` / `NAME = Option(...)` statements, parsed alone
    (parsing only them keeps the whole catalog at a few milliseconds)."""
    found: list[tuple[str, ast.expr]] = []
    lines = source.splitlines()
    for match in _STATEMENT.finditer(source):
        first = source.count("\n", 0, match.start())
        last = first + 1
        while last < len(lines) and (not lines[last] or lines[last][0] in " \t)]"):
            last += 1
        statement = ast.parse("\n".join(lines[first:last]), filename=path).body[0]
        assert isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
        found.append((match.group(1), statement.value))
    return found


def _docstring(source: str, path: str) -> str:
    quote = source.find('"""', 3) if source.startswith('"""') else -1
    if quote < 0:
        raise CatalogError(f"{path}: a rule module starts with its docstring")
    tree = ast.parse(source[:quote + 3], filename=path)
    return ast.get_docstring(tree) or ""


def rule_ids() -> list[str]:
    return list(catalog())


def rules_of(phase: str) -> list[RuleModule]:
    return [m for m in catalog().values() if m.rule.phase == phase]


@cache
def options() -> dict[str, tuple[Option, str]]:
    """[thresholds] name -> (option, the id of the rule that declares it)."""
    result: dict[str, tuple[Option, str]] = {}
    for rule_id, module in catalog().items():
        for option in module.rule.options:
            if option.name in result and result[option.name][0] != option:
                raise CatalogError(f"option {option.name!r} is declared differently by "
                                   f"{result[option.name][1]} and {rule_id}")
            result.setdefault(option.name, (option, rule_id))
    return result


def option_default(name: str) -> float:
    return options()[name][0].default


def did_you_mean(name: str, candidates: list[str]) -> str:
    guess = difflib.get_close_matches(name, candidates, n=1)
    from procmap.i18n import _

    return _(" (did you mean '{name}'?)").format(name=guess[0]) if guess else ""


def severity_of(rule_id: str) -> Severity:
    """The default severity of a rule (the loader's findings use it)."""
    return catalog()[rule_id].rule.severity
