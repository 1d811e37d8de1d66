"""Reading untrusted BPMN XML safely, and locating elements in it.

BPMN files come from other tools and other people, so the parser is locked down:

* no DTD at all: a file whose prolog declares a ``<!DOCTYPE`` is refused before the
  parser sees it (BPMN never needs one, and DTDs are where entity expansion, the
  "billion laughs", and external entities that read local files or URLs live);
* lxml with ``resolve_entities=False``, ``no_network=True``, ``load_dtd=False`` and
  ``huge_tree=False`` (libxml2's own limits on depth and text size stay on), as a
  second line of defence;
* a size bound (`MAX_BPMN_BYTES`) checked before parsing.

Every failure is a `BpmnReadError` with a one-line message; the CLI exits with 2.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from procmap.bpmn.vocabulary import NS_BPMN as BPMN_NS
from procmap.errors import ProcmapError
from procmap.i18n import _

if TYPE_CHECKING:
    from lxml import etree

MAX_BPMN_BYTES = 20 * 1024 * 1024

_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)


class BpmnReadError(ProcmapError):
    """The file cannot be imported at all (unsafe, malformed, not BPMN): exit code 2."""


def parse_bpmn(raw: bytes, path: str) -> etree._Element:
    """Parse `raw` into the root ``definitions`` element, or raise `BpmnReadError`."""
    try:
        from lxml import etree
    except ImportError as exc:  # pragma: no cover - lxml is a dependency
        raise BpmnReadError("procmap import needs lxml: pip install lxml") from exc
    if len(raw) > MAX_BPMN_BYTES:
        raise BpmnReadError(too_large(path, len(raw)))
    if declares_dtd(raw):
        raise BpmnReadError(_(
            "{path}: the file declares a DTD (<!DOCTYPE ...>); procmap refuses DTDs in "
            "BPMN files because they can expand entities without bound or read other "
            "files; BPMN 2.0 never needs one: remove the declaration").format(path=path))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, dtd_validation=False, collect_ids=False,
                             remove_pis=True)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line = f":{exc.lineno}" if exc.lineno else ""
        raise BpmnReadError(_("{where}: not well-formed XML: {reason}").format(
            where=f"{path}{line}", reason=exc.msg)) from exc
    except ValueError as exc:  # e.g. an unknown encoding declaration
        raise BpmnReadError(_("{path}: cannot read the XML: {reason}").format(
            path=path, reason=exc)) from exc
    if root.getroottree().docinfo.doctype:  # the prolog scan missed an odd encoding
        raise BpmnReadError(_("{path}: the file declares a DTD; procmap refuses "
                              "DTDs").format(path=path))
    if root.tag != f"{{{BPMN_NS}}}definitions":
        found = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        namespace = etree.QName(root).namespace if isinstance(root.tag, str) else None
        hint = _(" (BPMN 2.0 files have a <definitions> root in the namespace "
                 "{ns})").format(ns=BPMN_NS)
        if found == "definitions" and namespace != BPMN_NS:
            hint = _(" in namespace {namespace}, not the BPMN 2.0 namespace {ns}").format(
                namespace=namespace, ns=BPMN_NS)
        raise BpmnReadError(_("{path}: not a BPMN 2.0 file: the root element is "
                              "<{found}>{hint}").format(path=path, found=found, hint=hint))
    return root


def too_large(path: str, size: int) -> str:
    return _("{path}: file is {size:.1f} MiB, over procmap's limit of {limit} MiB for BPMN "
             "files").format(path=path, size=size / 1048576, limit=MAX_BPMN_BYTES // 1048576)


def declares_dtd(raw: bytes) -> bool:
    """True if the document prolog (before the root element) has a ``<!DOCTYPE``."""
    head = raw[:65536]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4]:
        encoding = _utf16_codec(head)
        text = head.decode(encoding, errors="replace")
    else:
        text = head.decode("latin-1")  # ASCII-compatible encodings: UTF-8, ISO-8859-x
    text = text.lstrip("\ufeff")
    position = 0
    while True:
        match = _PROLOG_SKIP.match(text, position)
        if not match:
            break
        position = match.end()
    return text.startswith("<!DOCTYPE", position) or (
        text.startswith("<!", position) and not text.startswith("<!--", position))


def _utf16_codec(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # the BOM says which
    return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"


_START_TAG = re.compile(r"<(?:[\w.-]+:)?([\w.-]+)(?=[\s/>])")


class Locator:
    """Line and column of elements, for findings. lxml knows the line; the column is the
    position of the element's start tag on that line: the n-th element of a name on a
    line is the n-th start tag of that name there (1 when it cannot be told). Each line
    is scanned once, so a whole model written on one line costs linear time."""

    def __init__(self, raw: bytes) -> None:
        try:
            self._lines = raw.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            self._lines = raw.decode("latin-1").splitlines()
        self._nth: dict[etree._Element, int] | None = None
        self._columns: dict[int, dict[str, list[int]]] = {}

    def locate(self, element: etree._Element) -> tuple[int, int]:
        line = element.sourceline or 0
        if not 0 < line <= len(self._lines):
            return (max(line, 0), 1 if line else 0)
        local = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if self._nth is None:
            self._nth = self._number(element.getroottree().getroot())
        columns = self._line_columns(line).get(local, [])
        nth = self._nth.get(element, 0)
        if nth < len(columns):
            return (line, columns[nth] + 1)
        return (line, columns[0] + 1 if columns else 1)

    def _line_columns(self, line: int) -> dict[str, list[int]]:
        found = self._columns.get(line)
        if found is None:
            found = {}
            for match in _START_TAG.finditer(self._lines[line - 1]):
                found.setdefault(match.group(1), []).append(match.start())
            self._columns[line] = found
        return found

    @staticmethod
    def _number(root: etree._Element) -> dict[etree._Element, int]:
        """For every element, how many elements of its name come before it on its line."""
        seen: dict[tuple[int, str], int] = {}
        numbers: dict[etree._Element, int] = {}
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            key = (element.sourceline or 0, element.tag.rsplit("}", 1)[-1])
            numbers[element] = seen.get(key, 0)
            seen[key] = numbers[element] + 1
        return numbers
