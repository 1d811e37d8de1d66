"""Chinese and English everywhere: catalogs complete, `--lang`/procmap.toml/locale
choose the language, and Chinese outputs hold no English interface word."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from english_words import english_words, format_keys, svg_text, user_text
from procmap.i18n import help_language, locale_language, named, resolve, set_language

if TYPE_CHECKING:
    from conftest import RunCli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN_INPUT = ROOT / "tests" / "golden" / "validate" / "input"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("procmap_i18n_script",
                                                  ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- the catalogs


def test_every_message_of_the_code_has_a_chinese_translation() -> None:
    script = _script()
    messages = script.interface_messages()
    ids = {m.id for m in messages}
    # the extraction sees the code: a rule message, a legend, a help text, a plural
    assert "Legend" in ids and "warnings fail too" in ids and "{count} error" in ids
    assert any(m.id.startswith("Check procmap files") for m in messages)  # docstring help
    missing = script.missing(ROOT / "src" / "procmap" / "locale" / "zh", messages)
    assert [f"{m.file}:{m.line}: {m.id!r}" for m in missing] == [], (
        "add their Chinese to src/procmap/locale/zh/po/<area>.po, then make i18n")


def test_the_compiled_catalog_is_up_to_date_with_the_po_files() -> None:
    assert _script().main(["--check"]) == 0, "run make i18n"


#: the area PO files whose translations keep exactly their message's placeholders (an
#: area may pass more values than its message names, and use them in a translation)
_EXACT_AREAS = ("cli.po", "validate.po", "render.po", "reports.po")


def test_a_translation_keeps_the_placeholders_of_its_message() -> None:
    script = _script()
    wrong = []
    for name, catalog in script.area_catalogs(ROOT / "src" / "procmap" / "locale" / "zh"):
        if name in _EXACT_AREAS:
            wrong += _placeholder_mismatches(catalog)
    assert wrong == []


def _placeholder_mismatches(catalog: Any) -> list[str]:
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, (list, tuple)) \
            else [message.string]
        wanted = set(re.findall(r"\{(\w*)\}", source))
        for string in strings:
            if set(re.findall(r"\{(\w*)\}", string)) != wanted:
                wrong.append(source)
    return wrong


# Calls whose text argument a person reads: (function or class name, argument index).
_SHOWN = {"note": 0, "warn": 0, "detail": 0, "fail": 0, "ProcmapError": 0, "ConfigError": 0,
          "RenderError": 0, "RenderWarning": 0, "GraphvizMissing": 0, "UnknownFormat": 0,
          "PydanticCustomError": 1, "at_step": 3, "report": 3, "_refuse": 2}
#: the parts of procmap whose text goes through `_()` (the commands added later, such as
#: simulate, check their own)
_CONVERTED = [*(f"cli/{name}.py" for name in ("app", "common", "validate", "audit", "render",
                                              "raci", "diff", "doctor", "init",
                                              "import_bpmn", "schema")),
              "rules", "loader", "model", "config.py", "doctor.py", "io.py", "pipeline.py",
              "diff", "report/diff_common.py", "report/diff_text.py",
              "report/diff_markdown.py", "render/build.py",
              "render/visuals.py", "render/graphviz.py", "render/pipeline.py",
              "render/mermaid.py", "report/text.py", "report/rich_text.py",
              "report/raci_text.py", "report/writers.py"]


def _literal(node: ast.expr) -> bool:
    """Text written in place: a string or f-string with letters in its literal part."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and re.search(r"[A-Za-z]{2}", str(v.value))
                   for v in node.values)
    return False


def _untranslated(path: Path) -> list[str]:
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        index = _SHOWN.get(name)
        if index is not None and len(node.args) > index and _literal(node.args[index]):
            found.append(f"{where}:{node.lineno}: {name}(...)")
        if name in ("Option", "Argument") and isinstance(func, ast.Attribute):
            for keyword in node.keywords:
                if keyword.arg == "help" and _literal(keyword.value):
                    found.append(f"{where}:{node.lineno}: help=")
    return found


