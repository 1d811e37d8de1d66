"""Which processes to draw, where each goes, and drawing them (one job per process).

The drawers (`draw_svg`, `draw_dot`, ...) are the writers of the ``render`` formats in
`procmap.formats`: one process -> the bytes of one file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap import formats
from procmap.errors import ProcmapError
from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.report.text import format_line

if TYPE_CHECKING:
    from procmap.config import Config
    from procmap.model import ProcessEntry
    from procmap.pipeline import Validation
    from procmap.render.diagram import Diagram


@dataclass(frozen=True)
class RenderJob:
    entry: ProcessEntry
    path: str  # "-" for stdout


# ---------------------------------------------------------------- what to draw


def _errors(validation: Validation) -> list[Finding]:
    return [f for f in validation.findings if f.severity is Severity.ERROR]


def drawable_processes(validation: Validation, only: Collection[str] | str | None
                       ) -> tuple[list[ProcessEntry], list[str]]:
    """Processes without validation errors, and the error lines of the others: a
    diagram of a broken process would show something that is not the process."""
    if isinstance(only, str):
        only = {only}
    errors = _errors(validation)
    broken = {f.process for f in errors if f.process is not None}
    broken_files = {f.file for f in errors if f.process is None}
    entries, blocked = [], []
    for entry in validation.workspace.processes:
        if only is not None and entry.process.id not in only:
            continue
        if entry.process.id in broken or entry.file in broken_files:
            blocked += [format_line(f) for f in errors
                        if f.process == entry.process.id or f.file == entry.file]
        else:
            entries.append(entry)
    if only is None:
        blocked += _unloaded(validation, errors)
    return entries, list(dict.fromkeys(blocked))


def _unloaded(validation: Validation, errors: Sequence[Finding]) -> list[str]:
    """Errors of files that did not even load: they are not drawn either."""
    loaded = {entry.file for entry in validation.workspace.processes}
    return [format_line(f) for f in errors if f.process is None
            and f.file not in loaded and f.rule != "unused-role"]


def plan_jobs(entries: Sequence[ProcessEntry], output: str, fmt: formats.Format
              ) -> list[RenderJob]:
    """Where each process goes: OUT itself (one process, OUT a file or `-`), else
    OUT/<id>.<ext>. Several processes need a directory."""
    extension = os.path.splitext(output)[1]
    if output == "-" or (extension and not os.path.isdir(output)):
        if len(entries) > 1:
            raise ProcmapError(_(
                "{count} processes to draw: give a directory as -o (each process "
                "becomes DIR/<id>.{extension}), or pick them with --process").format(
                count=len(entries), extension=fmt.name))
        return [RenderJob(entries[0], output)]
    return [RenderJob(entry, os.path.join(output, f"{entry.process.id}.{fmt.name}"))
            for entry in entries]


# ---------------------------------------------------------------- drawing


def _diagram(entry: ProcessEntry, validation: Validation, direction: str, analysis: Any,
             highlight: bool) -> Diagram:
    from procmap.conform.overlay import observe
    from procmap.render.build import diagram_for

    return observe(diagram_for(entry, validation.workspace, analysis, direction=direction,
                               highlight=highlight))


def draw_bpmn(entry: ProcessEntry, validation: Validation, direction: str,
              analysis: Any = None, highlight: bool = False) -> bytes:
    from procmap.bpmn.export import render_bpmn_file

    return render_bpmn_file(entry, validation.workspace)


def draw_dot(entry: ProcessEntry, validation: Validation, direction: str,
             analysis: Any = None, highlight: bool = False) -> bytes:
    from procmap.render.graphviz import to_dot

    return to_dot(_diagram(entry, validation, direction, analysis, highlight)).encode()


def draw_mmd(entry: ProcessEntry, validation: Validation, direction: str,
             analysis: Any = None, highlight: bool = False) -> bytes:
    from procmap.render.mermaid import to_mermaid

    return to_mermaid(_diagram(entry, validation, direction, analysis, highlight)).encode()


def draw_html(entry: ProcessEntry, validation: Validation, direction: str,
              analysis: Any = None, highlight: bool = False) -> bytes:
    from procmap.render.graphviz import render_image
    from procmap.render.html import to_html

    diagram = _diagram(entry, validation, direction, analysis, highlight)
    return to_html(diagram, render_image(diagram, "svg").decode("utf-8")).encode("utf-8")


def _image(kind: str) -> Callable[..., bytes]:
    def draw_image(entry: ProcessEntry, validation: Validation, direction: str,
                   analysis: Any = None, highlight: bool = False) -> bytes:
        from procmap.render.graphviz import render_image

        diagram = _diagram(entry, validation, direction, analysis, highlight)
        return render_image(diagram, kind)  # type: ignore[arg-type]

    draw_image.__name__ = f"draw_{kind}"
    return draw_image


draw_svg = _image("svg")
draw_png = _image("png")
draw_pdf = _image("pdf")


def draw(entry: ProcessEntry, validation: Validation, fmt: str, direction: str,
         analysis: Any = None, highlight: bool = False) -> bytes:
    """One process in one format, as the bytes of the file."""
    data = formats.get("render", fmt).write(entry, validation, direction, analysis,
                                            highlight)
    return data if isinstance(data, bytes) else data.encode("utf-8")


def run_jobs(jobs: Sequence[RenderJob], validation: Validation, config: Config, fmt: str,
             direction: str, highlight: bool) -> list[str]:
    """Draw every job and write it safely (`procmap.io.write_output`); a progress bar
    on a terminal when there are several."""
    from procmap.io import write_output
    from procmap.progress import progress

    analyses = _analyses(validation, config) if highlight else {}
    written: list[str] = []

    def one(job: RenderJob) -> None:
        data = draw(job.entry, validation, fmt, direction,
                    analyses.get(job.entry.process.id), highlight)
        write_output(job.path, data)
        written.append(job.path)

    with progress(_("drawing {format}").format(format=fmt), len(jobs)) as advance:
        for job in jobs:
            one(job)
            advance()
    return written


def _analyses(validation: Validation, config: Config) -> dict[str, Any]:
    """Audit results by process id, for --highlight."""
    from procmap.analysis.audit import analyse_workspace

    return analyse_workspace(validation.workspace, config)
