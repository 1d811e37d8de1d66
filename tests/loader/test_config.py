"""procmap.toml / [tool.procmap]: every problem is one precise line, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from procmap.config import Config, ConfigError, find_config, load_config

if TYPE_CHECKING:
    from conftest import RunCli



def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(("content", "words"), [
    (b'[rules]\nunused-role = "\xb9\xd8"\n', "not UTF-8 (byte 0xb9 at offset 23)"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ("[thresholds]\nbottleneck-share = nan\n", "bottleneck-share = nan must be a finite"),
    ("[thresholds]\nbottleneck-share = inf\n", "must be a finite number"),
    ("[thresholds]\nhandoffs-per-case = true\n", "must be a number, not bool"),
    ("[thresholds]\nbottleneck-share = 1.5\n", "must be >= 0 and <= 1"),
    ("[thresholds]\nhandoff-per-case = 3\n", "did you mean 'handoffs-per-case'"),
    ("[thresholds]\nutilization-warning = 1.2\n",
     "utilization-warning must not be above utilization-error"),
    ('[rules]\nschema = "off"\n', "[rules] schema cannot be configured"),
    ('[rules]\nyaml-syntax = "warning"\n', "[rules] yaml-syntax cannot be configured"),
    ('[rules]\nimplicit-split = ["off"]\n', "implicit-split = ['off']: use one of"),
    ('[rules]\n"bad\\nrule" = "off"\n', "unknown rule 'bad\\nrule'"),
    ("rules = 3\n", "[rules] must be a table, not a number"),
    ("lang = [1]\n", "lang = [1]: use one of en, zh"),
])
def test_a_bad_procmap_toml_is_one_precise_error(tmp_path: Path, content: str | bytes,
                                                 words: str) -> None:
    path = _write(tmp_path / "procmap.toml", content)
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    message = str(caught.value)
    assert words in message
    assert message.startswith(str(path)) and "\n" not in message


@pytest.mark.parametrize(("content", "words"), [
    ('[tool]\nprocmap = 3\n', "[tool.procmap] must be a table, not a number"),
    ('[tool]\nprocmap = "yes"\n', "[tool.procmap] must be a table, not a string"),
])
def test_a_wrongly_typed_tool_table_is_an_error(tmp_path: Path, content: str,
                                                words: str) -> None:
    path = _write(tmp_path / "pyproject.toml", content)
    with pytest.raises(ConfigError, match=words.replace("[", r"\[").replace(".", r"\.")):
        load_config(str(path))


def test_a_malformed_pyproject_that_mentions_procmap_is_not_ignored(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.procmap.rules\nunused-role = 'off'\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        find_config(str(tmp_path))


def test_a_malformed_pyproject_of_another_tool_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[project\nname = 'x'\n")
    (tmp_path / ".git").mkdir()
    assert find_config(str(tmp_path)) is None


def test_a_config_above_the_repository_root_does_not_apply(tmp_path: Path) -> None:
    _write(tmp_path / "procmap.toml", '[rules]\nunused-role = "off"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "processes").mkdir()
    assert find_config(str(repo / "processes")) is None
    assert find_config(str(tmp_path / "elsewhere")) == str(tmp_path / "procmap.toml")


def test_a_config_at_the_repository_root_applies(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _write(tmp_path / "procmap.toml", "[thresholds]\nhandoffs-per-case = 3\n")
    found = find_config(str(tmp_path / "deep" / "down"))
    assert found == str(tmp_path / "procmap.toml")
    config = load_config(found)
    assert config.threshold("handoffs-per-case") == 3.0
    assert config.threshold("bottleneck-share") == 0.30  # the rule's declared default


def test_a_huge_config_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "procmap.toml", "# " + "x" * (2 * 1024 * 1024) + "\n")
    with pytest.raises(ConfigError, match="not a configuration file"):
        load_config(str(path))


def test_defaults_come_from_the_rules() -> None:
    config = Config()
    assert config.threshold("utilization-warning") == 0.85
    assert config.threshold("utilization-error") == 1.0
    assert config.threshold("sla-attainment") == 0.95
    with pytest.raises(KeyError):
        config.threshold("no-such-threshold")


def test_a_bad_config_exits_2_with_one_line_through_the_cli(
        run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "procmap.toml", b"lang = \"\xff\"\n")
    _write(tmp_path / "x.yaml", "procmap: 1\n")
    result = run_cli(["validate", "x.yaml"])
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
