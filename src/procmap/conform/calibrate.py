"""`procmap conform --calibrate`: the observed values written back into the YAML.

ruamel.yaml's round-trip mode keeps comments, key order, quoting and layout; only the
values calibrated change: a step's `duration` and `wait` become `{median, p90}` (flow
style, on the key's line), the `probability` of each way out of a decision or approval
the observed share (a shorthand `- resolve` becomes `- {to: resolve, probability: ...}`).
Steps the log does not time keep their values. `--dry-run` shows a unified diff instead
of writing; files are written atomically (`procmap.io.write_atomic`).
"""

from __future__ import annotations

import difflib
import io
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from procmap.errors import ProcmapError
from procmap.i18n import _

if TYPE_CHECKING:
    from procmap.conform.compare import ConformResult, ProcessReport


def duration_text(hours: float) -> str:
    """Hours as procmap writes a duration: 45m, 3h, 26h18m (whole minutes, at least 1m)."""
    minutes = max(1, round(hours * 60))
    if minutes < 60:
        return f"{minutes}m"
    whole, rest = divmod(minutes, 60)
    return f"{whole}h" if rest == 0 else f"{whole}h{rest}m"


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def _indent(text: str) -> tuple[int, int]:
    """(sequence, offset) of the file's block sequences, e.g. `  - id:` -> (4, 2)."""
    match = re.search(r"^( *)- \S", text, re.MULTILINE)
    offset = len(match.group(1)) if match else 2
    return offset + 2, offset


def calibrated_text(text: str, report: ProcessReport, least: float = 30) -> str:
    """The file's text with the observed values of `report` written in (values seen
    fewer than `least` times are left as they are)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = _yaml()
    try:
        document = yaml.load(text)
    except YAMLError as exc:
        raise ProcmapError(_("cannot calibrate {path}: {why}").format(
            path=report.entry.file, why=" ".join(str(exc).split())[:200])) from exc
    if not isinstance(document, CommentedMap) or not isinstance(document.get("steps"), list):
        return text
    steps = {str(s.get("id")): s for s in document["steps"] if isinstance(s, CommentedMap)}
    for step_id, observed in report.data["steps"].items():
        node = steps.get(step_id)
        if node is not None:
            _times(node, observed, least)
    for item in report.data["transitions"]:
        node = steps.get(item["from"])
        if node is not None and item["observed_probability"] is not None \
                and _total(report, item["from"]) >= least:
            _probability(node, item)
    sequence, offset = _indent(text)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _total(report: ProcessReport, source: str) -> int:
    return sum(t["cases"] for t in report.data["transitions"] if t["from"] == source)


def _spread(observed: Mapping[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    value = CommentedMap()
    median = observed["p50"]
    value["median"] = duration_text(median)
    value["p90"] = duration_text(max(observed["p90"] or median, median))
    value.fa.set_flow_style()
    return value


def _times(node: Any, observed: Mapping[str, Any], least: float) -> None:
    for key in ("wait", "duration"):
        values = observed[f"{key}_hours"]
        if values["p50"] is None or observed["timed"][key] < least:
            continue
        if key in node:
            node[key] = _spread(values)
        elif values["p50"] * 60 >= 0.5:  # no wait written and none observed: leave it
            position = list(node).index("role") + 1 if "role" in node else len(node)
            node.insert(position, key, _spread(values))


def _probability(node: Any, item: Mapping[str, Any]) -> None:
    from ruamel.yaml.comments import CommentedMap

    ways = node.get("next")
    if not isinstance(ways, list) or item["index"] >= len(ways):
        return
    way = ways[item["index"]]
    value = round(float(item["observed_probability"]), 3)
    if isinstance(way, CommentedMap):
        way["probability"] = value
    else:
        replacement = CommentedMap([("to", way), ("probability", value)])
        replacement.fa.set_flow_style()
        ways[item["index"]] = replacement


def calibrate_files(result: ConformResult, *, write: bool, least: float = 30
                    ) -> tuple[str, list[str]]:
    """(the unified diff of every change, the files written); values seen fewer than
    `least` times (`observed-min-cases`) are left as they are."""
    from procmap.io import write_atomic

    diffs: list[str] = []
    written: list[str] = []
    for report in result.processes:
        path = report.entry.file
        try:
            with open(path, encoding="utf-8") as handle:
                before = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ProcmapError(_("cannot calibrate {path}: {why}").format(
                path=path, why=getattr(exc, "strerror", None) or exc)) from exc
        after = calibrated_text(before, report, least)
        if after == before:
            continue
        diffs.append("".join(difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True),
            fromfile=path if os.path.isabs(path) else f"a/{path}",
            tofile=path if os.path.isabs(path) else f"b/{path}")))
        if write:
            write_atomic(path, after)
            written.append(path)
    return "".join(diffs), written
