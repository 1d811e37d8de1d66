"""procmap.toml / [tool.procmap]: rule levels and thresholds.

Found by walking up from the current directory; the first `procmap.toml`, or
`pyproject.toml` with a `[tool.procmap]` table, wins.
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from procmap.errors import ProcmapError
from procmap.findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LEVELS = ("off", "info", "warning", "error")
#: audit thresholds and their defaults (rules.md)
DEFAULT_THRESHOLDS: dict[str, float] = {
    "utilization-warning": 0.85,
    "utilization-error": 1.0,
    "handoffs-per-case": 5,
    "bottleneck-share": 0.30,
    "waiting-share": 0.80,
    "waiting-min-hours": 1.0,
    "rework-warning": 0.30,
    "sla-attainment": 0.95,
}
#: languages of procmap's interface text
LANGS = ("en", "zh")


class ConfigError(ProcmapError):
    """The configuration file is wrong: a one-line error and exit code 2."""


@dataclass
class Config:
    path: str | None = None
    levels: dict[str, str] = field(default_factory=dict)  # rule id -> level
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    currency: str | None = None  # [money] currency, e.g. "CNY"
    lang: str | None = None  # "zh" | "en"; None: from the locale
    catalogs: list[str] | None = None  # role catalogs of the project, relative to the file
    conform: dict[str, Any] = field(default_factory=dict)  # [conform]: column names, accept

    def severity(self, rule: str, default: Severity) -> Severity | None:
        """The configured severity of a rule; None when it is turned off."""
        level = self.levels.get(rule)
        if level is None:
            return default
        return None if level == "off" else Severity.parse(level)

    def threshold(self, name: str) -> float:
        return self.thresholds[name]


def find_config(start: str | None = None) -> str | None:
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(directory, "procmap.toml")
        if os.path.isfile(candidate):
            return candidate
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_tool_table(pyproject):
            return pyproject
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return "procmap" in tomllib.load(handle).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


def load_config(path: str | None = None, *, known_rules: list[str] | None = None) -> Config:
    """Read and check a configuration file (None: search for one; none found: defaults)."""
    path = path or find_config()
    if path is None:
        return Config()
    try:
        with open(path, "rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("procmap", {})
    config = Config(path=path)
    unknown = set(data) - {"rules", "thresholds", "money", "lang", "catalogs", "conform"}
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}: "
                          "procmap reads [rules], [thresholds], [money], [conform], "
                          "lang and catalogs")
    _read_extras(config, data, path)
    for rule, level in _table(data, "rules", path).items():
        if known_rules is not None and rule not in known_rules:
            raise ConfigError(f"{path}: [rules] names an unknown rule '{rule}'"
                              f"{_did_you_mean(rule, known_rules)}")
        if level not in LEVELS:
            raise ConfigError(f"{path}: [rules] {rule} = {level!r}: use one of "
                              f"{', '.join(LEVELS)}")
        config.levels[rule] = level
    for name, value in _table(data, "thresholds", path).items():
        if name not in DEFAULT_THRESHOLDS:
            raise ConfigError(f"{path}: [thresholds] has an unknown threshold '{name}'"
                              f"{_did_you_mean(name, list(DEFAULT_THRESHOLDS))}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"{path}: [thresholds] {name} must be a number >= 0")
        config.thresholds[name] = float(value)
    return config


def _read_extras(config: Config, data: dict[str, Any], path: str) -> None:
    money = _table(data, "money", path)
    if set(money) - {"currency"}:
        raise ConfigError(f"{path}: [money] knows only `currency`")
    currency = money.get("currency")
    if currency is not None:
        if not isinstance(currency, str) or not 1 <= len(currency) <= 8 \
                or not currency.isprintable():
            raise ConfigError(f"{path}: [money] currency must be a short code such as "
                              "\"CNY\" or \"EUR\"")
        config.currency = currency
    lang = data.get("lang")
    if lang is not None:
        if lang not in LANGS:
            raise ConfigError(f"{path}: lang = {lang!r}: use one of {', '.join(LANGS)}")
        config.lang = lang
    catalogs = data.get("catalogs")
    if catalogs is not None:
        if not isinstance(catalogs, list) or not all(isinstance(c, str) for c in catalogs):
            raise ConfigError(f"{path}: catalogs must be a list of paths")
        config.catalogs = catalogs
    config.conform = _table(data, "conform", path)


def _table(data: dict[str, Any], name: str, path: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return table


def _did_you_mean(name: str, candidates: list[str]) -> str:
    guess = difflib.get_close_matches(name, candidates, n=1)
    return f" (did you mean '{guess[0]}'?)" if guess else ""
