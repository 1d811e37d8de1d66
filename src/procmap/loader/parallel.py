"""Parsing many files in worker processes, started as early as the command line allows.

A repository-wide `procmap validate` is mostly YAML parsing: a pool of forked workers
parses the files in chunks, and the results stream back in input order, so the main
process builds the models of the first files while the workers parse the last ones.

procmap's own start-up (typer and pydantic, about 0.25 s) is as long as a quarter of the
parse of a 1,000-file repository. `procmap validate PATH...` names its files in a way
simple to read off the command line, so `procmap.cli.main` calls `prefetch` before the
command modules are imported: the workers start parsing while the rest of procmap loads.
The loader then `take`s their results only when the files it discovers from the parsed
command line, and the interface language, are exactly those of the guess; otherwise the
early workers are stopped and the files are read as usual. What the user sees never
depends on the guess, only when the work starts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from procmap.loader.discover import STDIN_NAME, Input, discover, read_input
from procmap.loader.document import Document, no_gc

# Below this many files a worker pool costs more to start than it saves.
PARALLEL_MIN_FILES = 96

# How `procmap [global options] validate [options] [PATH...]` reads its arguments; a test
# compares these with the typer command, so they cannot drift from it.
GLOBAL_FLAGS = frozenset({"-q", "--quiet", "-v", "--verbose", "--debug"})
GLOBAL_VALUES = frozenset({"--lang"})
VALIDATE_FLAGS = frozenset({"--strict"})
VALIDATE_VALUES = frozenset({"--format", "-f", "--config", "--output", "-o", "--lang"})


def load_inputs(inputs: Sequence[Input]) -> tuple[Iterable[Document], frozenset[str]]:
    """Read and parse every input, in input order; also returns the explicit paths.

    Large invocations are parsed by a pool of worker processes; their documents come back
    lazily, in order, as the workers finish them.
    """
    explicit = frozenset(item.path for item in inputs if item.explicit)
    early = take(inputs)
    if early is not None:
        return early, explicit
    workers = worker_count(len(inputs))
    if workers > 1 and all(item.path != STDIN_NAME for item in inputs):
        return load_parallel(inputs, workers), explicit
    with no_gc():
        return [doc for doc in map(read_input, inputs) if doc is not None], explicit


def worker_count(files: int) -> int:
    """How many worker processes parse `files` files (1: parse in this process)."""
    if files < PARALLEL_MIN_FILES or os.environ.get("PROCMAP_WORKERS") == "1":
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # spawned workers re-import everything: not worth it here
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else (os.cpu_count() or 1), 8))


def load_parallel(inputs: Sequence[Input], workers: int) -> Iterator[Document]:
    """The documents of `inputs`, in input order, parsed by `workers` processes."""
    return _drain(_start(inputs, workers))


def _load_chunk(chunk: Sequence[Input]) -> bytes:
    """A worker's part: its documents, packed for the trip back. A document is plain
    YAML data (nesting bounded by the loader), which `marshal` packs ten times faster
    than pickle; one with findings goes as a pickle (and every one, should marshal
    refuse a value)."""
    import gc
    import marshal
    import pickle

    gc.disable()
    docs = [read_input(item) for item in chunk]
    try:
        return marshal.dumps([
            pickle.dumps(doc, pickle.HIGHEST_PROTOCOL) if doc is None or doc.findings
            else (doc.path, doc.data, doc.text, doc.has_extensions) for doc in docs])
    except ValueError:
        return marshal.dumps([pickle.dumps(doc, pickle.HIGHEST_PROTOCOL) for doc in docs])


def _unpack(chunk: bytes) -> Iterator[Document]:
    import marshal
    import pickle

    for item in marshal.loads(chunk):
        doc = pickle.loads(item) if isinstance(item, bytes) else Document(
            item[0], item[1], item[2], has_extensions=item[3])
        if doc is not None:
            yield doc


def _yield_to_main() -> None:
    """Workers run at a lower priority: the main process is the critical path (its imports,
    then the models of the documents as they arrive), and the workers use whatever CPU it
    leaves."""
    import contextlib

    with contextlib.suppress(OSError):
        os.nice(5)


@dataclass
class _Work:
    """A started pool: its chunks of inputs, and their results as they come."""

    pool: Any
    chunks: list[Sequence[Input]]
    results: Any  # multiprocessing's IMapIterator


def _start(inputs: Sequence[Input], workers: int) -> _Work:
    import multiprocessing

    # small chunks: the first results come back early, for the main process to work on
    size = max(8, len(inputs) // (workers * 8))
    chunks = [inputs[i:i + size] for i in range(0, len(inputs), size)]
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_yield_to_main)
    return _Work(pool, chunks, pool.imap(_load_chunk, chunks))


def _drain(work: _Work) -> Iterator[Document]:
    """The documents in order. A worker that dies (killed from outside, out of memory)
    takes its chunk with it and a pool never notices: the chunks not received by then are
    read in this process instead, so a run never waits forever."""
    import multiprocessing

    received, finished = 0, False
    workers = list(work.pool._pool)  # the pool replaces a dead worker in its own list
    try:
        while received < len(work.chunks):
            try:
                chunk = work.results.next(timeout=0.5)
            except multiprocessing.TimeoutError:
                if any(worker.exitcode not in (None, 0) for worker in workers):
                    break
                continue
            received += 1
            yield from _unpack(chunk)
        finished = received == len(work.chunks)
    finally:
        if finished:
            work.pool.close()
        else:  # an error, a dead worker, or the reader stopped early
            work.pool.terminate()
        work.pool.join()
    for rest in work.chunks[received:]:
        yield from (doc for doc in map(read_input, rest) if doc is not None)


@dataclass
class _Early:
    inputs: list[Input]
    language: str
    work: _Work


_early: _Early | None = None


def guess_paths(argv: Sequence[str]) -> list[str] | None:
    """The PATH arguments of `procmap ... validate ...`, or None when `argv` is anything
    else or anything unusual (stdin, --help, an unknown option)."""
    args = iter(argv)
    for arg in args:
        if arg == "validate":
            return _validate_paths(args)
        if arg in GLOBAL_VALUES:
            next(args, None)
        elif arg not in GLOBAL_FLAGS and arg.split("=", 1)[0] not in GLOBAL_VALUES:
            return None
    return None


def _validate_paths(args: Iterator[str]) -> list[str] | None:
    paths: list[str] = []
    for arg in args:
        if arg == "--":
            paths.extend(args)
        elif arg in VALIDATE_VALUES:
            if next(args, None) is None:
                return None
        elif arg.startswith("-"):
            if arg not in VALIDATE_FLAGS and not (
                    arg.startswith("--") and arg.split("=", 1)[0] in VALIDATE_VALUES):
                return None  # stdin (`-`), --help, a short option cluster, a typo
        else:
            paths.append(arg)
    return paths or ["."]


def prefetch(argv: Sequence[str]) -> None:
    """Start parsing the files of a `procmap validate` command line now (see above)."""
    global _early
    paths = guess_paths(argv)
    if paths is None or "-" in paths:
        return
    try:
        inputs = discover(paths)
    except Exception:  # the command itself says what is wrong, as usual
        return
    workers = worker_count(len(inputs))
    if workers < 2 or any(item.path == STDIN_NAME for item in inputs):
        return
    from procmap.i18n import current

    _early = _Early(inputs, current(), _start(inputs, workers))


def take(inputs: Sequence[Input]) -> Iterator[Document] | None:
    """The prefetched documents when they are those of `inputs`, read in the interface
    language now in use; else None (and the early workers are stopped)."""
    global _early
    early, _early = _early, None
    if early is None:
        return None
    from procmap.i18n import current

    if early.inputs != list(inputs) or early.language != current():
        early.work.pool.terminate()
        early.work.pool.join()
        return None
    return _drain(early.work)
