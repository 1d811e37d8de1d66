"""Bad input of every kind is a finding with a position, never a crash or a hang.

Most cases run in-process (the `check` fixture validates one file as the CLI would); the
dangerous ones (deep nesting, alias bombs, huge files, code-running tags) also go through
the real CLI in a subprocess, so a segfault or a hang fails the test instead of pytest.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from procmap.findings import Finding
from procmap.loader import document, load_bytes, load_text

if TYPE_CHECKING:
    from conftest import Check, RunCli


def brief(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.rule) for f in findings]


def replace(process: str, old: str, new: str) -> str:
    assert old in process, old
    return process.replace(old, new, 1)


def test_the_base_process_is_clean(check: Check, process: str) -> None:
    assert check(process) == []


# -- malformed YAML ---------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "where", "words"), [
    # an unclosed bracket or quote: the opener is what to fix, not where the parser gave up
    ("    next: done\n", "    next: [done\n", (13, 11), "flow sequence"),
    ("    next: done\n", "    next: {to: done\n", (13, 11), "flow mapping"),
    ("name: 退款申请", 'name: "退款申请', (3, 7), "quoted scalar"),
    ("  - id: cs-agent", "  - id: cs-agent\n  stray", (6, 3), "could not find expected ':'"),
    # a second `:` in a plain value: the colon
    ("name: 退款申请", "name: 退款: 申请", (3, 9), "mapping values are not allowed"),
    # one space of indentation too few: the key that is off
    ("    role: cs-agent", "   role: cs-agent", (11, 4), "expected '-'"),
    ("id: refund", "id: @refund", (2, 5), "cannot start any token"),
    ("id: refund", "id: `refund`", (2, 5), "cannot start any token"),
    ("    role: cs-agent", "    role: 'cs-agent' x", (11, 22), "expected key"),
])
def test_malformed_yaml_points_at_the_problem(check: Check, process: str, old: str, new: str,
                                              where: tuple[int, int], words: str) -> None:
    findings = check(replace(process, old, new))
    assert brief(findings) == [(*where, "yaml-syntax")]
    assert words in findings[0].message


def test_several_documents_are_one_finding_at_the_second(check: Check, process: str) -> None:
    findings = check(process + "---\n" + process)
    assert brief(findings) == [(16, 1, "yaml-syntax")]
    assert "several YAML documents" in findings[0].message


def test_undefined_alias(check: Check, process: str) -> None:
    findings = check(replace(process, "    role: cs-agent", "    role: *agent"))
    assert brief(findings) == [(11, 11, "yaml-syntax")]
    assert "*agent" in findings[0].message


# -- wrong types, everywhere --------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ("name: 退款申请", "name: [a, b]", (3, 7), "`name` must be text, not a list"),
    ("name: 退款申请", "name: {a: 1}", (3, 7), "`name` must be text, not a mapping"),
    ("name: 退款申请", "name: null", (3, 7), "not nothing (null)"),
    ("name: 退款申请", "name: true", (3, 7), "boolean true; quote it"),
    ("id: refund", "id: yes please", (2, 5), "not a valid id"),
    ("id: refund", "id: ''", (2, 5), "not a valid id"),
    ("id: refund", "id: refund]", (2, 5), "not a valid id"),
    ("steps:\n", "steps: 5\nx-old:\n", (6, 8), "`steps` must be a list"),
    ("steps:\n", "steps: []\nx-old:\n", (6, 8), "`steps` is empty"),
    ("roles:\n", "roles: cs-agent\nx-old:\n", (4, 8), "`roles` must be a list"),
    ("  - id: cs-agent", "  - cs-agent", (5, 5), "each role must be a mapping"),
    ("  - id: cs-agent", "  - id: cs-agent\n    capacity: many", (6, 15), "must be a number"),
    ("  - id: cs-agent", "  - id: cs-agent\n    capacity: -1", (6, 15), "greater than 0"),
    ("  - id: cs-agent", "  - id: cs-agent\n    availability: 8h", (6, 19), "8h/d"),
    ("  - id: cs-agent", "  - id: cs-agent\n    reports_to: [a]", (6, 17), "must be text"),
    ("name: 退款申请", "name: 退款申请\ndemand: 40", (4, 9), "not a rate"),
    ("name: 退款申请", "name: 退款申请\nsla: true", (4, 6), "duration"),
    ("name: 退款申请", "name: 退款申请\ntags: a", (4, 7), "`tags` must be a list"),
    ("name: 退款申请", "name: 退款申请\ntags: [a, [b]]", (4, 11), "must be text"),
    ("    role: cs-agent", "    role: [cs-agent]", (11, 11), "`role` must be text"),
    ("    next: done\n", "    next: {to: done}\n", (13, 11), "`next` must be a list"),
    ("    next: done\n", "    next: true\n", (13, 11), "`next` must be a list"),
    ("    next: done\n", "    next: [done, null]\n", (13, 18), "each transition must be a mapping"),
    ("    next: done\n", "    next: [[done]]\n", (13, 12), "each transition must be a mapping"),
    ("    next: done\n", "    next: [{to: done, probability: high}]\n", (13, 36),
     "must be a number"),
    ("    next: done\n", "    next: [{to: done, when: [x]}]\n", (13, 29), "`when` must be text"),
    ("    duration: 15m", "    duration: [15m]", (12, 15), "duration"),
    ("    duration: 15m", "    duration: -5m", (12, 15), "not a duration"),
    ("    duration: 15m", "    duration: 99999999w", (12, 15), "longer than a century"),
    ("    duration: 15m", "    consulted: {a: 1}", (12, 16), "`consulted` must be a list"),
    ("    kind: end", "    kind: End", (15, 11), "did you mean 'end'"),
    ("    kind: end", "    kind: [end]", (15, 11), "step kind"),
    ("procmap: 1", "procmap: '1'", (1, 10), "format 1"),
    ("procmap: 1", "procmap: 2", (1, 10), "format 1"),
    ("procmap: 1", "procmap: true", (1, 10), "format 1"),
    ("procmap: 1", "procmap:", (1, 9), "format 1"),
    ("id: refund\n", "", (1, 1), "needs the key `id`"),
    ("  - id: received\n", "  - x-id: received\n", (7, 5), "needs the key `id`"),
    ("  - id: received\n", "  - id: received\n    extensions: {}\n", (8, 5),
     "unknown key `extensions`"),
    ("    role: cs-agent", "    lane: cs-agent", (11, 5), "did you mean `role`"),
    ("    duration: 15m", "    duraton: 15m", (12, 5), "did you mean `duration`"),
    ("    duration: 15m", "    1: 15m", (12, 5), "unknown key `1`"),
    ("    duration: 15m", "    a[b]: 15m", (12, 5), "unknown key `a[b]`"),
    ("procmap: 1\n", "procmap: 1\nx[# not a comment: 1\n", (2, 1), "unknown key `x[#"),
    ("procmap: 1\n", "procmap: 1\nlist[str]: 1\n", (2, 1), "unknown key `list[str]`"),
    ("    duration: 15m", "    ? [a]\n    : 15m", (12, 7), "a key must be plain text"),
])
def test_wrong_types_are_schema_findings_at_the_value(check: Check, process: str, old: str,
                                                      new: str, where: tuple[int, int],
                                                      words: str) -> None:
    # the bad key is dropped and the rest is still checked: other rules may report what
    # follows from it (a role left without a definition...), but the schema finding is one
    findings = [f for f in check(replace(process, old, new)) if f.rule == "schema"]
    assert brief(findings) == [(*where, "schema")], [f.message for f in findings]
    assert words in findings[0].message


def test_duplicate_keys_in_a_transition(check: Check, process: str) -> None:
    findings = check(replace(process, "    next: done\n",
                             "    next:\n      - to: done\n        to: received\n"))
    assert brief(findings) == [(15, 9, "duplicate-key")]
    assert "first on line 14" in findings[0].message


# -- empty, not a mapping, not a procmap file ---------------------------------------------

@pytest.mark.parametrize(("content", "why"), [
    ("", "it is empty"),
    ("# only a comment\n", "it is empty"),
    ("---\n", "it is empty"),
    ("- procmap: 1\n- id: x\n", "top level is a list"),
    ("just text\n", "top level is the text"),
    ("42\n", "top level is the number 42"),
    ("services:\n  web: {image: nginx}\n", "no `procmap` key"),
])
def test_a_named_non_procmap_file_is_one_finding(check: Check, content: str, why: str) -> None:
    findings = check(content)
    assert brief(findings) == [(1, 1, "not-procmap")]
    assert why in findings[0].message


# -- encodings and bytes ------------------------------------------------------------------

@pytest.mark.parametrize(("bom", "codec", "name"), [
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
])
def test_utf16_and_utf32_with_bom_say_how_to_convert(check: Check, process: str, bom: bytes,
                                                     codec: str, name: str) -> None:
    findings = check(bom + process.encode(codec))
    assert brief(findings) == [(1, 1, "encoding")]
    assert f"{name}-encoded" in findings[0].message
    assert "iconv" in findings[0].message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_without_bom_are_encoding_findings(check: Check, process: str,
                                                           codec: str) -> None:
    findings = check(process.encode(codec))
    assert [f.rule for f in findings] == ["encoding"]
    assert findings[0].line >= 1 and findings[0].column >= 1


def test_utf8_bom_is_accepted_and_positions_are_unchanged(check: Check, process: str) -> None:
    assert check(codecs.BOM_UTF8 + process.encode()) == []
    broken = replace(process, "    duration: 15m", "    duration: 15")
    plain = brief(check(broken))
    assert plain == [(12, 15, "schema")]
    assert brief(check(codecs.BOM_UTF8 + broken.encode())) == plain


def test_gbk_bytes_point_at_the_first_bad_byte(check: Check, process: str) -> None:
    findings = check(process.encode("gbk"))
    assert brief(findings) == [(3, 7, "encoding")]
    assert "GB18030" in findings[0].message


def test_latin1_bytes_after_cjk_count_columns_in_characters(check: Check) -> None:
    raw = "procmap: 1\nname: 客服\u00e9x\n".encode()[:-4] + "\u00e9x\n".encode("latin-1")
    findings = check(raw)
    assert brief(findings) == [(2, 9, "encoding")]


@pytest.mark.parametrize("raw", [
    bytes(range(256)) * 8,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(128, 256)),
])
def test_binary_files_are_encoding_findings(check: Check, raw: bytes) -> None:
    findings = check(raw)
    assert [f.rule for f in findings] == ["encoding"]
    assert findings[0].line >= 1 and findings[0].column >= 1
    assert "binary" in findings[0].message or "control character" in findings[0].message


@pytest.mark.parametrize(("char", "code"), [
    ("\x00", "U+0000"), ("\x01", "U+0001"), ("\x07", "U+0007"), ("\x08", "U+0008"),
    ("\x0b", "U+000B"), ("\x0c", "U+000C"), ("\x1b", "U+001B"), ("\x7f", "U+007F"),
    ("\ufffe", "U+FFFE"),
])
def test_control_characters_are_located_exactly(check: Check, process: str, char: str,
                                                code: str) -> None:
    findings = check(replace(process, "name: 退款申请", f"name: 退款{char}申请"))
    assert brief(findings) == [(3, 9, "encoding")]
    assert code in findings[0].message


def test_nul_says_binary(check: Check, process: str) -> None:
    findings = check(replace(process, "name: 退款申请", "name: 退款\x00申请"))
    assert "NUL" in findings[0].message


# -- tabs ----------------------------------------------------------------------------------

def test_a_tab_indenting_a_line(check: Check, process: str) -> None:
    findings = check(replace(process, "    role: cs-agent", "\trole: cs-agent"))
    assert brief(findings) == [(11, 1, "yaml-syntax")]
    assert "tab" in findings[0].message


def test_a_tab_before_a_sequence_entry(check: Check, process: str) -> None:
    findings = check(replace(process, "  - id: check", "\t- id: check"))
    assert brief(findings) == [(10, 1, "yaml-syntax")]
    assert "tab" in findings[0].message


def test_tabs_inside_values_are_text(check: Check, process: str) -> None:
    text = replace(process, "name: 退款申请", 'name: "退款\t申请"\ndescription: a\tb')
    assert check(text) == []
    assert load_text(text, "x").data["description"] == "a\tb"


# -- huge and deep input -------------------------------------------------------------------

def test_a_5000_digit_integer_is_text_not_a_crash(check: Check, process: str) -> None:
    digits = "9" * 5000
    assert load_text(f"x: {digits}\n", "x").data == {"x": digits}
    findings = check(replace(process, "id: refund", f"id: {digits}"))
    assert brief(findings) == [(2, 5, "schema")]
    assert "not a valid id" in findings[0].message
    findings = check(replace(process, "  - id: cs-agent",
                             f"  - id: cs-agent\n    capacity: {digits}"))
    assert brief(findings) == [(6, 15, "schema")]
    findings = check(replace(process, "    next: done\n",
                             f"    next: [{{to: done, probability: {digits}}}]\n"))
    assert brief(findings) == [(13, 36, "schema")]


def test_a_200000_character_scalar_is_a_limit_finding(check: Check, process: str) -> None:
    findings = check(replace(process, "name: 退款申请", "name: " + "长" * 200_000))
    assert brief(findings) == [(3, 7, "yaml-limit")]
    assert "200,000 characters" in findings[0].message


def test_a_long_but_allowed_description_is_fine(check: Check, process: str) -> None:
    assert check(replace(process, "name: 退款申请", "name: 退款申请\ndescription: "
                         + "长" * 90_000)) == []


def _validate_cli(run_cli: RunCli, tmp_path: Path, content: bytes,
                  timeout: float = 60) -> list[dict[str, Any]]:
    """The JSON findings of `procmap validate` on one file. A hang fails the test through
    the subprocess timeout; how fast procmap refuses is measured in bench/limits_bench.py."""
    (tmp_path / "hostile.yaml").write_bytes(content)
    result = run_cli(["validate", "hostile.yaml", "--format", "json"], timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stderr)
    import json

    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


@pytest.mark.parametrize(("opener", "closer", "column"), [
    ("[", "]", 67),  # "x: " then the 64th bracket: the first one too deep
    ("{a: ", "}", 256),
])
def test_100000_deep_nesting_is_a_limit_finding_not_a_segfault(run_cli: RunCli, tmp_path: Path,
                                                               opener: str, closer: str,
                                                               column: int) -> None:
    text = "procmap: 1\nx: " + opener * 100_000 + "1" + closer * 100_000 + "\n"
    findings = _validate_cli(run_cli, tmp_path, text.encode())
    assert [(f["line"], f["column"], f["rule"]) for f in findings] in (
        [(2, column, "yaml-limit")], [(2, _LIBYAML_STOP, "yaml-limit")])


# libyaml >= 0.2.6 refuses flow nesting past 1,000 levels while it scans ahead for a
# key, before procmap's own limit (64) sees any event: the finding is the same limit,
# at the point where libyaml stopped ("x: " and 1,000 brackets)
_LIBYAML_STOP = 3 + 1000


def test_100000_unclosed_brackets(run_cli: RunCli, tmp_path: Path) -> None:
    findings = _validate_cli(run_cli, tmp_path, b"procmap: 1\nx: " + b"[" * 100_000)
    assert [(f["line"], f["column"], f["rule"]) for f in findings] in (
        [(2, 67, "yaml-limit")], [(2, _LIBYAML_STOP, "yaml-limit")])


def test_deep_block_nesting(run_cli: RunCli, tmp_path: Path) -> None:
    text = "procmap: 1\nx:\n" + "".join(" " * i + "- \n" for i in range(3000))
    findings = _validate_cli(run_cli, tmp_path, text.encode())
    assert [f["rule"] for f in findings] == ["yaml-limit"]


def test_nesting_within_the_limit_is_fine() -> None:
    doc = load_text("x: " + "[" * 60 + "]" * 60 + "\n", "x")
    assert doc.findings == []


def test_recursive_alias(check: Check, process: str) -> None:
    findings = check(process + "x-loop: &a [*a]\n")
    assert brief(findings) == [(16, 13, "yaml-alias")]
    findings = check(process + "x-loop: &m {self: *m}\n")
    assert brief(findings) == [(16, 19, "yaml-alias")]


def _bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["procmap: 1", "id: lol", "name: lol",
             "x-l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"x-l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    lines += ["steps:", "  - {id: s, kind: start, next: e}", "  - {id: e, kind: end}"]
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    findings = _validate_cli(run_cli, tmp_path, _bomb().encode())
    assert [f["rule"] for f in findings] == ["yaml-alias"]
    assert findings[0]["line"] in range(4, 13)


def test_alias_expansion_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # 9**9 nodes if expanded: refused once the count passes the limit, not after
    monkeypatch.setattr(document, "MAX_ALIAS_EXPANSION", 50)
    doc = load_text(_bomb(levels=3, width=9), "x")
    # line 5 (x-l1: 9 aliases of a 10-node list) passes 50; line 6 (x-l2) is never read
    assert [(f.rule, f.line) for f in doc.findings] == [("yaml-alias", 5)]
    assert "beyond 50 nodes" in doc.findings[0].message


def test_a_few_harmless_aliases_are_fine() -> None:
    doc = load_text(_bomb(levels=3, width=3), "x")
    assert doc.findings == []
    assert doc.data["x-l2"] == [[["lol"] * 3] * 3] * 3


def test_a_50_mb_file_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "huge.yaml").write_bytes(b"procmap: 1\nx-data: \"" + b"x" * 50_000_000
                                         + b"\"\n")
    result = run_cli(["validate", "huge.yaml"], timeout=60)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "huge.yaml:1:1: error[yaml-limit] file is larger than procmap's limit of 10 MiB")
    assert "Traceback" not in result.stderr


def test_a_large_file_in_process_is_refused_before_parsing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object) -> None:
        raise AssertionError("a file over the size limit must not be decoded or parsed")

    monkeypatch.setattr(document, "_decode", never)
    monkeypatch.setattr(document, "load_text", never)
    doc = load_bytes(b"a: [" + b"1, " * 4_000_000 + b"]\n", "big.yaml")
    assert [(f.line, f.column, f.rule) for f in doc.findings] == [(1, 1, "yaml-limit")]


def test_a_huge_file_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    import importlib

    discover = importlib.import_module("procmap.loader.discover")  # (the package's
    # `discover` attribute is the function of that name)
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"x" * (document.MAX_FILE_BYTES + 5_000_000))
    # one byte past the limit, so load_bytes can tell "too large" without reading it all
    assert len(discover._read_file(str(huge))) == document.MAX_FILE_BYTES + 1


# -- tags: nothing is ever constructed or executed ------------------------------------------

@pytest.mark.parametrize("template", [
    'name: !!python/object/apply:os.system ["touch {marker}"]',
    'name: !!python/object/apply:subprocess.call [["touch", "{marker}"]]',
    'name: !!python/object/apply:builtins.open ["{marker}", "w"]',
    'name: !!python/object/new:builtins.open ["{marker}", "w"]',
])
def test_python_tags_never_execute(run_cli: RunCli, tmp_path: Path, process: str,
                                   template: str) -> None:
    marker = tmp_path / "pwned"
    line = template.format(marker=marker)
    findings = _validate_cli(run_cli, tmp_path,
                             replace(process, "name: 退款申请", line).encode())
    assert [(f["line"], f["column"], f["rule"]) for f in findings] == [(3, 7, "yaml-tag")]
    assert "!!python/object/" in findings[0]["message"]
    assert not marker.exists()


def test_python_name_tag(check: Check, process: str) -> None:
    findings = check(replace(process, "name: 退款申请", "name: !!python/name:os.system"))
    assert brief(findings) == [(3, 7, "yaml-tag")]
    assert "!!python/name:os.system" in findings[0].message


@pytest.mark.parametrize(("line", "column"), [
    ("name: !foo bar", 7),
    ("name: !foo {a: 1}", 7),
    ("name: !!binary aGVsbG8=", 7),
    ("name: !!set {a}", 7),
    ("name: !<tag:example.com,2024:x> y", 7),
])
def test_other_tags_are_refused(check: Check, process: str, line: str, column: int) -> None:
    findings = check(replace(process, "name: 退款申请", line))
    assert brief(findings) == [(3, column, "yaml-tag")]


def test_core_tags_keep_the_text(check: Check, process: str) -> None:
    text = replace(process, "name: 退款申请", "name: !!str 退款申请\nversion: !!str 3.10")
    assert check(text) == []
    assert load_text(text, "x").data["version"] == "3.10"


# -- merge keys --------------------------------------------------------------------------

def test_merge_keys_fill_in_values(check: Check, process: str) -> None:
    text = replace(process, "steps:\n", "x-agent: &agent {role: cs-agent, duration: 5m}\n"
                   "steps:\n")
    text = replace(text, "    role: cs-agent\n    duration: 15m\n", "    <<: *agent\n")
    assert check(text) == []
    data = load_text(text, "x").data
    assert data["steps"][1] == {"id": "check", "role": "cs-agent", "duration": "5m",
                                "next": "done"}


def test_explicit_keys_win_over_merged_ones() -> None:
    data = load_text("d: &d {a: 1, b: 1}\nx: {<<: [*d, {c: 3}], a: 2}\n", "x").data
    assert data["x"] == {"a": 2, "b": 1, "c": 3}


def test_merging_a_scalar_is_a_schema_finding(check: Check, process: str) -> None:
    findings = check(process + "x-d: &d 5\nx-e: {<<: *d}\n")
    assert [f.rule for f in findings] == ["schema"]
    assert findings[0].line == 17
    assert "merge key" in findings[0].message


# -- YAML 1.1 surprises ------------------------------------------------------------------

@pytest.mark.parametrize(("written", "kept"), [
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"),
    ("NO", "NO"), ("010", "010"), ("0x1F", "0x1F"), ("0o17", "0o17"), ("1_000", "1_000"),
    ("3.10", "3.10"), ("1.50", "1.50"), ("1e3", "1e3"), ("2024-01-01", "2024-01-01"),
    ("1:30", "1:30"), (".inf", ".inf"), ("-.inf", "-.inf"), (".nan", ".nan"),
    ("+1", "+1"), ("12", "12"), ("3.5", "3.5"),
])
def test_plain_scalars_keep_their_text(check: Check, process: str, written: str, kept: str) -> None:
    text = replace(process, "name: 退款申请", f"name: {written}\nversion: {written}")
    assert check(text) == []
    doc = load_text(text, "x")
    assert str(doc.data["name"]) == kept
    from procmap.model import build_workspace

    workspace = build_workspace([doc])
    assert workspace.processes[0].process.name == kept
    assert workspace.processes[0].process.version == kept


@pytest.mark.parametrize("written", ["010", "0x1F", "1e3", "2024-01-01"])
def test_ids_that_look_like_numbers_stay_as_written(check: Check, process: str,
                                                    written: str) -> None:
    text = replace(process, "id: refund", f"id: {written}")
    assert check(text) == []
    from procmap.model import build_workspace

    assert build_workspace([load_text(text, "x")]).processes[0].process.id == written


def test_a_clock_duration_suggests_units(check: Check, process: str) -> None:
    findings = check(replace(process, "    duration: 15m", "    duration: 1:30"))
    assert brief(findings) == [(12, 15, "schema")]
    assert "1h30m" in findings[0].message


@pytest.mark.parametrize("number", ["30", "1.5"])
def test_a_bare_number_duration_says_to_add_a_unit(check: Check, process: str, number: str) -> None:
    findings = check(replace(process, "    duration: 15m", f"    duration: {number}"))
    assert brief(findings) == [(12, 15, "schema")]
    assert f"{number}m" in findings[0].message and "unit" in findings[0].message


@pytest.mark.parametrize(("written", "words"), [
    ("30 minutes", "single letters"), ("2 days", "single letters"), ("2小时", "single"),
    ("PT", "not a duration"), ("1h30", "not a duration"),
])
def test_duration_typos(check: Check, process: str, written: str, words: str) -> None:
    findings = check(replace(process, "    duration: 15m", f"    duration: {written}"))
    assert brief(findings) == [(12, 15, "schema")]
    assert words in findings[0].message


@pytest.mark.parametrize("written", ["1d4h", "1.5h", "PT30M", "P3D", "2w", ".5h", "0m"])
def test_good_durations(check: Check, process: str, written: str) -> None:
    assert check(replace(process, "    duration: 15m", f"    duration: {written}")) == []


# -- Unicode and hostile text --------------------------------------------------------------

CJK_PROCESS = """\
procmap: 1
id: 客户投诉处理
name: 客户投诉处理 🚀
roles:
  - {id: 客服专员, name: 客服专员 👩‍💻}
  - {id: 상담원, name: 상담원}
  - {id: オペレーター, name: オペレーター}
