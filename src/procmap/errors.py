"""The one exception type for "procmap could not do the job".

Everything a user can cause and fix (an unreadable path, a bad configuration, a git
revision that does not exist, Graphviz missing or failing, an unwritable output) is a
`ProcmapError` or a subclass. The CLI entry point catches it once
(`procmap.cli.app.main`): one line on stderr, `procmap: error: MESSAGE`, and exit code 2.
Anything else that escapes a command is an internal error ("please report it").

A subclass keeps its own name where callers need to tell cases apart (`GitError`,
`GraphvizMissing`, ...); its message is one sentence that says what went wrong and,
where there is one, the fix.
"""

from __future__ import annotations

__all__ = ["EXIT_ERROR", "ProcmapError"]

#: the exit code of "the command could not do its job" (cli.md)
EXIT_ERROR = 2


class ProcmapError(Exception):
    """The command could not do its job; the message says why, on one line."""

    exit_code: int = EXIT_ERROR
