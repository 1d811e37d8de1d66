"""procmap handbook: the site's layout, structure, links, safety, rule and CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hostile import EVIL, hostile_files
from site_checks import HTML, check_site, parse

from procmap.config import Config
from procmap.handbook.build import file_stem
from procmap.handbook.diagrams import DiagramCache
from procmap.handbook.run import make_handbook, write_handbook
from procmap.pipeline import validate_paths

if TYPE_CHECKING:
    from conftest import RunCli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
graphviz = pytest.mark.graphviz


def build(paths: list[str], target: Path, lang: str = "en") -> list[str]:
    from procmap.i18n import set_language

    set_language(lang)
    try:
        validation = validate_paths(paths, Config())
        handbook, findings = make_handbook(validation, Config(), None, DiagramCache())
        write_handbook(handbook, str(target), "html")
    finally:
        set_language("en")
    return [f.rule for f in findings]


@pytest.fixture(scope="module")
def examples_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("examples") / "site"
    build([str(EXAMPLES)], site)
    return site


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, text in hostile_files().items():
        (folder / name).write_text(text, encoding="utf-8")
    site = folder / "site"
    build([str(folder / n) for n in sorted(hostile_files())], site)
    return site


@graphviz
def test_the_site_has_the_layout_of_the_spec(examples_site: Path) -> None:
    files = sorted(p.relative_to(examples_site).as_posix()
                   for p in examples_site.rglob("*") if p.is_file())
    assert "index.html" in files and "assets/procmap.js" in files
    assert "processes/complaint-handling.html" in files
    assert "roles/cs-agent.html" in files and "roles/customer.html" in files
    assert {f.split("/")[0] for f in files} == {"index.html", "processes", "roles",
                                                 "assets", ".procmap-handbook"}


@graphviz
def test_every_page_is_well_formed_with_unique_ids_and_working_links(
        examples_site: Path) -> None:
    ids = check_site(examples_site)
    page = ids["processes/complaint-handling.html"]
    assert "step-follow-up" in page and "top" in page
    assert len(ids) == 1 + 4 + 13  # index, 4 processes, 13 roles


@graphviz
def test_the_sop_page_shows_the_process(examples_site: Path) -> None:
    text = (examples_site / "processes/complaint-handling.html").read_text(encoding="utf-8")
    for needle in ("客户投诉处理", "客服经理", "3.1", "<svg", "回访", "CRM",
                   "../roles/cs-agent.html", "简单问题", "70%", "Responsibilities (RACI)",
                   "expected lead time", "role-overload", "deadline-breach"):
        assert needle in text, needle
    assert 'href="../roles/cs-manager.html">客服经理</a>' in text  # names, not ids


@graphviz
def test_the_role_page_is_a_responsibility_description(examples_site: Path) -> None:
    text = (examples_site / "roles/cs-agent.html").read_text(encoding="utf-8")
    assert "客服专员" in text and "接听电话与在线咨询" in text
    assert 'href="../roles/cs-lead.html">客服组长</a>' in text  # reports to
    assert "../processes/complaint-handling.html#step-follow-up" in text
    assert "of work per day" in text
    lead = (examples_site / "roles/cs-lead.html").read_text(encoding="utf-8")
    assert 'href="../roles/cs-agent.html">客服专员</a>' in lead  # who reports to it


@graphviz
def test_the_search_index_is_data_not_script(examples_site: Path) -> None:
    text = (examples_site / "index.html").read_text(encoding="utf-8")
    data = text.split('id="procmap-search">', 1)[1].split("</script>", 1)[0]
    items = json.loads(data)["items"]
    follow_up = [i for i in items if i["t"].startswith("回访")]
    assert follow_up and follow_up[0]["u"] == (
        "processes/complaint-handling.html#step-follow-up")
    assert all(i["u"].startswith(("processes/", "roles/")) for i in items)


@graphviz
def test_hostile_text_in_every_field_is_escaped_everywhere(hostile_site: Path) -> None:
    # structure: no element, attribute or script that hostile text could have made
    check_site(hostile_site)
    for page in hostile_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        html_part = text.split('<script type="application/json"', 1)[0]
        for needle in ("<script>alert", "<img", "<iframe", "<b onclick", "</textarea>",
                       "href=\"javascript"):
            assert needle not in html_part, (page.name, needle)
    process_page = next((hostile_site / "processes").glob("evil*.html"))
    text = process_page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<strong>粗体</strong>" in text  # Markdown is rendered, its HTML escaped
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in text
    assert 'href="https://example.com/a"' in text
    assert "{{7*7}}" in text and "49" not in text.split("<main>", 1)[1].split("<svg", 1)[0]


@graphviz
def test_unsafe_ids_become_reversible_file_names(hostile_site: Path) -> None:
    names = {p.name for p in (hostile_site / "processes").iterdir()}
    assert names == {f"{file_stem('evil_x0041_.流程')}.html", "other.html"}
    assert file_stem("evil_x0041_.流程") == "evil_x005F_x0041_.流程"
    roles = {p.name for p in (hostile_site / "roles").iterdir()}
    assert "客服.专员-1.html" in roles and "boss_x005F_x0020_a.html" in roles


def test_file_stems_never_collide() -> None:
    ids = ["a b", "a_x0020_b", "a_x0020_b2", "客户", "x.y", "..", "CON", "a/b", "a\\b",
           "!" * 40 + "a", "!" * 40 + "b", "客" * 64]
    stems = [file_stem(i) for i in ids]
    assert len(set(stems)) == len(ids)
    assert all("/" not in s and "\\" not in s and s not in (".", "..") for s in stems)
    assert all(len(s.encode("utf-8")) <= 200 for s in stems)


def test_markdown_instructions_escape_html_and_refuse_scripts() -> None:
    from procmap.handbook.markdown import to_html

    html = str(to_html("<b>x</b> [a](javascript:alert(1)) ![i](http://x/y.png) **b**"))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "javascript" not in html.split("href", 1)[-1] or "href" not in html
    assert "<img" not in html and "<strong>b</strong>" in html


@graphviz
def test_identical_diagrams_are_drawn_once(tmp_path: Path) -> None:
    text = (EXAMPLES / "refund-approval.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "roles.yaml").write_text((EXAMPLES / "roles.yaml").read_text(
        encoding="utf-8"), encoding="utf-8")
    validation = validate_paths([str(tmp_path)], Config())
    cache = DiagramCache()
    make_handbook(validation, Config(), None, cache)
    assert cache.drawn == 1
    from procmap.render.build import diagram_for

    entry = validation.workspace.processes[0]
    again = cache.svg(diagram_for(entry, validation.workspace, None))
    assert cache.drawn == 1 and again is not None


def test_revision_history_comes_from_git(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("needs git")
    from procmap.handbook.history import history

    env = {**os.environ, "GIT_AUTHOR_NAME": "王小明", "GIT_AUTHOR_EMAIL": "w@example.com",
           "GIT_COMMITTER_NAME": "王小明", "GIT_COMMITTER_EMAIL": "w@example.com",
           "GIT_AUTHOR_DATE": "2026-03-01T10:00:00", "GIT_COMMITTER_DATE":
           "2026-03-01T10:00:00"}
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True, env=env)
    path = tmp_path / "p.yaml"
    path.write_text("procmap: 1\n", encoding="utf-8")
    subprocess.run([git, "-C", str(tmp_path), "add", "p.yaml"], check=True, env=env)
    subprocess.run([git, "-C", str(tmp_path), "commit", "-qm", "退款流程：增加复核 <b>"],
                   check=True, env=env)
    revisions = history(str(path))
    assert [(r.date, r.author, r.message) for r in revisions] == [
        ("2026-03-01", "王小明", "退款流程：增加复核 <b>")]
    assert history(str(tmp_path / "missing.yaml")) == []


@graphviz
def test_the_handbook_rule_reports_gaps(tmp_path: Path) -> None:
    fixtures = ROOT / "tests" / "fixtures" / "rules" / "handbook-incomplete" / "fail"
    rules = build([str(fixtures / "process.yaml")], tmp_path / "site")
    assert rules.count("handbook-incomplete") == 2
    text = next((tmp_path / "site" / "processes").glob("*.html")).read_text(encoding="utf-8")
    assert "handbook-incomplete" in text


# ------------------------------------------------------------------ CLI


def test_cli_refuses_to_overwrite_a_file_or_a_foreign_directory(run_cli: RunCli,
                                                                tmp_path: Path) -> None:
    (tmp_path / "roles.yaml").write_text((EXAMPLES / "roles.yaml").read_text(
        encoding="utf-8"), encoding="utf-8")
    shutil.copy(EXAMPLES / "refund-approval.yaml", tmp_path / "p.yaml")
    (tmp_path / "file.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "mine.md").write_text("keep", encoding="utf-8")
    for target in ("file.txt", "docs"):
        done = run_cli(["handbook", "p.yaml", "roles.yaml", "-o", target])
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "keep"
    assert (tmp_path / "docs" / "mine.md").read_text(encoding="utf-8") == "keep"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".procmap-handbook")]


@graphviz
def test_cli_writes_and_replaces_its_own_site(run_cli: RunCli, tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "refund-approval.yaml", tmp_path / "p.yaml")
    shutil.copy(EXAMPLES / "roles.yaml", tmp_path / "roles.yaml")
    for _ in range(2):
        done = run_cli(["handbook", "p.yaml", "roles.yaml", "-o", "site", "--lang", "en"])
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "site" / "processes" / "refund-approval.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml", "roles.yaml", "site"]


def test_cli_pdf_without_chromium_says_what_to_install(run_cli: RunCli,
                                                       tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "refund-approval.yaml", tmp_path / "p.yaml")
    shutil.copy(EXAMPLES / "roles.yaml", tmp_path / "roles.yaml")
    done = run_cli(["handbook", "p.yaml", "roles.yaml", "-o", "h.pdf", "--format", "pdf"],
                   env={"PROCMAP_CHROMIUM": "no-such-chromium-binary"})
    assert done.returncode == 2
    assert "chromium" in done.stderr.lower() and "apt-get install chromium" in done.stderr
    assert not (tmp_path / "h.pdf").exists()


@pytest.mark.browser
def test_cli_pdf_is_an_a4_document(run_cli: RunCli, tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "complaint-handling.yaml", tmp_path / "p.yaml")
    shutil.copy(EXAMPLES / "roles.yaml", tmp_path / "roles.yaml")
    done = run_cli(["handbook", "p.yaml", "roles.yaml", "-o", "h.pdf", "--format", "pdf"],
                   timeout=180)
    assert done.returncode == 0, done.stderr
    data = (tmp_path / "h.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/MediaBox [0 0 594.95996 841.91998]" in data or b"595" in data


def test_hostile_text_constant_has_every_kind_of_trouble() -> None:
    for needle in ("<", ">", "{", "|", "\\", "\n", "\u202e", "客户", "'", '"'):
        assert needle in EVIL


@graphviz
def test_lang_zh_leaves_no_english_interface_text(tmp_path: Path) -> None:
    """Every heading, label, button and placeholder of the templates is Chinese with
    --lang zh (user text, ids and finding messages are not the templates' words)."""
    from babel.messages.pofile import read_po

    with (ROOT / "src/procmap/locale/zh/po/handbook.po").open("rb") as handle:
        english = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle)
                   if m.id}
    site = tmp_path / "site"
    build([str(EXAMPLES)], site, lang="zh")
    labels = ("h1", "h2", "h3", "th", "dt", "button", "b", "span", "p", "a", "footer")
    for page in site.rglob("*.html"):
        root = parse(page.read_text(encoding="utf-8"))
        for element in root.iter():  # type: ignore[attr-defined]
            texts = [element.get(a) for a in ("title", "placeholder", "aria-label")]
            if element.tag in {f"{HTML}{t}" for t in labels}:
                texts.append((element.text or "").strip().rstrip(":"))
            for text in texts:
                assert text not in english or text in ("SLA",), (page.name, text)
        title = root.find(f".//{HTML}title")  # type: ignore[attr-defined]
        assert "Operating handbook" not in (title.text or "")


