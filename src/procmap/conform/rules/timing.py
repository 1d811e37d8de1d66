"""What observed-wait and observed-duration share (not a rule: no RULE here)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from procmap.conform.rules import ConformContext
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.rules.base import Rule
from procmap.text.units import short_duration


def timing_findings(ctx: ConformContext, rule: Rule, what: str) -> Iterator[Finding]:
    ratio = ctx.threshold("observed-ratio")
    least = ctx.threshold("observed-min-cases")
    for report in ctx.reports:
        for step_id, step in report.data["steps"].items():
            observed = step[f"{what}_hours"]
            if observed["p50"] is None:
                continue
            designed = (step["designed"][f"{what}_hours"] or {}).get("p50")
            values = {"step": step["name"], "p50": short_duration(observed["p50"]),
                      "p90": short_duration(observed["p90"] or 0.0)}
            if designed:
                values["designed"] = short_duration(designed)
                off = step["timed"][what] >= least and (
                    observed["p50"] > designed * ratio or observed["p50"] * ratio < designed)
                text = (_("'{step}': observed wait p50 {p50}, p90 {p90}; designed {designed}")
                        if what == "wait" else
                        _("'{step}': observed duration p50 {p50}, p90 {p90}; designed "
                          "{designed}")).format(**values)
            else:
                off = False
                text = (_("'{step}': observed wait p50 {p50}, p90 {p90}; none designed")
                        if what == "wait" else
                        _("'{step}': observed duration p50 {p50}, p90 {p90}; none designed")
                        ).format(**values)
            finding = ctx.at(rule, report, step_id, text, what,
                             observed_p50_hours=observed["p50"],
                             observed_p90_hours=observed["p90"],
                             designed_p50_hours=designed)
            yield replace(finding, severity=Severity.WARNING) if off else finding
