"""The handbook in headless Chromium (marker `browser`): opens from file://, the search
finds a step by a Chinese word, no console errors (CSP included), screenshots."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp import Browser

from procmap.config import Config
from procmap.handbook.diagrams import DiagramCache
from procmap.handbook.run import make_handbook, write_handbook
from procmap.pipeline import validate_paths

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.browser, pytest.mark.graphviz]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from procmap.i18n import set_language

    target = tmp_path_factory.mktemp("browser") / "site"
    set_language("zh")
    try:
        validation = validate_paths([str(ROOT / "examples")], Config())
        handbook, _ = make_handbook(validation, Config(), None, DiagramCache())
        write_handbook(handbook, str(target), "html")
    finally:
        set_language("en")
    return target


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary is not None
    with Browser(binary) as opened:
        yield opened


def _search(browser: Browser, session: str, words: str) -> list[list[str]]:
    found: list[list[str]] = browser.evaluate(session, f"""(function () {{
        var input = document.getElementById("search");
        input.value = {words!r};
        input.dispatchEvent(new Event("input"));
        return Array.from(document.querySelectorAll("#search-results li a")).map(
            function (a) {{ return [a.textContent, a.getAttribute("href")]; }});
    }})()""")
    return found


def test_search_finds_a_step_by_a_chinese_word(site: Path, browser: Browser) -> None:
    session = browser.open((site / "index.html").as_uri())
    found = _search(browser, session, "回访")
    assert ["回访 · 客户投诉处理", "processes/complaint-handling.html#step-follow-up"] in found
    assert _search(browser, session, "不存在的词语xyz") == []
    browser.wait_events(0.5)
    assert browser.errors(session) == []


def test_pages_open_from_file_without_console_errors(site: Path, browser: Browser,
                                                     tmp_path: Path) -> None:
    shots = Path(os.environ.get("PROCMAP_SCREENSHOTS", tmp_path))
    for relative, shot in (("processes/complaint-handling.html", "process.png"),
                           ("roles/cs-agent.html", "role.png")):
        session = browser.open((site / relative).as_uri())
        browser.wait_events(0.5)
        assert browser.errors(session) == [], relative
        title = browser.evaluate(session, "document.querySelector('h1').textContent")
        assert title.startswith(("客户投诉处理", "客服专员"))
        png = browser.screenshot(session)
        assert png.startswith(b"\x89PNG") and len(png) > 10_000
        (shots / shot).write_bytes(png)


def test_the_diagram_zooms(site: Path, browser: Browser) -> None:
    session = browser.open((site / "processes/complaint-handling.html").as_uri())
    before = browser.evaluate(session, "document.querySelector('.diagram svg')"
                                       ".getAttribute('viewBox')")
    browser.evaluate(session, "document.querySelector('.diagram .zoom-in').click(); 1")
    after = browser.evaluate(session, "document.querySelector('.diagram svg')"
                                      ".getAttribute('viewBox')")
    assert before != after
    browser.wait_events(0.2)
    assert browser.errors(session) == []


def test_hostile_names_run_nothing_in_the_browser(tmp_path: Path, browser: Browser) -> None:
    from hostile import hostile_files

    for name, text in hostile_files().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    validation = validate_paths([str(tmp_path / n) for n in sorted(hostile_files())],
                                Config())
    handbook, _ = make_handbook(validation, Config(), None, DiagramCache())
    write_handbook(handbook, str(tmp_path / "site"), "html")
    pages = sorted((tmp_path / "site").rglob("*.html"))
    for page in pages:
        session = browser.open(page.as_uri())
        if page.name == "index.html":
            found = _search(browser, session, "逆序")
            assert found and all(href.startswith(("processes/", "roles/"))
                                 for _, href in found)
        browser.wait_events(0.3)
        assert browser.errors(session) == [], page.name
        dialogs = [e for e in browser.events if e.get("sessionId") == session
                   and e.get("method") == "Page.javascriptDialogOpening"]
        assert dialogs == [], page.name
        assert browser.evaluate(session, "document.querySelectorAll('img,iframe').length") == 0
