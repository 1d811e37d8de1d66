"""GitHub Actions workflow commands: annotations on the lines that are wrong."""

from __future__ import annotations

from collections.abc import Sequence

from procmap.findings import Finding, Severity
from procmap.text.escape import github_data, github_property, terminal

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return github_data(terminal(text))


def _property(text: str) -> str:
    return github_property(terminal(text))


def format_line(finding: Finding) -> str:
    return (f"::{_COMMANDS[finding.severity]} file={_property(finding.file)},"
            f"line={finding.line},col={finding.column},title={_property(finding.rule)}"
            f"::{_data(finding.message)}")


def render(findings: Sequence[Finding], files: int) -> str:
    return "".join(format_line(f) + "\n" for f in findings)
