"""Which processes to draw, and drawing them into files (one job per process)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap.findings import Severity
from procmap.report.text import format_line

if TYPE_CHECKING:
    from procmap.config import Config
    from procmap.model import ProcessEntry
    from procmap.pipeline import Validation


@dataclass(frozen=True)
class RenderJob:
    entry: ProcessEntry
    path: str


def drawable_processes(validation: Validation, only: str | None
                       ) -> tuple[list[ProcessEntry], list[str]]:
    """Processes without validation errors, and the error lines of the others: a
    diagram of a broken process would show something that is not the process."""
    broken_files = {f.file for f in validation.findings
                    if f.severity is Severity.ERROR and f.process is None}
    broken = {f.process for f in validation.findings
              if f.severity is Severity.ERROR and f.process is not None}
    entries, blocked = [], []
    for entry in validation.workspace.processes:
        if only is not None and entry.process.id != only:
            continue
        if entry.process.id in broken or entry.file in broken_files:
            blocked += [format_line(f) for f in validation.findings
                        if f.severity is Severity.ERROR and (
                            f.process == entry.process.id or f.file == entry.file)]
            continue
        entries.append(entry)
    if only is None:  # files that did not even load are not drawn either
        loaded = {entry.file for entry in validation.workspace.processes}
        blocked += [format_line(f) for f in validation.findings
                    if f.severity is Severity.ERROR and f.process is None
                    and f.file not in loaded and f.rule != "unused-role"]
    return entries, list(dict.fromkeys(blocked))


def draw(entry: ProcessEntry, validation: Validation, fmt: str, direction: str,
         analysis: Any = None, highlight: bool = False) -> bytes:
    """One process in one format, as the bytes of the file."""
    if fmt == "bpmn":
        from procmap.render.bpmn import render_bpmn_file

        return render_bpmn_file(entry, validation.workspace)
    from procmap.render.build import diagram_for

    diagram = diagram_for(entry, validation.workspace, analysis, direction=direction,
                          highlight=highlight)
    if fmt == "dot":
        from procmap.render.graphviz import to_dot

        return to_dot(diagram).encode("utf-8")
    if fmt == "mmd":
        from procmap.render.mermaid import to_mermaid

        return to_mermaid(diagram).encode("utf-8")
    from procmap.render.graphviz import render_image

    if fmt == "html":
        from procmap.render.html import to_html

        svg = render_image(diagram, "svg").decode("utf-8")
        return to_html(diagram, svg).encode("utf-8")
    return render_image(diagram, fmt)  # type: ignore[arg-type]


def run_jobs(jobs: Sequence[RenderJob], validation: Validation, config: Config, fmt: str,
             direction: str, highlight: bool) -> list[str]:
    """Draw every job, atomically; a progress bar on a terminal when there are several."""
    import sys

    from procmap.io import write_atomic

    analyses = _analyses(validation, config) if highlight else {}
    written: list[str] = []

    def one(job: RenderJob) -> None:
        data = draw(job.entry, validation, fmt, direction,
                    analyses.get(job.entry.process.id), highlight)
        write_atomic(job.path, data)
        written.append(job.path)

    if len(jobs) > 1 and sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task(f"drawing {fmt}", total=len(jobs))
            for job in jobs:
                one(job)
                progress.advance(task)
    else:
        for job in jobs:
            one(job)
    return written


def _analyses(validation: Validation, config: Config) -> dict[str, Any]:
    """Audit results by process id, for --highlight."""
    from procmap.analysis.audit import analyse_workspace

    return analyse_workspace(validation.workspace, config)
