"""The composite action (action.yml): its shell steps, run as GitHub would run them.

The runner is played by this test: it reads action.yml, evaluates each step's `if:`,
substitutes the `${{ }}` expressions of `env:` with test values, and runs each `run:`
script with bash in a clone of a temporary repository, with GITHUB_ACTIONS=true and
GITHUB_STEP_SUMMARY / GITHUB_OUTPUT / GITHUB_PATH pointing at files. Steps that `uses:`
another action (setup-python) are skipped, and the install step is skipped with
`install: none`: procmap is already installed, in the test's own environment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None or shutil.which("git") is None,
                                reason="needs bash and git")


def _action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


@dataclass
class StepRun:
    name: str
    returncode: int
    stdout: str
    stderr: str


@dataclass
class ActionRun:
    steps: list[StepRun] = field(default_factory=list)
    summary: str = ""
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)  # by step id

    def step(self, name: str) -> StepRun:
        return next(s for s in self.steps if s.name == name)

    @property
    def ran(self) -> list[str]:
        return [s.name for s in self.steps]


def _evaluate(expression: str, context: dict[str, str]) -> str:
    """The few expression forms action.yml uses: `a.b.c`, `x == 'v'`, `x != 'v'`, `&&`."""
    if "&&" in expression:
        parts = [_evaluate(p.strip(), context) for p in expression.split("&&")]
        return "true" if all(p == "true" for p in parts) else "false"
    match = re.fullmatch(r"(\S+)\s*(==|!=)\s*'([^']*)'", expression)
    if match:
        left = context.get(match.group(1), "")
        equal = left == match.group(3)
        return "true" if equal == (match.group(2) == "==") else "false"
    assert re.fullmatch(r"[\w.-]+", expression), f"unsupported expression {expression!r}"
    return context.get(expression, "")


def _substitute(text: str, context: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda m: _evaluate(m.group(1), context), text)


def _read_outputs(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT's two forms: `name=value` and `name<<DELIMITER ... DELIMITER`."""
    outputs: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index + 1)
            outputs[name] = "\n".join(lines[index + 1:end])
            index = end + 1
            continue
        name, _, value = line.partition("=")
        outputs[name] = value
        index += 1
    return outputs


def run_action(workspace: Path, inputs: dict[str, str], temp: Path) -> ActionRun:
    action = _action()
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(inputs) - set(values)
    assert not unknown, f"action.yml has no inputs {unknown}"
    values.update(inputs)
    context = {f"inputs.{k}": v for k, v in values.items()}
    context["github.action_path"] = str(ROOT)
    summary = temp / "step-summary.md"
    bindir = Path(sys.executable).parent
    assert (bindir / "procmap").exists(), "procmap must be installed next to the python"
    base_env = {k: v for k, v in os.environ.items()
                if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "PROCMAP_DEBUG")}
    base_env.update({
        "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_PATH": str(temp / "path"), "RUNNER_TEMP": str(temp),
        "GITHUB_WORKSPACE": str(workspace), "GITHUB_ACTION_PATH": str(ROOT),
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONIOENCODING": "utf-8", "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    })
    result = ActionRun()
    for number, step in enumerate(action["runs"]["steps"]):
        condition = step.get("if")
        if condition is not None and _evaluate(condition, context) != "true":
            continue
        if "uses" in step:
            continue  # another action (setup-python): the test environment has Python
        assert step.get("shell") == "bash", f"{step['name']}: every run step uses bash"
        output_file = temp / f"output-{number}"
        env = {**base_env, "GITHUB_OUTPUT": str(output_file)}
        env.update({k: _substitute(str(v), context) for k, v in step.get("env", {}).items()})
        assert not EXPRESSION.search(step["run"]), (
            f"{step['name']}: expressions belong in env:, not in the script")
        script = temp / f"step-{number}.sh"
        script.write_text(step["run"], encoding="utf-8")
        # how GitHub runs `shell: bash`
        completed = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail",
                                    str(script)], cwd=workspace,
                                   env=env, capture_output=True, text=True, timeout=300,
                                   check=False)
        result.steps.append(StepRun(step["name"], completed.returncode, completed.stdout,
                                    completed.stderr))
        outputs = _read_outputs(output_file)
        if "id" in step:
            result.outputs[step["id"]] = outputs
            context.update({f"steps.{step['id']}.outputs.{k}": v for k, v in outputs.items()})
        if completed.returncode != 0:
            break  # the job stops at a failing step
    result.summary = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return result


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    completed = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True,
                               text=True, check=False)
    assert completed.returncode == 0, f"git {' '.join(args)}: {completed.stderr}"
    return completed.stdout


@pytest.fixture
def pull_request(tmp_path: Path) -> Any:
    """`origin` (bare) with main and a feature branch, and the shallow, single-branch
    checkout of the feature that actions/checkout makes. Returns a function that
    builds it with the feature branch's refund process text."""

    def build(feature_refund: str) -> Path:
        source = tmp_path / "source"
        source.mkdir()
        _git(source, "init", "--quiet", "--initial-branch=main")
        _git(source, "config", "user.name", "procmap tests")
        _git(source, "config", "user.email", "tests@procmap.invalid")
        _git(source, "config", "commit.gpgsign", "false")
        processes = source / "processes"
        processes.mkdir()
        shutil.copy(EXAMPLES / "roles.yaml", processes / "roles.yaml")
        shutil.copy(EXAMPLES / "refund-approval.yaml", processes / "refund-approval.yaml")
        _git(source, "add", "--all")
        _git(source, "commit", "--quiet", "-m", "refund process")
        _git(source, "checkout", "--quiet", "-b", "feature")
        (processes / "refund-approval.yaml").write_text(feature_refund, encoding="utf-8")
        _git(source, "commit", "--quiet", "--all", "--allow-empty", "-m", "the change")
        origin = tmp_path / "origin.git"
        _git(tmp_path, "clone", "--quiet", "--bare", str(source), str(origin))
        workspace = tmp_path / "workspace"
        _git(tmp_path, "clone", "--quiet", "--depth=1", "--single-branch", "--branch",
             "feature", origin.as_uri(), str(workspace))
        return workspace

    return build


