"""A value does not fit format 1: a missing required field, a wrong type, a bad id, a bad
duration or rate, or an unknown key (with a did-you-mean suggestion).

Every key and value is checked against the format; unknown keys are errors because a
typo (`duraton: 2h`) would otherwise silently mean "no duration". Custom data goes
under keys starting with `x-`, which procmap keeps and carries into JSON output.

Failing:

    - id: Triage Step       # spaces are not allowed in ids
      duraton: 30           # unknown key (did you mean `duration`?), and no unit

Passing:

    - id: triage
      name: Triage Step
      duration: 30m
      x-jira: CS-123
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("schema", Severity.ERROR,
            "missing field, wrong type, bad id/duration/rate, or unknown key", phase="load",
            configurable=False)
