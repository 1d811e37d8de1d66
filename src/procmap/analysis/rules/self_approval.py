"""An approval by the same role that did the work it approves: no four-eyes check.

The work approved is the nearest `task` before the approval on every path (its nearest
dominating task). If that task's role is the approval's role, people approve their own
work.

Failing:

    - {id: draft-offer, role: sales, duration: 1h, next: approve-offer}
    - id: approve-offer
      kind: approval
      role: sales
      next: [{to: send, when: ok}, {to: draft-offer, when: redo}]

Passing:

    - {id: draft-offer, role: sales, duration: 1h, next: approve-offer}
    - id: approve-offer
      kind: approval
      role: sales-manager
      next: [{to: send, when: ok}, {to: draft-offer, when: redo}]
"""

from collections.abc import Iterator

from procmap.analysis import wording
from procmap.analysis.audit import AuditContext
from procmap.findings import Finding, Severity
from procmap.model import Kind
from procmap.rules.base import Rule

RULE = Rule("self-approval", Severity.WARNING,
            "an approval by the role of the task it approves", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, metrics in ctx.analysed:
        graph = analysis.graph
        for node, step in enumerate(graph.steps):
            if step.kind is not Kind.APPROVAL or step.role is None or node not in graph.idom:
                continue
            task = graph.idom.get(node)
            while task is not None and graph.steps[task].kind is not Kind.TASK:
                task = graph.idom.get(task)
            if task is None or graph.steps[task].role != step.role:
                continue
            cost = metrics.expected_hours.get(step.id, 0.0)
            boss = ctx.role(step.role)
            other = f" such as '{boss.reports_to}'" if boss is not None and boss.reports_to \
                else ""
            yield ctx.at_step(RULE, analysis.entry, step.id, (
                f"'{step.id}' is approved by '{step.role}', the role that did "
                f"'{graph.ids[task]}': {wording.hours(cost)} per case buys no four-eyes "
                f"check; give the approval to another role{other}"),
                "role", role=step.role, cost=cost)
