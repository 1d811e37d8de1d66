"""procmap render: draw each process as a swimlane flowchart, or export it."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from procmap.cli.common import EXIT_FINDINGS, fail, validated

FORMATS = ("svg", "png", "pdf", "dot", "mmd", "bpmn", "html")
NEEDS_GRAPHVIZ = frozenset({"svg", "png", "pdf", "html"})


def render(
    paths: Annotated[list[str], typer.Argument(help="files or directories to draw")],
    output: Annotated[str, typer.Option("--output", "-o", help=(
        "a file (one process) or a directory (each process becomes DIR/<id>.<ext>)"))],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help=(
        "svg | png | pdf | dot | mmd | bpmn | html [default: from OUT's extension, else "
        "svg]"))] = None,
    direction: Annotated[str, typer.Option("--direction", help=(
        "LR: lanes are horizontal bands, flow left to right; TB: vertical lanes"))] = "LR",
    highlight: Annotated[bool, typer.Option("--highlight", help=(
        "colour the critical path and what audit flags"))] = False,
    process: Annotated[str | None, typer.Option("--process", "-p",
                                                help="draw only this process id")] = None,
    config: Annotated[str | None, typer.Option("--config", help="procmap.toml to use")] = None,
) -> None:
    """Draw processes as swimlane flowcharts (Graphviz), or export Mermaid and BPMN.

    svg, png, pdf and html need Graphviz's `dot` (see `procmap doctor`); dot, mmd and bpmn
    do not. Output files are written atomically.

    Example: procmap render examples -o out/ --format svg --highlight
    """

    direction = direction.upper()
    if direction not in ("LR", "TB"):
        fail(f"--direction must be LR or TB, not '{direction}'")
    extension = os.path.splitext(output)[1].lower().lstrip(".")
    chosen = (fmt or (extension if extension in FORMATS else "svg")).lower()
    if chosen not in FORMATS:
        fail(f"unknown format '{chosen}': use one of {', '.join(FORMATS)}")
    if chosen in NEEDS_GRAPHVIZ:
        from procmap.render.graphviz import graphviz_available

        if not graphviz_available():
            fail(f"{chosen} output needs Graphviz's `dot` program, which is not installed: "
                 "install it (Debian/Ubuntu: sudo apt-get install graphviz fonts-noto-cjk; "
                 "macOS: brew install graphviz), or render to dot, mmd or bpmn; "
                 "`procmap doctor` checks the set-up")
    validation, settings = validated(paths, config)
    from procmap.render.pipeline import RenderJob, drawable_processes, run_jobs

    entries, blocked = drawable_processes(validation, process)
    if process is not None and not entries and not blocked:
        fail(f"no process with id '{process}' in {', '.join(paths)}")
    for finding in blocked:
        sys.stderr.write(f"{finding}\n")
    if not entries:
        if not blocked:
            fail("no processes to draw (a process file has `procmap: 1` and `steps`)")
        raise typer.Exit(EXIT_FINDINGS)
    to_directory = len(entries) > 1 or not extension or os.path.isdir(output)
    if len(entries) > 1 and extension and not os.path.isdir(output):
        fail(f"{len(entries)} processes to draw: give a directory as -o (each process "
             f"becomes DIR/<id>.{chosen}), or pick one with --process")
    jobs = [RenderJob(entry, os.path.join(output, f"{entry.process.id}.{chosen}")
                      if to_directory else output) for entry in entries]
    try:
        written = run_jobs(jobs, validation, settings, chosen, direction, highlight)
    except OSError as exc:
        fail(f"cannot write {getattr(exc, 'filename', None) or output}: "
             f"{exc.strerror or exc}")
    for path in written:
        sys.stderr.write(f"procmap: wrote {path}\n")
    raise typer.Exit(EXIT_FINDINGS if blocked else 0)
