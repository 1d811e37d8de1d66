"""A file beyond procmap's size bounds: over 10 MiB, nested deeper than 64 levels, or a
single value over 100,000 characters.

These bounds keep `procmap validate` instant and safe on any input: a huge or hostile
file is reported, never a hang, a crash or a memory blow-up. Real processes stay far
below them; a process that does not should be split into subprocesses.

Failing:

    x-data: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ ... 100,000 levels ... ]]]]]]]]]]

Passing:

    x-data: [[1, 2], [3, 4]]
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("yaml-limit", Severity.ERROR, "a file beyond size, depth or value-length bounds",
            phase="load", configurable=False)
