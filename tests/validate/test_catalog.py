"""The rule catalog: one place per rule, no import cycle, options declared by their rules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import procmap
from procmap.config import GLOBAL_THRESHOLDS, Config, default_thresholds
from procmap.findings import Severity
from procmap.pipeline import validate_paths
from procmap.rules import all_rules
from procmap.rules.base import Option, Rule
from procmap.rules.catalog import catalog, options
from procmap.rules.declared import _LOAD_RULES
from rule_fixtures import FIXTURE_PHASES, FIXTURES

SRC = Path(procmap.__file__).parent


def _imports(path: Path, package: str) -> set[str]:
    """The procmap modules a module imports when it is imported (top level only:
    imports inside functions and under TYPE_CHECKING run later or never)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("procmap"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = package.split(".")
            base = node.module if node.level == 0 else \
                ".".join([*parts[:len(parts) - node.level + 1], node.module])
            if base.startswith("procmap"):
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)
    return found


def _module_graph() -> dict[str, set[str]]:
    modules = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets = set()
        for target in _imports(path, package):
            while target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]  # `from pkg import name`: the package
            # a module's own parent packages are imported before it, whatever it imports
            if target in modules and not (name == target or name.startswith(target + ".")):
                targets.add(target)
        graph[name] = targets
    return graph


def test_the_package_has_no_import_cycle() -> None:
    """Static import graph of src/procmap (module-level imports): no cycle at all."""
    graph = _module_graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target):], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize("module", ["procmap.rules", "procmap.rules.catalog",
                                    "procmap.analysis.rules", "procmap.config",
                                    "procmap.pipeline", "procmap.loader"])
def test_each_module_imports_fresh(module: str) -> None:
    code = f"import {module}"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


