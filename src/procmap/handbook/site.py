"""Writing the handbook: diagrams drawn once, pages rendered, the site moved into place.

The site is built in a temporary directory beside the target and renamed into place
when complete, so an error (or Ctrl-C) never leaves a half-written site; an existing
target is replaced only when it is empty or a procmap handbook (it has our marker).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from procmap.errors import ProcmapError
from procmap.progress import progress

if TYPE_CHECKING:
    from procmap.handbook.build import Handbook, ProcessView, Ref
    from procmap.handbook.diagrams import DiagramCache
    from procmap.model import Workspace
    from procmap.render.diagram import Diagram

__all__ = ["HandbookError", "draw_diagrams", "print_document", "write_site"]

#: a file in every site procmap writes: a directory with it may be replaced
MARKER = ".procmap-handbook"
#: diagrams of processes larger than this are left out (Graphviz would take minutes)
MAX_DIAGRAM_STEPS = 300


class HandbookError(ProcmapError):
    """The handbook could not be written (the target, Graphviz, Chromium)."""


# ------------------------------------------------------------------ diagrams


def draw_diagrams(handbook: Handbook, workspace: Workspace, cache: DiagramCache,
                  label: str) -> None:
    """Fill every process view's `svg` (sanitised, ids prefixed) and git history.
    Diagrams are drawn in batches (`DiagramCache.fill`); git runs in threads."""
    from concurrent.futures import ThreadPoolExecutor

    from markupsafe import Markup

    from procmap.handbook.history import history

    diagrams = {id(view): _diagram(view, workspace) for view in handbook.processes}
    wanted = [d for d in diagrams.values() if d is not None]
    with progress(label, len(wanted)) as advance:
        cache.fill(wanted, advance)
    for view in handbook.processes:
        diagram = diagrams[id(view)]
        svg = cache.get(diagram) if diagram is not None else None
        if svg is not None:
            view.svg = Markup(svg)
    workers = max(1, min(8, (os.cpu_count() or 1) * 2))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for view, revisions in zip(handbook.processes, pool.map(
                lambda v: history(v.entry.file), handbook.processes), strict=True):
            view.history = revisions


def _diagram(view: ProcessView, workspace: Workspace) -> Diagram | None:
    from procmap.render.build import diagram_for
    from procmap.render.graphviz import graphviz_available

    if len(view.entry.process.steps) > MAX_DIAGRAM_STEPS or not graphviz_available():
        return None
    return diagram_for(view.entry, workspace, None, highlight=False)


# ------------------------------------------------------------------ pages


def _site_context(handbook: Handbook, root: str) -> dict[str, Any]:
    from procmap import templates
    from procmap.i18n import current
    from procmap.text.units import hours

    def href(ref: Ref, step_anchor: str | None = None) -> str:
        page = f"{root}{ref.kind}/{ref.stem}.html"
        return page + (f"#{step_anchor}" if step_anchor else "")

    return {"handbook": handbook, "root": root, "href": href, "hours": hours,
            "anchor": lambda prefix, name: f"{prefix}--{name}" if prefix else name,
            "page_lang": current(), "policy": templates.csp(site=True)}


def _pages(handbook: Handbook) -> Iterator[tuple[str, str]]:
    """(relative path, HTML) of every page of the site."""
    from procmap import templates
    from procmap.i18n import _

    top = _site_context(handbook, "")
    yield "index.html", templates.render(
        "handbook_index.html", page_title=handbook.title,
        search={"items": handbook.search_items(), "none": _("Nothing found.")}, **top)
    inner = _site_context(handbook, "../")
    for process in handbook.processes:
        yield (f"processes/{process.ref.stem}.html", templates.render(
            "handbook_process.html", process=process,
            page_title=f"{process.ref.label} · {handbook.title}", **inner))
    for role in handbook.roles:
        yield (f"roles/{role.ref.stem}.html", templates.render(
            "handbook_role.html", role=role,
            page_title=f"{role.ref.label} · {handbook.title}", **inner))


_SVG_IDS = re.compile(r'(\bid="|url\(#|href="#)d-')


def _reprefix(svg: Any, prefix: str) -> Any:
    """A sanitised inline SVG (ids `d-...`) with its ids prefixed `prefix` instead."""
    if svg is None:
        return None
    from markupsafe import Markup

    return Markup(_SVG_IDS.sub(lambda m: m[1] + prefix, str(svg)))


def print_document(handbook: Handbook) -> str:
    """The whole handbook as one HTML document for printing (a process per chapter)."""
    from procmap import templates
    from procmap.i18n import current
    from procmap.text.units import hours

    def href(ref: Ref, step_anchor: str | None = None) -> str:
        base = f"{ref.kind}-{ref.stem}"
        return f"#{base}--{step_anchor}" if step_anchor else f"#{base}"

    # one document, several diagrams: each gets its own id prefix instead of `d-`
    chapters = [dataclasses.replace(view, svg=_reprefix(view.svg, f"d{n}-"))
                for n, view in enumerate(handbook.processes)]
    document = dataclasses.replace(handbook, processes=chapters)
    return templates.render(
        "handbook_print.html", handbook=document, href=href, hours=hours,
        anchor=lambda prefix, name: f"{prefix}--{name}" if prefix else name,
        page_lang=current(), policy=templates.csp(), page_title=handbook.title)


# ------------------------------------------------------------------ writing


def _check_target(target: str) -> None:
    if os.path.lexists(target) and not os.path.isdir(target):
        raise HandbookError(f"-o {target} is a file: the handbook is a directory "
                            "(give a new or empty directory, or a previous handbook)")
    if os.path.isdir(target) and os.listdir(target) and not os.path.exists(
            os.path.join(target, MARKER)):
        raise HandbookError(f"-o {target} is a directory with other files in it: give a "
                            "new or empty directory (procmap replaces only a handbook it "
                            "wrote itself)")


def write_site(handbook: Handbook, target: str, label: str) -> list[str]:
    """Render every page into a temporary directory beside `target`, then move it into
    place. Returns the relative paths written."""
    from procmap import templates

    target = os.path.normpath(target)
    _check_target(target)
    parent = os.path.dirname(os.path.abspath(target))
    try:
        os.makedirs(parent, exist_ok=True)
        build = tempfile.mkdtemp(prefix=".procmap-handbook-", dir=parent)
    except OSError as exc:
        raise HandbookError(f"cannot write the handbook into {parent}: "
                            f"{exc.strerror or exc}") from exc
    try:
        written = _write_all(build, _pages(handbook), len(handbook.processes)
                             + len(handbook.roles) + 1, label)
        _write(build, f"assets/{templates.SCRIPT_NAME}", templates.asset(templates.SCRIPT_NAME))
        _write(build, MARKER, "procmap handbook: this directory is replaced by "
               "`procmap handbook`\n")
        os.chmod(build, 0o755)  # mkdtemp makes it private; a site is for reading
        _replace(build, target)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return written


def _write_all(build: str, pages: Iterator[tuple[str, str]], total: int,
               label: str) -> list[str]:
    written = []
    with progress(label, total) as advance:
        for relative, text in pages:
            _write(build, relative, text)
            written.append(relative)
            advance()
    return written


def _write(build: str, relative: str, text: str) -> None:
    path = os.path.join(build, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise HandbookError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _replace(build: str, target: str) -> None:
    """Move the finished site to `target`, replacing a previous handbook there."""
    old = None
    try:
        if os.path.isdir(target):
            old = tempfile.mkdtemp(prefix=".procmap-handbook-old-",
                                   dir=os.path.dirname(os.path.abspath(target)))
            os.rename(target, os.path.join(old, "site"))
        os.rename(build, target)
    except OSError as exc:
        if old is not None and not os.path.exists(target):
            os.rename(os.path.join(old, "site"), target)  # put the previous one back
        raise HandbookError(f"cannot move the handbook into {target}: "
                            f"{exc.strerror or exc}") from exc
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def page_paths(handbook: Handbook) -> Sequence[str]:
    """The pages a site has, relative to its root (for tests and the CLI's note)."""
    return (["index.html"] + [f"processes/{p.ref.stem}.html" for p in handbook.processes]
            + [f"roles/{r.ref.stem}.html" for r in handbook.roles])
