"""Findings for a person at a terminal: grouped by file, coloured, with a summary."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from procmap.findings import Finding, Severity
from procmap.report.text import severity_label, summary_line
from procmap.text.escape import one_line, terminal

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_findings(console: Console, findings: Sequence[Finding], files: int) -> None:
    for file, group in groupby(findings, key=lambda f: f.file):
        console.print(Text(terminal(file), style="bold underline"))
        for finding in group:
            line = Text("  ")
            line.append(f"{terminal(finding.file)}:{finding.line}:{finding.column}", style="dim")
            line.append("  ")
            label = severity_label(finding.severity)
            line.append(label + " " * max(0, 7 - len(label) * (2 if label.isascii() is False
                                                                else 1)),
                        style=STYLES[finding.severity])
            line.append(f" {finding.rule}", style="magenta")
            line.append("  " + terminal(one_line(finding.message)))
            console.print(line, soft_wrap=True)
        console.print()
    worst = max((f.severity for f in findings), default=None)
    style = STYLES[worst] if worst else "bold green"
    mark = "✖" if worst is Severity.ERROR else ("!" if worst else "✔")
    console.print(f"[{style}]{mark}[/] {escape(summary_line(findings, files))}")
