"""Synthetic process repositories for the benchmarks (deterministic for a given seed).

Each process is a realistic shape: a start, a chain of tasks in several roles, exclusive
decisions with probabilities, an approval with a rework loop, a parallel fork/join and an
end. Names mix Chinese and English like real customer-service repositories.
"""

from __future__ import annotations

import itertools
import os
import random
import sys

ROLES = [f"role-{i:02d}" for i in range(20)]


def catalog() -> str:
    lines = ["procmap: 1", "roles:"]
    for index, role in enumerate(ROLES):
        lines += [f"  - id: {role}", f"    name: 角色{index} Role {index}",
                  f"    capacity: {1 + index % 5}", "    availability: 7h/d"]
        if index:
            lines.append(f"    reports_to: {ROLES[(index - 1) // 3]}")
    return "\n".join(lines) + "\n"


def process(process_id: str, steps: int, seed: int, roles: int = 20) -> str:
    """A process of about `steps` steps (blocks of 10: tasks, decision, approval, fork)."""
    rng = random.Random(seed)
    lanes = ROLES[:roles]
    out = ["procmap: 1", f"id: {process_id}", f"name: 流程 {process_id}",
           "owner: role-00", "sla: 30d", "demand: 5/d", "steps:",
           "  - id: s0", "    name: 开始", "    kind: start", "    next: b0-t0"]
    blocks = max(1, round((steps - 2) / 10))
    for b in range(blocks):
        nxt = f"b{b + 1}-t0" if b + 1 < blocks else "done"
        p = f"b{b}"
        def task(sid: str, to: str) -> None:
            out.extend([f"  - id: {sid}", f"    name: 任务 {sid} handle case",
                        f"    role: {rng.choice(lanes)}",
                        f"    duration: {rng.randint(5, 90)}m",
                        f"    wait: {rng.randint(0, 8)}h",
                        f"    next: {to}"])
        task(f"{p}-t0", f"{p}-d")
        out.extend([f"  - id: {p}-d", "    kind: decision", "    next:",
                    f"      - to: {p}-t1", "        when: 简单", "        probability: 0.7",
                    f"      - to: {p}-t2", "        when: 复杂", "        probability: 0.3"])
        task(f"{p}-t1", f"{p}-a")
        task(f"{p}-t2", f"{p}-a")
        out.extend([f"  - id: {p}-a", "    name: 审批", "    kind: approval",
                    f"    role: {rng.choice(lanes)}", "    duration: 10m", "    of: case",
                    "    next:",
                    f"      - to: {p}-f", "        when: 批准", "        probability: 0.9",
                    f"      - to: {p}-t0", "        when: 退回", "        probability: 0.1"])
        out.extend([f"  - id: {p}-f", "    kind: parallel", f"    next: [{p}-t3, {p}-t4]"])
        task(f"{p}-t3", f"{p}-j")
        task(f"{p}-t4", f"{p}-j")
        out.extend([f"  - id: {p}-j", "    kind: parallel", f"    next: {p}-t5"])
        task(f"{p}-t5", nxt)
    out.extend(["  - id: done", "    name: 结束", "    kind: end"])
    return "\n".join(out) + "\n"


def repository(directory: str, files: int, steps: int) -> str:
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "roles.yaml"), "w", encoding="utf-8") as handle:
        handle.write(catalog())
    for index in range(files):
        with open(os.path.join(directory, f"p{index:04d}.yaml"), "w",
                  encoding="utf-8") as handle:
            handle.write(process(f"p{index:04d}", steps, seed=index))
    return directory


if __name__ == "__main__":
    target, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    repository(target, count, size)


BPMN_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><definitions '
             'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" '
             'targetNamespace="https://example.com">')


def bpmn_gateway_chain(gateways: int) -> bytes:
    """A start, `gateways` pass-through exclusive gateways in a row, a task, an end."""
    out = [BPMN_HEAD, '<process id="p"><startEvent id="s"/>']
    out += [f'<exclusiveGateway id="g{i}"/>' for i in range(gateways)]
    out.append('<task id="t" name="Work"/><endEvent id="e"/>')
    chain = ["s", *(f"g{i}" for i in range(gateways)), "t", "e"]
    out += [f'<sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>'
            for i, (a, b) in enumerate(itertools.pairwise(chain))]
    out.append("</process></definitions>")
    return "".join(out).encode()


def bpmn_pools(pools: int) -> bytes:
    """`pools` pools of one small process each, all on one line."""
    out = [BPMN_HEAD, '<collaboration id="c">']
    out += [f'<participant id="pa{i}" name="Pool {i}" processRef="p{i}"/>'
            for i in range(pools)]
    out.append("</collaboration>")
    out += [f'<process id="p{i}"><startEvent id="s{i}"/><task id="t{i}" name="Work"/>'
            f'<endEvent id="e{i}"/><sequenceFlow id="a{i}" sourceRef="s{i}" '
            f'targetRef="t{i}"/><sequenceFlow id="b{i}" sourceRef="t{i}" '
            f'targetRef="e{i}"/></process>' for i in range(pools)]
    out.append("</definitions>")
    return "".join(out).encode()
