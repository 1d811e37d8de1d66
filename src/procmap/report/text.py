"""Plain text findings: `path:line:col: severity[rule] message`, one per line."""

from __future__ import annotations

from collections.abc import Sequence

from procmap.findings import Finding, summarize
from procmap.text.escape import one_line, terminal


def format_line(finding: Finding) -> str:
    """One line whatever the file name or message hold (control characters escaped:
    a file name with a newline cannot forge a second line)."""
    return (f"{terminal(finding.file)}:{finding.line}:{finding.column}: "
            f"{finding.severity.label}[{terminal(finding.rule)}] "
            f"{terminal(one_line(finding.message))}")


def summary_line(findings: Sequence[Finding], files: int) -> str:
    counts = summarize(findings)
    if not any(counts.values()):
        return f"procmap: {files} file{'s' * (files != 1)} checked, no problems found"
    parts = [f"{n} {label}{'s' * (n != 1 and label != 'info')}"
             for label, n in counts.items() if n]
    with_findings = len({f.file for f in findings})
    return (f"procmap: {', '.join(parts)} in {with_findings} of {files} "
            f"file{'s' * (files != 1)}")


def render(findings: Sequence[Finding], files: int) -> str:
    lines = [format_line(f) for f in findings]
    lines.append(summary_line(findings, files))
    return "\n".join(lines) + "\n"
