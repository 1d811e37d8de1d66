"""Interface language: every piece of text procmap writes for people goes through `_()`.

Catalogs are gettext files, one per language, in `procmap/locale/<lang>/LC_MESSAGES/
procmap.po` (edited by people, extracted with Babel: `make i18n`) and `procmap.mo`
(compiled from it, shipped in the package). English is the source language: its catalog
is empty and `_()` returns the text unchanged.

Which language: `--lang` > `lang` in procmap.toml > the locale (LC_ALL, LC_MESSAGES,
LANG, LANGUAGE; `zh_CN.UTF-8`, `zh_TW`, `zh` all mean Chinese) > English.

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

__all__ = ["LANGS", "N_", "_", "current", "locale_language", "ngettext", "resolve",
           "set_language"]

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
    """The interface language the locale asks for, or None when it names neither."""
    environ = dict(os.environ) if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(variable, "")
        if not value:
            continue
        for part in value.split(":"):  # LANGUAGE is a list: zh_CN:en
            code = part.split(".")[0].split("_")[0].split("-")[0].lower()
            if code in LANGS:
                return code
            if code in ("c", "posix"):
                return None
        return None
    return None


def resolve(option: str | None, configured: str | None,
            environ: dict[str, str] | None = None) -> str:
    """The language to use: `--lang`, else procmap.toml's `lang`, else the locale."""
    for candidate in (option, configured, locale_language(environ)):
        if candidate:
            return candidate if candidate in LANGS else "en"
    return "en"
