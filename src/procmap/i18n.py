"""Interface language: every piece of text procmap writes for people goes through `_()`.

Catalogs are gettext files, one per language, in `procmap/locale/<lang>/LC_MESSAGES/
procmap.po` (edited by people, extracted with Babel: `make i18n`) and `procmap.mo`
(compiled from it, shipped in the package). English is the source language: its catalog
is empty and `_()` returns the text unchanged.

Which language: `--lang` > `lang` in procmap.toml > the environment (PROCMAP_LANG, then
the locale: LC_ALL, LC_MESSAGES, LANG, LANGUAGE; `zh_CN.UTF-8`, `zh_TW`, `zh` all mean
Chinese) > English. `--help` is written before any procmap.toml is read: its language
comes from `--lang` on the command line, else the environment (`help_language`).

People see names, not ids: a message names a step, role or process by its name with the
id after it, `'回访' (follow-up)`, or by its id alone when it has no other name
(`named(step)`); the id itself stays in the finding's JSON fields (`step`, `role`).

What is never translated: rule ids, JSON keys, CLI options and format names (they are an
API), and users' own text (names, descriptions, instructions).

Usage::

    from procmap.i18n import _, ngettext

    message = _("step '{step}' has no role").format(step=name)

Format placeholders are named (`{step}`), so a translation can reorder them. Mark text
that is defined at import time (tables of labels) with `N_()` and translate it where it
is shown: `_(LABELS[kind])`.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Protocol

__all__ = ["LANGS", "N_", "_", "current", "help_language", "locale_language", "named",
           "ngettext", "resolve", "set_language"]

DOMAIN = "procmap"
LOCALE_DIR = Path(__file__).parent / "locale"
#: the interface languages; the first is the source language
LANGS = ("en", "zh")

_state: dict[str, object] = {"lang": "en", "translation": gettext.NullTranslations()}


def _translation() -> gettext.NullTranslations:
    return _state["translation"]  # type: ignore[return-value]


def _(message: str) -> str:
    """`message` in the interface language."""
    return _translation().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message for `n`, in the interface language."""
    return _translation().ngettext(singular, plural, n)


def N_(message: str) -> str:  # gettext's conventional name
    """Mark `message` for the catalog without translating it now."""
    return message


def _route_global_gettext() -> None:
    """click and typer write the frame of `--help` (Usage:, Options, [default: ...]) and
    their usage errors through the standard library's global gettext, which reads the
    language from the environment. Send those lookups to procmap's catalog, so the frame
    follows `--lang` like the rest (procmap is the only user of the global gettext in a
    procmap process)."""
    gettext.dgettext = lambda domain, message: _translation().gettext(message)
    gettext.dngettext = lambda domain, msgid1, msgid2, n: _translation().ngettext(
        msgid1, msgid2, n)


_route_global_gettext()


def current() -> str:
    """The interface language now in use (`en` or `zh`)."""
    return str(_state["lang"])


def set_language(lang: str) -> str:
    """Use `lang` for every later `_()`; returns the language actually used.

    A language without a compiled catalog falls back to English (the source text)."""
    lang = lang if lang in LANGS else "en"
    if lang == "en":
        translation: gettext.NullTranslations = gettext.NullTranslations()
    else:
        try:
            translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
        except OSError:
            translation, lang = gettext.NullTranslations(), "en"
    _state.update(lang=lang, translation=translation)
    return lang


def locale_language(environ: dict[str, str] | None = None) -> str | None:
    """The interface language the environment asks for (PROCMAP_LANG, else the locale),
    or None when it names neither."""
    environ = dict(os.environ) if environ is None else environ
    chosen = environ.get("PROCMAP_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    # as gettext does: LANGUAGE (a list, zh_CN:en) first, unless the locale is C/POSIX
    locale = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG")
                   if environ.get(v)), "")
    code = _code(locale)
    if code in ("c", "posix"):
        return None
    for part in environ.get("LANGUAGE", "").split(":"):
        if _code(part) in LANGS:
            return _code(part)
    return code if code in LANGS else None


def _code(value: str) -> str:
    """The language of a locale name: zh_CN.UTF-8 -> zh, C.UTF-8 -> c."""
    return value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].strip().lower()


def resolve(option: str | None, configured: str | None,
            environ: dict[str, str] | None = None) -> str:
    """The language to use: `--lang`, else procmap.toml's `lang`, else the locale."""
    for candidate in (option, configured, locale_language(environ)):
        if candidate:
            return candidate if candidate in LANGS else "en"
    return "en"


def help_language(argv: list[str], environ: dict[str, str] | None = None) -> str:
    """The language of `--help` and of option help: `--lang` in `argv`, else the
    environment (procmap.toml is not read before the command line is parsed)."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return resolve(argv[index + 1].lower(), None, environ)
        if arg.startswith("--lang="):
            return resolve(arg.partition("=")[2].lower(), None, environ)
    return resolve(None, None, environ)


class _Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str | None: ...


def named(node: _Named | str, name: str | None = None) -> str:
    """How a message names a step, role or process: `'回访' (follow-up)` when it has
    a name other than its id, else `'follow-up'`. Give a node (with `id` and `name`),
    or an id and its name."""
    if isinstance(node, str):
        ident = node
    else:
        ident, name = node.id, node.name
    if name and name != ident:
        return f"'{name}' ({ident})"
    return f"'{ident}'"
