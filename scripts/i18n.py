"""Compile procmap's interface catalogs: `make i18n`.

Translations are kept per area in `src/procmap/locale/<lang>/po/<area>.po` (standard
gettext PO files, one per part of procmap, so that work on different commands never
edits the same file). This script merges them into the one catalog procmap loads,
`src/procmap/locale/<lang>/LC_MESSAGES/procmap.mo`, which is committed and shipped in
the package. A message defined in two areas with different translations is an error.

    python scripts/i18n.py            # compile
    python scripts/i18n.py --check    # exit 1 when a .mo is out of date with its .po files
"""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "src" / "procmap" / "locale"


def merged(lang_dir: Path) -> Catalog:
    fixed = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # reproducible .mo
    catalog = Catalog(locale=lang_dir.name, domain="procmap", project="procmap",
                      version="1", creation_date=fixed, revision_date=fixed, fuzzy=False)
    seen: dict[object, tuple[str, object]] = {}
    for po_path in sorted((lang_dir / "po").glob("*.po")):
        with po_path.open("rb") as handle:
            part = read_po(handle, locale=lang_dir.name)
        for message in part:
            if not message.id or not message.string or message.fuzzy:
                continue
            key = (message.id, message.context)
            if key in seen and seen[key][1] != message.string:
                raise SystemExit(f"{po_path.name}: {message.id!r} is translated differently "
                                 f"in {seen[key][0]}")
            seen[key] = (po_path.name, message.string)
            catalog.add(message.id, message.string, context=message.context)
    return catalog


def compiled(lang_dir: Path) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, merged(lang_dir), use_fuzzy=False)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    stale = []
    for lang_dir in sorted(p for p in LOCALE.iterdir() if (p / "po").is_dir()):
        data = compiled(lang_dir)
        target = lang_dir / "LC_MESSAGES" / "procmap.mo"
        if "--check" in argv:
            if not target.exists() or target.read_bytes() != data:
                stale.append(str(target))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"procmap i18n: wrote {target.relative_to(LOCALE.parent.parent.parent)}")
    if stale:
        print("procmap i18n: out of date (run make i18n): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
