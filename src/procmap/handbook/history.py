"""Revision history of a process file from git: date, author, message (bounded)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

__all__ = ["Revision", "history"]

#: the newest revisions a page shows
LIMIT = 20
TIMEOUT = 10.0
_SEP = "\x1f"


@dataclass(frozen=True)
class Revision:
    date: str  # YYYY-MM-DD
    author: str
    message: str
    commit: str  # short hash


@cache
def _in_repository(git: str, folder: str) -> bool:
    try:
        done = subprocess.run([git, "-C", folder, "rev-parse", "--is-inside-work-tree"],
                              capture_output=True, timeout=TIMEOUT, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and done.stdout.strip() == b"true"


def history(path: str, limit: int = LIMIT) -> list[Revision]:
    """The newest `limit` commits that changed `path`; [] outside a git repository, when
    git is missing, or when it fails (a handbook without history is still a handbook)."""
    git = shutil.which("git")
    if git is None or not os.path.isfile(path):
        return []
    folder = os.path.dirname(os.path.abspath(path))
    if not _in_repository(git, folder):
        return []
    try:
        done = subprocess.run(
            [git, "-C", folder, "log", f"-n{limit}", "--follow", "--no-color",
             f"--format=%h{_SEP}%ad{_SEP}%an{_SEP}%s", "--date=short", "--",
             os.path.basename(path)],
            capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    revisions = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split(_SEP)
        if len(parts) == 4:
            revisions.append(Revision(parts[1], parts[2], parts[3], parts[0]))
    return revisions