@graphviz
def test_the_print_document_has_unique_ids_and_working_anchors() -> None:
    from site_checks import page_ids

    from procmap.handbook.site import print_document

    validation = validate_paths([str(EXAMPLES)], Config())
    handbook, _ = make_handbook(validation, Config(), None, DiagramCache())
    root = parse(print_document(handbook))
    ids = page_ids(root)
    assert len(ids) == len(set(ids))
    anchors = {e.get("href")[1:] for e in root.iter()  # type: ignore[attr-defined]
               if e.tag == f"{HTML}a" and (e.get("href") or "").startswith("#")}
    assert anchors and anchors <= set(ids), sorted(anchors - set(ids))[:5]
    assert len(root.findall(f".//{HTML}section")) == 4 + 13  # type: ignore[attr-defined]
    assert len(root.findall(".//{http://www.w3.org/2000/svg}svg")) == 4  # type: ignore[attr-defined]


@graphviz
def test_batched_drawing_gives_the_drawings_of_one_by_one() -> None:
    from procmap.render.build import diagram_for
    from procmap.render.errors import RenderError
    from procmap.render.graphviz import render_image, render_svgs

    validation = validate_paths([str(EXAMPLES)], Config())
    diagrams = [diagram_for(e, validation.workspace, None)
                for e in validation.workspace.processes]
    batched = render_svgs(diagrams)
    for diagram, svg in zip(diagrams, batched, strict=True):
        assert not isinstance(svg, RenderError)
        alone = render_image(diagram, "svg").decode("utf-8")
        # the same elements; Graphviz may list clusters in another order in a batch
        assert sorted(svg.decode("utf-8").splitlines()) == sorted(alone.splitlines())


