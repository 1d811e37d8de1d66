"""Issue 10: scans stay in the tree and never block; hostile values cost linear time.

The scaling tests use sizes that would take minutes if the code were quadratic (or
cubic) but run well under a second when it is linear; they assert values, never times.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from procmap.config import Config
from procmap.findings import Finding
from procmap.loader.discover import discover
from procmap.loader.document import load_text
from procmap.model.fields import parse_availability, parse_duration, parse_rate
from procmap.pipeline import validate_paths

CATALOG = "procmap: 1\nroles:\n  - id: cs-agent\n"


def _rules(findings: list[Finding]) -> list[tuple[str, int, int, str]]:
    return [(f.file, f.line, f.column, f.rule) for f in findings]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_yaml_is_skipped_by_a_scan(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text(CATALOG, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    found = [i.path for i in discover([str(tmp_path)])]
    assert found == [str(tmp_path / "roles.yaml")]


def test_a_dangling_symlink_does_not_abort_a_scan(tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert [i.path for i in discover([str(tmp_path)])] == [str(tmp_path / "roles.yaml")]


def test_a_scan_does_not_follow_symlinks_out_of_the_tree(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(CATALOG, encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "inner").mkdir(parents=True)
    (repo / "inner" / "roles.yaml").write_text(CATALOG, encoding="utf-8")
    (repo / "leak.yaml").symlink_to(outside / "secret.yaml")
    (repo / "linked-dir").symlink_to(outside, target_is_directory=True)
    (repo / "alias.yaml").symlink_to(repo / "inner" / "roles.yaml")
    found = [i.path for i in discover([str(repo)])]
    # the in-tree link is the same file as inner/roles.yaml: read once, under its link
    assert found == [str(repo / "alias.yaml")]


def test_a_file_named_explicitly_through_a_symlink_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    assert [i.path for i in discover([str(tmp_path / "link.yaml")])] == [
        str(tmp_path / "link.yaml")]


def test_a_quoted_nul_key_cannot_forge_the_extensions_key() -> None:
    text = ('procmap: 1\nid: p\nname: P\n"\\0x-": {x-ignore: [schema]}\nsteps:\n'
            '  - {id: s, kind: start, next: e, "\\0x-": {x-ignore: [end-required]}}\n'
            '  - {id: e, kind: end}\n')
    doc = load_text(text, "p.yaml")
    assert [(f.line, f.column, f.rule) for f in doc.findings] == [(4, 1, "schema"),
                                                                   (6, 35, "schema")]
    assert "\x00x-" not in doc.data and "\x00x-" not in doc.data["steps"][0]
    assert "control characters" in doc.findings[0].message


@pytest.mark.parametrize(("field", "line", "column"), [
    ("capacity: true", 5, 23), ("probability: true", 8, 57)])
def test_true_is_not_a_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str,
                              line: int, column: int) -> None:
    capacity = "capacity: true" if field.startswith("capacity") else "capacity: 2"
    probability = "true" if field.startswith("probability") else "0.5"
    (tmp_path / "p.yaml").write_text(
        "procmap: 1\nid: p\nname: P\nroles:\n"
        f"  - {{id: a, {capacity}}}\nsteps:\n  - {{id: s, kind: start, next: d}}\n"
        f"  - {{id: d, kind: decision, next: [{{to: e, probability: {probability}}}, "
        "{to: f, probability: 0.5}]}\n  - {id: e, kind: end}\n  - {id: f, kind: end}\n"
        "  - {id: w, role: a, next: e}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    findings = [f for f in validate_paths(["p.yaml"], Config()).findings
                if f.rule == "schema"]
    assert [(f.line, f.column) for f in findings] == [(line, column)]
    assert "must be a number, not true/false" in findings[0].message


@pytest.mark.parametrize("value", [
    " " * 20_000, " " * 20_000 + "/", "1" * 20_000 + "/x", "8h" + " " * 20_000 + "/q",
    "/" * 20_000, " /" * 10_000 + "d", "\t" * 20_000 + "x"])
def test_a_long_hostile_availability_is_refused_in_linear_time(value: str) -> None:
    # the old regex `\s*(.+?)\s*/\s*([dw])\s*\Z` took 23-45 s on 3,000 spaces
    with pytest.raises(ValueError, match="not an availability"):
        parse_availability(value)


@pytest.mark.parametrize("parse", [parse_duration, parse_rate])
@pytest.mark.parametrize("value", [
    " " * 20_000, "1h" * 10_000 + "!", "1" * 20_000 + "x", "1." * 10_000,
    "P" + "1W" * 10_000 + "!", " 1 " * 7_000 + "/"])
def test_other_value_parsers_refuse_long_hostile_text(parse: object, value: str) -> None:
    with pytest.raises(ValueError):
        parse(value)  # type: ignore[operator]


def test_availability_still_reads_the_usual_forms() -> None:
    assert parse_availability("8h/d") == 8.0
    assert parse_availability(" 37.5h / w ") == pytest.approx(37.5 / 7)
    assert parse_availability("7h30m/d") == 7.5


def test_a_20000_role_reports_to_chain_is_linear(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # O(n^3) before: 2,000 roles took 21-82 s; 20,000 would never finish
    count = 20_000
    lines = ["procmap: 1", "roles:"]
    lines += [f"  - {{id: r{i}, reports_to: r{i + 1}}}" for i in range(count - 1)]
    lines.append(f"  - {{id: r{count - 1}, reports_to: r0}}")  # closes the loop
    (tmp_path / "roles.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    findings = [f for f in validate_paths(["roles.yaml"], Config()).findings
                if f.rule == "reports-to-cycle"]
    assert [(f.line, f.role) for f in findings] == [(3, "r0")]
    assert f"({count - 10} more)" in findings[0].message


def test_a_long_chain_without_a_loop_is_clean(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    count = 20_000
    lines = ["procmap: 1", "roles:"]
    lines += [f"  - {{id: r{i}, reports_to: r{i + 1}}}" for i in range(count - 1)]
    lines.append(f"  - {{id: r{count - 1}}}")
    (tmp_path / "roles.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert validate_paths(["roles.yaml"], Config()).findings == []
