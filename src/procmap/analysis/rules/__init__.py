"""Audit rules, one module per rule id (discovered by `procmap.rules.catalog`).

Each module has a docstring (what it flags, why it matters, a failing and a passing
example: it is the rule's documentation), a `RULE` (with the `Option`s it reads from
`[thresholds]`) and a `check(ctx)` generator over an `procmap.analysis.audit.AuditContext`.
The rules in `RACI_RULES` run in `procmap raci` and those in `HANDBOOK_RULES` in `procmap
handbook` instead of `procmap audit` (their `Rule.phase` stays "audit": it is where the
rule catalog documents them).
"""

from __future__ import annotations

from procmap.rules.base import RuleModule

#: rule ids checked by `procmap raci`, not by `procmap audit`
RACI_RULES = frozenset({"missing-accountable"})
#: rule ids checked by `procmap handbook`, not by `procmap audit`
HANDBOOK_RULES = frozenset({"handbook-incomplete"})
_COMMAND_RULES = {"raci": RACI_RULES, "handbook": HANDBOOK_RULES}


def audit_rules(command: str = "audit") -> list[RuleModule]:
    """The audit-time rules `procmap audit` (or `procmap raci`, `procmap handbook`)
    runs, in catalog order."""
    from procmap.rules.catalog import rules_of

    own = _COMMAND_RULES.get(command)
    if own is None:
        others = frozenset().union(*_COMMAND_RULES.values())
        return [module for module in rules_of("audit") if module.rule.id not in others]
    return [module for module in rules_of("audit") if module.rule.id in own]


def __getattr__(name: str) -> tuple[str, ...]:
    if name == "AUDIT_RULES":  # module names of the audit rules, for older callers
        from procmap.rules.catalog import rules_of

        return tuple(m.module.rsplit(".", 1)[1] for m in rules_of("audit"))
    raise AttributeError(name)
