"""The few git plumbing commands `procmap diff` needs, through subprocess.

Everything runs from the repository's top level, so paths are always relative to it.
Files at a revision are listed with `git ls-tree` and read with one `git cat-file
--batch` process (the same bytes as `git show REV:path`, without a process per file).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from procmap.errors import ProcmapError
from procmap.loader.document import MAX_FILE_BYTES


class GitError(ProcmapError):
    """git is missing, this is not a repository, or a revision does not exist."""


def _run(args: Sequence[str], cwd: str, *, input: bytes | None = None) -> bytes:
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, input=input,
                                   capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed (needed to read revisions)") from exc
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return completed.stdout


def toplevel(cwd: str | None = None) -> str | None:
    """The repository's top-level directory, or None outside a repository."""
    try:
        out = _run(["rev-parse", "--show-toplevel"], cwd or os.getcwd())
    except GitError:
        return None
    return out.decode("utf-8", "surrogateescape").strip() or None


def resolve_commit(root: str, revision: str) -> str | None:
    """The commit a revision names (a branch, tag, sha, HEAD~2...), or None."""
    if not revision or revision.startswith("-"):
        return None
    try:
        out = _run(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root)
    except GitError:
        return None
    return out.decode("ascii").strip() or None


def _pathspecs(limits: Sequence[str]) -> list[str]:
    return ["--", *limits] if limits else []


def files_at(root: str, commit: str, limits: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(path, blob id) of the regular files in a commit's tree, under `limits`."""
    out = _run(["ls-tree", "-r", "-z", "--full-tree", commit, *_pathspecs(limits)], root)
    files = []
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, blob = meta.split()
        # submodules (commit) and symbolic links (120000) are not files to read
        if kind == b"blob" and mode in (b"100644", b"100755"):
            files.append((path.decode("utf-8", "surrogateescape"), blob.decode("ascii")))
    return files


def read_blobs(root: str, blobs: Sequence[str]) -> list[bytes]:
    """The contents of blobs, in order, from one `git cat-file --batch`.

    A blob larger than the loader's limit is cut at limit + 1 bytes, which is enough for
    the loader to report it as too large.
    """
    if not blobs:
        return []
    out = _run(["cat-file", "--batch"], root, input="".join(f"{b}\n" for b in blobs).encode())
    contents = []
    position = 0
    for blob in blobs:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise GitError(f"cannot read blob {blob}")
        size = int(header[2])
        start = end + 1
        contents.append(out[start:start + min(size, MAX_FILE_BYTES + 1)])
        position = start + size + 1  # the content is followed by a newline
    return contents


def worktree_files(root: str, limits: Sequence[str] = ()) -> list[str]:
    """Files of the working tree as git sees them: tracked (and not deleted) plus
    untracked ones that are not ignored."""
    out = _run(["ls-files", "-z", "--cached", "--others", "--exclude-standard",
                *_pathspecs(limits)], root)
    seen: set[str] = set()
    files = []
    for raw in out.split(b"\0"):
        path = raw.decode("utf-8", "surrogateescape")
        if path and path not in seen:
            seen.add(path)
            files.append(path)
    return files


def merge_base(root: str, first: str, second: str) -> str:
    return _run(["merge-base", first, second], root).decode("ascii").strip()


def default_branch(root: str) -> str | None:
    """The branch a `diff` most likely means: the remote's default (origin/HEAD), else
    the branch checked out, else `main` or `master` when one exists; None when none."""
    for args in (["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"],
                 ["symbolic-ref", "--quiet", "--short", "HEAD"]):
        try:
            name = _run(args, root).decode("utf-8", "replace").strip()
        except GitError:
            continue
        if name and resolve_commit(root, name) is not None:
            return name
    for name in ("main", "master"):
        if resolve_commit(root, name) is not None:
            return name
    return None
