"""A file named on the command line that is not a procmap file.

A procmap file's top-level mapping has the key `procmap` (the format version). Directory
scans skip other YAML files silently; a file named explicitly must be a procmap file,
so a typo in a CI command cannot pass by checking nothing.

Failing:

    # docker-compose.yaml, passed as `procmap validate docker-compose.yaml`
    services: {}

Passing:

    procmap: 1
    id: refund-approval
    name: 退款审批
    steps: [...]
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("not-procmap", Severity.ERROR, "a named file is not a procmap file", phase="load",
            configurable=False)
