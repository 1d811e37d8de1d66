"""load -> model -> validate rules -> configured findings. Shared by every command."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from procmap.config import Config
from procmap.findings import Finding
from procmap.loader.discover import discover, load_inputs
from procmap.loader.document import Document, no_gc
from procmap.model import Workspace, build_workspace
from procmap.rules import ValidateContext, validate_rules


@dataclass
class Validation:
    workspace: Workspace
    findings: list[Finding]
    files: int  # procmap files read

    @property
    def has_errors(self) -> bool:
        return any(f.severity.label == "error" for f in self.findings)


def validate_paths(paths: Sequence[str], config: Config) -> Validation:
    """Read PATH arguments and run every validate rule. Raises InputError for bad paths."""
    with no_gc():
        documents, explicit = load_inputs(discover(paths))
        return validate_documents(documents, explicit, config)


def validate_documents(documents: Sequence[Document], explicit: frozenset[str],
                       config: Config) -> Validation:
    """Run every validate rule over documents already loaded (from disk, git, stdin)."""
    with no_gc():
        return _validate(documents, explicit, config)


def _validate(documents: Sequence[Document], explicit: frozenset[str], config: Config
              ) -> Validation:
    workspace = build_workspace(documents, explicit)
    context = ValidateContext(workspace)
    findings = list(workspace.findings)
    for module in validate_rules():
        if module.check is not None and config.severity(module.rule.id,
                                                        module.rule.severity) is not None:
            findings.extend(module.check(context))
    return Validation(workspace, configure(findings, workspace, config),
                      files=len(workspace.documents))


def configure(findings: Iterable[Finding], workspace: Workspace, config: Config
              ) -> list[Finding]:
    """Apply configured rule levels and `x-ignore`, and sort by place."""
    ignored: dict[tuple[str, str | None], frozenset[str]] = {}
    for entry in workspace.processes:
        process_level = _ignore_list(entry.process.extensions.get("x-ignore"))
        ignored[(entry.process.id, None)] = process_level
        for step in entry.process.steps:
            ignored[(entry.process.id, step.id)] = process_level | step.ignored_rules
    result = []
    for finding in findings:
        severity = config.severity(finding.rule, finding.severity)
        if severity is None:
            continue
        if finding.process is not None and finding.rule in ignored.get(
                (finding.process, finding.step), frozenset()):
            continue
        result.append(finding if severity is finding.severity
                      else finding.with_severity(severity))
    result.sort(key=lambda f: f.sort_key)
    return result


def _ignore_list(value: object) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    return frozenset()
