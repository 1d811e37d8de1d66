"""Which lane (role) each step is drawn in.

Work steps have their own `role`. Events and gateways without one take the lane of a
neighbour: a start the lane of what it starts, everything else the lane of the step
that leads into it (a decision is made where the work before it was done; an end is
reached in the lane of the last work). Chains of role-less steps are followed until a
role is found.
"""

from __future__ import annotations

from procmap.model.process import Kind, Process, Step


def step_lanes(process: Process, fallback: str) -> dict[str, str]:
    """Step id -> role id, for every step. `fallback` is used when no neighbour has a role
    (e.g. a process of events only), normally the process owner or the first role."""
    lanes: dict[str, str] = {s.id: s.role for s in process.steps if s.role}
    predecessors: dict[str, list[str]] = {}
    for step in process.steps:
        for target in step.targets:
            predecessors.setdefault(target, []).append(step.id)
    pending = [s for s in process.steps if s.id not in lanes]
    # Propagate roles outward: each pass settles steps next to settled ones.
    while pending:
        still: list[Step] = []
        for step in pending:
            lane = _from_neighbours(step.id, step.kind, step.targets,
                                    predecessors.get(step.id, []), lanes)
            if lane is None:
                still.append(step)
            else:
                lanes[step.id] = lane
        if len(still) == len(pending):
            for step in still:
                lanes[step.id] = fallback
            break
        pending = still
    return lanes


def _from_neighbours(step_id: str, kind: Kind, successors: list[str],
                     predecessors: list[str], lanes: dict[str, str]) -> str | None:
    ordered = (successors + predecessors) if kind is Kind.START else (
        predecessors + successors)
    for neighbour in ordered:
        if neighbour in lanes and neighbour != step_id:
            return lanes[neighbour]
    return None


def process_lanes(process: Process, role_order: list[str]) -> list[str]:
    """The lanes a process's diagram shows, in workspace role order (catalog roles first,
    then process roles); roles this process never puts a step in are left out."""
    fallback = process.owner or (role_order[0] if role_order else "")
    used = set(step_lanes(process, fallback).values())
    lanes = [role for role in role_order if role in used]
    lanes.extend(sorted(used - set(lanes)))  # unknown roles (validate reports them) last
    return lanes
