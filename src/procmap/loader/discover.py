"""Which files an invocation reads: PATH arguments -> loaded documents."""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from procmap.errors import ProcmapError
from procmap.i18n import _
from procmap.loader.document import MAX_FILE_BYTES, Document, load_bytes

YAML_SUFFIXES = (".yaml", ".yml")
# Directories a scan never enters: tool caches, dependencies, version control.
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})
STDIN_NAME = "<stdin>"
# A quick filter before parsing a scanned file: its top level must have a `procmap` key.
_PROCMAP_KEY = re.compile(rb"""(?m)^(?:\xef\xbb\xbf)?["']?procmap["']?\s*:|^\{.*\bprocmap\b""")


class InputError(ProcmapError):
    """A path the command cannot read: a one-line error and exit code 2."""


@dataclass(frozen=True)
class Input:
    path: str  # as shown in findings
    explicit: bool  # named by the user, not found by a directory scan


def discover(arguments: Sequence[str]) -> list[Input]:
    """Expand PATH arguments into the files to read, in a stable order."""
    inputs: list[Input] = []
    seen: set[str] = set()
    for argument in arguments or ["."]:
        if argument == "-":
            inputs.append(Input(STDIN_NAME, explicit=True))
            continue
        if not os.path.exists(argument):
            raise InputError(_("{path}: no such file or directory").format(path=argument))
        if os.path.isdir(argument):
            for found in _scan(argument):
                key = os.path.realpath(found)
                if key not in seen:
                    seen.add(key)
                    inputs.append(Input(found, explicit=False))
        else:
            key = os.path.realpath(argument)
            if key not in seen:
                seen.add(key)
                inputs.append(Input(_display(argument), explicit=True))
    return inputs


def _scan(directory: str) -> Iterator[str]:
    """The YAML files under `directory` a scan reads: regular files inside it.

    Directory symlinks are not followed (os.walk's default); a file symlink is read only
    when its target is inside the scanned directory. Dangling symlinks, FIFOs, sockets
    and devices named `*.yaml` are skipped: a scan never blocks and never leaves the tree.
    """
    inside = os.path.join(os.path.realpath(directory), "")
    for root, dirs, files in os.walk(directory, onerror=_raise):
        # hidden and dependency directories are never process repositories; sorting keeps
        # the order of files (and so of swimlanes from catalogs) stable across machines
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                path = os.path.join(root, name)
                if _scannable(path, inside):
                    yield _display(path)


def _scannable(path: str, inside: str) -> bool:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a FIFO would block the scan forever
    except OSError:
        return False  # a dangling symlink, or gone since the directory was listed
    return not os.path.islink(path) or os.path.realpath(path).startswith(inside)


def _raise(error: OSError) -> None:
    raise InputError(_("{path}: {reason}").format(path=error.filename, reason=error.strerror))


def _display(path: str) -> str:
    path = os.path.normpath(path)
    return path[2:] if path.startswith("./") else path


def read_input(item: Input) -> Document | None:
    """Load one input. Scanned files that are not procmap files give None."""
    raw = _read_stdin() if item.path == STDIN_NAME else _read_file(item.path, item.explicit)
    if raw is None:
        return None
    return load_candidate(raw, item.path, explicit=item.explicit)


def load_candidate(raw: bytes, path: str, *, explicit: bool) -> Document | None:
    """Load a file's bytes. A file found by scanning (not `explicit`) that is not a
    procmap file gives None: a scan ignores other YAML, even broken YAML."""
    if explicit:
        return load_bytes(raw, path)
    if b"procmap" not in raw:
        return None
    doc = load_bytes(raw, path)
    if doc.data is None and doc.findings and not _PROCMAP_KEY.search(raw):
        return None  # someone else's broken YAML that merely mentions procmap
    return doc


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)


def _read_file(path: str, explicit: bool = True) -> bytes | None:
    """A file's bytes (at most the limit + 1). A scanned file that is no longer a
    regular file gives None; it is opened non-blocking, so a FIFO swapped in after the
    scan cannot hang the run."""
    try:
        if not explicit:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                os.close(descriptor)
                return None
            with os.fdopen(descriptor, "rb") as handle:
                return handle.read(MAX_FILE_BYTES + 1)
        with open(path, "rb") as handle:
            # read one byte past the limit so load_bytes can say the file is too large
            return handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError as exc:
        raise InputError(_("{path}: is a directory").format(path=path)) from exc
    except OSError as exc:
        raise InputError(_("{path}: {reason}").format(path=path,
                                                      reason=exc.strerror or exc)) from exc
