"""A BPMN element was imported, but its meaning changed on the way.

Boundary events become a decision after their activity, inclusive, event-based and
complex gateways become exclusive decisions, and a terminate end becomes a plain end.
Elements no flow from the start reaches are left out, and a loop no path leaves (ended
by a terminate end elsewhere) gets a way out to a new end, so that the result validates.
The imported process is close to the model but not the same: check these steps.

Failing:

    <bpmn:inclusiveGateway id="Gateway_2" name="Which documents?"/>

Passing:

    <bpmn:exclusiveGateway id="Gateway_2" name="Which documents?"/>
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("import-lossy", Severity.WARNING,
            "a BPMN element was imported with a changed meaning", phase="import")