def test_text_shown_to_people_goes_through_the_catalog() -> None:
    """A message, note, error or option help written as a bare literal would stay English
    in a Chinese output: each must be `_("...")` (placeholders filled by .format)."""
    found = [line for path in _converted_files() for line in _untranslated(path)]
    assert found == []


def _converted_files() -> list[Path]:
    package = ROOT / "src" / "procmap"
    files: list[Path] = []
    for part in _CONVERTED:
        target = package / part
        files += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return files


def test_no_message_is_hidden_inside_an_f_string() -> None:
    """`f"{_('Legend')}"`: the extractor cannot see a message inside an f-string (before
    Python 3.12), so it would never reach the catalog: write it outside."""
    found = []
    for path in _converted_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) \
                        and call.func.id in ("_", "N_", "ngettext") and call.args \
                        and isinstance(call.args[0], ast.Constant):
                    found.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert found == []


def test_the_untranslated_check_finds_a_bare_message(tmp_path: Path) -> None:
    bad = tmp_path / "probe.py"
    bad.write_text('fail(f"no such file {x}")\nnote(_("fine {x}").format(x=1))\n'
                   'typer.Option("--x", help="untranslated help")\n', encoding="utf-8")
    assert [line.split(": ")[1] for line in _untranslated(bad)] == ["fail(...)", "help="]


# ---------------------------------------------------------------- choosing the language


