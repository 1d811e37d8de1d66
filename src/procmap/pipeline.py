"""load -> model -> validate rules -> configured findings. Shared by every command."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from procmap.config import Config
from procmap.findings import Finding
from procmap.loader.discover import discover
from procmap.loader.document import Document, no_gc
from procmap.loader.parallel import load_inputs, worker_count
from procmap.model import Workspace, build_workspace
from procmap.rules import RuleModule, ValidateContext, validate_rules


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
        return _validate(documents, explicit, config, paths)


def validate_documents(documents: Sequence[Document], explicit: frozenset[str],
                       config: Config) -> Validation:
    """Run every validate rule over documents already loaded (from disk, git, stdin)."""
    with no_gc():
        return _validate(documents, explicit, config)


def _validate(documents: Iterable[Document], explicit: frozenset[str], config: Config,
              paths: Sequence[str] | None = None) -> Validation:
    workspace = build_workspace(documents, explicit)
    if paths is not None and workspace.unresolved_roles():
        _resolve_from_projects(workspace, paths)
    context = ValidateContext(workspace)
    findings = list(workspace.findings)
    modules = [module for module in validate_rules() if module.rule.phase == "validate"
               and config.severity(module.rule.id, module.rule.severity) is not None]
    findings.extend(run_rules(modules, context))
    return Validation(workspace, configure(findings, workspace, config),
                      files=len(workspace.documents))


def _resolve_from_projects(workspace: Workspace, paths: Sequence[str]) -> None:
    """Roles the files given name but do not define: read them from the role catalogs of
    each PATH's project (cli.md, "Project root and role catalogs")."""
    import os

    from procmap.loader.project import catalog_files, load_catalogs, roots_of

    skip = {os.path.realpath(doc.path) for doc in workspace.documents
            if os.path.exists(doc.path)}
    for root in roots_of(paths):
        workspace.add_project_roles(load_catalogs(catalog_files(root), skip))
        if not workspace.unresolved_roles():
            return


def run_rules(modules: Sequence[RuleModule], context: ValidateContext) -> list[Finding]:
    """The findings of `modules`, in their order. Over a big repository (as many files as
    make the loader parse in parallel) a forked process shares the rules with this one,
    each taking the next rule not yet taken, on its copy-on-write view of the workspace:
    the models are never copied or sent."""
    if len(modules) < 2 or worker_count(len(context.workspace.documents)) < 2:
        return [f for module in modules for f in run_rule(module, context)]
    import multiprocessing

    taken = multiprocessing.get_context("fork").Value("i", 0)

    def work() -> dict[int, list[Finding]]:
        done: dict[int, list[Finding]] = {}
        while True:
            with taken.get_lock():
                index = taken.value
                taken.value += 1
            if index >= len(modules):
                return done
            done[index] = run_rule(modules[index], context)

    child = _in_child(work)
    done = work()
    done.update(child() or {})  # a child that died (killed, out of memory): redo its part
    return [f for index, module in enumerate(modules)
            for f in (done[index] if index in done else run_rule(module, context))]


def _in_child(work: Callable[[], dict[int, list[Finding]]]
              ) -> Callable[[], dict[int, list[Finding]] | None]:
    """Start `work` in a forked process; the returned function waits for its result
    (None when the process ended without one)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        send.send(work())

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()

    def result() -> dict[int, list[Finding]] | None:
        try:
            return receive.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            return None
        finally:
            receive.close()
            process.join()

    return result


def run_rule(module: RuleModule, context: ValidateContext) -> list[Finding]:
    """A rule's findings; a rule that raises becomes one `rule-error` finding naming it,
    and the run goes on with the other rules."""
    check = module.check
    if check is None:
        return []
    try:
        return list(check(context))
    except Exception as exc:  # a bug in one rule must not abort the run
        return [_rule_error(module.rule.id, exc, context)]


def _rule_error(rule_id: str, exc: Exception, context: ValidateContext) -> Finding:
    from procmap.rules.rule_error import RULE

    documents = context.workspace.documents
    where = documents[0].path if documents else "."
    what = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    from procmap.i18n import _

    return Finding(where, 1, 1, RULE.id, RULE.severity, _(
        "rule '{rule}' failed on this input ({error}); the other rules ran; please report "
        "it at https://github.com/procmap/procmap/issues").format(rule=rule_id, error=what),
        extra={"failed_rule": rule_id})


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
                (finding.process, finding.step), frozenset()) and _ignorable(finding.rule):
            continue
        result.append(finding if severity is finding.severity
                      else finding.with_severity(severity))
    result.sort(key=lambda f: f.sort_key)
    return result


def _ignorable(rule_id: str) -> bool:
    from procmap.rules.catalog import catalog

    module = catalog().get(rule_id)
    return module is None or module.rule.configurable


def _ignore_list(value: object) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    return frozenset()
