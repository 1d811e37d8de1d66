"""What OLD and NEW name: directories, files, git revisions or the working tree.

`procmap diff` takes git-like operands:

- `OLD NEW`, two existing paths (files or directories): compare them;
- `REV`: the revision against the working tree; `A..B`: two revisions (an empty side is
  HEAD); `A...B`: from where B branched off A (their merge base) to B, what a pull
  request shows; `A B`: two revisions;
- after the revisions, paths (optionally after `--`) limit both sides to a part of the
  repository.

Each side becomes a Snapshot: the raw bytes of its procmap candidate files, with paths
relative to the directory (paths) or to the repository's top level (revisions), so a
file at the same place on both sides has the same name.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from procmap.diff import git
from procmap.errors import ProcmapError
from procmap.loader.discover import SKIPPED_DIRS, YAML_SUFFIXES, discover, load_candidate
from procmap.loader.document import MAX_FILE_BYTES, Document

WORKTREE = "working tree"


class DiffInputError(ProcmapError):
    """OLD/NEW name nothing readable: a one-line error and exit code 2."""


@dataclass(frozen=True)
class SourceFile:
    path: str  # as shown in findings and reports
    raw: bytes
    explicit: bool = False  # named by the user: must be a procmap file


@dataclass(frozen=True)
class Snapshot:
    label: str  # how reports name this side: a revision, a path, "working tree"
    files: tuple[SourceFile, ...]

    def documents(self) -> tuple[list[Document], frozenset[str]]:
        """Load the procmap files (others, like CI configs, are left out)."""
        documents = []
        for item in self.files:
            doc = load_candidate(item.raw, item.path, explicit=item.explicit)
            if doc is not None:
                documents.append(doc)
        return documents, frozenset(f.path for f in self.files if f.explicit)


def resolve(arguments: Sequence[str], split: int | None = None,
            cwd: str | None = None) -> tuple[Snapshot, Snapshot]:
    """OLD and NEW from the command's positional arguments.

    `split` is where `--` stood among them (None when it was not given): what follows
    it are paths limiting a revision comparison.
    """
    cwd = cwd or os.getcwd()
    operands = list(arguments if split is None else arguments[:split])
    limits = [] if split is None else list(arguments[split:])
    if not operands:
        raise DiffInputError("name what to compare: OLD NEW (files or directories), "
                             "a revision (compared with the working tree) or A..B")
    first = operands[0]
    if split is None and len(operands) >= 2 and _is_path(first, cwd) and _is_path(
            operands[1], cwd):
        if len(operands) > 2:
            raise DiffInputError(f"compare two paths at a time, not {len(operands)}: "
                                 "procmap diff OLD NEW")
        return _path_snapshot(first, cwd), _path_snapshot(operands[1], cwd)
    if split is not None and len(operands) == 2 and not limits and all(
            _is_path(o, cwd) for o in operands):
        return _path_snapshot(operands[0], cwd), _path_snapshot(operands[1], cwd)
    return _revisions(operands, limits, split is not None, cwd)


def _is_path(argument: str, cwd: str) -> bool:
    return os.path.exists(os.path.join(cwd, argument))


def _path_snapshot(argument: str, cwd: str) -> Snapshot:
    path = os.path.join(cwd, argument)
    if os.path.isdir(path):
        files = []
        for item in discover([path]):
            shown = os.path.relpath(item.path, path).replace(os.sep, "/")
            files.append(SourceFile(shown, _read(item.path)))
        return Snapshot(argument, tuple(files))
    return Snapshot(argument, (SourceFile(os.path.basename(path), _read(path),
                                          explicit=True),))


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DiffInputError(f"{path}: {exc.strerror or exc}") from exc


_Side = tuple[str, str | None, str]  # repository root, commit (None: worktree), label


def _revisions(operands: list[str], limits: list[str], explicit_split: bool,
               cwd: str) -> tuple[Snapshot, Snapshot]:
    root = _repository(operands, cwd)
    first, rest = operands[0], operands[1:]
    if ".." in first and not _is_path(first, cwd):
        old, new = _range_sides(root, first)
    else:
        old, new, rest = _revision_sides(root, first, rest, explicit_split, cwd)
    _check_leftovers(rest, explicit_split, cwd)
    paths = _limits([*rest, *limits], root, cwd)
    return _revision_snapshot(*old, paths), _revision_snapshot(*new, paths)


def _repository(operands: list[str], cwd: str) -> str:
    """The git repository the revisions are read from (an error when there is none)."""
    root, first = git.toplevel(cwd), operands[0]
    if len(operands) == 1 and _is_path(first, cwd) and (
            root is None or git.resolve_commit(root, first) is None):
        raise DiffInputError(f"'{first}' is a path: name two to compare (procmap diff OLD "
                             "NEW), or a git revision to compare the working tree with")
    if root is None:
        raise DiffInputError(f"'{first}' is neither a file or directory nor a git revision "
                             "(this is not inside a git repository)")
    return root


def _range_sides(root: str, first: str) -> tuple[_Side, _Side]:
    """OLD and NEW of a range A..B (or A...B: from their merge base)."""
    old_rev, new_rev, merge_base = _split_range(first)
    old_commit = _commit(root, old_rev or "HEAD")
    new_commit = _commit(root, new_rev or "HEAD")
    if merge_base:
        old_commit = _merge_base(root, old_commit, new_commit, first)
    old_label = (f"{old_rev or 'HEAD'}...{new_rev or 'HEAD'} (merge base "
                 f"{old_commit[:7]})" if merge_base else old_rev or "HEAD")
    return (root, old_commit, old_label), (root, new_commit, new_rev or "HEAD")


def _revision_sides(root: str, first: str, rest: list[str], explicit_split: bool,
                    cwd: str) -> tuple[_Side, _Side, list[str]]:
    """OLD is the first revision; NEW the second when there is one, else the working
    tree. Also what remains of the operands."""
    old = (root, _commit(root, first), first)
    second = git.resolve_commit(root, rest[0]) if rest else None
    if second is not None and (explicit_split or not _is_path(rest[0], cwd)):
        return old, (root, second, rest[0]), rest[1:]
    return old, (root, None, WORKTREE), rest


def _check_leftovers(rest: list[str], explicit_split: bool, cwd: str) -> None:
    if rest and explicit_split:
        raise DiffInputError(f"'{rest[0]}' is not a revision: paths go after `--`")
    for path in rest:  # like git: without `--`, a path must exist (typos are not limits)
        if not _is_path(path, cwd):
            raise DiffInputError(f"'{path}' is neither a revision nor a path in the working "
                                 "tree (put `--` before paths that exist only in a revision)")


def _split_range(text: str) -> tuple[str, str, bool]:
    if "..." in text:
        old, _, new = text.partition("...")
        return old, new, True
    old, _, new = text.partition("..")
    return old, new, False


def _commit(root: str, revision: str) -> str:
    commit = git.resolve_commit(root, revision)
    if commit is None:
        hint = ""
        if revision.startswith("origin/"):
            hint = (f" (in a shallow CI checkout, fetch it first: git fetch --depth=1 "
                    f"origin {revision.removeprefix('origin/')})")
        elif (branch := git.default_branch(root)) is not None and branch != revision:
            hint = f" (the default branch here is '{branch}': procmap diff {branch})"
        raise DiffInputError(f"'{revision}' is not a revision of this repository, nor a "
                             f"file or directory{hint}")
    return commit


def _merge_base(root: str, old: str, new: str, text: str) -> str:
    try:
        return git.merge_base(root, old, new)
    except git.GitError as exc:
        raise DiffInputError(f"{text}: the revisions have no common ancestor ({exc})"
                             ) from exc


def _limits(paths: list[str], root: str, cwd: str) -> list[str]:
    limits = []
    for path in paths:
        relative = os.path.relpath(os.path.abspath(os.path.join(cwd, path)), root)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            raise DiffInputError(f"{path}: outside the repository {root}")
        if relative == ".":
            return []  # the whole repository
        limits.append(relative.replace(os.sep, "/"))
    return limits


def _candidate(path: str) -> bool:
    """A file a directory scan would read: YAML, not hidden, not in a dependency or
    cache directory (the rules of `procmap validate DIR`)."""
    parts = path.split("/")
    return (path.endswith(YAML_SUFFIXES)
            and not any(p.startswith(".") or p in SKIPPED_DIRS for p in parts))


def _revision_snapshot(root: str, commit: str | None, label: str,
                       limits: list[str]) -> Snapshot:
    try:
        if commit is None:
            files = []
            for path in git.worktree_files(root, limits):
                full = os.path.join(root, path)
                if _candidate(path) and os.path.isfile(full):
                    files.append(SourceFile(path, _read(full)))
            return Snapshot(label, tuple(files))
        listed = [(path, blob) for path, blob in git.files_at(root, commit, limits)
                  if _candidate(path)]
        contents = git.read_blobs(root, [blob for _, blob in listed])
    except git.GitError as exc:
        raise DiffInputError(f"git: {exc}") from exc
    return Snapshot(label, tuple(SourceFile(path, raw)
                                 for (path, _), raw in zip(listed, contents, strict=True)))
