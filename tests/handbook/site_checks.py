"""Structural checks every handbook page must pass (html5lib strict parsing, unique ids,
no broken internal links, nothing loaded from outside, no script from user text)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib

HTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


def parse(text: str) -> object:
    """html5lib in strict mode: any parse error (not well-formed) raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parse(text)


def page_ids(root: object) -> list[str]:
    return [e.get("id") for e in root.iter() if e.get("id") is not None]  # type: ignore[attr-defined]


def check_site(site: Path) -> dict[str, list[str]]:
    """Every page of `site` parsed strictly; ids unique; internal links resolve; only
    our own script; no resource from outside. Returns the ids of every page."""
    pages = sorted(p for p in site.rglob("*.html"))
    assert pages, "no pages"
    trees = {}
    ids: dict[str, list[str]] = {}
    for page in pages:
        relative = page.relative_to(site).as_posix()
        text = page.read_text(encoding="utf-8")
        root = parse(text)
        trees[relative] = root
        found = page_ids(root)
        duplicates = {i for i in found if found.count(i) > 1}
        assert not duplicates, f"{relative}: duplicate ids {sorted(duplicates)[:5]}"
        ids[relative] = found
        _check_scripts_and_resources(relative, root, text)
    for relative, root in trees.items():
        for element in root.iter():  # type: ignore[attr-defined]
            href = element.get("href")
            if href is None or element.tag not in (f"{HTML}a", f"{SVG}a"):
                continue
            _check_link(relative, href, ids, site)
    return ids


def _check_scripts_and_resources(relative: str, root: object, text: str) -> None:
    for element in root.iter():  # type: ignore[attr-defined]
        tag = element.tag
        if tag == f"{HTML}script":
            kind, src = element.get("type"), element.get("src")
            assert kind == "application/json" or (src and src.endswith("assets/procmap.js")), \
                f"{relative}: a script that is not ours: {kind} {src}"
            if kind != "application/json":
                assert not (element.text or "").strip(), f"{relative}: inline script"
        assert tag not in (f"{HTML}img", f"{HTML}iframe", f"{HTML}link", f"{HTML}object",
                           f"{HTML}embed", f"{SVG}image", f"{SVG}script",
                           f"{SVG}foreignObject"), f"{relative}: {tag}"
        for name, value in element.attrib.items():
            local = str(name).rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), f"{relative}: event handler {name}"
            if local == "src":
                assert "://" not in value and not value.startswith("//"), value
            if local == "style":
                assert "url(" not in value.lower(), f"{relative}: {value}"
            if local == "href":
                assert not value.strip().lower().startswith(("javascript:", "data:",
                                                            "vbscript:")), value
    assert "@import" not in text
    assert re.search(r'http-equiv="Content-Security-Policy"', text), f"{relative}: no CSP"


def _check_link(relative: str, href: str, ids: dict[str, list[str]], site: Path) -> None:
    parts = urlsplit(href)
    if parts.scheme in ("http", "https", "mailto"):
        return  # a link a user wrote in instructions: navigation, not a request
    assert not parts.scheme and not parts.netloc, f"{relative}: {href}"
    target = relative
    if parts.path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(relative),
                                                   unquote(parts.path)))
        assert (site / target).is_file(), f"{relative}: broken link {href}"
    if parts.fragment and target.endswith(".html"):
        assert unquote(parts.fragment) in ids.get(target, []), \
            f"{relative}: link to a missing anchor {href}"
