"""procmap.formats: one registry of output formats for every command."""

from __future__ import annotations

import importlib

import pytest

from procmap import formats
from procmap.errors import ProcmapError


def test_every_writer_and_terminal_printer_exists() -> None:
    for fmt in formats.FORMATS:
        for target in filter(None, (fmt.writer, fmt.terminal)):
            module, _, name = target.partition(":")
            assert callable(getattr(importlib.import_module(module), name)), target


def test_names_are_unique_per_command() -> None:
    seen = [(f.command, f.name) for f in formats.FORMATS]
    assert len(seen) == len(set(seen))


def test_the_documented_choices() -> None:
    assert formats.names("findings") == ("text", "parsable", "json", "github", "sarif")
    assert formats.names("audit") == ("text", "parsable", "json", "markdown", "html",
                                      "github", "sarif")
    assert formats.names("raci") == ("text", "markdown", "csv", "json")
    assert formats.names("diff") == ("text", "markdown", "json")
    assert formats.names("render") == ("svg", "png", "pdf", "html", "dot", "mmd", "bpmn")


def test_unknown_format_is_a_procmap_error_naming_the_choices() -> None:
    with pytest.raises(ProcmapError, match=r"^unknown format 'xlsx': use one of text, "
                                           r"markdown, csv, json$"):
        formats.get("raci", "xlsx")


def test_extensions_select_render_formats() -> None:
    assert formats.for_extension("render", ".SVG").name == "svg"  # type: ignore[union-attr]
    assert formats.for_extension("render", "gv").name == "dot"  # type: ignore[union-attr]
    assert formats.for_extension("render", "jpg") is None


def test_graphviz_formats() -> None:
    assert {f.name for f in formats.FORMATS if f.command == "render" and f.needs_graphviz} \
        == {"svg", "png", "pdf", "html"}


def test_a_new_command_registers_in_one_place(monkeypatch: pytest.MonkeyPatch) -> None:
    fmt = formats.Format("newcommand", "csv", "procmap.text.escape:one_line", "demo",
                         extensions=("csv",))
    monkeypatch.setattr(formats, "FORMATS", [*formats.FORMATS, fmt])
    assert formats.names("newcommand") == ("csv",)
    assert formats.get("newcommand", "CSV").write("a\n b") == "a b"
    from procmap.cli.common import format_choices

    assert [m.value for m in format_choices("newcommand")] == ["auto", "csv"]


def test_findings_writers_return_text() -> None:
    from procmap.findings import Finding, Severity

    finding = Finding(file="客户.yaml", line=3, column=5, rule="schema",
                      severity=Severity.ERROR, message="bad \x1b value")
    text = formats.get("findings", "parsable").write([finding], 1)
    assert text == "客户.yaml:3:5: error[schema] bad \\x1b value\n"
