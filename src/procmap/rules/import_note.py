"""A rewrite made on import that keeps the model's meaning, for your information.

Examples: a merging gateway folded into the step it leads to, a role derived from a
pool because an element lies outside every lane, or a generated id for an element
without a name.

Failing:

    <bpmn:exclusiveGateway id="Gateway_merge"/>   <!-- merge only: folded away -->

Passing:

    <bpmn:exclusiveGateway id="Gateway_1" name="Approved?"/>  <!-- a real choice -->
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("import-note", Severity.INFO, "a meaning-preserving rewrite made on import",
            phase="import")
