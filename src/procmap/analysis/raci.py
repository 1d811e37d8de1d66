"""The responsibility matrix (RACI) of each process: steps x roles.

- R (responsible): the step's `role`, who does the work.
- A (accountable): the step's `accountable`; by default the process `owner`, else the
  step's role (format.md). `accountable_source` tells which one applied.
- C (consulted) and I (informed): the step's `consulted` and `informed` lists.

Rows are the work steps (task, approval, wait, subprocess) and any other step that names
RACI roles; columns are the roles that appear, in workspace role order (the swimlane
order). A cell combines letters in R, A, C, I order: "R/A", "C/I".

Plain text, CSV and JSON are produced here; Markdown is in `procmap.report.markdown`,
the terminal table in `procmap.cli.raci`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap.model import WORK_KINDS

if TYPE_CHECKING:
    from procmap.findings import Finding
    from procmap.model import ProcessEntry, Workspace

LETTERS = ("R", "A", "C", "I")


@dataclass(frozen=True)
class RaciRow:
    step: str
    name: str
    responsible: str | None
    accountable: str | None
    accountable_source: str  # "step", "owner", "role" or "none"
    consulted: tuple[str, ...]
    informed: tuple[str, ...]

    def letters(self, role: str) -> str:
        found = []
        if role == self.responsible:
            found.append("R")
        if role == self.accountable:
            found.append("A")
        if role in self.consulted:
            found.append("C")
        if role in self.informed:
            found.append("I")
        return "/".join(found)


@dataclass(frozen=True)
class RaciMatrix:
    process: str
    name: str
    file: str
    roles: tuple[str, ...]
    rows: tuple[RaciRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.process, "name": self.name, "file": self.file,
            "roles": list(self.roles),
            "steps": [{"id": r.step, "name": r.name, "R": r.responsible, "A": r.accountable,
                       "A_from": r.accountable_source, "C": list(r.consulted),
                       "I": list(r.informed),
                       "cells": {role: r.letters(role) for role in self.roles
                                 if r.letters(role)}} for r in self.rows],
        }


def build_matrices(workspace: Workspace, entries: Sequence[ProcessEntry]) -> list[RaciMatrix]:
    order = {role: n for n, role in enumerate(workspace.roles)}
    matrices = []
    for entry in entries:
        process = entry.process
        rows = []
        used: set[str] = set()
        for step in process.step_index.values():
            if step.kind not in WORK_KINDS and not (
                    step.accountable or step.consulted or step.informed):
                continue
            if step.accountable:
                accountable, source = step.accountable, "step"
            elif step.kind in WORK_KINDS and process.owner:
                accountable, source = process.owner, "owner"
            elif step.kind in WORK_KINDS and step.role:
                accountable, source = step.role, "role"
            else:
                accountable, source = None, "none"
            row = RaciRow(step.id, step.label, step.role, accountable, source,
                          tuple(step.consulted), tuple(step.informed))
            used.update(r for r in (row.responsible, row.accountable) if r)
            used.update(row.consulted)
            used.update(row.informed)
            rows.append(row)
        roles = tuple(sorted(used, key=lambda r: (order.get(r, len(order)), r)))
        matrices.append(RaciMatrix(process.id, process.label, entry.file, roles, tuple(rows)))
    return matrices


def _one_line(text: str) -> str:
    return " ".join(text.split())


def to_text(matrices: Sequence[RaciMatrix], findings: Sequence[Finding] = ()) -> str:
    """Aligned plain-text tables, one per process, then the findings."""
    from unicodedata import east_asian_width

    from procmap.report.text import format_line

    def width(text: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)

    def pad(text: str, size: int) -> str:
        return text + " " * (size - width(text))

    out: list[str] = []
    for matrix in matrices:
        out.append(f"{matrix.process} ({_one_line(matrix.name)})  {matrix.file}")
        header = ["step", *matrix.roles]
        body = [[row.step, *(row.letters(role) or "." for role in matrix.roles)]
                for row in matrix.rows]
        widths = [max(width(line[i]) for line in [header, *body]) for i in range(len(header))]
        for line in [header, *body]:
            out.append("  " + "  ".join(pad(cell, widths[i]) for i, cell in enumerate(line))
                       .rstrip())
        out.append("")
    out.extend(format_line(f) for f in findings)
    return "\n".join(out).rstrip("\n") + "\n"


def to_csv(matrices: Sequence[RaciMatrix]) -> str:
    """One table for all processes: process, step, name, then one column per role."""
    roles: list[str] = []
    for matrix in matrices:
        roles.extend(r for r in matrix.roles if r not in roles)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["process", "step", "name", *roles])
    for matrix in matrices:
        for row in matrix.rows:
            writer.writerow([matrix.process, row.step, _csv_safe(_one_line(row.name)),
                             *(row.letters(role) for role in roles)])
    return buffer.getvalue()


def _csv_safe(text: str) -> str:
    # spreadsheets execute cells starting with = + - @ as formulas (CSV injection)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_json(matrices: Sequence[RaciMatrix], findings: Sequence[Finding], files: int) -> str:
    from procmap.report.json_report import document

    data = document(findings, files, processes=[m.to_json() for m in matrices])
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
