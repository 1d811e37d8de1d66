"""procmap's one look: the Jinja2 environment, the stylesheet and the page script.

Every HTML output (the handbook, `audit --format html`, `render --format html`) is a
template here extending `base.html`: one stylesheet (`procmap.css`: screen and print,
A4, a CJK font stack), a Content-Security-Policy, no external request. Autoescaping is
on for every template; user text reaches a page only as template variables (escaped) or
as JSON inside ``<script type="application/json">`` (`json_data`), never as script.

Interface text in templates goes through ``_()`` (procmap.i18n, read at render time, so
`--lang` applies), with named placeholders: ``{{ _("{n} steps").format(n=count) }}``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["SCRIPT_NAME", "asset", "csp", "environment", "json_data", "render",
           "script_hash"]

HERE = Path(__file__).parent
#: the page script (zoom and pan of diagrams, the handbook's search), one file
SCRIPT_NAME = "procmap.js"
STYLE_NAME = "procmap.css"


@cache
def asset(name: str) -> str:
    """The text of a static asset shipped with the templates (css, js)."""
    return (HERE / name).read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def csp(*, inline_script: bool = False, site: bool = False) -> str:
    """The Content-Security-Policy of a page: nothing from outside; styles inline; the
    one page script, inline (by hash) or from the site's own assets."""
    scripts = []
    if inline_script:
        scripts.append(f"'{script_hash(asset(SCRIPT_NAME))}'")
    if site:
        scripts.append("'self'")
    script_src = " ".join(scripts) or "'none'"
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src {script_src}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def json_data(value: Any) -> str:
    """`value` as JSON that is safe inside ``<script type="application/json">``: no
    ``<``, ``>`` or ``&`` can end the element or start a comment."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


@cache
def environment() -> Any:
    """The Jinja2 environment: package templates, autoescaping always, `_` and
    `ngettext` from procmap.i18n (looked up at render time)."""
    import jinja2

    from procmap import i18n

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: i18n._(message),
        lambda singular, plural, n: i18n.ngettext(singular, plural, n),
        newstyle=False)
    env.globals.update(css=lambda: asset(STYLE_NAME), json_data=json_data,
                       lang=i18n.current)
    env.filters["json_data"] = json_data
    return env


def render(name: str, **context: Any) -> str:
    """Render the template `name` with `context` (user text is escaped)."""
    return str(environment().get_template(name).render(**context))
