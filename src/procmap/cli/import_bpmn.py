"""procmap import: turn a BPMN 2.0 file into procmap process files."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from procmap.cli.common import LangOption, configured, emit, exit_code, note
from procmap.i18n import _, ngettext


def import_bpmn(
    file: Annotated[str, typer.Argument(
        metavar="FILE", help=_("the BPMN 2.0 file to import (.bpmn)"))],
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="OUT", help=_(
        "OUT.yaml (one process), or a directory: each process becomes DIR/<id>.yaml "
        "[default: stdout, one process only]"))] = None,
    force: Annotated[bool, typer.Option("--force", help=_("replace existing files"))] = False,
    strict: Annotated[bool, typer.Option("--strict", help=_(
        "exit 1 when anything did not map exactly (import warnings)"))] = False,
    config: Annotated[str | None, typer.Option("--config", metavar="FILE", help=_(
        "procmap.toml to use (rule levels apply to import-* findings too)"))] = None,
    lang: LangOption = None,
) -> None:
    """Import pools, lanes, tasks, gateways and events from a BPMN 2.0 file.

    Lanes become roles, tasks and gateways steps, sequence flows transitions. What format
    1 cannot express (message flows, boundary events, data objects, ...) is reported as
    an import-* finding with its line in the BPMN file; the YAML written is checked as
    `procmap validate` would. Exit code 0: imported and valid; 1: the result has errors
    (or, with --strict, import warnings); 2: the file could not be imported.

    Example: procmap import order.bpmn -o processes/
    """
    from procmap.bpmn import import_file
    from procmap.bpmn.output import STDOUT, plan
    from procmap.findings import Severity
    from procmap.report.text import format_line

    settings = configured(lang, config)
    result = import_file(file)
    targets = plan(result, output, force)
    for path, text in targets:
        emit(text, None if path == STDOUT else path)
    findings = _configured(result, targets, settings)
    for finding in findings:
        sys.stderr.write(format_line(finding) + "\n")
    written = [path for path, _ in targets if path != STDOUT]
    note(_summary(len(result.processes), len(result.roles), written, len(findings)))
    raise typer.Exit(exit_code(findings, Severity.WARNING if strict else Severity.ERROR))


def _configured(result: Any, targets: Any, settings: Any) -> list[Any]:
    """Import findings and the checks of the YAML written, at their configured levels."""
    from procmap.bpmn.output import check

    findings = []
    for finding in [*result.findings, *check(targets)]:
        severity = settings.severity(finding.rule, finding.severity)
        if severity is not None:
            findings.append(finding.with_severity(severity))
    return findings


def _summary(processes: int, roles: int, written: list[str], findings: int) -> str:
    counts = {
        "processes": ngettext("{count} process", "{count} processes",
                              processes).format(count=processes),
        "roles": ngettext("{count} role", "{count} roles", roles).format(count=roles),
        "findings": ngettext("{count} finding", "{count} findings",
                             findings).format(count=findings)}
    if written:
        return _("imported {processes} and {roles} into {files}; {findings}").format(
            files=", ".join(written), **counts)
    return _("imported {processes} and {roles}; {findings}").format(**counts)