def test_cli_site_cannot_go_to_stdout_and_pdf_follows_the_extension(
        run_cli: RunCli, tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "refund-approval.yaml", tmp_path / "p.yaml")
    shutil.copy(EXAMPLES / "roles.yaml", tmp_path / "roles.yaml")
    done = run_cli(["handbook", "p.yaml", "roles.yaml", "-o", "-"])
    assert done.returncode == 2 and "--format pdf" in done.stderr and not done.stdout
    done = run_cli(["handbook", "p.yaml", "roles.yaml", "-o", "h.pdf"],
                   env={"PROCMAP_CHROMIUM": "no-such-chromium-binary"})
    assert done.returncode == 2 and "Chromium" in done.stderr  # pdf, from .pdf
    assert not (tmp_path / "h.pdf").exists()


@graphviz
def test_subprocesses_link_both_ways(examples_site: Path) -> None:
    caller = (examples_site / "processes/customer-onboarding.html").read_text(encoding="utf-8")
    callee = (examples_site / "processes/crm-admin-assignment.html").read_text(
        encoding="utf-8")
    assert 'href="../processes/crm-admin-assignment.html">绑定客户流程管理员</a>' in caller
    assert 'href="../processes/customer-onboarding.html">New customer onboarding</a>' in callee


def test_cost_per_case_when_roles_have_a_cost(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("""\
procmap: 1
id: refund
name: 退款
owner: agent
roles:
  - {id: agent, name: 专员, cost: 100/h, description: 一线。}
steps:
  - {id: s, kind: start, next: t}
  - {id: t, name: 核实, role: agent, duration: 30m, next: e}
  - {id: e, kind: end}
""", encoding="utf-8")
    from procmap.analysis.audit import run_audit
    from procmap.handbook.build import build_handbook

    validation = validate_paths([str(tmp_path / "p.yaml")], Config())
    handbook = build_handbook(run_audit(validation, Config()), Config())
    kpis = {label: value for label, value, _ in handbook.processes[0].kpis}
    assert kpis["cost per case"] == "50.00"
    role = handbook.roles[0]
    assert role.ref.label == "专员" and [d.step.name for d in role.does] == ["核实"]
    assert ("cost per hour", "100") in role.facts
