"""Where `procmap import` writes: one file, a directory, or stdout; and a check that
what it wrote validates."""

from __future__ import annotations

import os
from collections.abc import Sequence

from procmap.bpmn.emit import ImportResult
from procmap.errors import ProcmapError
from procmap.findings import Finding
from procmap.i18n import _

YAML_SUFFIXES = (".yaml", ".yml")
STDOUT = "-"


class OutputError(ProcmapError):
    """The output cannot be written as asked: a one-line error and exit code 2."""


def plan(result: ImportResult, output: str | None, force: bool = False
         ) -> list[tuple[str, str]]:
    """(path, text) pairs to write; the path is `STDOUT` for standard output.

    One process goes to OUT.yaml (or stdout); several need a directory, where each
    process becomes DIR/<id>.yaml next to a shared role catalog. Existing files are
    only replaced with `force`.
    """
    files = result.files()
    to_file = output not in (None, STDOUT) and output.lower().endswith(YAML_SUFFIXES) \
        and not os.path.isdir(output)
    if output in (None, STDOUT) or to_file:
        _one_process_only(result)
        targets = [(output if to_file and output else STDOUT, files[0][1])]
    else:
        assert output is not None
        targets = [(os.path.join(output, name), text) for name, text in files]
        _inside(output, [path for path, _ in targets])
    _refuse_overwrite(targets, force)
    return targets


def _one_process_only(result: ImportResult) -> None:
    """A single file or stdout takes one process."""
    if len(result.processes) > 1:
        ids = ", ".join(p.id for p in result.processes)
        raise OutputError(_(
            "{path} holds {count} processes ({ids}): give a directory with -o DIR; "
            "each process becomes DIR/<id>.yaml, with the roles they share in a "
            "catalog file").format(path=result.path, count=len(result.processes),
                                   ids=ids))


def _refuse_overwrite(targets: list[tuple[str, str]], force: bool) -> None:
    """Existing files are only replaced with `force`."""
    existing = [path for path, _ in targets if path != STDOUT and os.path.exists(path)]
    if existing and not force:
        raise OutputError(_("{path} already exists: pass --force to replace it, or "
                            "choose another output").format(path=existing[0]))


def check(targets: Sequence[tuple[str, str]]) -> list[Finding]:
    """Validate what import wrote, as `procmap validate` would (one invocation, so
    the role catalog and the processes see each other). Text sent to stdout is checked
    from a temporary copy and reported as `<stdout>`."""
    from procmap.cli.common import load_config
    from procmap.config import Config
    from procmap.loader import load_text
    from procmap.pipeline import validate_documents

    settings = load_config(None)
    assert isinstance(settings, Config)
    documents = [load_text(text, "<stdout>" if path == STDOUT else path)
                 for path, text in targets]
    explicit = frozenset(doc.path for doc in documents)
    return validate_documents(documents, explicit, settings).findings


def _inside(directory: str, paths: list[str]) -> None:
    """Every target must resolve (symlinks followed) inside `directory`: names come from
    the BPMN file, and a file must not choose where procmap writes."""
    root = os.path.realpath(directory)
    for path in paths:
        real = os.path.realpath(path)
        if os.path.commonpath([root, real]) != root or real == root:
            raise OutputError(_("{path} resolves to {real}, outside the output directory "
                                "{directory}: nothing was written").format(
                                    path=path, real=real, directory=directory))
