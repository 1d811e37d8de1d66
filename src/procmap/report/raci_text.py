"""`procmap raci` on a colour terminal: one rich table per process, then the findings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from procmap.text.escape import one_line, terminal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from procmap.analysis.raci import RaciMatrix
    from procmap.findings import Finding

_STYLES = {"R": "bold green", "A": "bold magenta", "C": "cyan", "I": "dim"}


def print_rich(console: Console, matrices: Sequence[RaciMatrix],
               findings: Sequence[Finding], files: int) -> None:
    from rich.table import Table
    from rich.text import Text

    from procmap.report.rich_text import print_findings

    for matrix in matrices:
        table = Table(title=Text(f"{terminal(one_line(matrix.name))} ({matrix.process})",
                                 style="bold"),
                      caption=Text(terminal(matrix.file), style="dim"),
                      title_justify="left")
        table.add_column("step", no_wrap=True)
        for role in matrix.roles:
            table.add_column(Text(role, overflow="fold"), justify="center", min_width=3)
        for row in matrix.rows:
            table.add_row(Text(row.step), *(_cell(row.letters(role)) for role in matrix.roles))
        console.print(table)
    if findings:
        print_findings(console, findings, files)


def _cell(letters: str) -> Text:
    from rich.text import Text

    cell = Text()
    for n, letter in enumerate(letters.split("/")):
        if letter:
            cell.append(("/" if n else "") + letter, style=_STYLES[letter])
    return cell