def test_lang_option_then_procmap_toml_then_the_environment() -> None:
    zh_env = {"LANG": "zh_CN.UTF-8"}
    assert resolve("en", "zh", zh_env) == "en"
    assert resolve(None, "en", zh_env) == "en"
    assert resolve(None, None, zh_env) == "zh"
    assert resolve(None, None, {"LANG": "C.UTF-8"}) == "en"
    assert resolve(None, None, {"LANG": "C.UTF-8", "PROCMAP_LANG": "zh"}) == "zh"
    assert locale_language({"LANGUAGE": "zh_TW:en", "LANG": "de_DE"}) == "zh"
    assert locale_language({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) is None


def test_the_help_language_comes_from_argv_before_the_environment() -> None:
    assert help_language(["validate", "--lang", "zh", "--help"], {}) == "zh"
    assert help_language(["--lang=ZH", "raci"], {}) == "zh"
    assert help_language(["--lang", "en"], {"LANG": "zh_CN.UTF-8"}) == "en"
    assert help_language(["--help"], {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert help_language(["--lang"], {}) == "en"


def test_people_see_names_and_the_id_after_them() -> None:
    assert named("follow-up", "回访") == "'回访' (follow-up)"
    assert named("follow-up") == "'follow-up'"
    assert named("same", "same") == "'same'"


def test_an_unknown_language_falls_back_to_english() -> None:
    assert set_language("fr") == "en"
    assert set_language("zh") == "zh"


def _refund(tmp_path: Path, toml: str | None = None) -> Path:
    (tmp_path / "p.yaml").write_text(
        "procmap: 1\nid: refund\nname: 退款\nsteps:\n"
        "  - {id: start, kind: start, next: check}\n"
        "  - {id: check, name: '{step} <b>审核</b>', kind: task, next: done}\n"
        "  - {id: done, kind: end}\n", encoding="utf-8")
    if toml is not None:
        (tmp_path / "procmap.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def _message(run_cli: RunCli, cwd: Path, *args: str,
             env: dict[str, str] | None = None) -> str:
    done = run_cli(["validate", "p.yaml", "--format", "json", *args], cwd=cwd, env=env)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    return str(next(f for f in findings if f["rule"] == "missing-role")["message"])


def test_tests_run_in_english_by_default(run_cli: RunCli, tmp_path: Path) -> None:
    message = _message(run_cli, _refund(tmp_path))
    assert message.startswith("task step '{step} <b>审核</b>' (check) has no `role`")


def test_procmap_toml_lang_switches_to_chinese(run_cli: RunCli, tmp_path: Path) -> None:
    cwd = _refund(tmp_path, 'lang = "zh"\n')
    assert _message(run_cli, cwd).startswith("任务步骤 '{step} <b>审核</b>' (check) 没有 `role`")
    # --lang wins over procmap.toml
    assert _message(run_cli, cwd, "--lang", "en").startswith("task step")


def test_the_locale_switches_to_chinese(run_cli: RunCli, tmp_path: Path) -> None:
    cwd = _refund(tmp_path)
    assert _message(run_cli, cwd, env={"LANG": "zh_CN.UTF-8"}).startswith("任务步骤")
    assert _message(run_cli, cwd, env={"PROCMAP_LANG": "zh"}).startswith("任务步骤")
    # the JSON keeps its ids and keys in English
    done = run_cli(["validate", "p.yaml", "--format", "json", "--lang", "zh"], cwd=cwd)
    finding = next(f for f in json.loads(done.stdout)["findings"]
                   if f["rule"] == "missing-role")
    assert (finding["severity"], finding["step"]) == ("error", "check")


def test_a_bad_lang_in_procmap_toml_is_a_one_line_error(run_cli: RunCli,
                                                        tmp_path: Path) -> None:
    done = run_cli(["validate", "p.yaml"], cwd=_refund(tmp_path, 'lang = "fr"\n'))
    assert done.returncode == 2
    assert "lang = 'fr': use one of en, zh" in done.stderr
    assert done.stderr.count("\n") == 1


COMMANDS = ["validate", "audit", "render", "raci", "diff", "doctor", "init", "import",
            "schema"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_in_chinese(run_cli: RunCli, command: str) -> None:
    done = run_cli(["--lang", "zh", command, "--help"])
    assert done.returncode == 0, done.stderr
    first = done.stdout.split("Options")[0]
    assert CJK.search(first), done.stdout  # the description
    assert len(CJK.findall(done.stdout)) > 20
    english = run_cli([command, "--help"])
    assert not CJK.search(english.stdout)


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "schema"])
def test_every_command_that_writes_for_people_has_lang(run_cli: RunCli,
                                                       command: str) -> None:
    assert "--lang" in run_cli([command, "--help"]).stdout


# ---------------------------------------------------------------- Chinese outputs


def test_validate_in_chinese_has_no_english_interface_word(run_cli: RunCli) -> None:
    for paths in ([str(EXAMPLES)], [str(GOLDEN_INPUT)]):
        done = run_cli(["validate", *paths, "--format", "text", "--lang", "zh"])
        output = done.stdout + done.stderr
        assert CJK.search(output)
        allowed = user_text(paths) | format_keys()
        # the YAML parser's own words come quoted after "YAML 无效": none in these files
        assert english_words(output, allowed) == [], output


def test_raci_in_chinese_has_no_english_interface_word(run_cli: RunCli) -> None:
    done = run_cli(["raci", str(EXAMPLES), "--lang", "zh"])
    assert done.returncode == 0, done.stderr
    assert "步骤" in done.stdout and "客服专员" in done.stdout  # names, not ids
    assert english_words(done.stdout + done.stderr, user_text([EXAMPLES])) == []


@pytest.mark.graphviz
def test_render_svg_in_chinese_has_no_english_interface_word(run_cli: RunCli,
                                                             tmp_path: Path) -> None:
    done = run_cli(["render", str(EXAMPLES), "-o", str(tmp_path), "--format", "svg",
                    "--highlight", "--lang", "zh"])
    assert done.returncode == 0, done.stderr
    allowed = user_text([EXAMPLES])
    svgs = sorted(tmp_path.glob("*.svg"))
    assert len(svgs) >= 4
    for svg in svgs:
        text = svg_text(svg.read_text(encoding="utf-8"))
        assert "图例" in text or "开始" in text
        assert english_words(text, allowed) == [], svg.name
    assert english_words(done.stderr, allowed) == []


def _page_text(page: str) -> str:
    """The words of an HTML page a person reads (no styles, scripts, tags or entities)."""
    import html

    page = re.sub(r"<style.*?</style>|<script.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_audit_in_chinese_has_no_english_interface_word(run_cli: RunCli, fmt: str) -> None:
    done = run_cli(["audit", str(EXAMPLES), "--config", str(EXAMPLES / "procmap.toml"),
                    "--lang", "zh", "--fail-on", "never", "--format", fmt, "--no-diagrams"]
                   if fmt == "html" else
                   ["audit", str(EXAMPLES), "--config", str(EXAMPLES / "procmap.toml"),
                    "--lang", "zh", "--fail-on", "never", "--format", fmt])
    assert done.returncode == 0, done.stderr
    output = _page_text(done.stdout) if fmt == "html" else done.stdout
    assert "客服专员" in output and "错误" in output  # names and severities in Chinese
    # "Erlang" is a name (Erlang C), like SLA; "gt"/"lt" are Markdown's escaped arrows
    allowed = user_text([EXAMPLES]) | format_keys() | {"Erlang", "gt", "lt"}
    assert english_words(output, allowed) == [], output


@pytest.mark.graphviz
def test_handbook_cli_in_chinese_has_no_english_interface_word(run_cli: RunCli,
                                                               tmp_path: Path) -> None:
    # through the command line: validation must not reset the language --lang chose
    done = run_cli(["handbook", str(EXAMPLES), "--lang", "zh", "-o", str(tmp_path / "site")])
    assert done.returncode == 0, done.stderr
    allowed = user_text([EXAMPLES]) | format_keys() | {"Erlang"}
    for page in ("index.html", "roles/cs-agent.html", "processes/refund-approval.html"):
        text = _page_text((tmp_path / "site" / page).read_text(encoding="utf-8"))
        assert "运营手册" in text, page
        text = text.split("修订记录")[0]  # git history: the commits' own messages
        assert english_words(text, allowed) == [], page


def test_the_help_frame_follows_the_language(run_cli: RunCli) -> None:
    # typer and click write "Options", "Arguments", "[default: ...]" through the global
    # gettext: procmap.i18n routes it to procmap's catalog
    chinese = run_cli(["--lang", "zh", "audit", "--help"]).stdout
    assert "选项:" in chinese and "参数:" in chinese and "[默认：error]" in chinese
    english = run_cli(["audit", "--help"]).stdout
    assert "Options:" in english and "[default: error]" in english


def test_mermaid_in_chinese_names_unnamed_lanes_in_chinese() -> None:
    from procmap.render.diagram import Lane
    from procmap.render.mermaid import _lane_label

    set_language("zh")
    assert "泳道 1" in _lane_label(Lane("x", ""), 0, False)


def test_english_words_finds_interface_words_and_spares_the_users() -> None:
    text = ("examples/a.yaml:3:5: 错误[missing-role] 任务步骤 'Refund desk' (refund) has "
            "no `role` 30m --lang SLA 2h")
    assert english_words(text, {"Refund desk", "refund"}) == ["has", "no"]


def test_diff_in_chinese_has_no_english_interface_word(run_cli: RunCli,
                                                       tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    source = (EXAMPLES / "refund-approval.yaml").read_text(encoding="utf-8")
    for side, text in ((old, source), (new, source.replace("duration: 15m", "duration: 45m"))):
        (side / "refund-approval.yaml").write_text(text, encoding="utf-8")
        (side / "roles.yaml").write_text((EXAMPLES / "roles.yaml").read_text(
            encoding="utf-8"), encoding="utf-8")
    allowed = user_text([old, new]) | format_keys() | {"old", "new"}  # the paths given
    for fmt in ("text", "markdown"):
        done = run_cli(["diff", "old", "new", "--format", fmt, "--lang", "zh"], cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "预期周期" in done.stdout
        assert english_words(done.stdout, allowed) == [], \
            done.stdout


def test_lang_before_the_command_sets_the_output_language(run_cli: RunCli,
                                                           tmp_path: Path) -> None:
    cwd = _refund(tmp_path, 'lang = "en"\n')
    done = run_cli(["--lang", "zh", "validate", "p.yaml", "--format", "json"], cwd=cwd)
    finding = next(f for f in json.loads(done.stdout)["findings"]
                   if f["rule"] == "missing-role")
    assert str(finding["message"]).startswith("任务步骤")
