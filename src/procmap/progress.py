"""A progress bar for long runs (handbook, audit's HTML diagrams): on stderr, and only
when stderr is a terminal, so files, pipes and CI logs never get one."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[..., None]]:
    """Yields `advance(n=1)`; a transient rich bar when stderr is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)
