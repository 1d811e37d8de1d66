"""pydantic models of format 1 and the workspace of one invocation. No YAML, no I/O."""

from procmap.model.process import (
    CHOICE_KINDS,
    WORK_KINDS,
    Catalog,
    Kind,
    Process,
    Role,
    Step,
    Transition,
)
from procmap.model.workspace import ProcessEntry, RoleEntry, Workspace, build_workspace

__all__ = [
    "CHOICE_KINDS", "WORK_KINDS", "Catalog", "Kind", "Process", "ProcessEntry", "Role",
    "RoleEntry", "Step", "Transition", "Workspace", "build_workspace",
]
