"""A mapping repeats a key.

YAML loaders silently keep only one of the values, so half of what was written is
lost without a word. procmap keeps the first and flags every repetition.

Failing:

    - id: triage
      duration: 30m
      duration: 1h

Passing:

    - id: triage
      duration: 1h
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("duplicate-key", Severity.ERROR, "a mapping repeats a key", phase="load",
            configurable=False)
