"""Plain text findings: `path:line:col: severity[rule] message`, one per line.

The text format speaks the interface language (`错误[missing-role]`); the parsable
format (`parsable=True`) keeps the English severity so that editors' problem matchers
read it the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from procmap.findings import Finding, Severity, summarize
from procmap.i18n import N_, _, ngettext
from procmap.text.escape import one_line, terminal

#: severity names as people read them (the JSON key `severity` stays English)
SEVERITY_LABELS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"),
                   Severity.INFO: N_("info")}


def severity_label(severity: Severity) -> str:
    """The severity in the interface language (错误, 警告, 提示)."""
    return _(SEVERITY_LABELS[severity])


def format_line(finding: Finding, parsable: bool = False) -> str:
    """One line whatever the file name or message hold (control characters escaped:
    a file name with a newline cannot forge a second line)."""
    label = finding.severity.label if parsable else severity_label(finding.severity)
    return (f"{terminal(finding.file)}:{finding.line}:{finding.column}: "
            f"{label}[{terminal(finding.rule)}] "
            f"{terminal(one_line(finding.message))}")


def severity_count(label: str, n: int) -> str:
    """`3 warnings` (`3 个警告`): a count of findings of one severity."""
    if label == "error":
        return ngettext("{count} error", "{count} errors", n).format(count=n)
    if label == "warning":
        return ngettext("{count} warning", "{count} warnings", n).format(count=n)
    return ngettext("{count} info", "{count} info", n).format(count=n)


def summary_line(findings: Sequence[Finding], files: int) -> str:
    counts = summarize(findings)
    if not any(counts.values()):
        return "procmap: " + ngettext("{files} file checked, no problems found",
                                      "{files} files checked, no problems found",
                                      files).format(files=files)
    parts = [severity_count(label, n) for label, n in counts.items() if n]
    with_findings = len({f.file for f in findings})
    return "procmap: " + ngettext("{counts} in {with_findings} of {files} file",
                                  "{counts} in {with_findings} of {files} files",
                                  files).format(counts=_(", ").join(parts),
                                                with_findings=with_findings, files=files)


def render(findings: Sequence[Finding], files: int) -> str:
    lines = [format_line(f) for f in findings]
    lines.append(summary_line(findings, files))
    return "\n".join(lines) + "\n"
