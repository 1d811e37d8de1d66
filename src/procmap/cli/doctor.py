"""procmap doctor: what rendering needs, what is missing, and the fix."""

from __future__ import annotations

from typing import Annotated

import typer


def doctor(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text | json")] = "text",
) -> None:
    """Check what rendering needs: Graphviz `dot` and a font with Chinese glyphs.

    Exit code 0 when everything is there, 1 when something is missing (with the command
    that installs it). dot, mmd and bpmn output need neither.

    Example: procmap doctor
    """
    import json

    from procmap.doctor import checks

    results = checks()
    if fmt == "json":
        typer.echo(json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=2))
    else:
        for result in results:
            mark = "ok " if result.ok else "MISSING"
            typer.echo(f"[{mark}] {result.name}: {result.detail}")
            if not result.ok:
                typer.echo(f"        fix: {result.fix}")
    raise typer.Exit(0 if all(r.ok for r in results) else 1)
