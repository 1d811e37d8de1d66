"""Extract and compile procmap's interface catalogs: `make i18n`.

Translations are kept per area in `src/procmap/locale/<lang>/po/<area>.po` (standard
gettext PO files, one per part of procmap, so that work on different commands never
edits the same file). This script

* extracts every message of the code (`_()`, `N_()`, `ngettext()` in Python, `_()` and
  `{% trans %}` in Jinja2 templates, as `babel.cfg` says; and the help of every
  command, its docstring) into the template `src/procmap/locale/procmap.pot`;
* merges the area PO files into the one catalog procmap loads,
  `src/procmap/locale/<lang>/LC_MESSAGES/procmap.mo`, which is committed and shipped
  in the package. A message defined in two areas with different translations is an
  error.

    python scripts/i18n.py            # write procmap.pot and compile the .mo files
    python scripts/i18n.py --check    # exit 1 when a .mo is out of date with its .po files
    python scripts/i18n.py --missing  # list the messages no area translates (per language)
"""

from __future__ import annotations

import datetime
import inspect
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "procmap"
LOCALE = PACKAGE / "locale"
MAPPING = ROOT / "babel.cfg"
TEMPLATE = LOCALE / "procmap.pot"


@dataclass(frozen=True)
class Message:
    """A message of the code: its id (and plural id), and where it is."""

    id: str
    plural: str | None
    file: str  # relative to the repository
    line: int


def _method_map() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    from babel.messages.frontend import parse_mapping_cfg

    with MAPPING.open(encoding="utf-8") as handle:
        method_map, options = parse_mapping_cfg(handle, str(MAPPING))  # type: ignore[no-untyped-call]
    try:
        import jinja2  # noqa: F401
    except ImportError:  # templates cannot be read without Jinja2: there are none yet
        method_map = [(pattern, method) for pattern, method in method_map
                      if method != "jinja2"]
    else:
        method_map = [(p, "jinja2.ext:babel_extract" if m == "jinja2" else m)
                      for p, m in method_map]
    return method_map, options


def _code_messages() -> Iterator[Message]:
    from babel.messages.extract import extract_from_dir

    method_map, options = _method_map()
    for filename, line, message, _comments, _context in extract_from_dir(
            PACKAGE, method_map, options):
        if isinstance(message, tuple):
            singular, plural = message[0], message[1]
        else:
            singular, plural = message, None
        if singular:
            yield Message(singular, plural, f"src/procmap/{filename}", line)


def _command_help() -> Iterator[Message]:
    """Each command's help is its docstring, translated when the command is registered
    (`procmap.cli.app`): extract them too."""
    sys.path.insert(0, str(ROOT / "src"))
    from procmap.cli.app import app

    for command in app.registered_commands:
        callback = command.callback
        if callback is None or not callback.__doc__:
            continue
        source = Path(inspect.getsourcefile(callback) or "")
        line = inspect.getsourcelines(callback)[1]
        yield Message(inspect.cleandoc(callback.__doc__), None,
                      str(source.relative_to(ROOT)) if source.is_relative_to(ROOT)
                      else source.name, line)


def _rule_summaries() -> Iterator[Message]:
    """Each rule's one-line summary (`RULE = Rule(id, severity, summary)`: literals only,
    read by the rule catalog), shown by SARIF and the reports in the interface language
    (`Rule.describe`)."""
    sys.path.insert(0, str(ROOT / "src"))
    from procmap.rules.catalog import catalog

    for module in catalog().values():
        path = ROOT / "src" / Path(*module.module.split(".")).with_suffix(".py")
        yield Message(module.rule.summary, None, str(path.relative_to(ROOT)), 1)


def interface_messages() -> list[Message]:
    """Every message procmap can show, in the order of the code."""
    return [*_code_messages(), *_command_help(), *_rule_summaries()]


def template(messages: list[Message]) -> bytes:
    catalog = Catalog(project="procmap", domain="procmap", charset="utf-8",
                      creation_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
                      msgid_bugs_address="https://github.com/procmap/procmap/issues")
    for message in messages:
        msgid = (message.id, message.plural) if message.plural else message.id
        catalog.add(msgid, locations=[(message.file, message.line)])
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=90, omit_header=False, sort_output=False,
             include_lineno=False)
    return buffer.getvalue()


def area_catalogs(lang_dir: Path) -> Iterator[tuple[str, Catalog]]:
    for po_path in sorted((lang_dir / "po").glob("*.po")):
        with po_path.open("rb") as handle:
            yield po_path.name, read_po(handle, locale=lang_dir.name)


def merged(lang_dir: Path) -> Catalog:
    fixed = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # reproducible .mo
    catalog = Catalog(locale=lang_dir.name, domain="procmap", project="procmap",
                      version="1", creation_date=fixed, revision_date=fixed, fuzzy=False)
    seen: dict[object, tuple[str, object]] = {}
    for name, part in area_catalogs(lang_dir):
        for message in part:
            if not message.id or not message.string or message.fuzzy:
                continue
            key = (message.id, message.context)
            if key in seen and seen[key][1] != message.string:
                raise SystemExit(f"{name}: {message.id!r} is translated differently "
                                 f"in {seen[key][0]}")
            seen[key] = (name, message.string)
            catalog.add(message.id, message.string, context=message.context)
    return catalog


def translated(catalog: Catalog, message: Message) -> bool:
    """Whether `catalog` has a non-empty translation of `message` (every plural form)."""
    entry = catalog.get(message.id)
    if entry is None or entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, (tuple, list)) else (entry.string,)
    return bool(strings) and all(strings)


def missing(lang_dir: Path, messages: list[Message]) -> list[Message]:
    """The messages of the code that no area of `lang_dir` translates."""
    catalog = merged(lang_dir)
    seen: set[str] = set()
    result = []
    for message in messages:
        if message.id not in seen and not translated(catalog, message):
            result.append(message)
        seen.add(message.id)
    return result


def compiled(lang_dir: Path) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, merged(lang_dir), use_fuzzy=False)
    return buffer.getvalue()


def languages() -> list[Path]:
    return sorted(p for p in LOCALE.iterdir() if (p / "po").is_dir())


def main(argv: list[str]) -> int:
    if "--missing" in argv:
        messages = interface_messages()
        count = 0
        for lang_dir in languages():
            for message in missing(lang_dir, messages):
                count += 1
                print(f"{lang_dir.name}: {message.file}:{message.line}: {message.id!r}")
        return 1 if count else 0
    stale = []
    for lang_dir in languages():
        data = compiled(lang_dir)
        target = lang_dir / "LC_MESSAGES" / "procmap.mo"
        if "--check" in argv:
            if not target.exists() or target.read_bytes() != data:
                stale.append(str(target.relative_to(ROOT)))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"procmap i18n: wrote {target.relative_to(ROOT)}")
    if stale:
        print("procmap i18n: out of date (run make i18n): " + ", ".join(stale))
        return 1
    if "--check" not in argv:
        TEMPLATE.write_bytes(template(interface_messages()))
        print(f"procmap i18n: wrote {TEMPLATE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
