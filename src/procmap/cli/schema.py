"""procmap schema: print the JSON Schema of format 1."""

from __future__ import annotations

from typing import Annotated

import typer

from procmap.cli.common import emit
from procmap.i18n import _


def schema(
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="FILE",
                                               help=_("write to a file instead"))] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of format 1, for editors and other validators.

    Example: procmap schema > schema/procmap-1.schema.json
    """
    from procmap.model.schema import schema_text

    emit(schema_text(), output)
