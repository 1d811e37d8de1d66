"""English interface words left in an output that should be Chinese (`--lang zh`).

`english_words(text, allowed)` returns the English words of `text` that are procmap's
own interface text, after removing what may stay English in a Chinese output:

* the user's own text: `allowed` (names, ids, descriptions... of the YAML files:
  `user_text(paths)` collects every key and string of them);
* rule ids, CLI options (`--lang`), code in backticks (format 1's keys: `role`), file
  paths, URLs, numbers and units (`30m`, `2h`, `%`);
* the names of things that have no Chinese name (YAML, SLA, RACI, Graphviz, ...:
  `ALWAYS_ENGLISH`).

Reuse it for any output: `assert english_words(output, user_text(paths)) == []`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

#: words a Chinese output keeps in English: names of technologies, standards and
#: procmap's API (format names, severities in machine formats are not checked here)
ALWAYS_ENGLISH = frozenset({
    "procmap", "yaml", "yml", "json", "toml", "csv", "svg", "png", "pdf", "html", "htm",
    "mmd", "mermaid", "bpmn", "dot", "gv", "sarif", "markdown", "utf", "gbk", "gb18030",
    "iso", "iana", "sla", "raci", "kpi", "crm", "erp", "id", "ids", "graphviz", "neato",
    "fontconfig", "fc-list", "github", "actions", "git", "head", "main", "cjk", "noto",
    "nul", "mib", "kib", "dpi", "px", "in", "pt", "utc", "asia", "shanghai", "europe",
    "berlin", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "median", "p90", "cny",
    "eur", "stdin", "stdout", "stderr", "auto", "text", "parsable", "lr", "tb", "apt",
    "apt-get", "brew", "winget", "sudo", "iconv", "debian", "ubuntu", "macos", "windows",
    "draft", "schema", "x-ignore", "reports_to", "on", "off", "true", "false", "null",
    "zh", "en", "fonts-noto-cjk", "fonts-wqy-microhei", "install", "msgid",
    # command names (`procmap diff: ...`)
    "validate", "audit", "render", "diff", "doctor", "init", "import", "handbook",
    "simulate", "conform",
})

_UNIT = re.compile(r"^\d+(\.\d+)?([smhdw]|min|px|pp|in|dpi|%)?$", re.I)
_REMOVED = [
    re.compile(r"<!--.*?-->", re.S),                  # markers in HTML comments
    re.compile(r"</?[A-Za-z][^<>]*>"),                 # HTML tags (Markdown outputs)
    re.compile(r"`[^`\n]*`"),                         # code: keys, commands
    re.compile(r"https?://\S+"),                      # URLs
    re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*"),      # options
    re.compile(r"[\w.\-]*[/\\][\w./\\\-<>]*"),        # paths (a/b.yaml, DIR/<id>.svg)
    re.compile(r"\b[\w\-]+\.(ya?ml|toml|svg|png|pdf|html?|json|csv|md|mmd|bpmn|dot|po|mo)\b"),
    re.compile(r"\b\d[\d.,]*\s*(?:[a-zA-Z%]+)?"),      # numbers with units: 30m, 1d4h, 85/h
]


def user_text(paths: Iterable[str | Path]) -> set[str]:
    """Every key and string of the YAML files under `paths`: the user's own text."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                found.add(str(key))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            found.add(node)

    for path in paths:
        path = Path(path)
        files = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
        for file in files:
            try:
                for document in yaml.safe_load_all(file.read_text(encoding="utf-8")):
                    walk(document)
            except (yaml.YAMLError, UnicodeDecodeError, ValueError):
                continue
    return found


def api_words() -> set[str]:
    """Rule ids: procmap's API, English in every language."""
    from procmap.rules import rule_ids

    return set(rule_ids())


def format_keys() -> set[str]:
    """Format 1's keys and step kinds (`role`, `next`, `task`): English in the files, so
    a message listing them ("known keys: ...") may show them. Not allowed by default
    (the same words are interface words elsewhere): pass them in `allowed` when the
    output lists keys."""
    from procmap.model import Kind
    from procmap.model.process import KNOWN_KEYS

    words = {kind.value for kind in Kind}
    for keys in KNOWN_KEYS.values():
        words.update(keys)
    return words


def _remove(text: str, item: str) -> str:
    """`text` without `item` where it stands as a whole (not inside a longer id)."""
    before = r"(?<![\w-])" if item[:1].isalnum() else ""
    after = r"(?![\w-])" if item[-1:].isalnum() else ""
    return re.sub(before + re.escape(item) + after, " ", text)


_WORD = re.compile(r"[A-Za-z][A-Za-z'_\-]*[A-Za-z]|[A-Za-z]")


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words of `text` that are not the user's (`allowed`), not an API word
    (rule ids, options, code, paths, units) and not `ALWAYS_ENGLISH`.

    The user's strings are removed where they stand whole; a diagram wraps long names
    over lines, so each English word of them is allowed on its own too."""
    allowed = {a for a in allowed if a.strip()}
    for rule in sorted(api_words(), key=len, reverse=True):
        text = _remove(text, rule)
    for item in sorted(allowed, key=len, reverse=True):
        text = _remove(text, item)
    for pattern in _REMOVED:
        text = pattern.sub(" ", text)
    users = {word for item in allowed for word in _WORD.findall(item)}
    words = []
    for word in _WORD.findall(text):
        if len(word) == 1 or word in users or word.lower() in ALWAYS_ENGLISH \
                or _UNIT.match(word):
            continue
        words.append(word)
    return words


def svg_text(svg: str) -> str:
    """The text a person reads in an SVG diagram (its `<text>` elements), one per line."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(svg)
    return "\n".join(e.text or "" for e in root.iter("{http://www.w3.org/2000/svg}text"))
