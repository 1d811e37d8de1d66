"""`procmap raci` as text: one table per process (plain, or rich on a colour terminal),
then the findings. People read names: the step's and the role's name heads its row and
column, the step's id after its name (the JSON and CSV outputs have the ids)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from procmap.i18n import _
from procmap.text.escape import one_line, terminal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from procmap.analysis.raci import RaciMatrix, RaciRow
    from procmap.findings import Finding

_STYLES = {"R": "bold green", "A": "bold magenta", "C": "cyan", "I": "dim"}


def legend() -> str:
    """What the letters mean, in the interface language."""
    return _("R: responsible (does the work)  A: accountable (approves)  "
             "C: consulted  I: informed")


def _title(matrix: RaciMatrix) -> str:
    name = one_line(matrix.name)
    return name if name == matrix.process else f"{name} ({matrix.process})"


def _step(row: RaciRow) -> str:
    """A row's step: its name with the id after it (`登记投诉 (register)`), as messages
    name steps; the id alone when it has no other name."""
    name = one_line(row.name or "")
    return f"{name} ({row.step})" if name and name != row.step else row.step


def _role(role: str, names: Mapping[str, str]) -> str:
    return one_line(names.get(role) or role)


def _width(text: str) -> int:
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def render(matrices: Sequence[RaciMatrix], findings: Sequence[Finding],
           names: Mapping[str, str]) -> str:
    """Aligned plain-text tables (CJK counted as two columns), then the findings.
    `names`: role id -> the role's name."""
    from procmap.report.text import format_line

    out: list[str] = []
    for matrix in matrices:
        out.append(f"{_title(matrix)}  {matrix.file}")
        header = [_("step"), *(_role(role, names) for role in matrix.roles)]
        body = [[_step(row),
                 *(row.letters(role) or "." for role in matrix.roles)]
                for row in matrix.rows]
        widths = [max(_width(line[i]) for line in [header, *body])
                  for i in range(len(header))]
        for line in [header, *body]:
            out.append("  " + "  ".join(cell + " " * (widths[i] - _width(cell))
                                        for i, cell in enumerate(line)).rstrip())
        out.append("")
    if matrices:
        out.extend([legend(), ""])
    out.extend(format_line(f) for f in findings)
    return "\n".join(out).rstrip("\n") + "\n"


def print_rich(console: Console, matrices: Sequence[RaciMatrix],
               findings: Sequence[Finding], files: int,
               names: Mapping[str, str] | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    from procmap.report.rich_text import print_findings

    names = names or {}
    for matrix in matrices:
        table = Table(title=Text(terminal(_title(matrix)), style="bold"),
                      caption=Text(terminal(matrix.file), style="dim"),
                      title_justify="left")
        table.add_column(_("step"), no_wrap=True)
        for role in matrix.roles:
            table.add_column(Text(terminal(_role(role, names)), overflow="fold"),
                             justify="center", min_width=3)
        for row in matrix.rows:
            table.add_row(Text(terminal(_step(row))),
                          *(_cell(row.letters(role)) for role in matrix.roles))
        console.print(table)
    if matrices:
        console.print(Text(legend(), style="dim"))
    if findings:
        print_findings(console, findings, files)


def _cell(letters: str) -> Text:
    from rich.text import Text

    cell = Text()
    for n, letter in enumerate(letters.split("/")):
        if letter:
            cell.append(("/" if n else "") + letter, style=_STYLES[letter])
    return cell
