"""Property tests: whatever the input, validate gives findings, never an exception.

Random YAML-ish text, random bytes and mutations of the real example files go through
the loader, the workspace and every validate rule in-process; a smaller number goes
through the real CLI in a subprocess. The only acceptable outcomes are findings with a
known rule id and a sane position, and exit codes 0/1/2 without a traceback.

CI runs are reproducible: `CI` selects the derandomized hypothesis profile (conftest).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procmap.config import Config
from procmap.findings import Finding, Severity
from procmap.loader import load_bytes, load_text
from procmap.pipeline import validate_documents as run_pipeline
from procmap.report import github, json_report, text
from procmap.rules import validate_rules

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = {p.name: p.read_text(encoding="utf-8") for p in sorted(
    (ROOT / "examples").glob("*.yaml"))}
INIT = files("procmap.data") / "init"
INIT_FILES = {f"init-{name}": (INIT / name).read_text(encoding="utf-8")
              for name in ("refund-request.yaml", "roles.yaml")}
SOURCES = {**EXAMPLES, **INIT_FILES}


def repository_of(name: str) -> dict[str, str]:
    """The files validated together with `name`: its examples/ or its `procmap init`."""
    return dict(INIT_FILES if name in INIT_FILES else EXAMPLES)
RULE_IDS = frozenset(module.rule.id for module in validate_rules())


def validate_documents(contents: dict[str, str | bytes]) -> list[Finding]:
    """What `procmap validate FILE...` does after reading the files, in-process."""
    documents = [load_bytes(c, name) if isinstance(c, bytes) else load_text(c, name)
                 for name, c in contents.items()]
    return run_pipeline(documents, frozenset(contents), Config()).findings


def assert_sane(found: list[Finding], names: set[str]) -> None:
    for finding in found:
        assert finding.rule in RULE_IDS, finding
        assert finding.file in names, finding
        assert isinstance(finding.line, int) and finding.line >= 0, finding
        assert isinstance(finding.column, int) and finding.column >= 0, finding
        assert finding.line > 0 or finding.column == 0 or finding.column == 1, finding
        assert isinstance(finding.severity, Severity)
        assert isinstance(finding.message, str) and finding.message.strip(), finding
    # every formatter copes with whatever the findings hold
    assert text.render(found, len(names)).count("\n") == len(found) + 1
    assert len(json.loads(json_report.render(found, len(names)))["findings"]) == len(found)
    assert github.render(found, len(names)).count("\n") == len(found)


# -- strategies ---------------------------------------------------------------------------

TOKENS = [
    "procmap: 1\n", "procmap: ", "id: ", "name: ", "steps:\n", "roles:\n", "next: ",
    "kind: ", "start", "end", "decision", "parallel", "approval", "role: ", "to: ",
    "when: ", "probability: ", "duration: ", "sla: ", "wait: ", "reports_to: ",
    "process: ", "x-ignore: ", "x-a: ", "- ", "  ", "    ", "\n", "\t", ": ", ", ", "{",
    "}", "[", "]", "&a ", "*a", "&b ", "*b", "<<: ", "!!str ", "!!python/name:os.system ",
    "!foo ", "---\n", "...\n", "? ", "| \n", "> \n", "'", '"', "#", "%", "@", "`", "~",
    "null", "true", "no", "010", "1:30", "3.10", "1e400", "9" * 40, "0.5", "-1", "30m",
    "1d4h", "PT30M", "40/d", "8h/d", "a", "b", "客服", "😀", "\u202e", "\x00", "\x07",
    "\ufeff", "\r\n", "\\", "\\u0000",
]
yamlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
any_text = st.text(max_size=300)


@st.composite
def mutated_example(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(SOURCES)))
    lines = SOURCES[name].split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "indent",
                                          "dedent", "insert", "scalar", "key"]))
        line = lines[index]
        if operation == "delete":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, line)
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], line
        elif operation == "indent":
            lines[index] = " " * draw(st.integers(1, 4)) + line
        elif operation == "dedent":
            lines[index] = line[draw(st.integers(1, 4)):]
        elif operation == "insert":
            at = draw(st.integers(0, len(line)))
            hostile = draw(st.sampled_from(["\t", "\x00", "\x1b", ":", "- ", "{", "]", "&x ",
                                            "*x", "!!python/object:os.system ", "!t ",
                                            "\ufeff", "'", '"', "#", "<<: ", "\\", "\u2028",
                                            "\r", "😀", "%"]) | st.text(max_size=3))
            lines[index] = line[:at] + hostile + line[at:]
        elif operation == "scalar" and ": " in line:
            key = line.split(": ", 1)[0]
            value = draw(st.sampled_from(
                ["", "~", "null", "true", "no", "0", "-1", "010", "1:30", "3.10", "1e400",
                 "9" * 5000, "[]", "{}", "[a, b]", "{to: x}", "'unclosed", "*nope",
                 "30", "1d4h", "P", "x" * 70, "客服专员", "😀", "cs-agent", "received",
                 "done", "start", "end", "decision"]) | st.text(max_size=10))
            lines[index] = f"{key}: {value}"
        elif operation == "key" and ": " in line:
            value = line.split(": ", 1)[1]
            indent = line[: len(line) - len(line.lstrip())]
            key = draw(st.sampled_from(["id", "next", "to", "role", "kind", "x-ignore",
                                        "procmap", "steps", "roles", "extensions", "<<",
                                        "duraton", "reports_to", "process", "1", "~"]))
            lines[index] = f"{indent}{key}: {value}"
    return name, "\n".join(lines)


IDS = ["a", "b", "c", "d", "e", "客服", "x.1"]
KINDS = ["start", "end", "task", "approval", "decision", "parallel", "subprocess", "wait"]


@st.composite
def random_process(draw: st.DrawFn) -> dict[str, object]:
    """Well-formed YAML, odd processes: random graphs, kinds, roles and numbers, to reach
    the graph rules with shapes the examples never have."""
    roles = [{"id": r, **({"reports_to": draw(st.sampled_from(IDS))}
                          if draw(st.booleans()) else {})}
             for r in draw(st.lists(st.sampled_from(IDS), max_size=4))]
    steps = []
    for step_id in draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=8)):
        step: dict[str, object] = {"id": step_id, "kind": draw(st.sampled_from(KINDS))}
        if draw(st.booleans()):
            step["role"] = draw(st.sampled_from(IDS))
        targets = draw(st.lists(st.sampled_from(IDS), max_size=3))
        step["next"] = [{"to": t, **({"probability": draw(
            st.floats(-1, 2, allow_nan=False))} if draw(st.booleans()) else {}),
            **({"when": "w"} if draw(st.booleans()) else {})} for t in targets]
        for key in ("duration", "wait", "sla", "deadline"):
            if draw(st.booleans()):
                step[key] = draw(st.sampled_from(["0m", "30m", "2h", "1d", "3w", "PT1H"]))
        if step["kind"] == "subprocess" and draw(st.booleans()):
            step["process"] = draw(st.sampled_from(["p", "q"]))
        if draw(st.booleans()):
            step["x-ignore"] = draw(st.lists(st.sampled_from(sorted(RULE_IDS)), max_size=2))
        steps.append(step)
    return {"procmap": 1, "id": draw(st.sampled_from(["p", "q"])), "name": "n",
            "roles": roles, "steps": steps}


# -- in-process properties --------------------------------------------------------------

@settings(max_examples=200)
@given(st.lists(random_process(), min_size=1, max_size=3))
def test_random_processes(processes: list[dict[str, object]]) -> None:
    contents: dict[str, str | bytes] = {
        f"p{i}.yaml": json.dumps(p, ensure_ascii=False) for i, p in enumerate(processes)}
    found = validate_documents(contents)
    assert_sane(found, set(contents))
    rules = {f.rule for f in found}
    assert "yaml-syntax" not in rules and "schema" not in rules  # only the graph is odd


@settings(max_examples=300)
@given(yamlish)
def test_yamlish_text(content: str) -> None:
    found = validate_documents({"f.yaml": content})
    assert_sane(found, {"f.yaml"})


@settings(max_examples=150)
@given(any_text)
def test_any_text(content: str) -> None:
    assert_sane(validate_documents({"f.yaml": content}), {"f.yaml"})


@settings(max_examples=150)
@given(st.binary(max_size=400) | yamlish.map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_any_bytes(content: bytes) -> None:
    assert_sane(validate_documents({"f.yaml": content}), {"f.yaml"})


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow,
                                                   HealthCheck.data_too_large])
@given(mutated_example())
def test_mutated_examples_with_the_rest_of_the_repository(case: tuple[str, str]) -> None:
    name, content = case
    contents: dict[str, str | bytes] = dict(repository_of(name))
    contents[name] = content
    # processes and catalogs are validated together, as `procmap validate examples` does
    found = validate_documents(contents)
    assert_sane(found, set(contents))


@settings(max_examples=100)
@given(mutated_example())
def test_validation_is_deterministic(case: tuple[str, str]) -> None:
    name, content = case
    first = validate_documents({name: content})
    second = validate_documents({name: content})
    assert [f.to_json() for f in first] == [f.to_json() for f in second]


def test_the_unmutated_sources_are_clean() -> None:
    """The mutations start from files procmap accepts (so findings come from them)."""
    assert validate_documents(dict(EXAMPLES)) == []
    assert validate_documents(dict(INIT_FILES)) == []
    assert len(EXAMPLES) >= 3


# -- through the real CLI --------------------------------------------------------------

def _cli(path: str, cwd: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "PROCMAP_DEBUG")}
    return subprocess.run([sys.executable, "-m", "procmap", "validate", path, "--format",
                           "json"], capture_output=True, cwd=cwd, env=env, timeout=60,
                          check=False)


@settings(max_examples=12, deadline=None)
@given(mutated_example() | yamlish.map(lambda s: ("y.yaml", s))
       | st.binary(max_size=200).map(lambda b: ("b.yaml", b)))
def test_the_cli_survives(case: tuple[str, str | bytes]) -> None:
    name, content = case
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        result = _cli(name, directory)
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert result.returncode in (0, 1), stderr  # the file exists: the check always runs
    report = json.loads(result.stdout)
    assert (result.returncode == 1) == (report["summary"]["error"] > 0)
    for finding in report["findings"]:
        assert finding["rule"] in RULE_IDS
        assert finding["file"] == name
        assert finding["line"] >= 0 and finding["column"] >= 0
        assert finding["severity"] in ("error", "warning", "info")
