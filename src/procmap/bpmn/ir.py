"""What the reader hands to the rewrites: processes as plain graphs of BPMN nodes.

Nothing here knows XML or YAML. Node keys are BPMN ids (or synthetic keys for steps
procmap adds); procmap step ids are chosen at the very end, in `procmap.bpmn.emit`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procmap.findings import Finding, Severity

#: import rule ids and their severities (documented in docs/bpmn.md)
UNSUPPORTED = ("import-unsupported", Severity.WARNING)  # dropped: format 1 has no place
LOSSY = ("import-lossy", Severity.WARNING)  # kept, but its meaning changed
NOTE = ("import-note", Severity.INFO)  # a rewrite that keeps the meaning; FYI


@dataclass
class Flow:
    """A transition to be: a sequence flow, or one procmap adds."""

    target: str
    when: str | None = None
    condition: str | None = None  # a conditionExpression's text, when there is a name
    conditional: bool = False  # the flow has a conditionExpression
    default: bool = False  # the gateway's default flow
    data: dict[str, Any] = field(default_factory=dict)  # probability, x- keys (restored)


@dataclass
class Node:
    key: str
    kind: str  # a procmap kind: start, end, task, approval, decision, parallel, ...
    element: str  # BPMN element name ("userTask"), or "" for steps procmap adds
    name: str | None = None
    role: str | None = None  # role key (see `Role.key`)
    line: int = 0
    column: int = 0
    bpmn_id: str | None = None
    description: str | None = None
    next: list[Flow] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # step fields and x- keys
    restored: bool = False  # procmap's own export: `data` holds the exact step
    gateway: bool = False  # a BPMN gateway: may be folded away when it only merges
    outcome_of: bool = False  # procmap's approval-outcome gateway: folds into the approval
    called: str | None = None  # callActivity / extracted sub-process: process key
    id_base: str | None = None  # steps procmap adds: their id, or a suffix of...
    id_from: str | None = None  # ...the id of this node (e.g. '<task>-split')


@dataclass
class Role:
    key: str  # the lane's display name, or the procmap id of a restored role
    name: str | None
    data: dict[str, Any] = field(default_factory=dict)  # restored role fields
    restored: bool = False


@dataclass
class Process:
    key: str  # BPMN process id (or sub-process id for extracted ones)
    name: str
    line: int = 0
    bpmn_id: str | None = None
    description: str | None = None
    nodes: dict[str, Node] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # restored process fields
    restored: bool = False
    anonymous: bool = False  # neither the pool nor the process has a name
    pooled: bool = False  # a participant (pool) of a collaboration shows it
    pool_role: str | None = None  # role key for work outside any lane (inner processes)
    lanes: list[str] = field(default_factory=list)  # role keys in diagram order
    parent: str | None = None  # extracted from this process's sub-process
    called_by_role: str | None = None  # role key of the first step that calls it
    id: str = ""  # procmap id, chosen by emit


@dataclass
class Model:
    """Everything read from one BPMN file."""

    path: str
    name: str | None  # definitions/@name
    processes: list[Process] = field(default_factory=list)
    roles: dict[str, Role] = field(default_factory=dict)  # in lane order
    findings: list[Finding] = field(default_factory=list)

    def role_for_name(self, name: str) -> str:
        """The role key of a lane (or pool) name; one role per distinct name."""
        key = f"name:{name}"
        if key not in self.roles:
            self.roles[key] = Role(key, name)
        return key

    def report(self, rule: tuple[str, Severity], line: int, column: int, message: str,
               process: str | None = None, step: str | None = None,
               **extra: Any) -> None:
        self.findings.append(Finding(self.path, line, column, rule[0], rule[1], message,
                                     process=process, step=step,
                                     extra={k: v for k, v in extra.items() if v}))
