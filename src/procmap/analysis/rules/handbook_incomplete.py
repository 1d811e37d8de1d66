"""What the handbook would show as a gap: a customer-facing step without `instructions`,
or a role without a `description` (`procmap handbook`).

The handbook is what new staff read: a step the customer notices needs its "how to" in
writing, and a role's responsibility page (职责说明书) starts with what the role is for.
A step is customer-facing when it consults or informs an outside party: a role that does
no step, owns no process, is accountable for nothing and sits in no reporting line (the
customer, a supplier). Every role the processes name needs a description. The rule runs
in `procmap handbook`, not in `procmap audit`.

Failing:

    procmap: 1
    id: refund
    name: 退款
    owner: cs-manager
    roles:
      - {id: cs-manager, name: 客服经理, description: 客服中心负责人。}
      - {id: cs-agent, name: 客服专员, reports_to: cs-manager}
      - {id: customer, name: 客户, description: 外部角色。}
    steps:
      - {id: received, kind: start, next: reply}
      - {id: reply, name: 答复客户, role: cs-agent, informed: customer, next: done}
      - {id: done, kind: end}

Passing:

    procmap: 1
    id: refund
    name: 退款
    owner: cs-manager
    roles:
      - {id: cs-manager, name: 客服经理, description: 客服中心负责人。}
      - {id: cs-agent, name: 客服专员, reports_to: cs-manager, description: 一线客服。}
      - {id: customer, name: 客户, description: 外部角色。}
    steps:
      - {id: received, kind: start, next: reply}
      - id: reply
        name: 答复客户
        role: cs-agent
        informed: customer
        instructions: 电话告知客户处理结果，并在 CRM 中记录。
        next: done
      - {id: done, kind: end}
"""

from collections.abc import Iterator

from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.model import WORK_KINDS
from procmap.rules.base import Rule

RULE = Rule("handbook-incomplete", Severity.INFO,
            "a customer-facing step without instructions, or a role without a description",
            phase="audit")


def _outside_parties(ctx: AuditContext) -> set[str]:
    """Roles that appear only as consulted or informed: the customer, a supplier."""
    inside: set[str] = set()
    named: set[str] = set()
    for entry in ctx.workspace.processes:
        process = entry.process
        inside.update(r for r in (process.owner,) if r)
        for step in process.steps:
            inside.update(r for r in (step.role, step.accountable) if r)
            named.update(step.consulted)
            named.update(step.informed)
    for role_id, definition in ctx.workspace.roles.items():
        if definition.role.reports_to:
            inside.update((role_id, definition.role.reports_to))
    return named - inside


def check(ctx: AuditContext) -> Iterator[Finding]:
    from procmap.i18n import _

    outside = _outside_parties(ctx)
    described: set[str] = set()
    for entry in ctx.entries:
        process = entry.process
        for step in process.steps:
            if step.kind not in WORK_KINDS or step.instructions:
                continue
            parties = [p for p in (*step.consulted, *step.informed) if p in outside]
            if parties:
                yield ctx.at_step(RULE, entry, step.id, _(
                    "'{step}' involves {party} but has no `instructions`: the handbook "
                    "shows the step without saying how to do it").format(
                        step=step.label, party=ctx.role_label(parties[0])),
                    "id", role=step.role)
        yield from _roles(ctx, entry, described)


def _roles(ctx: AuditContext, entry: object, described: set[str]) -> Iterator[Finding]:
    from procmap.i18n import _
    from procmap.model import ProcessEntry

    assert isinstance(entry, ProcessEntry)
    process = entry.process
    used = [process.owner] if process.owner else []
    for step in process.steps:
        used += [r for r in (step.role, step.accountable, *step.consulted, *step.informed) if r]
    for role_id in dict.fromkeys(used):
        definition = ctx.workspace.roles.get(role_id)
        if role_id in described or definition is None or definition.role.description:
            continue
        described.add(role_id)
        yield ctx._finding(RULE, definition.doc, definition.path, False, _(
            "role '{role}' has no `description`: its responsibility page in the handbook "
            "starts empty").format(role=definition.role.label), process.id, None, role_id,
            None, None)
