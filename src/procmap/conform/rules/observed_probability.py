"""The observed share of cases taking a way out of a decision or approval, against its
designed `probability`.

Reported for every such transition the log shows (info), as a warning when the observed
share differs from the designed one by more than `observed-probability-gap` over at least
`observed-min-cases` cases.

Failing:

    # half the cases really escalate
    steps:
      - id: classify
        kind: decision
        next:
          - {to: escalate, probability: 0.1}
          - {to: resolve, probability: 0.9}

Passing:

    steps:
      - id: classify
        kind: decision
        next:
          - {to: escalate, probability: 0.5}
          - {to: resolve, probability: 0.5}
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from procmap.conform.rules import ConformContext, label
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Option, Rule

RULE = Rule("observed-probability", Severity.INFO,
            "the observed share of a transition against its designed probability (warning "
            "beyond {observed-probability-gap} over {observed-min-cases} cases)",
            phase="conform",
            options=(Option("observed-probability-gap", 0.1, "how far an observed share may "
                            "be from the designed probability before conform warns",
                            maximum=1.0),
                     Option("observed-min-cases", 30.0, "how many cases (or timed visits) "
                            "an observed value needs before conform warns about it")))


def check(ctx: ConformContext) -> Iterator[Finding]:
    gap = ctx.threshold("observed-probability-gap")
    least = ctx.threshold("observed-min-cases")
    for report in ctx.reports:
        totals: dict[str, int] = {}
        for item in report.data["transitions"]:
            totals[item["from"]] = totals.get(item["from"], 0) + item["cases"]
        for item in report.data["transitions"]:
            observed = item["observed_probability"]
            if observed is None:
                continue
            designed = item["designed_probability"]
            values = {"source": label(report, item["from"]),
                      "target": label(report, item["to"]),
                      "observed": f"{observed:.3f}", "cases": item["cases"]}
            if designed is None:
                text = _("'{source}' -> '{target}': {observed} of the cases ({cases}); no "
                         "probability designed").format(**values)
                off = False
            else:
                text = _("'{source}' -> '{target}': {observed} of the cases ({cases}); "
                         "designed {designed}").format(designed=f"{designed:g}", **values)
                off = abs(observed - designed) > gap and totals[item["from"]] >= least
            finding = ctx.at(RULE, report, item["from"], text, "next", item["index"],
                             observed_probability=observed, designed_probability=designed,
                             cases=item["cases"])
            yield replace(finding, severity=Severity.WARNING) if off else finding
