"""The observed wait before a step, against the designed `wait`.

Reported for every step the log shows with start events (info), as a warning when the
observed median is more than `observed-ratio` times the designed median, or less than its
inverse, over at least `observed-min-cases` observations. `procmap conform
--calibrate` writes the observed values into the file.

Failing:

    # cases really wait about 6 hours before triage
    steps:
      - {id: triage, role: cs-agent, wait: 1h, duration: 20m, next: done}

Passing:

    steps:
      - {id: triage, role: cs-agent, wait: {median: 6h, p90: 14h}, duration: 20m, next: done}
"""

from __future__ import annotations

from collections.abc import Iterator

from procmap.conform.rules import ConformContext
from procmap.conform.rules.timing import timing_findings
from procmap.findings import Finding, Severity
from procmap.rules.base import Option, Rule

RULE = Rule("observed-wait", Severity.INFO,
            "the observed wait before a step against the designed one (warning beyond "
            "{observed-ratio}x)", phase="conform",
            options=(Option("observed-ratio", 2.0, "how many times the designed median an "
                            "observed median may be (or its inverse) before conform warns",
                            minimum=1.0),
                     Option("observed-min-cases", 30.0, "how many cases (or timed visits) "
                            "an observed value needs before conform warns about it")))


def check(ctx: ConformContext) -> Iterator[Finding]:
    yield from timing_findings(ctx, RULE, "wait")
