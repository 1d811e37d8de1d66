"""A BPMN element that format 1 has no place for was left out on import.

`procmap import` never drops anything silently: message flows between pools, data
objects and stores, associations, text annotations and groups have no equivalent in a
procmap process, so each one is reported with its BPMN id and its line in the file.
Keep the BPMN file if you need them, or describe them in a step's `description`.

Failing:

    <bpmn:messageFlow id="Flow_9" sourceRef="Task_1" targetRef="Task_7"/>

Passing:

    <bpmn:sequenceFlow id="Flow_1" sourceRef="Task_1" targetRef="Task_2"/>
"""

from procmap.findings import Severity
from procmap.rules.base import Rule

RULE = Rule("import-unsupported", Severity.WARNING,
            "a BPMN element with no format-1 equivalent was left out", phase="import")
