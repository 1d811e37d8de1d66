"""Cases in the event log did something the process does not allow.

Each deviation the replay finds (conform.md: `unknown-activity`,
`unmodelled-transition`, `skipped-step`, `missing-start`, `missing-end`) with how many
cases and an example case, at the step concerned (the process for an unknown activity).
Accept the ones that are fine with `[conform] accept` in procmap.toml, e.g.
`accept = [{kind = "skipped-step", step = "survey"}]`.

Failing:

    # the log has cases going from triage straight to close
    steps:
      - {id: received, kind: start, next: triage}
      - {id: triage, role: cs-agent, duration: 20m, next: resolve}
      - {id: resolve, role: cs-agent, duration: 1h, next: close}
      - {id: close, role: cs-agent, duration: 5m, next: done}
      - {id: done, kind: end}

Passing:

    # the model allows it
    steps:
      - {id: received, kind: start, next: triage}
      - {id: triage, role: cs-agent, duration: 20m, next: route}
      - {id: route, kind: decision, next: [resolve, close]}
      - {id: resolve, role: cs-agent, duration: 1h, next: close}
      - {id: close, role: cs-agent, duration: 5m, next: done}
      - {id: done, kind: end}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from procmap.conform.rules import ConformContext, label
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Rule

RULE = Rule("observed-deviation", Severity.WARNING,
            "cases in the event log deviate from the process", phase="conform")


def check(ctx: ConformContext) -> Iterator[Finding]:
    for report in ctx.reports:
        cases = report.data["cases"] or 1
        for item in report.data["deviations"]:
            share = item["cases"] / cases
            text = _message(report, item, cases=item["cases"], share=f"{share:.1%}",
                            example=item["example_case"])
            extra = {"kind": item["kind"], "cases": item["cases"],
                     "example_case": item["example_case"]}
            step = item.get("step") or item.get("from") or item.get("to")
            if item["kind"] == "unknown-activity" or step is None:
                yield ctx.at_process(RULE, report, text, **extra)
            elif item["kind"] == "unmodelled-transition" and item.get("from"):
                yield ctx.at(RULE, report, item["from"], text, "next", **extra)
            else:
                yield ctx.at(RULE, report, step, text, **extra)


def _message(report: Any, item: dict[str, Any], **values: Any) -> str:
    kind = item["kind"]
    names = {"source": label(report, item.get("from")), "target": label(report, item.get("to")),
             "step": label(report, item.get("step")), **values}
    if kind == "unknown-activity":
        other = item.get("other_process")
        text = (_("{cases} cases ({share}) have the activity '{activity}', which belongs "
                  "to the process '{other}', not to this one (e.g. case {example})")
                if other else
                _("{cases} cases ({share}) have the activity '{activity}', which is no "
                  "step of this process: add it as a step or to a step's `activity` "
                  "(e.g. case {example})"))
        return text.format(activity=item.get("activity"), other=other, **values)
    text = {
        "unmodelled-transition": _("{cases} cases ({share}) go from '{source}' to "
                                   "'{target}', which the process does not allow (e.g. "
                                   "case {example})"),
        "skipped-step": _("{cases} cases ({share}) skip '{step}' on the way from "
                          "'{source}' to '{target}' (e.g. case {example})"),
        "missing-start": _("{cases} cases ({share}) begin at '{step}', which the start "
                           "does not lead to without another step (e.g. case {example})"),
        "missing-end": _("{cases} cases ({share}) stop after '{step}', where the process "
                         "cannot end without another step (e.g. case {example})"),
    }.get(kind, _("{cases} cases ({share}) deviate (e.g. case {example})"))
    return text.format(**names)
