"""The project around a PATH, and its role catalogs (cli.md "Project root and role
catalogs").

`procmap validate processes/refund.yaml` must see the roles that `roles.yaml` beside it
defines, as validating the whole repository would. So when the files given leave a role
reference unresolved, the role catalogs of each PATH's project are read: those listed in
`catalogs = [...]` of the project's configuration, else every catalog file under the
project root. Nothing is read when every reference resolves.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence

from procmap.i18n import _
from procmap.loader.discover import STDIN_NAME, InputError, _read_file, _scan
from procmap.loader.document import Document

#: a top-level `steps:` key: the file is a process, not a catalog (a quick filter only)
_PROCESS_KEY = re.compile(rb"(?m)^[\"']?steps[\"']?\s*:")


def project_root(path: str) -> str | None:
    """The nearest directory upward from `path` with `procmap.toml` (or a `pyproject.toml`
    with `[tool.procmap]`), else the nearest with `.git`; None outside any project.

    The search for a configuration stops at the repository root, as `find_config` does.
    """
    from procmap.config import find_config

    start = os.path.abspath(path)
    if not os.path.isdir(start):
        start = os.path.dirname(start)
    config = find_config(start)
    if config is not None:
        return os.path.dirname(config)
    directory = start
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def roots_of(paths: Sequence[str]) -> list[str]:
    """The distinct project roots of PATH arguments (stdin: the current directory)."""
    roots: list[str] = []
    for path in paths or ["."]:
        root = project_root("." if path in ("-", STDIN_NAME) else path)
        if root is not None and root not in roots:
            roots.append(root)
    return roots


def catalog_files(root: str) -> list[str]:
    """The role catalog files of a project: its configuration's `catalogs`, else every
    procmap file under the root that is not a process (decided after loading)."""
    from procmap.config import ConfigError, find_config, load_config

    try:
        config_path = find_config(root)
        listed = load_config(config_path).catalogs if config_path is not None and \
            os.path.dirname(config_path) == root else None
    except ConfigError as exc:
        raise InputError(str(exc)) from exc
    if listed is None:
        return list(_scan(root))
    files = [os.path.normpath(os.path.join(root, name)) for name in listed]
    for name, file in zip(listed, files, strict=True):
        if not os.path.isfile(file):
            raise InputError(_("{path}: catalogs lists '{name}', which is not a file").format(
                path=config_path, name=name))
    return files


def load_catalogs(files: Iterable[str], skip: set[str]) -> list[Document]:
    """Load the catalog files not already read (`skip`: real paths), shown relative to
    the current directory. Files that are processes, broken or unreadable are left out:
    they are not what the user asked to check."""
    from procmap.loader.discover import load_candidate

    documents = []
    for path in files:
        real = os.path.realpath(path)
        if real in skip:
            continue
        skip.add(real)
        try:
            raw = _read_file(path, explicit=False)
        except InputError:
            continue
        if raw is None or b"roles" not in raw or _PROCESS_KEY.search(raw):
            continue
        document = load_candidate(raw, _shown(path), explicit=False)
        if document is not None and not document.findings and isinstance(document.data,
                                                                          dict):
            documents.append(document)
    return documents


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith(".." + os.sep + "..") else relative
