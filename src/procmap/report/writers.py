"""The writers `procmap.formats` names: each returns the whole output of one format.

Adapters only: the formatting itself lives in the modules of each report. What they
add is what every output needs: text outputs escape control characters
(`procmap.text.escape.terminal_lines`), JSON outputs are valid UTF-8 even for file names
that are not (`display_path`).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from procmap.i18n import _
from procmap.text.escape import display_path, terminal, terminal_lines

if TYPE_CHECKING:
    from rich.console import Console

    from procmap.analysis.audit import AuditResult
    from procmap.analysis.raci import RaciMatrix
    from procmap.diff.model import DiffReport
    from procmap.doctor import Check
    from procmap.findings import Finding

#: larger processes are left out of the HTML report's diagrams (Graphviz takes ~15 s
#: for 1,000 nodes); `procmap render` draws them on their own
MAX_DIAGRAM_STEPS = 300
#: a report of more processes links no diagrams inline (1,000 would make a page of about
#: 170 MB); `procmap handbook` gives each process a page with its diagram
MAX_INLINE_DIAGRAMS = 50


def json_text(data: Any) -> str:
    """Indented JSON, UTF-8 kept readable; undecodable file-name bytes as ``\\xNN``."""
    return json.dumps(_valid_unicode(data), ensure_ascii=False, indent=2) + "\n"


def _valid_unicode(data: Any) -> Any:
    if isinstance(data, str):
        return display_path(data)
    if isinstance(data, dict):
        return {_valid_unicode(k): _valid_unicode(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_valid_unicode(v) for v in data]
    return data


# ------------------------------------------------------------------ findings (validate)

def findings_text(findings: Sequence[Finding], files: int) -> str:
    from procmap.report.text import render

    return terminal_lines(render(findings, files))


def findings_parsable(findings: Sequence[Finding], files: int) -> str:
    from procmap.report.text import format_line

    return "".join(format_line(f, parsable=True) + "\n" for f in findings)


def findings_rich(console: Console, findings: Sequence[Finding], files: int) -> None:
    from procmap.report.rich_text import print_findings

    print_findings(console, findings, files)


def findings_json(findings: Sequence[Finding], files: int) -> str:
    from procmap.report.json_report import document

    return json_text(document(findings, files))


def findings_github(findings: Sequence[Finding], files: int) -> str:
    from procmap.report.github import render

    return render(findings, files)


def findings_sarif(findings: Sequence[Finding], files: int) -> str:
    from procmap.report.sarif import document

    return json_text(document(findings, files))


# ------------------------------------------------------------------ audit

def audit_text(result: AuditResult, **_: Any) -> str:
    from procmap.report.audit_text import render

    return terminal_lines(render(result))


def audit_rich(console: Console, result: AuditResult, **_: Any) -> None:
    from procmap.report.audit_text import print_rich

    print_rich(console, result)


def audit_parsable(result: AuditResult, **_: Any) -> str:
    return findings_parsable(result.findings, result.files)


def audit_json(result: AuditResult, **_: Any) -> str:
    from procmap.report.json_report import document

    return json_text(document(result.findings, result.files,
                              processes=result.process_json(), roles=result.roles_json(),
                              currency=result.currency))


def audit_markdown(result: AuditResult, **_: Any) -> str:
    from procmap.report.markdown import render

    return render(result)


def audit_html(result: AuditResult, diagrams: bool = True, observed: Any = None,
               **_: Any) -> str:
    from procmap.report.html_report import render

    page = render(result, audit_diagrams(result) if diagrams else {})
    return page if observed is None else _with_observed(page, observed)


def _with_observed(page: str, observed: Any) -> str:
    """`procmap audit --observed LOG`: the conform tables as an "observed" section."""
    from procmap.conform.report import html_section

    section = f'<section id="observed">{html_section(observed)}</section>\n'
    at = page.rfind("</body>")
    return page[:at] + section + page[at:] if at >= 0 else page + section


def audit_github(result: AuditResult, **_: Any) -> str:
    return findings_github(result.findings, result.files)


def audit_sarif(result: AuditResult, **_: Any) -> str:
    return findings_sarif(result.findings, result.files)


def audit_diagrams(result: AuditResult) -> dict[str, str]:
    """Swimlane SVGs for the HTML report by process id. The report is complete without
    them: when Graphviz is missing or fails, a `RenderWarning` says what was left out."""
    from procmap.render.errors import RenderWarning
    from procmap.render.graphviz import graphviz_available

    drawable = [a for a in result.processes if a.metrics is not None
                and len(a.entry.process.steps) <= MAX_DIAGRAM_STEPS]
    if not drawable:
        return {}
    if not graphviz_available():
        warnings.warn(RenderWarning(_(
            "the HTML report has no diagrams: Graphviz's `dot` is not installed "
            "(`procmap doctor` shows the fix; --no-diagrams silences this)")), stacklevel=2)
        return {}
    if len(drawable) > MAX_INLINE_DIAGRAMS:
        warnings.warn(RenderWarning(_(
            "the HTML report shows no diagrams: {count} processes are more than {limit} "
            "a readable page holds; `procmap handbook` writes a page per process with its "
            "diagram").format(count=len(drawable), limit=MAX_INLINE_DIAGRAMS)), stacklevel=2)
        return {}
    return _drawn(result, drawable)


def _drawn(result: AuditResult, drawable: list[Any]) -> dict[str, str]:
    """Draw in batches (`render_svgs`: three Graphviz runs per batch), with a progress
    bar on a terminal."""
    from procmap.progress import progress
    from procmap.render.errors import RenderError, RenderWarning
    from procmap.render.graphviz import SVG_BATCH, render_svgs

    svgs: dict[str, str] = {}
    with progress(_("drawing diagrams"), len(drawable)) as advance:
        for start in range(0, len(drawable), SVG_BATCH):
            batch = drawable[start:start + SVG_BATCH]
            made = [_diagram(result, a) for a in batch]
            ready = [d for d in made if not isinstance(d, RenderError)]
            svgs_of = iter(render_svgs(ready))
            drawn = [d if isinstance(d, RenderError) else next(svgs_of) for d in made]
            for analysis, svg in zip(batch, drawn, strict=True):
                if isinstance(svg, RenderError):
                    warnings.warn(RenderWarning(_(
                        "the HTML report has no diagram of {process}: {error}").format(
                            process=terminal(analysis.id), error=svg)), stacklevel=2)
                else:
                    svgs[analysis.id] = svg.decode("utf-8")
            advance(len(batch))
    return svgs


def _diagram(result: AuditResult, analysis: Any) -> Any:
    """The highlighted diagram of a process, or the RenderError that prevents it."""
    from procmap.render.build import diagram_for
    from procmap.render.errors import RenderError

    try:
        return diagram_for(analysis.entry, result.workspace, analysis, highlight=True)
    except RenderError as exc:
        return exc


# ------------------------------------------------------------------ raci

def raci_text(matrices: Sequence[RaciMatrix], findings: Sequence[Finding],
              files: int, names: Mapping[str, str] | None = None) -> str:
    from procmap.report.raci_text import render

    return terminal_lines(render(matrices, findings, names or {}))


def raci_rich(console: Console, matrices: Sequence[RaciMatrix],
              findings: Sequence[Finding], files: int,
              names: Mapping[str, str] | None = None) -> None:
    from procmap.report.raci_text import print_rich

    print_rich(console, matrices, findings, files, names or {})


def raci_markdown(matrices: Sequence[RaciMatrix], findings: Sequence[Finding],
                  files: int, **_: Any) -> str:
    from procmap.report.markdown import render_raci

    return render_raci(matrices, findings)


def raci_csv(matrices: Sequence[RaciMatrix], findings: Sequence[Finding],
             files: int, **_: Any) -> str:
    from procmap.analysis.raci import to_csv

    return to_csv(matrices)


def raci_json(matrices: Sequence[RaciMatrix], findings: Sequence[Finding],
              files: int, **_: Any) -> str:
    from procmap.report.json_report import document

    return json_text(document(findings, files, processes=[m.to_json() for m in matrices]))


# ------------------------------------------------------------------ diff

def diff_text(report: DiffReport) -> str:
    from procmap.report.diff_text import render

    return terminal_lines(render(report))


def diff_json(report: DiffReport) -> str:
    return json_text(report.to_json())


# ------------------------------------------------------------------ doctor

def doctor_text(results: Sequence[Check]) -> str:
    lines = []
    for result in results:
        mark = _("ok") if result.ok else _("MISSING")
        lines.append(f"[{mark}] {result.name}: {result.detail}")
        if not result.ok:
            lines.append("        " + _("fix: {fix}").format(fix=result.fix))
    return terminal_lines("\n".join(lines) + "\n")


def doctor_json(results: Sequence[Check]) -> str:
    return json_text([r.__dict__ for r in results])
