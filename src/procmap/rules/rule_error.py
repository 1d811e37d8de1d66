"""A rule failed on this input: procmap reports it and goes on with the other rules.

A bug in one rule must not abort a run or hide the other rules' findings. The finding
names the rule and the exception; please report it (with the input, if you can share it)
so the rule can be fixed. It is an error, so CI does not pass on a half-checked input,
and it cannot be turned off.

Failing:

    # any input on which a rule raises an exception (a procmap bug)

Passing:

    # every rule ran to the end
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("rule-error", Severity.ERROR, "a rule failed on this input (a procmap bug)",
            phase="engine", configurable=False)
