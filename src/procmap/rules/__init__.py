"""Validate rules, one module per rule id; `procmap.rules.catalog` knows every rule.

This package imports nothing at import time beyond `procmap.rules.base`: the catalog
reads rule declarations from source, and checks are imported when they run.
"""

from __future__ import annotations

from procmap.rules.base import Option, Rule, RuleModule, ValidateContext


def all_rules() -> dict[str, RuleModule]:
    """Every rule id procmap can report, validate and audit alike, in catalog order."""
    from procmap.rules.catalog import catalog

    return catalog()


def rule_ids() -> list[str]:
    return list(all_rules())


def validate_rules() -> tuple[RuleModule, ...]:
    """The load- and validate-phase rules (validate runs the ones with a `check`)."""
    return tuple(m for m in all_rules().values() if m.rule.phase in ("load", "validate"))


__all__ = ["Option", "Rule", "RuleModule", "ValidateContext", "all_rules", "rule_ids",
           "validate_rules"]
