"""The writers of `procmap conform` (formats.py, `# conform`): text, parsable, json,
markdown, html (Jinja2, autoescaped, self-contained, with a Content-Security-Policy),
github and sarif. Every string for people goes through `_()`; users' names are escaped
for the output they land in (`procmap.text.escape`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procmap.i18n import _
from procmap.text.escape import markdown as md
from procmap.text.escape import one_line, terminal, terminal_lines
from procmap.text.units import short_duration

if TYPE_CHECKING:
    from procmap.conform.compare import ConformResult


def _visible(data: Any) -> Any:
    """The data with control and bidi characters of every string shown as escapes (for
    Markdown and HTML: a name must not reorder or break what a reader sees)."""
    if isinstance(data, str):
        return terminal(data)
    if isinstance(data, dict):
        return {key: _visible(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_visible(value) for value in data]
    return data


def _hours(value: float | None) -> str:
    return "-" if value is None else short_duration(value)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _summary(result: ConformResult) -> list[str]:
    log = result.log
    lines = [_("{events} events, {cases} cases from {path} ({fmt})").format(
        events=f"{log.events:,}", cases=f"{result.cases:,}", path=one_line(log.path),
        fmt=log.format)]
    if log.rejected or log.malformed_lines:
        rows = ", ".join(str(r) for r in (log.rejected_rows or log.malformed_lines))
        lines.append(_("{count} bad rows left out (the first: {rows})").format(
            count=log.rejected + len(log.malformed_lines), rows=rows))
    if log.duplicates:
        lines.append(_("{count} duplicate events counted once").format(count=log.duplicates))
    if result.unmatched_cases:
        lines.append(_("{count} cases match no process given").format(
            count=result.unmatched_cases))
    if result.calendar_roles:
        lines.append(_("durations of the steps of {roles} are measured in their working "
                       "hours (calendar and time zone), as designed; waits and lead times "
                       "are elapsed time").format(
            roles=", ".join(one_line(name) for name in result.calendar_roles)))
    return lines


def _process_lines(data: dict[str, Any]) -> list[str]:
    lead = data["lead_time_hours"] or {}
    lines = [
        _("{name} ({id}): {cases} cases, fitness {fitness}").format(
            name=one_line(data["name"]), id=data["id"], cases=f"{data['cases']:,}",
            fitness=_share(data["fitness"])),
        "  " + _("lead time p50 {p50}, p90 {p90}, p95 {p95}; SLA attainment {sla}; rework "
                 "{rework}").format(p50=_hours(lead.get("p50")), p90=_hours(lead.get("p90")),
                                    p95=_hours(lead.get("p95")),
                                    sla=_share(data["sla_attainment"]),
                                    rework=_share(data["rework"]))]
    for kind, cases in data["deviation_cases"].items():
        lines.append("  " + _("deviation {kind}: {cases} cases").format(kind=kind,
                                                                       cases=cases))
    for step_id, step in data["steps"].items():
        lines.append("  " + _("step {name}: wait p50 {w50} (designed {dw}), duration p50 "
                              "{d50} (designed {dd}), {visits} visits per case").format(
            name=one_line(step["name"]), w50=_hours(step["wait_hours"]["p50"]),
            dw=_hours((step["designed"]["wait_hours"] or {}).get("p50")),
            d50=_hours(step["duration_hours"]["p50"]),
            dd=_hours((step["designed"]["duration_hours"] or {}).get("p50")),
            visits=step["visits"]) + (f" [{step_id}]" if step_id != step["name"] else ""))
    return lines


def text(result: ConformResult, **_options: Any) -> str:
    from procmap.report.text import format_line

    lines = [*_summary(result), ""]
    for report in result.processes:
        lines += [*_process_lines(report.data), ""]
    lines += [format_line(f) for f in result.findings]
    return terminal_lines("\n".join(lines) + "\n")


def parsable(result: ConformResult, **_options: Any) -> str:
    from procmap.report.writers import findings_parsable

    return findings_parsable(result.findings, len(result.processes))


def json_report(result: ConformResult, **_options: Any) -> str:
    from procmap.report.writers import json_text

    return json_text(result.to_json())


def github(result: ConformResult, **_options: Any) -> str:
    from procmap.report.writers import findings_github

    return findings_github(result.findings, len(result.processes))


def sarif(result: ConformResult, **_options: Any) -> str:
    from procmap.report.writers import findings_sarif

    return findings_sarif(result.findings, len(result.processes))


def markdown(result: ConformResult, **_options: Any) -> str:
    out = ["# " + _("Conformance: designed against observed"), ""]
    for line in _summary(result):  # a paragraph each: Markdown joins adjacent lines
        out += [md(terminal(line)), ""]
    for report in result.processes:
        out += _markdown_process(_visible(report.data))
    if result.findings:
        out += ["## " + _("Findings"), ""]
        out += [f"- **{f.severity.label}** `{f.rule}` {md(terminal(f.file))}:{f.line}: "
                f"{md(terminal(f.message))}" for f in result.findings]
    return "\n".join(out) + "\n"


def _markdown_process(data: Any) -> list[str]:
    """A process's section: its headline figures, deviations and steps."""
    lead = data["lead_time_hours"] or {}
    out = [f"## {md(data['name'])} (`{md(data['id'])}`)", "",
           "| " + _("cases") + " | " + _("fitness") + " | " + _("lead time p50") + " | "
           + _("p90") + " | " + _("SLA attainment") + " | " + _("rework") + " |",
           "| ---: | ---: | ---: | ---: | ---: | ---: |",
           f"| {data['cases']:,} | {_share(data['fitness'])} | {_hours(lead.get('p50'))} "
           f"| {_hours(lead.get('p90'))} | {_share(data['sla_attainment'])} "
           f"| {_share(data['rework'])} |", ""]
    if data["deviations"]:
        out += ["| " + _("deviation") + " | " + _("where") + " | " + _("cases") + " | "
                + _("example") + " |", "| --- | --- | ---: | --- |"]
        out += [f"| {item['kind']} | {md(_deviation_where(item))} | {item['cases']:,} "
                f"| {md(item['example_case'])} |" for item in data["deviations"]]
        out.append("")
    out += ["| " + _("step") + " | " + _("wait p50") + " | " + _("designed") + " | "
            + _("duration p50") + " | " + _("designed") + " | " + _("visits") + " |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for step in data["steps"].values():
        out.append(
            f"| {md(step['name'])} | {_hours(step['wait_hours']['p50'])} "
            f"| {_hours((step['designed']['wait_hours'] or {}).get('p50'))} "
            f"| {_hours(step['duration_hours']['p50'])} "
            f"| {_hours((step['designed']['duration_hours'] or {}).get('p50'))} "
            f"| {step['visits']} |")
    out.append("")
    return out


def _deviation_where(item: Any) -> str:
    """Where a deviation happened: the step skipped, the unknown activity, or the
    transition from -> to."""
    if item["kind"] == "skipped-step":
        return str(item.get("step"))
    if item["kind"] == "unknown-activity":
        return str(item.get("activity"))
    return " -> ".join(str(item[k]) for k in ("from", "to") if k in item) \
        or str(item.get("step") or item.get("activity") or "")


def html(result: ConformResult, **_options: Any) -> str:
    return _render_html(result, "conform.html.j2", level=1)


def html_section(result: ConformResult) -> str:
    """The observed part of the conform page, for the audit HTML report (`procmap audit
    --observed LOG`): the same tables, under a second-level heading."""
    return _render_html(result, "conform_body.html.j2", level=2)


def _render_html(result: ConformResult, name: str, level: int) -> str:
    import jinja2

    from procmap import i18n

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("procmap", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined)
    environment.globals.update(_=_, hours=_hours, share=_share)
    template = environment.get_template(name)
    findings = [{"severity": f.severity.label, "rule": f.rule, "file": terminal(f.file),
                 "line": f.line, "message": terminal(f.message)} for f in result.findings]
    return template.render(summary=_visible(_summary(result)),
                           processes=_visible([r.data for r in result.processes]),
                           findings=findings, lang=i18n.current(), level=level)
