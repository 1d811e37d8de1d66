"""procmap render: draw each process as a swimlane flowchart, or export it."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from procmap import formats
from procmap.cli.common import (
    EXIT_FINDINGS,
    ConfigOption,
    LangOption,
    ProcessOption,
    choices,
    fail,
    note,
    use_language,
    validated,
    value,
)
from procmap.i18n import _

RenderFormat = choices("RenderFormat", formats.names("render"))
Direction = choices("Direction", ("LR", "TB"))


def render(
    paths: Annotated[list[str], typer.Argument(metavar="PATH",
                                               help=_("files or directories to draw"))],
    output: Annotated[str, typer.Option("--output", "-o", metavar="OUT", help=_(
        "a file (one process; - is stdout) or a directory (each process becomes "
        "DIR/<id>.<ext>)"))],
    fmt: Annotated[RenderFormat | None, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False, show_default=False,
        help=_("[default: from OUT's extension, else svg]"))] = None,
    direction: Annotated[Direction, typer.Option(  # type: ignore[valid-type]
        "--direction", case_sensitive=False,
        help=_("LR: lanes are horizontal bands, flow left to right; TB: vertical lanes"))
    ] = "LR",
    highlight: Annotated[bool, typer.Option("--highlight", help=_(
        "colour the critical path and what audit flags"))] = False,
    process: ProcessOption = None,
    config: ConfigOption = None,
    lang: LangOption = None,
    observed: Annotated[str | None, typer.Option(
        "--observed", metavar="LOG", show_default=False, help=_(
            "an event log: draw observed case counts (edge widths), times and "
            "deviations (procmap conform)"))] = None,
) -> None:
    """Draw processes as swimlane flowcharts (Graphviz), or export Mermaid and BPMN.

    svg, png, pdf and html need Graphviz's `dot` (see `procmap doctor`); dot, mmd and bpmn
    do not. Output files are written atomically.

    Example: procmap render examples -o out/ --format svg --highlight
    """
    from procmap.render.pipeline import drawable_processes, plan_jobs, run_jobs

    use_language(lang, None)
    chosen = output_format(output, None if fmt is None else value(fmt))
    require_graphviz(chosen)
    validation, settings = validated(paths, config, lang)
    entries, blocked = drawable_processes(validation, set(process) if process else None)
    _report_blocked(entries, blocked, process, paths)
    jobs = plan_jobs(entries, output, chosen)
    if observed:
        _observe(observed, validation, settings)
    written = run_jobs(jobs, validation, settings, chosen.name, value(direction).upper(),
                       highlight)
    for path in written:
        if path != "-":
            note(_("wrote {path}").format(path=path))
    raise typer.Exit(EXIT_FINDINGS if blocked else 0)


def _observe(log: str, validation: Any, settings: Any) -> None:
    """Measure the log (procmap conform) for the diagrams about to be drawn."""
    from procmap.conform.overlay import remember
    from procmap.conform.run import Options, run_conform

    remember(run_conform(log, validation, settings, Options.from_config(settings, {})))


def output_format(output: str, name: str | None) -> formats.Format:
    """The format of --format, else of OUT's extension, else svg. An extension that is
    no render format (x.jpg), or another format's (-o x.png -f svg), is an error."""
    extension = os.path.splitext(output)[1].lower().lstrip(".")
    if not extension or output == "-" or os.path.isdir(output):
        return formats.get("render", name or "svg")
    implied = formats.for_extension("render", extension)
    if implied is None:
        fail(_("-o {output}: .{extension} is no render format: use one of {formats} "
               "(or a directory)").format(output=output, extension=extension,
                                          formats=", ".join(formats.names("render"))))
    if name is not None and name != implied.name:
        fail(_("-o {output} says {implied} but --format says {name}: make them agree").format(
            output=output, implied=implied.name, name=name))
    return implied


def require_graphviz(fmt: formats.Format) -> None:
    from procmap.render.graphviz import graphviz_available

    if fmt.needs_graphviz and not graphviz_available():
        fail(_("{format} output needs Graphviz's `dot` program, which is not installed: "
               "install it (Debian/Ubuntu: sudo apt-get install graphviz fonts-noto-cjk; "
               "macOS: brew install graphviz), or render to dot, mmd or bpmn; "
               "`procmap doctor` checks the set-up").format(format=fmt.name))


def _report_blocked(entries: list[Any], blocked: list[str], process: list[str] | None,
                    paths: list[str]) -> None:
    """Print why processes are not drawn; end the command when none is left."""
    if process and not entries and not blocked:
        fail(_("no process with id '{process}' in {paths}").format(
            process=process[0], paths=", ".join(paths)))
    for line in blocked:
        sys.stderr.write(f"{line}\n")
    if not entries:
        if not blocked:
            fail(_("no processes to draw (a process file has `procmap: 1` and `steps`)"))
        raise typer.Exit(EXIT_FINDINGS)