steps:
  - {id: 收到投诉, kind: start, next: 登记}
  - {id: 登记, role: 客服专员, next: 확인}
  - {id: 확인, role: 상담원, next: 確認}
  - {id: 確認, role: オペレーター, next: 结束}
  - {id: 结束, name: "完了 ✅", kind: end}
"""


def test_cjk_ids_and_emoji_names_validate(check: Check) -> None:
    assert check(CJK_PROCESS) == []


def test_cjk_columns_count_characters(check: Check) -> None:
    findings = check(CJK_PROCESS.replace("role: オペレーター, next", "role: オペレータ, next"))
    assert brief(findings) == [(7, 10, "unused-role"), (12, 20, "unknown-reference")]
    assert "did you mean 'オペレーター'" in findings[1].message


def test_an_emoji_is_not_an_id(check: Check) -> None:
    findings = check(CJK_PROCESS.replace("{id: 结束,", "{id: 🏁,").replace(
        "next: 结束}", "next: 🏁}"))
    assert [f.rule for f in findings] == ["schema", "schema"]
    assert all("not a valid id" in f.message for f in findings)


@pytest.mark.parametrize("name", [
    "\"quoted\" and 'single'", "<script>alert(1)</script>", "{{ jinja }} ${shell}",
    "a | b > c < d", "back\\slash\\", "C:\\path\\", "line one\nline two", "%25 %0A ::error",
    "& amp; &lt;", "]]> <!-- -->", "`rm -rf /`", "   padded   ", "\u202eRTL", "x\u200by",
])
def test_hostile_names_validate_and_round_trip(check: Check, process: str, name: str) -> None:
    import json

    single_quoted = "'" + name.replace("'", "''").replace("\n", "\n\n") + "'"
    block = "|-\n" + "".join(f"      {line}\n" for line in name.split("\n"))
    text = replace(process, "name: 退款申请", f"name: {json.dumps(name)}")
    text = replace(text, "    role: cs-agent\n", f"    name: {single_quoted}\n"
                   f"    description: {block}    role: cs-agent\n")
    assert check(text) == []
    from procmap.model import build_workspace

    model = build_workspace([load_text(text, "x")]).processes[0].process
    assert model.name == name
    assert model.steps[1].name == name
    if name == name.strip():  # a block scalar's indentation eats leading spaces
        assert model.steps[1].description == name


def test_crlf_line_endings_keep_positions(check: Check, process: str) -> None:
    broken = replace(process, "    duration: 15m", "    duration: 15")
    assert check(process.replace("\n", "\r\n")) == []
    assert brief(check(broken.replace("\n", "\r\n"))) == [(12, 15, "schema")]


def test_a_finding_on_a_merged_value_points_at_the_step(check: Check, process: str) -> None:
    text = replace(process, "steps:\n", "x-agent: &agent {role: cs-agnet}\nsteps:\n")
    text = replace(text, "    role: cs-agent\n", "    <<: *agent\n")
    findings = check(text)
    # the merged `role` is not written in the step: its mapping is what is pointed at
    assert brief(findings) == [(5, 9, "unused-role"), (11, 5, "unknown-reference")]


def test_an_anchor_defined_twice(check: Check, process: str) -> None:
    findings = check(process + "x-a: &a {k: 1}\nx-b: &a {k: 2}\nx-c: *a\n")
    assert brief(findings) == [(17, 6, "yaml-alias")]
    assert "&a is defined twice" in findings[0].message
