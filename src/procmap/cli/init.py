"""procmap init: write a small working example repository."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from procmap.cli.common import LangOption, emit, fail, use_language
from procmap.i18n import _

TEMPLATES = ("roles.yaml", "refund-request.yaml")


def init(
    directory: Annotated[str, typer.Argument(
        metavar="DIR", help=_("where to write the example"))] = ".",
    force: Annotated[bool, typer.Option("--force", help=_("overwrite existing files"))] = False,
    lang: LangOption = None,
) -> None:
    """Write a small example repository (a role catalog, a process and the JSON Schema).

    Example: procmap init my-processes && procmap validate my-processes
    """
    use_language(lang, None)  # the directory has no procmap.toml yet
    targets = _targets(directory)
    existing = [path for path in targets.values() if os.path.exists(path)]
    if existing and not force:
        fail(_("{path} already exists: choose an empty directory or pass --force").format(
            path=existing[0]))
    for name, path in targets.items():
        emit(_content(name), path)
    typer.echo("procmap: " + _("wrote {files} and schema/ into {directory}\n"
                               "next: procmap validate {directory}").format(
        files=", ".join(TEMPLATES), directory=directory))


def _targets(directory: str) -> dict[str, str]:
    targets = {name: os.path.join(directory, name) for name in TEMPLATES}
    targets["schema"] = os.path.join(directory, "schema", "procmap-1.schema.json")
    return targets


def _content(name: str) -> str:
    from importlib.resources import files

    from procmap.model.schema import schema_text

    if name == "schema":
        return schema_text()
    return (files("procmap.data") / "init" / name).read_text(encoding="utf-8")
