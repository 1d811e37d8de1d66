"""The file is not valid YAML.

procmap reports the parser's own position (tabs used for indentation, an unclosed
quote or bracket, a bad indentation level, several documents in one file) so the fix
is one jump away. Nothing else in the file is checked until it parses.

Failing:

    steps:
    <TAB>- id: intake    # a tab character indents this line

Passing:

    steps:
      - id: intake
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("yaml-syntax", Severity.ERROR, "the file is not valid YAML", phase="load",
            configurable=False)
