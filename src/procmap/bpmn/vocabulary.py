"""The one BPMN vocabulary of procmap: namespaces, procmap's extension names, and the
tables between procmap kinds and BPMN element names. Export and import both read it.

Nothing here imports lxml: the names are plain strings, ``{namespace}local`` where an
lxml tag is wanted (`bpmn_tag`, `procmap_tag`).
"""

from __future__ import annotations

from procmap.model import Kind

NS_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS_BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
NS_DC = "http://www.omg.org/spec/DD/20100524/DC"
NS_DI = "http://www.omg.org/spec/DD/20100524/DI"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_PROCMAP = "https://procmap.dev/schema/bpmn/1"

#: prefixes written on export (the BPMN namespace is the default one)
NSMAP: dict[str | None, str] = {None: NS_BPMN, "bpmndi": NS_BPMNDI, "dc": NS_DC,
                                "di": NS_DI, "xsi": NS_XSI, "procmap": NS_PROCMAP}


def bpmn_tag(local: str) -> str:
    return f"{{{NS_BPMN}}}{local}"


def procmap_tag(local: str) -> str:
    return f"{{{NS_PROCMAP}}}{local}"


# ---------------------------------------------------------------- procmap's extension

#: procmap:kind on a BPMN element: an approval, and the gateway of its outcomes
KIND_ATTRIBUTE = "kind"
APPROVAL = "approval"
APPROVAL_OUTCOME = "approval-outcome"

#: extension elements inside ``extensionElements``
PROCESS, ROLE, STEP, TRANSITION = "process", "role", "step", "transition"
TAG, CONSULTED, INFORMED, EXTENSIONS = "tag", "consulted", "informed", "extensions"
#: list fields written as child elements: field -> child element (text content)
LIST_CHILDREN = {"activity": "activity", "inputs": "input", "outputs": "output"}

#: procmap:process attributes (attribute name = format-1 field)
PROCESS_FIELDS = ("id", "owner", "version", "sla", "demand", "purpose", "scope")
#: procmap:step attributes (attribute name = format-1 field); `unnamed` marks a step
#: without a name (bpmn-js shows the id instead)
STEP_FIELDS = ("kind", "role", "duration", "wait", "sla", "deadline", "accountable", "of",
               "process", "system", "instructions")
#: procmap:role attribute -> format-1 field
ROLE_FIELDS = {"name": "name", "capacity": "capacity", "availability": "availability",
               "reportsTo": "reports_to", "description": "description",
               "calendar": "calendar", "timezone": "timezone", "cost": "cost"}
#: a varying duration ({median, p90}) is written as ``<field>Median`` and ``<field>P90``
SPREAD_FIELDS = ("duration", "wait")

# ---------------------------------------------------------------- kinds and tags

#: procmap kind -> the BPMN element it is exported as
EXPORT_TAGS = {
    Kind.START: "startEvent", Kind.END: "endEvent", Kind.TASK: "userTask",
    Kind.APPROVAL: "userTask", Kind.DECISION: "exclusiveGateway",
    Kind.PARALLEL: "parallelGateway", Kind.SUBPROCESS: "callActivity",
    Kind.WAIT: "intermediateCatchEvent",
}
#: BPMN element -> the render shape family whose size it gets in the diagram
SHAPES = {"startEvent": "event", "endEvent": "event", "intermediateCatchEvent": "event",
          "userTask": "task", "callActivity": "task", "exclusiveGateway": "gateway",
          "parallelGateway": "gateway"}
#: BPMN element -> the procmap kind it imports as (events: see the reader)
TASKS = frozenset({"task", "userTask", "serviceTask", "manualTask", "scriptTask",
                   "sendTask", "receiveTask", "businessRuleTask"})
SUBPROCESSES = frozenset({"subProcess", "adHocSubProcess", "transaction"})
GATEWAYS = {"exclusiveGateway": "decision", "parallelGateway": "parallel",
            "inclusiveGateway": "decision", "eventBasedGateway": "decision",
            "complexGateway": "decision"}
EVENTS = frozenset({"startEvent", "endEvent", "intermediateCatchEvent",
                    "intermediateThrowEvent"})
GLOBAL_TASKS = frozenset({"globalTask", "globalUserTask", "globalManualTask",
                          "globalScriptTask", "globalBusinessRuleTask"})
DATA = frozenset({"dataObject", "dataObjectReference", "dataStoreReference", "dataInput",
                  "dataOutput", "property", "ioSpecification", "ioBinding"})
ARTIFACTS = frozenset({"textAnnotation", "association", "group"})