def _refund() -> str:
    return (EXAMPLES / "refund-approval.yaml").read_text(encoding="utf-8")


def test_validate_audit_and_diff_on_a_pull_request(pull_request: Any, tmp_path: Path
                                                   ) -> None:
    feature = _refund().replace("    wait: 30m\n    duration: 15m\n    accountable: "
                                "finance-manager", "    wait: 3h\n    duration: 15m\n"
                                "    accountable: finance-manager")
    assert feature != _refund()
    workspace = pull_request(feature)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    run = run_action(workspace, {"install": "none", "audit": "true", "diff-base": "main",
                                 "paths": "processes"}, temp)
    assert run.ran == ["procmap diff", "procmap validate", "procmap audit"]
    assert all(s.returncode == 0 for s in run.steps), [(s.name, s.stderr) for s in run.steps]

    # the base branch was fetched into the shallow checkout, and compared
    assert _git(workspace, "rev-parse", "--verify", "refs/remotes/origin/main").strip()
    assert run.summary.startswith("<!-- procmap-diff -->\n### procmap diff: origin/main → "
                                  "working tree\n")
    assert "| **退款审批** (`refund-approval`) | changed |" in run.summary
    assert "| `payout` | wait: 30m → 3h |" in run.summary
    outputs = run.outputs["diff"]
    assert outputs["markdown"] == run.summary.rstrip("\n")
    assert Path(outputs["file"]).read_text(encoding="utf-8") == run.summary

    validate = run.step("procmap validate").stdout
    assert "::error" not in validate  # roles only other processes use: warnings
    assert "::warning file=processes/roles.yaml,line=36,col=9,title=unused-role::" in validate
    audit = run.step("procmap audit").stdout
    assert re.search(r"^::warning file=processes/refund-approval\.yaml,line=\d+,col=\d+,"
                     r"title=redundant-approval::", audit, flags=re.M), audit


def test_a_broken_reference_fails_validate_with_an_annotation(
        pull_request: Any, tmp_path: Path) -> None:
    broken = _refund().replace("    role: finance\n    wait: 30m", "    role: finanse\n"
                               "    wait: 30m")
    workspace = pull_request(broken)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    line = next(number for number, text in enumerate(broken.splitlines(), 1)
                if text == "    role: finanse")
    run = run_action(workspace, {"install": "none", "diff-base": "main"}, temp)
    assert run.ran == ["procmap diff", "procmap validate"]  # audit is off by default
    diff, validate = run.steps
    assert diff.returncode == 0  # diff-fail-on defaults to never: validate is the gate
    assert "unknown-reference" in run.summary and "**1 introduced** (1 error)" in run.summary
    assert validate.returncode == 1
    assert (f"::error file=processes/refund-approval.yaml,line={line},col=11,"
            "title=unknown-reference::") in validate.stdout


def test_without_a_diff_base_only_validate_runs(pull_request: Any, tmp_path: Path) -> None:
    workspace = pull_request(_refund())
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    run = run_action(workspace, {"install": "none"}, temp)
    assert run.ran == ["procmap validate"] and run.steps[0].returncode == 0
    assert run.summary == ""


def test_diff_fail_on_and_an_unknown_base(pull_request: Any, tmp_path: Path) -> None:
    workspace = pull_request(_refund().replace("    wait: 45m\n    duration: 10m\n"
                                               "    system: CRM\n    description: 历史",
                                               "    wait: 5h\n    duration: 10m\n"
                                               "    system: CRM\n    description: 历史"))
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    run = run_action(workspace, {"install": "none", "diff-base": "main",
                                 "diff-fail-on": "warning"}, temp)
    assert run.ran == ["procmap diff"] and run.steps[0].returncode == 1
    assert "waiting-waste" in run.summary  # the report is written before failing

    run = run_action(workspace, {"install": "none", "diff-base": "no-such-branch"}, temp)
    assert run.steps[0].returncode == 2
    assert "::error title=procmap diff::cannot find or fetch 'no-such-branch'" in (
        run.steps[0].stdout)


def test_every_input_is_documented_and_reaches_scripts_through_env() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
        assert "${{" not in spec["description"], name  # GitHub would try to evaluate it
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for name in action["inputs"]:
        assert f"`{name}`" in docs, f"docs/ci.md does not document the input {name}"


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           schema, str(path)], capture_output=True, text=True, check=False)


def test_action_and_documented_workflows_match_githubs_schemas(tmp_path: Path) -> None:
    """SchemaStore's schemas of action.yml and of workflows (vendored by
    check-jsonschema: no network)."""
    pytest.importorskip("check_jsonschema")
    result = _check_jsonschema("vendor.github-actions", ROOT / "action.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    for page in ("ci.md", "getting-started.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        workflows = [b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
                     if re.search(r"^jobs:", b, flags=re.M)]
        assert workflows, page
        for number, workflow in enumerate(workflows):
            path = tmp_path / f"{page}-{number}.yml"
            path.write_text(workflow, encoding="utf-8")
            result = _check_jsonschema("vendor.github-workflows", path)
            assert result.returncode == 0, f"{page}:\n{workflow}\n{result.stdout}"
