"""Writing output safely: stdout, special files, and atomic replacement of files.

`write_output(target, data)` is the one way procmap writes a result:

* ``None`` or ``-``: standard output;
* an existing target that is not a regular file (``/dev/null``, ``/dev/stdout``, a FIFO,
  ``>(cmd)``'s ``/dev/fd/63``, a terminal or another device): written directly, never
  replaced, so running as root cannot turn ``/dev/stdout`` into a regular file;
* anything else: written to a temporary file beside the target, then renamed over it
  (`write_atomic`), so a failed or interrupted run never leaves a partial file. A target
  that is a symbolic link to a regular file keeps the link: the file it points to is
  replaced. A replaced file keeps its permission bits; a new one gets ``0666`` minus the
  umask, like any file a program creates.

Failures raise `WriteError` (a `ProcmapError`: one line, exit code 2).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile

from procmap.errors import ProcmapError
from procmap.i18n import _
from procmap.text.escape import terminal

__all__ = ["STDOUT", "WriteError", "is_stdout", "write_atomic", "write_output"]

STDOUT = "-"


class WriteError(ProcmapError):
    """An output could not be written (permissions, full disk, closed stdout...)."""


def is_stdout(target: str | None) -> bool:
    return target is None or target == STDOUT


def write_output(target: str | None, data: str | bytes) -> None:
    """Write a whole result to stdout, a special file, or (atomically) a regular file."""
    if is_stdout(target):
        _write_stdout(data)
        return
    assert target is not None
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise WriteError(_("cannot write {path}: {reason}").format(
            path=terminal(target), reason=exc.strerror or exc)) from exc


def _write_stdout(data: str | bytes) -> None:
    stream = sys.stdout
    if stream is None:
        raise WriteError(_("cannot write the result: standard output is closed"))
    try:
        if isinstance(data, bytes) and hasattr(stream, "buffer"):
            stream.flush()
            stream.buffer.write(data)
        else:
            stream.write(data if isinstance(data, str) else data.decode("utf-8", "replace"))
        stream.flush()
    except BrokenPipeError:
        raise  # the reader went away (`| head`): the entry point ends quietly
    except OSError as exc:
        raise WriteError(_("cannot write to standard output: {reason}").format(
            reason=exc.strerror or exc)) from exc


def _is_special(path: str) -> bool:
    """An existing target that is not a regular file (following symbolic links)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_direct(path: str, data: str | bytes) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with open(path, "wb") as stream:
        stream.write(payload)


def _new_file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    Only regular files are replaced: a device, FIFO or `/dev/stdout` is written through
    (renaming over it would replace the device itself, for the whole machine as root)."""
    if _is_special(path):
        _write_direct(path, data)
        return
    real = os.path.realpath(path) if os.path.islink(path) else path
    directory = os.path.dirname(os.path.abspath(real))
    os.makedirs(directory, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        mode = _new_file_mode()
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=".procmap-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, mode)
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
