"""Cases bounce A -> B -> A between two roles on consecutive steps.

Steps without a role (events, gateways) are transparent. Each bounce is two handoffs,
two queues and usually a question the first role could have answered. Counted with the
expected number of times a case makes the round trip.

Failing:

    - {id: register, role: cs-agent, next: check}
    - {id: check, role: cs-lead, wait: 1h, duration: 10m, next: reply}
    - {id: reply, role: cs-agent, next: done}

Passing:

    - {id: register, role: cs-agent, next: check}
    - {id: check, role: cs-agent, duration: 10m, next: reply}
    - {id: reply, role: cs-agent, next: done}
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.rules.base import Rule

RULE = Rule("ping-pong-handoff", Severity.WARNING,
            "A -> B -> A between two roles on consecutive steps", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        for step in analysis.entry.process.steps:
            if step.role is None:
                continue
            arriving = metrics.roles_in.get(step.id, {})
            leaving = metrics.roles_out.get(step.id, {})
            for role, count_in in arriving.items():
                if role == step.role or role not in leaving:
                    continue
                count = count_in * leaving[role]
                if count <= 1e-12:
                    continue
                cost = count * metrics.step_time[step.id]
                yield ctx.at_step(RULE, analysis.entry, step.id, (
                    f"cases go {role} -> {step.role} -> {role} through '{step.id}' "
                    f"({wording.number(count)} round trips per case), {wording.hours(cost)} "
                    f"per case of extra queueing and work; let {role} do '{step.id}', or give "
                    f"{role} what it needs up front"), "role", role=step.role, cost=cost)
