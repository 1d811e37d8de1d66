"""procmap init: write a small working example repository."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from procmap.cli.common import fail

TEMPLATES = ("roles.yaml", "refund-request.yaml")


def init(
    directory: Annotated[str, typer.Argument(help="where to write the example")] = ".",
    force: Annotated[bool, typer.Option("--force", help="overwrite existing files")] = False,
) -> None:
    """Write a small example repository (a role catalog, a process and the JSON Schema).

    Example: procmap init my-processes && procmap validate my-processes
    """
    from importlib.resources import files

    from procmap.io import write_atomic
    from procmap.model.schema import schema_text

    targets = {name: os.path.join(directory, name) for name in TEMPLATES}
    targets["schema"] = os.path.join(directory, "schema", "procmap-1.schema.json")
    existing = [path for path in targets.values() if os.path.exists(path)]
    if existing and not force:
        fail(f"{existing[0]} already exists: choose an empty directory or pass --force")
    source = files("procmap.data") / "init"
    try:
        for name in TEMPLATES:
            write_atomic(targets[name], (source / name).read_text(encoding="utf-8"))
        write_atomic(targets["schema"], schema_text())
    except OSError as exc:
        fail(f"cannot write into {directory}: {exc.strerror or exc}")
    typer.echo(f"procmap: wrote {', '.join(TEMPLATES)} and schema/ into {directory}\n"
               f"next: procmap validate {directory}")
