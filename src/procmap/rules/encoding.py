"""The file is not UTF-8 text, or contains control characters YAML does not allow.

procmap reads UTF-8 (with or without a byte-order mark). UTF-16, UTF-32, GBK and binary
files are reported with the byte's position and the command that converts the file.

Failing:

    a file saved as GBK by an old editor: 名称 bytes are not UTF-8

Passing:

    the same file saved as UTF-8
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("encoding", Severity.ERROR, "the file is not UTF-8 text", phase="load",
            configurable=False)
