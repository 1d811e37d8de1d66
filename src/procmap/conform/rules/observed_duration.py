"""The observed working time of a step, against the designed `duration`.

Needs start and complete events. Reported for every step the log times (info), as a
warning when the observed median is more than `observed-ratio` times the designed median,
or less than its inverse.

Failing:

    # diagnosis really takes about 5 hours
    steps:
      - {id: diagnose, role: tech-support, duration: 2h, next: done}

Passing:

    steps:
      - {id: diagnose, role: tech-support, duration: {median: 5h, p90: 9h}, next: done}
"""

from __future__ import annotations

from collections.abc import Iterator

from procmap.conform.rules import ConformContext
from procmap.conform.rules.timing import timing_findings
from procmap.findings import Finding, Severity
from procmap.rules.base import Option, Rule

RULE = Rule("observed-duration", Severity.INFO,
            "the observed working time of a step against the designed one (warning beyond "
            "{observed-ratio}x)", phase="conform",
            options=(Option("observed-ratio", 2.0, "how many times the designed median an "
                            "observed median may be (or its inverse) before conform warns",
                            minimum=1.0),
                     Option("observed-min-cases", 30.0, "how many cases (or timed visits) "
                            "an observed value needs before conform warns about it")))


def check(ctx: ConformContext) -> Iterator[Finding]:
    yield from timing_findings(ctx, RULE, "duration")
