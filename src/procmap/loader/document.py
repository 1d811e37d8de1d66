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

The node tree is kept so that findings can be located after the fact (`Document.locate`):
no source map is built up front, which keeps loading fast.
"""

from __future__ import annotations

import codecs
import gc
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from procmap.findings import Finding, Severity

try:  # the libyaml C loader; PyPI wheels bundle it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - only on builds without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_SCALAR_CHARS = 100_000
# Nodes that aliases may add beyond the nodes written in the file.
MAX_ALIAS_EXPANSION = 100_000
# libyaml's composer recurses in C: past ~20,000 levels it overflows the stack. A file
# cannot nest deeper than it has characters, so shorter files are safe as they are.
_COMPOSER_SAFE_DEPTH = 15_000

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _TAG + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge")
}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,30})\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}


@dataclass
class Document:
    """One loaded file: its plain data and the node tree to locate findings in."""

    path: str
    data: Any
    root: Node | None
    findings: list[Finding] = field(default_factory=list)

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
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
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
        return _failed(path, "yaml-limit", 1, 1, (
            f"file is {len(raw) / 1048576:.1f} MiB, over procmap's limit of "
            f"{MAX_FILE_BYTES // 1048576} MiB: split the process into subprocesses"))
    text = _decode(raw, path)
    if isinstance(text, Finding):
        return Document(path, None, None, [text])
    return load_text(text, path)


def load_text(text: str, path: str) -> Document:
    """Load one YAML text. Never raises for any input."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > _COMPOSER_SAFE_DEPTH and _may_nest_too_deep(text):
        depth_finding = _scan_depth(text, path)
        if depth_finding is not None:
            return Document(path, None, None, [depth_finding])
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the node tree is acyclic garbage-wise; GC passes only cost time here
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return Document(path, None, None, [_syntax_finding(exc, path, text)])
    except yaml.YAMLError as exc:  # ReaderError and friends carry a position, not a mark
        return Document(path, None, None, [_reader_finding(exc, path, text)])
    except (RecursionError, MemoryError, ValueError) as exc:
        return _failed(path, "yaml-syntax", 1, 1, f"file cannot be parsed: {exc}")
    finally:
        if gc_was_enabled:
            gc.enable()
    document = Document(path, None, root)
    if root is None:
        return document
    converter = _Converter(path, document.findings)
    try:
        document.data = converter.convert(root)
    except _Refused as refused:
        document.data = None
        document.findings.append(refused.finding)
    return document


def _failed(path: str, rule: str, line: int, column: int, message: str) -> Document:
    return Document(path, None, None, [Finding(path, line, column, rule, Severity.ERROR,
                                               message)])


def _decode(raw: bytes, path: str) -> str | Finding:
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom) and not raw.startswith(codecs.BOM_UTF8):
            return Finding(path, 1, 1, "encoding", Severity.ERROR,
                           f"file is {name}-encoded: procmap reads UTF-8; re-save it as "
                           "UTF-8 (e.g. `iconv -f " + name + " -t UTF-8`)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        hint = ("it looks like a binary file" if b"\x00" in raw[:8192]
                else "re-save it as UTF-8 (GBK/GB18030 files: `iconv -f GB18030 -t UTF-8`)")
        return Finding(path, line, column, "encoding", Severity.ERROR,
                       f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}): {hint}")


def _may_nest_too_deep(text: str) -> bool:
    """Cheap upper bound on nesting: flow brackets plus the longest line."""
    bound = text.count("[") + text.count("{")
    if bound >= _COMPOSER_SAFE_DEPTH:
        return True
    longest = max((len(line) for line in text.split("\n")), default=0)
    return bound + longest >= _COMPOSER_SAFE_DEPTH


