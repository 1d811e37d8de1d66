"""The one registry of output formats: for each command, format name -> writer.

A writer is a function that returns the whole output as text (`str`) or bytes; the CLI
decides where it goes (stdout, `-o FILE`, `-o -`) and writes it safely
(`procmap.io.write_output`). `--format` choices, `--help`, shell completion, the format
implied by `-o`'s extension and the error for an unknown format all come from here.

Writers are named as ``"module:function"`` and imported on first use, so declaring a
format costs nothing at start-up (`procmap validate` stays fast).

How to add a format (one place): add one `Format(...)` line to `FORMATS` below.

    Format("simulate", "csv", "procmap.report.simulate_csv:render",
           "one row per process and percentile", extensions=("csv",)),

* ``command``: the command (or family) whose ``--format`` offers it; a new command
  picks its own name and asks `names("simulate")` for its choices;
* the writer's arguments are the command's business (each command calls its writers
  the same way: ``fmt.write(result)``); it returns `str` (UTF-8 text) or `bytes`;
* ``extensions``: the file extensions that select the format with ``-o`` (render);
* ``terminal``: an optional ``"module:function(console, ...)"`` used instead of the
  writer on a colour terminal (rich output for people; never in a file or a pipe);
* ``findings``: False when the output has no room for findings (CSV, images): the CLI
  then prints them on stderr;
* ``needs_graphviz``: the writer runs Graphviz's ``dot``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from procmap.errors import ProcmapError

__all__ = ["FORMATS", "Format", "UnknownFormat", "for_extension", "get", "names"]


class UnknownFormat(ProcmapError):
    """`--format` (or `-o`'s extension) names no format of the command."""


def _load(target: str) -> Callable[..., Any]:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Format:
    command: str
    name: str
    writer: str  # "module:function"
    help: str
    extensions: tuple[str, ...] = ()
    terminal: str | None = None  # "module:function", rich output on a colour terminal
    findings: bool = True  # the output shows the findings itself
    needs_graphviz: bool = False

    def write(self, *args: Any, **kwargs: Any) -> str | bytes:
        """The whole output of this format."""
        return _load(self.writer)(*args, **kwargs)  # type: ignore[no-any-return]

    def print_rich(self, console: Any, *args: Any, **kwargs: Any) -> None:
        """Print on a colour terminal (only when `terminal` is set)."""
        assert self.terminal is not None
        _load(self.terminal)(console, *args, **kwargs)


_R = "procmap.report.writers"
_P = "procmap.render.pipeline"
_FINDINGS = "findings (validate)"

FORMATS: list[Format] = [
    # validate, and every command's findings-only formats
    Format("findings", "text", f"{_R}:findings_text", "path:line:col: severity[rule] "
           "message, and a summary line", terminal=f"{_R}:findings_rich"),
    Format("findings", "parsable", f"{_R}:findings_parsable", "one finding per line, "
           "the same on a terminal and in a pipe (editors' problem matchers)"),
    Format("findings", "json", f"{_R}:findings_json", "one JSON document"),
    Format("findings", "github", f"{_R}:findings_github", "GitHub Actions annotations"),
    Format("findings", "sarif", f"{_R}:findings_sarif", "SARIF 2.1.0 (code scanning)",
           extensions=("sarif",)),
    # audit
    Format("audit", "text", f"{_R}:audit_text", "metrics and findings as text",
           terminal=f"{_R}:audit_rich"),
    Format("audit", "parsable", f"{_R}:audit_parsable", "findings, one per line"),
    Format("audit", "json", f"{_R}:audit_json", "findings and metrics, one JSON document",
           extensions=("json",)),
    Format("audit", "markdown", f"{_R}:audit_markdown", "a report for pull requests",
           extensions=("md", "markdown")),
    Format("audit", "html", f"{_R}:audit_html", "a self-contained page with diagrams",
           extensions=("html", "htm")),
    Format("audit", "github", f"{_R}:audit_github", "GitHub Actions annotations"),
    Format("audit", "sarif", f"{_R}:audit_sarif", "SARIF 2.1.0", extensions=("sarif",)),
    # raci
    Format("raci", "text", f"{_R}:raci_text", "one table per process",
           terminal=f"{_R}:raci_rich"),
    Format("raci", "markdown", f"{_R}:raci_markdown", "Markdown tables",
           extensions=("md", "markdown")),
    Format("raci", "csv", f"{_R}:raci_csv", "one table, findings on stderr",
           extensions=("csv",), findings=False),
    Format("raci", "json", f"{_R}:raci_json", "matrices and findings",
           extensions=("json",)),
    # diff
    Format("diff", "text", f"{_R}:diff_text", "the change as text",
           terminal="procmap.report.diff_text:print_rich"),
    Format("diff", "markdown", "procmap.report.diff_markdown:render",
           "a pull-request comment", extensions=("md", "markdown")),
    Format("diff", "json", f"{_R}:diff_json", "one JSON document",
           extensions=("json",)),
    # simulate (procmap simulate: docs/simulate.md)
    Format("simulate", "text", "procmap.simulate.reports:render_text",
           "lead times, attainment and roles as text",
           terminal="procmap.simulate.reports:print_rich"),
    Format("simulate", "json", "procmap.simulate.reports:render_json",
           "one JSON document (docs/simulate.md)", extensions=("json",)),
    Format("simulate", "markdown", "procmap.simulate.reports:render_markdown",
           "a report for pull requests", extensions=("md", "markdown")),
    Format("simulate", "html", "procmap.simulate.html:render",
           "a self-contained page with charts", extensions=("html", "htm")),

    # conform (procmap conform: docs/conform.md)
    Format("conform", "text", "procmap.conform.report:text",
           "observed against designed per process and step, then the findings"),
    Format("conform", "parsable", "procmap.conform.report:parsable",
           "findings, one per line"),
    Format("conform", "json", "procmap.conform.report:json_report",
           "the measurements and findings, one JSON document", extensions=("json",)),
    Format("conform", "markdown", "procmap.conform.report:markdown",
           "a report for pull requests", extensions=("md", "markdown")),
    Format("conform", "html", "procmap.conform.report:html",
           "a self-contained page", extensions=("html", "htm")),
    Format("conform", "github", "procmap.conform.report:github",
           "GitHub Actions annotations"),
    Format("conform", "sarif", "procmap.conform.report:sarif", "SARIF 2.1.0",
           extensions=("sarif",)),

    # render: one process -> the bytes of one file
    Format("render", "svg", f"{_P}:draw_svg", "a swimlane diagram (Graphviz)",
           extensions=("svg",), findings=False, needs_graphviz=True),
    Format("render", "png", f"{_P}:draw_png", "a swimlane diagram (Graphviz)",
           extensions=("png",), findings=False, needs_graphviz=True),
    Format("render", "pdf", f"{_P}:draw_pdf", "a swimlane diagram (Graphviz)",
           extensions=("pdf",), findings=False, needs_graphviz=True),
    Format("render", "html", f"{_P}:draw_html", "a page with the diagram (Graphviz)",
           extensions=("html", "htm"), findings=False, needs_graphviz=True),
    Format("render", "dot", f"{_P}:draw_dot", "Graphviz source", extensions=("dot", "gv"),
           findings=False),
    Format("render", "mmd", f"{_P}:draw_mmd", "a Mermaid flowchart",
           extensions=("mmd", "mermaid"), findings=False),
    Format("render", "bpmn", f"{_P}:draw_bpmn", "BPMN 2.0 XML with diagram layout",
           extensions=("bpmn",), findings=False),
    # handbook (procmap handbook: docs/handbook.md): the writer writes the site itself
    Format("handbook", "html", "procmap.handbook.run:write_handbook",
           "a static site: index, a page per process and per role", findings=False),
    Format("handbook", "pdf", "procmap.handbook.run:write_handbook",
           "one printable A4 document (needs Chromium)", extensions=("pdf",),
           findings=False),

    # doctor
    Format("doctor", "text", "procmap.report.writers:doctor_text", "one line per check"),
    Format("doctor", "json", "procmap.report.writers:doctor_json", "a JSON array"),
]


def names(command: str) -> tuple[str, ...]:
    """The format names of a command, in registry order."""
    return tuple(f.name for f in FORMATS if f.command == command)


def get(command: str, name: str) -> Format:
    """The format `name` of `command`; `UnknownFormat` names the choices."""
    for fmt in FORMATS:
        if fmt.command == command and fmt.name == name.lower():
            return fmt
    raise UnknownFormat(f"unknown format '{name}': use one of {', '.join(names(command))}")


def for_extension(command: str, extension: str) -> Format | None:
    """The format a file extension (``svg``, ``.SVG``) selects for `command`."""
    extension = extension.lower().lstrip(".")
    for fmt in FORMATS:
        if fmt.command == command and extension in fmt.extensions:
            return fmt
    return None
