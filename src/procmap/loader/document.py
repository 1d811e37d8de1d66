"""Safe, bounded YAML loading that keeps the position of every node.

The libyaml C composer builds the node tree (every node keeps its start mark); we then
convert nodes to plain data ourselves instead of using a PyYAML constructor, because we
need things constructors do not give:

- duplicate keys are findings (constructors silently keep the last value);
- only plain YAML types: any explicit tag other than the core ones (`!!python/...`,
  `!custom`) is refused, so nothing is ever instantiated or executed;
- YAML 1.1 surprises never change a user's text: a plain scalar stays the text it was
  written as, unless it is `null`/`~`, `true`/`false`, or a number whose canonical form is
  exactly what was written (`no` stays "no", `1:30` stays "1:30", `010` stays "010");
- alias expansion, nesting depth, file size and scalar length are bounded, so a hostile
  file is a finding, never a hang, a crash or a memory blow-up.

Findings are located after the fact (`Document.locate`): no source map is built up
front, and the node tree is not kept (it is ~25x the size of the text); the text is
composed again, only for files that have findings to locate.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from procmap.findings import Finding
from procmap.i18n import _
from procmap.rules.declared import declared_severity

try:  # the libyaml C parser; PyPI wheels bundle it
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - only on builds without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

HAS_LIBYAML = _Parser.__module__ == "yaml._yaml"

_STR, _SEQ, _MAP = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:seq",
                    "tag:yaml.org,2002:map")
_DEFAULT_TAGS = {ScalarNode: _STR, SequenceNode: _SEQ, MappingNode: _MAP}


class _Loader(_Parser):  # type: ignore[misc,valid-type]
    """libyaml's parser and composer without PyYAML's implicit resolver.

    The resolver guesses YAML 1.1 types with regexes for every scalar (a third of the
    load time); the converter below types plain scalars itself, so every untagged node
    just gets its default tag here.
    """

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return _DEFAULT_TAGS[kind]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_SCALAR_CHARS = 100_000
# Nodes that aliases may add beyond the nodes written in the file.
MAX_ALIAS_EXPANSION = 100_000

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _TAG + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge")
}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,30})\Z")
_NUMBER_START = frozenset("0123456789+-.")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}


@dataclass
class Document:
    """One loaded file: its plain data, and its text to locate findings in."""

    path: str
    data: Any
    text: str | None  # None when the file could not be parsed
    findings: list[Finding] = field(default_factory=list)
    has_extensions: bool = False  # some mapping has `x-` keys
    _root: Node | None = field(default=None, repr=False)

    @property
    def root(self) -> Node | None:
        if self._root is None and self.text is not None:
            self._root = yaml.compose(self.text, Loader=_Loader)  # type: ignore[arg-type]
        return self._root

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """The 1-based (line, column) of the node at `path`, or of its deepest ancestor.

        With `key=True` and a path ending in a mapping key, the key itself is located
        (for "unknown key" findings) instead of its value.
        """
        node = self.root
        if node is None:
            return (1, 1)
        for depth, part in enumerate(path):
            child: Node | None = None
            if isinstance(node, MappingNode) and isinstance(part, str):
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == part:
                        last = depth == len(path) - 1
                        child = key_node if (key and last) else value_node
                        break
            elif (isinstance(node, SequenceNode) and isinstance(part, int)
                  and 0 <= part < len(node.value)):
                child = node.value[part]
            if child is None:
                break
            node = child
        return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Refused(Exception):
    """A bound was crossed: stop converting, the finding says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def load_bytes(raw: bytes, path: str) -> Document:
    """Decode and load one file's bytes. Never raises for any input."""
    if len(raw) > MAX_FILE_BYTES:
        # (callers may read only MAX_FILE_BYTES + 1 bytes: the real size is not known)
        return _failed(path, "yaml-limit", 1, 1, (
            _("file is larger than procmap's limit of {size} MiB: split the process into "
              "subprocesses").format(size=MAX_FILE_BYTES // 1048576)))
    text = _decode(raw, path)
    if isinstance(text, Finding):
        return Document(path, None, None, [text])
    return load_text(text, path)


def load_text(text: str, path: str) -> Document:
    """Load one YAML text. Never raises for any input."""
    if text.startswith("\ufeff"):
        text = text[1:]
    document = Document(path, None, text)
    converter = _EventConverter(path, document.findings)
    try:
        document.data = converter.convert(text)
    except _Refused as refused:
        document.findings.append(refused.finding)
        document.text = None
        return document
    except yaml.MarkedYAMLError as exc:
        document.findings.append(_syntax_finding(exc, path, text))
        document.text = None
        return document
    except yaml.YAMLError as exc:  # ReaderError and friends carry a position, not a mark
        document.findings.append(_reader_finding(exc, path, text))
        document.text = None
        return document
    except (MemoryError, ValueError) as exc:
        document.findings.append(Finding(path, 1, 1, "yaml-syntax",
                                         declared_severity("yaml-syntax"),
                                         _("file cannot be parsed: {error}").format(
                                             error=exc)))
        document.text = None
        return document
    document.has_extensions = converter.has_extensions
    return document


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Loading and validating build millions of small acyclic objects; the cyclic garbage
    collector's passes over them cost more than the work itself (measured: validating
    1,000 process models takes 1.8 s with it, 0.55 s without) and free nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what loading kept lives to the end: later collections skip it
        if enabled:
            gc.enable()


def _failed(path: str, rule: str, line: int, column: int, message: str) -> Document:
    return Document(path, None, None, [Finding(path, line, column, rule, declared_severity(rule),
                                               message)])


def _decode(raw: bytes, path: str) -> str | Finding:
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom) and not raw.startswith(codecs.BOM_UTF8):
            return Finding(path, 1, 1, "encoding", declared_severity("encoding"),
                           _("file is {encoding}-encoded: procmap reads UTF-8; re-save it "
                             "as UTF-8 (e.g. `iconv -f {encoding} -t UTF-8`)").format(
                               encoding=name))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        hint = (_("it looks like a binary file") if b"\x00" in raw[:8192]
                else _("re-save it as UTF-8 (GBK/GB18030 files: `iconv -f GB18030 -t "
                       "UTF-8`)"))
        return Finding(path, line, column, "encoding", declared_severity("encoding"),
                       _("file is not valid UTF-8 (byte {byte}): {hint}").format(
                           byte=f"0x{raw[exc.start]:02x}", hint=hint))


def _depth_message() -> str:
    return _("nesting is deeper than {depth} levels: procmap files are a few levels deep; "
             "flatten the structure").format(depth=MAX_DEPTH)


# parser contexts whose start mark is the better place to point at when the problem is
# found on a later line: the quote, bracket or key that was never closed
_UNCLOSED = ("while scanning a quoted scalar", "while parsing a flow",
             "while scanning a simple key")


def _syntax_finding(exc: yaml.MarkedYAMLError, path: str, text: str) -> Finding:
    mark = _syntax_mark(exc)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if "maximum nesting depth" in (exc.problem or ""):
        # libyaml >= 0.2.6 stops at 1,000 levels while scanning ahead, before procmap's
        # own limit sees the events: the same limit finding, at libyaml's position
        return Finding(path, line, column, "yaml-limit", declared_severity("yaml-limit"),
                       _depth_message())
    return Finding(path, line, column, "yaml-syntax", declared_severity("yaml-syntax"),
                   _syntax_message(exc, text, mark))


def _syntax_mark(exc: yaml.MarkedYAMLError) -> Any:
    mark = exc.problem_mark or exc.context_mark
    if (exc.context_mark is not None and mark is not None
            and (exc.context or "").startswith(_UNCLOSED)
            and mark.line > exc.context_mark.line):
        # found lines later (or at the end): the unclosed quote or bracket is what to fix
        mark = exc.context_mark
    return mark


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in str(exc):
        return _("file holds several YAML documents (`---`): put each process in its own "
                 "file")
    if ("\t" in problem or "tab character" in problem
            or ("cannot start any token" in problem and _tab_at(text, mark))):
        return _("a tab character indents this line: YAML indents with spaces only")
    context = f" {exc.context}" if exc.context and exc.problem else ""
    return _("invalid YAML{context}: {problem}; check the indentation and quoting here"
             ).format(context=context, problem=problem)


def _tab_at(text: str, mark: Any) -> bool:
    if mark is None:
        return False
    index = getattr(mark, "index", None)
    return isinstance(index, int) and 0 <= index < len(text) and text[index] == "\t"


def _reader_finding(exc: yaml.YAMLError, path: str, text: str) -> Finding:
    position = getattr(exc, "position", 0) or 0
    if getattr(exc, "encoding", None) != "unicode":  # libyaml counts UTF-8 bytes
        position = len(text.encode("utf-8", "surrogatepass")[:position]
                       .decode("utf-8", "ignore"))
    character = getattr(exc, "character", None)
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    if isinstance(character, int):
        what = _("control character {code}").format(code=f"U+{character:04X}")
        if character == 0:
            what += _(" (NUL: is this a binary file?)")
        message = _("{what} is not allowed in YAML text: remove it").format(what=what)
    else:
        message = _("file cannot be read as YAML: {error}").format(error=exc)
    return Finding(path, line, column, "encoding", declared_severity("encoding"), message)


def _shown_tag(tag: str) -> str:
    """A tag as it was written: `!!python/name:x`, not `tag:yaml.org,2002:python/name:x`."""
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


_IN_PROGRESS = object()  # an anchored collection whose end has not been read yet
_MERGE = object()  # the pending key is a merge key `<<`


class _Frame:
    """A mapping or sequence being read."""

    __slots__ = ("anchor", "duplicate", "key", "key_lines", "mark", "merged", "size",
                 "value")

    def __init__(self, value: dict[str, Any] | list[Any], anchor: str | None,
                 mark: Any) -> None:
        self.value = value
        self.anchor = anchor
        self.mark = mark
        self.size = 1
        self.key: Any = None  # mapping: the key whose value comes next (None: a key comes)
        self.duplicate = False  # mapping: the pending key repeats an earlier one
        self.key_lines: dict[str, int] = {}
        self.merged: list[dict[str, Any]] = []


class _EventConverter:
    """libyaml's event stream -> plain data, in one iterative pass.

    Reading events instead of a composed node tree keeps nesting on our own stack (the C
    composer recurses and overflows past ~20,000 levels), skips PyYAML's per-node
    resolver callbacks, and lets every bound be checked as the file is read.
    """

    def __init__(self, path: str, findings: list[Finding]) -> None:
        self.path = path
        self.findings = findings
        self.anchors: dict[str, Any] = {}
        self.expanded = 0
        self.has_extensions = False

    def _refuse(self, mark: Any, rule: str, message: str) -> _Refused:
        return _Refused(Finding(self.path, mark.line + 1, mark.column + 1, rule,
                                declared_severity(rule), message))

    def convert(self, text: str) -> Any:
        parser = _Loader(text)
        try:
            return self._read(parser)
        finally:
            parser.dispose()

    def _read(self, parser: Any) -> Any:
        """Feed every event to its handler; complete values are attached to their parent
        (`_attach`) or become the document (`result`)."""
        self.stack: list[_Frame] = []
        self.result: Any = None
        self.documents = 0
        handlers = {ScalarEvent: self._on_scalar, MappingStartEvent: self._on_start,
                    SequenceStartEvent: self._on_start, MappingEndEvent: self._on_end,
                    SequenceEndEvent: self._on_end, AliasEvent: self._on_alias,
                    DocumentStartEvent: self._on_document}
        get_event = parser.get_event
        while True:
            event = get_event()
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
            elif type(event) is StreamEndEvent:
                return self.result
            # StreamStart, DocumentEnd: nothing to do

    def _expects_key(self) -> bool:
        stack = self.stack
        return bool(stack) and stack[-1].key is None and type(stack[-1].value) is dict

    def _check_tag(self, event: Any) -> None:
        if event.tag is not None and event.tag not in _ALLOWED_TAGS and event.tag != "!":
            raise self._refuse(event.start_mark, "yaml-tag", _tag_message(event.tag))

    def _on_scalar(self, event: Any) -> None:
        self._check_tag(event)
        value = self._scalar(event)
        if event.anchor is not None:
            self._new_anchor(event)
            self.anchors[event.anchor] = (value, 1)
        if self._expects_key():
            self._key(self.stack[-1], event, value)
        else:
            self._attach(value, 1)

    def _on_start(self, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise self._refuse(event.start_mark, "yaml-limit", _depth_message())
        self._check_tag(event)
        if self._expects_key():
            raise self._refuse(event.start_mark, "schema",
                               _("a key must be plain text, not a list or mapping"))
        if event.anchor is not None:
            self._new_anchor(event)
            self.anchors[event.anchor] = _IN_PROGRESS
        container: Any = {} if type(event) is MappingStartEvent else []
        self.stack.append(_Frame(container, event.anchor, event.start_mark))

    def _on_end(self, event: Any) -> None:
        frame = self.stack.pop()
        value = frame.value
        if frame.merged and isinstance(value, dict):  # explicit keys win
            for source in frame.merged:
                for name, item in source.items():
                    value.setdefault(name, item)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (value, frame.size)
        self._attach(value, frame.size)

    def _on_alias(self, event: Any) -> None:
        stored = self.anchors.get(event.anchor)
        if stored is None:
            raise self._refuse(event.start_mark, "yaml-syntax",
                               _("the alias *{anchor} names no anchor defined before it: "
                                 "define `&{anchor}` first").format(anchor=event.anchor))
        if stored is _IN_PROGRESS:
            raise self._refuse(event.start_mark, "yaml-alias",
                               _("this alias refers to a node that contains it: "
                               "a recursive structure cannot be a process"))
        value, size = stored
        self.expanded += size
        if self.expanded > MAX_ALIAS_EXPANSION:
            raise self._refuse(event.start_mark, "yaml-alias", (
                _("aliases expand this file beyond {count} nodes (an alias bomb?): write "
                  "the values out or use fewer nested aliases").format(
                    count=f"{MAX_ALIAS_EXPANSION:,}")))
        if self._expects_key():
            raise self._refuse(event.start_mark, "schema",
                               _("a key must be plain text, not an alias"))
        self._attach(value, size)

    def _on_document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self._refuse(event.start_mark, "yaml-syntax", (
                _("file holds several YAML documents (`---`): put each process in "
                "its own file")))

    def _attach(self, value: Any, size: int) -> None:
        """A complete value: append it to its list, or store it under its key."""
        if not self.stack:
            self.result = value
            return
        parent = self.stack[-1]
        parent.size += size
        if type(parent.value) is list:
            parent.value.append(value)
            return
        key = parent.key
        parent.key = None
        if key is _MERGE:
            self._merge(parent, value)
        elif parent.duplicate:
            parent.duplicate = False
        else:
            parent.value[key] = value

    def _merge(self, frame: _Frame, value: Any) -> None:
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(item, dict) for item in sources):
            raise self._refuse(frame.mark, "schema",
                               _("a merge key `<<` takes a mapping or a list of mappings"))
        frame.merged.extend(sources)

    def _new_anchor(self, event: Any) -> None:
        # YAML 1.2 lets a later anchor shadow an earlier one, but PyYAML's composer (which
        # `Document.locate` uses) refuses it, and a reused name is a trap for readers
        if event.anchor in self.anchors:
            raise self._refuse(event.start_mark, "yaml-alias", (
                _("the anchor &{anchor} is defined twice: give each anchor its own "
                  "name").format(anchor=event.anchor)))

    def _key(self, frame: _Frame, event: Any, value: Any) -> None:
        name = event.value  # keys are text as written: `1:` is the key "1"
        if name == "<<" and not event.style and event.tag is None:
            frame.key = _MERGE
            return
        mark = event.start_mark
        if name in frame.key_lines:
            self.findings.append(Finding(
                self.path, mark.line + 1, mark.column + 1, "duplicate-key",
                declared_severity("duplicate-key"),
                _("key '{key}' is repeated (first on line {line}); YAML would silently keep "
                  "only one: remove or rename one of them").format(
                    key=name, line=frame.key_lines[name])))
            frame.duplicate = True
        elif not name.isprintable() and _CONTROL.search(name):
            # a quoted "\0x-" would otherwise forge the model's internal extensions key
            self.findings.append(Finding(
                self.path, mark.line + 1, mark.column + 1, "schema",
                declared_severity("schema"),
                _("a key cannot contain control characters (\\0, \\n, ...): rename it")))
            frame.duplicate = True  # drop the pair
        else:
            frame.key_lines[name] = mark.line + 1
            if name[:2] == "x-":
                self.has_extensions = True
        frame.key = name

    def _scalar(self, event: Any) -> Any:
        """Plain scalars stay text unless they are null, true/false, or a number written
        in its canonical form; quoted scalars and explicit tags keep their text."""
        text: str = event.value
        if len(text) > MAX_SCALAR_CHARS:
            raise self._refuse(event.start_mark, "yaml-limit", (
                _("this value is {length} characters long, over the limit of {limit}: keep "
                  "long texts in a linked document").format(
                    length=f"{len(text):,}", limit=f"{MAX_SCALAR_CHARS:,}")))
        if event.style or event.tag is not None:
            return _written(text, event.tag)
        if not text or text in _NULLS:
            return None
        if text in _BOOLS:
            return _BOOLS[text]
        if text[0] in _NUMBER_START:
            if _INT.match(text) and str(int(text)) == text:
                return int(text)
            if _FLOAT.match(text) and repr(float(text)) == text:
                return float(text)
        return text


def _written(text: str, tag: str | None) -> Any:
    """A quoted or explicitly tagged scalar: its text, except `!!null` and `!!bool`."""
    if tag == _TAG + "null" and text in _NULLS:
        return None
    if tag == _TAG + "bool" and text in _BOOLS:
        return _BOOLS[text]
    return text  # quoted, or !!str / !!int ... written explicitly: keep the text


def _tag_message(tag: str) -> str:
    return _("the tag '{tag}' is not allowed: procmap files use plain YAML values only "
             "(nothing is ever constructed or executed); remove the tag").format(
        tag=_shown_tag(tag))
