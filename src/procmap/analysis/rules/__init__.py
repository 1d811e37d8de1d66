"""Audit rules, one module per rule id, in catalog order.

Each module has a docstring (what it flags, why it matters, a failing and a passing
example: it is the rule's documentation), a `RULE` and a `check(ctx)` generator over an
`procmap.analysis.audit.AuditContext`. The rules in `RACI_RULES` run in `procmap raci`
instead of `procmap audit` (their `Rule.phase` stays "audit": it is where the rule
catalog documents them).
"""

from __future__ import annotations

from procmap.rules.base import RuleModule

AUDIT_RULES: tuple[str, ...] = (
    "process_sla_breach", "expected_sla_breach", "deadline_breach", "role_overload",
    "bottleneck_step", "waiting_waste", "redundant_approval", "rubber_stamp_approval",
    "self_approval", "serial_approvals", "ping_pong_handoff", "handoff_heavy",
    "single_point_of_failure", "rework_loop", "no_sla", "endless_loop",
    "missing_accountable",
)

#: rule ids checked by `procmap raci`, not by `procmap audit`
RACI_RULES = frozenset({"missing-accountable"})


def audit_rules(command: str = "audit") -> list[RuleModule]:
    """The audit-time rules `procmap audit` (or `procmap raci`) runs, in catalog order."""
    from procmap.rules import all_rules

    return [module for module in all_rules().values() if module.rule.phase == "audit"
            and (module.rule.id in RACI_RULES) == (command == "raci")]