def test_knowing_every_rule_never_imports_the_audit_engine() -> None:
    code = ("import sys; from procmap.config import load_config, Config; "
            "from procmap.rules.catalog import catalog, options; c = catalog(); options(); "
            "Config().threshold('utilization-warning'); "
            "print(len(c), sorted(m for m in sys.modules if m.startswith('procmap.analysis')"
            " or m in ('networkx', 'pydantic')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    count, loaded = result.stdout.split(" ", 1)
    assert int(count) == len(catalog())
    assert loaded.strip() == "[]"


def test_every_rule_has_docs_and_fixtures() -> None:
    """Every rule alike: a docstring with a failing and a passing example, and (but for
    the import rules, tested on BPMN models in tests/bpmn, and rule-error, tested below)
    a fixture folder tests/fixtures/rules/<rule-id>/ with a failing and a passing case."""
    for rule_id, module in all_rules().items():
        doc = module.doc
        assert doc.split("\n")[0].strip(), f"{rule_id}: no summary line"
        assert "Failing:" in doc and "Passing:" in doc, f"{rule_id}: document an example"
        assert module.module.rsplit(".", 1)[1] == rule_id.replace("-", "_")
        if module.rule.phase not in FIXTURE_PHASES:
            continue
        folder = FIXTURES / rule_id
        for path in (folder / "pass", folder / "fail"):
            assert path.is_dir(), f"{rule_id}: no tests/fixtures/rules/{rule_id}/{path.name}/"
        assert (folder / "expected.yaml").is_file(), \
            f"{rule_id}: no tests/fixtures/rules/{rule_id}/expected.yaml"


def test_rules_with_a_check_are_the_validate_and_audit_rules() -> None:
    for rule_id, module in all_rules().items():
        has_check = module.check is not None
        assert has_check == (module.rule.phase in ("validate", "audit", "simulate",
                                                   "conform")), rule_id


def test_the_loader_reports_load_rules_with_their_declared_severity() -> None:
    load_rules = {i: m.rule.severity for i, m in catalog().items() if m.rule.phase == "load"}
    assert load_rules == _LOAD_RULES
    assert all(not catalog()[i].rule.configurable for i in load_rules)


def test_every_threshold_a_rule_reads_is_declared_by_that_rule() -> None:
    for rule_id, module in catalog().items():
        source = (SRC.parent / (module.module.replace(".", "/") + ".py")
                  ).read_text(encoding="utf-8")
        read = set(re.findall(r"threshold\(\"([a-z-]+)\"\)", source))
        assert read <= {o.name for o in module.rule.options}, rule_id


def test_threshold_defaults_live_in_one_place() -> None:
    defaults = default_thresholds()
    assert defaults["utilization-warning"] == 0.85
    assert defaults["handoffs-per-case"] == 5
    assert set(defaults) == {*options(), *GLOBAL_THRESHOLDS}
    config_source = (SRC / "config.py").read_text(encoding="utf-8")
    for name in options():
        assert f'"{name}"' not in config_source or name.startswith("utilization"), name


def test_a_summary_shows_the_configured_value() -> None:
    rule = catalog()["role-overload"].rule
    assert rule.describe() == ("a role's utilization reaches the threshold (error >= 1, "
                               "warning >= 0.85)")
    assert "warning >= 0.7" in rule.describe({"utilization-warning": 0.7})
    assert "{" not in "".join(m.rule.describe() for m in catalog().values())


@pytest.mark.parametrize(("value", "problem"), [
    (True, "must be a number, not bool"), ("1", "must be a number, not str"),
    (float("nan"), "must be a finite number"), (float("inf"), "must be a finite number"),
    (-1, "must be >= 0 and <= 1"), (2, "must be >= 0 and <= 1"),
])
def test_an_option_refuses_what_is_not_a_number_in_range(value: object, problem: str) -> None:
    option = Option("share", 0.5, "a share", maximum=1.0)
    assert option.check(value) == problem
    assert option.check(0.25) == 0.25


def test_a_rule_that_raises_becomes_a_rule_error(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    module = catalog()["single-start"]

    def broken(ctx: object) -> object:
        raise KeyError("boom")

    monkeypatch.setattr(module, "_check", broken)
    monkeypatch.setattr(module, "_loaded", True)
    (tmp_path / "p.yaml").write_text(
        "procmap: 1\nid: p\nname: P\nsteps:\n  - {id: s, kind: start, next: e}\n"
        "  - {id: s2, next: e}\n  - {id: e, kind: end}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    findings = validate_paths(["p.yaml"], Config()).findings
    errors = [f for f in findings if f.rule == "rule-error"]
    assert len(errors) == 1
    assert errors[0].severity is Severity.ERROR
    assert "rule 'single-start' failed on this input (KeyError: 'boom')" in errors[0].message
    assert errors[0].extra == {"failed_rule": "single-start"}
    # the other rules still ran: s2 has no role and no way in
    assert {"missing-role", "unreachable-step"} <= {f.rule for f in findings}


def test_a_declaration_must_use_literals(tmp_path: Path) -> None:
    from procmap.rules import catalog as catalog_module

    module = tmp_path / "bad_rule.py"
    module.write_text('"""Doc."""\nLIMIT = 3\nRULE = Rule("bad-rule", Severity.ERROR, '
                      '"x", options=(Option("x", LIMIT, "y"),))\n', encoding="utf-8")
    with pytest.raises(catalog_module.CatalogError, match="literals only"):
        catalog_module._declared("pkg", str(module))


def test_rule_ids_are_kebab_case_and_phases_known() -> None:
    for rule_id, module in catalog().items():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule_id)
        assert isinstance(module.rule, Rule)


def _all_imports(path: Path, package: str) -> set[str]:
    """Every procmap import of a module, inside functions too (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("procmap"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith("procmap"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_the_rule_catalog_and_the_audit_rules_do_not_import_each_other() -> None:
    """Lazy imports count here: the catalog never reaches the audit engine, and rules,
    config, pipeline and loader form no cycle even through function-level imports."""
    area = ("procmap.rules", "procmap.config", "procmap.findings", "procmap.pipeline",
            "procmap.loader", "procmap.analysis.rules")
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name.startswith(area) and not name.startswith("procmap.analysis.rules."):
            graph[name] = {t for t in _all_imports(path, name)
                           if t.startswith(area) and t != name}
    for name in graph:
        graph[name] = {t if t in graph else t.rsplit(".", 1)[0] for t in graph[name]}
        graph[name] = {t for t in graph[name] if t in graph and t != name
                       and not name.startswith(t + ".")}
    seen: dict[str, int] = {}

    def visit(node: str) -> None:
        seen[node] = 1
        for target in graph[node]:
            assert seen.get(target) != 1, f"import cycle through {node} -> {target}"
            if target not in seen:
                visit(target)
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node)
    reach = {"procmap.rules.catalog"}
    frontier = ["procmap.rules.catalog"]
    while frontier:
        for target in graph[frontier.pop()]:
            if target not in reach:
                reach.add(target)
                frontier.append(target)
    assert not any(m.startswith("procmap.analysis") for m in reach), reach
