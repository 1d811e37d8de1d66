"""Validate rules, one module per rule id, and the registry of every rule procmap has."""

from __future__ import annotations

import importlib
from functools import cache

from procmap.rules.base import Rule, RuleModule, ValidateContext

#: found while reading files (implemented by the loader and the model)
LOAD_RULES = ("yaml_syntax", "duplicate_key", "yaml_alias", "yaml_tag", "yaml_limit",
              "encoding", "not_procmap", "schema")
#: checks over the validated workspace, in the order they run
VALIDATE_RULES = ("duplicate_id", "unknown_reference", "single_start", "end_required",
                  "invalid_transition", "unreachable_step", "no_path_to_end",
                  "decision_branches", "probability_sum", "duplicate_transition",
                  "implicit_split", "sla_below_duration", "reports_to_cycle",
                  "subprocess_cycle", "unused_role", "missing_role")

#: reported by `procmap import` about the BPMN model it reads
IMPORT_RULES = ("import_unsupported", "import_lossy", "import_note")


def _load(package: str, name: str) -> RuleModule:
    module = importlib.import_module(f"{package}.{name}")
    return RuleModule(rule=module.RULE, doc=module.__doc__ or "",
                      check=getattr(module, "check", None))


@cache
def validate_rules() -> tuple[RuleModule, ...]:
    return tuple(_load("procmap.rules", name) for name in (*LOAD_RULES, *VALIDATE_RULES))


@cache
def all_rules() -> dict[str, RuleModule]:
    """Every rule id procmap can report, validate and audit alike, in catalog order."""
    from procmap.analysis.rules import AUDIT_RULES

    modules = [*validate_rules(), *(_load("procmap.analysis.rules", n) for n in AUDIT_RULES),
               *(_load("procmap.rules", n) for n in IMPORT_RULES)]
    return {module.rule.id: module for module in modules}


def rule_ids() -> list[str]:
    return list(all_rules())


__all__ = ["Rule", "RuleModule", "ValidateContext", "all_rules", "rule_ids", "validate_rules"]