def _scan_depth(text: str, path: str) -> Finding | None:
    """Walk libyaml's event stream (no recursion) and refuse excessive nesting."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return Finding(path, mark.line + 1, mark.column + 1, "yaml-limit",
                                   Severity.ERROR, _depth_message())
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # compose will report the syntax error with its position
    return None


def _depth_message() -> str:
    return (f"nesting is deeper than {MAX_DEPTH} levels: procmap files are a few levels "
            "deep; flatten the structure")


def _syntax_finding(exc: yaml.MarkedYAMLError, path: str, text: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in str(exc):
        message = ("file holds several YAML documents (`---`): put each process in its "
                   "own file")
    elif "\t" in problem or "cannot start any token" in problem and _tab_at(text, mark):
        message = "a tab character indents this line: YAML indents with spaces only"
    else:
        context = f" {exc.context}" if exc.context and exc.problem else ""
        message = f"invalid YAML{context}: {problem}; check the indentation and quoting here"
    return Finding(path, line, column, "yaml-syntax", Severity.ERROR, message)


def _tab_at(text: str, mark: Any) -> bool:
    if mark is None:
        return False
    index = getattr(mark, "index", None)
    return isinstance(index, int) and 0 <= index < len(text) and text[index] == "\t"


def _reader_finding(exc: yaml.YAMLError, path: str, text: str) -> Finding:
    position = getattr(exc, "position", 0) or 0
    character = getattr(exc, "character", None)
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    if isinstance(character, int):
        what = f"control character U+{character:04X}"
        if character == 0:
            what += " (NUL: is this a binary file?)"
        message = f"{what} is not allowed in YAML text: remove it"
    else:
        message = f"file cannot be read as YAML: {exc}"
    return Finding(path, line, column, "encoding", Severity.ERROR, message)


class _Converter:
    """Node tree -> plain data, enforcing procmap's bounds and safety rules."""

    def __init__(self, path: str, findings: list[Finding]) -> None:
        self.path = path
        self.findings = findings
        self.memo: dict[int, tuple[Any, int]] = {}
        self.in_progress: set[int] = set()
        self.expanded = 0

    def convert(self, root: Node) -> Any:
        value, _size = self._node(root, 1)
        return value

    def _refuse(self, node: Node, rule: str, message: str) -> _Refused:
        mark = node.start_mark
        return _Refused(Finding(self.path, mark.line + 1, mark.column + 1, rule,
                                Severity.ERROR, message))

    def _node(self, node: Node, depth: int) -> tuple[Any, int]:
        if node.tag not in _ALLOWED_TAGS and node.tag not in ("!", "?", None):
            raise self._refuse(node, "yaml-tag", (
                f"the tag {node.tag!r} is not allowed: procmap files use plain YAML values "
                "only (nothing is ever constructed or executed); remove the tag"))
        if type(node) is ScalarNode:
            # A scalar alias cannot explode: every use of it is written in the file.
            return self._scalar(node), 1
        key = id(node)
        memo = self.memo.get(key)
        if memo is not None:  # an alias: the same collection again
            self.expanded += memo[1]
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise self._refuse(node, "yaml-alias", (
                    f"aliases expand this file beyond {MAX_ALIAS_EXPANSION:,} nodes "
                    "(an alias bomb?): write the values out or use fewer nested aliases"))
            return memo
        if key in self.in_progress:
            raise self._refuse(node, "yaml-alias",
                               "this alias refers to a node that contains it: "
                               "a recursive structure cannot be a process")
        if depth > MAX_DEPTH:
            raise self._refuse(node, "yaml-limit", _depth_message())
        self.in_progress.add(key)
        result: tuple[Any, int]
        if isinstance(node, SequenceNode):
            result = self._sequence(node, depth)
        else:
            result = self._mapping(node, depth)
        self.in_progress.discard(key)
        self.memo[key] = result
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        text: str = node.value
        if len(text) > MAX_SCALAR_CHARS:
            raise self._refuse(node, "yaml-limit", (
                f"this value is {len(text):,} characters long, over the limit of "
                f"{MAX_SCALAR_CHARS:,}: keep long texts in a linked document"))
        if node.style not in ("", None) or node.tag == _TAG + "str":
            return text
        tag = node.tag
        if tag == _TAG + "null" and text in _NULLS:
            return None
        if tag == _TAG + "bool":
            return _BOOLS.get(text, text)
        if tag == _TAG + "int" and _INT.match(text) and str(int(text)) == text.lstrip("+"):
            return int(text)
        if tag == _TAG + "float" and _FLOAT.match(text) and repr(float(text)) == text:
            return float(text)
        return text

    def _sequence(self, node: SequenceNode, depth: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        size = 1
        for child in node.value:
            value, child_size = self._node(child, depth + 1)
            items.append(value)
            size += child_size
        return items, size

    def _mapping(self, node: MappingNode, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        merged: list[dict[str, Any]] = []
        size = 1
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                value, child_size = self._node(value_node, depth + 1)
                size += child_size
                sources = value if isinstance(value, list) else [value]
                if not all(isinstance(source, dict) for source in sources):
                    raise self._refuse(value_node, "schema",
                                       "a merge key `<<` takes a mapping or a list of "
                                       "mappings")
                merged.extend(sources)
                continue
            if not isinstance(key_node, ScalarNode):
                raise self._refuse(key_node, "schema",
                                   "a key must be plain text, not a list or mapping")
            if key_node.tag not in _ALLOWED_TAGS and key_node.tag not in ("!", None):
                raise self._refuse(key_node, "yaml-tag",
                                   f"the tag {key_node.tag!r} is not allowed on a key")
            name = key_node.value
            if name in key_lines:
                mark = key_node.start_mark
                self.findings.append(Finding(
                    self.path, mark.line + 1, mark.column + 1, "duplicate-key",
                    Severity.ERROR,
                    f"key '{name}' is repeated (first on line {key_lines[name]}); YAML "
                    "would silently keep only one: remove or rename one of them"))
                continue
            key_lines[name] = key_node.start_mark.line + 1
            value, child_size = self._node(value_node, depth + 1)
            result[name] = value
            size += child_size + 1
        for source in merged:  # explicit keys win over merged ones
            for name, value in source.items():
                result.setdefault(name, value)
        return result, size
