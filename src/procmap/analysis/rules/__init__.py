"""Audit rules, one module per rule id, in catalog order."""

AUDIT_RULES: tuple[str, ...] = ()
