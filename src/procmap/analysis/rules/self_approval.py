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
from procmap.analysis.advice import Suggestion, conflicts
from procmap.analysis.audit import AuditContext
from procmap.analysis.metrics import ProcessAnalysis
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import Kind, Step
from procmap.rules.base import Rule

RULE = Rule("self-approval", Severity.WARNING,
            "an approval by the role of the task it approves", phase="audit")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for analysis, _metrics in ctx.analysed:
        graph = analysis.graph
        for node, step in enumerate(graph.steps):
            if step.kind is not Kind.APPROVAL or step.role is None or node not in graph.idom:
                continue
            task = graph.idom.get(node)
            while task is not None and graph.steps[task].kind is not Kind.TASK:
                task = graph.idom.get(task)
            if task is None or graph.steps[task].role != step.role:
                continue
            yield _finding(ctx, analysis, step, graph.steps[task])


def _finding(ctx: AuditContext, analysis: ProcessAnalysis, step: Step, task: Step
             ) -> Finding:
    hours = analysis.metrics.expected_hours.get(step.id, 0.0) if analysis.metrics else 0.0
    boss = ctx.role(step.role)
    suggestion = None
    other = ""
    if boss is not None and boss.reports_to:
        suggestion = Suggestion((("role", boss.reports_to),), process=analysis.id,
                                step=step.id)
        if conflicts(ctx, suggestion, RULE.id):
            suggestion = None  # the boss would raise another finding: name no one
        else:
            other = _(" such as {boss}").format(
                boss=wording.name(ctx.role_label(boss.reports_to)))
    return ctx.at_step(RULE, analysis.entry, step.id, _(
        "{step} is approved by {role}, the role that did {task}: {hours} per case buys no "
        "four-eyes check; give the approval to another role{other}").format(
            step=wording.name(step.label), role=wording.name(ctx.role_label(step.role or "")),
            task=wording.name(task.label), hours=wording.hours(hours), other=other),
        "role", role=step.role, cost=0.0, suggestion=suggestion)
