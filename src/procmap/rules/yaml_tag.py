"""An explicit YAML tag other than the plain core types.

Tags like `!!python/object/apply` ask a loader to build objects or run code. procmap never
constructs anything from a file: it refuses every tag except the core ones (`!!str`,
`!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map`).

Failing:

    name: !!python/object/apply:os.system ["rm -rf /"]

Passing:

    name: 客户投诉处理
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("yaml-tag", Severity.ERROR, "an unsafe or unknown YAML tag", phase="load",
            configurable=False)
