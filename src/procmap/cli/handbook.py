"""procmap handbook: the operating handbook (SOP pages, 职责说明书) as a site or a PDF."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from procmap.cli.common import (
    ConfigOption,
    FailOnOption,
    LangOption,
    PathsArgument,
    ProcessOption,
    check_processes,
    exit_code,
    fail,
    format_choices,
    note,
    threshold,
    validated,
    value,
)

HandbookFormat = format_choices("handbook", auto=False)


def handbook(
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="SITE",
        help="html: the site's directory (new, empty, or a previous handbook); pdf: a "
             "file (- is stdout)")],
    paths: PathsArgument = None,
    fmt: Annotated[HandbookFormat | None, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False, show_default=False,
        help="html: a static site; pdf: one A4 document (needs Chromium) "
             "[default: pdf for -o *.pdf, else html]")] = None,
    lang: LangOption = None,
    title: Annotated[str | None, typer.Option(
        "--title", metavar="TEXT", help="the handbook's title [default: Operating handbook]")
    ] = None,
    fail_on: FailOnOption = "never",
    config: ConfigOption = None,
    process: ProcessOption = None,
) -> None:
    """Write the operating handbook: an SOP page per process, a responsibility page
    (职责说明书) per role, an index with offline search, history from git.

    The site is built beside SITE and moved into place when complete. Exit code 0 (or 1
    with --fail-on and findings); 2: the handbook could not be written.

    Example: procmap handbook processes/ -o site/ --lang zh
    """
    import gc

    from procmap.handbook.diagrams import DiagramCache
    from procmap.handbook.run import make_handbook, write_handbook

    gc.disable()  # a short-lived process with a large acyclic heap (see audit)
    chosen = _format(output, fmt)
    validation, settings = validated(paths, config, lang)  # sets the language
    only = check_processes(validation, process)
    book, findings = make_handbook(validation, settings, only, DiagramCache(), title)
    for path in write_handbook(book, output, chosen.name):
        if path != "-":
            note(f"wrote {path}")
    raise typer.Exit(exit_code(findings, threshold(fail_on)))


def _format(output: str, fmt: object) -> Any:
    """--format, else pdf for `-o x.pdf`, else html; the site cannot go to stdout."""
    from procmap import formats

    chosen = formats.get("handbook", value(fmt)) if fmt is not None else (
        formats.for_extension("handbook", os.path.splitext(output)[1])
        or formats.get("handbook", "html"))
    if chosen.name == "html" and output == "-":
        fail("-o -: the html handbook is a directory of pages; give a directory, or use "
             "--format pdf to write one document to stdout")
    return chosen
