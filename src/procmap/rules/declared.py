"""The declared severities of the load-phase rules, for the loader and the model.

The loader reports these rules itself (they are found while reading a file), so it needs
their severity without the catalog's scan: importing the few load rule modules is enough.
"""

from __future__ import annotations

from procmap.findings import Severity
from procmap.rules import (
    duplicate_key,
    encoding,
    not_procmap,
    schema,
    yaml_alias,
    yaml_limit,
    yaml_syntax,
    yaml_tag,
)

_LOAD_RULES: dict[str, Severity] = {module.RULE.id: module.RULE.severity
               for module in (duplicate_key, encoding, not_procmap, schema, yaml_alias,
                              yaml_limit, yaml_syntax, yaml_tag)}


def declared_severity(rule_id: str) -> Severity:
    """The severity `RULE` declares for a load-phase rule."""
    return _LOAD_RULES[rule_id]
