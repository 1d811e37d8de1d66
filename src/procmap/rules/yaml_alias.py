"""Anchors and aliases expand beyond a sane bound, or refer to themselves.

A few lines of nested aliases (an "alias bomb", or billion laughs) expand to billions of
nodes in anything that walks the data. procmap counts what aliases add while loading
and refuses a file past 100,000 added nodes, or one whose alias contains itself.

Failing:

    a: &a [x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    # ... nine levels deep

Passing:

    defaults: &agent {role: cs-agent, system: CRM}
    steps:
      - {id: intake, <<: *agent, duration: 10m, next: done}
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("yaml-alias", Severity.ERROR, "anchors/aliases expand beyond a sane bound",
            phase="load", configurable=False)
