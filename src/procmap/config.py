"""procmap.toml / [tool.procmap]: rule levels and thresholds.

Found by walking up from the current directory to the repository root; the first
`procmap.toml`, or `pyproject.toml` with a `[tool.procmap]` table, wins. Every problem in
the file is a `ConfigError` with one line naming the file and the key (exit code 2).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

from procmap.errors import ProcmapError
from procmap.findings import Severity
from procmap.i18n import _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LEVELS = ("off", "info", "warning", "error")
#: thresholds no rule declares; rule options are declared by their rules (`Rule.options`)
#: and listed by `procmap.rules.catalog.options()` (`sla-attainment` is declared by the
#: simulate rules and by the conform rule `observed-sla`)
GLOBAL_THRESHOLDS: dict[str, float] = {}
#: languages of procmap's interface text
LANGS = ("en", "zh")
#: a configuration file is a few hundred bytes; anything this large is not one
MAX_CONFIG_BYTES = 1024 * 1024
_SECTIONS = ("rules", "thresholds", "money", "lang", "catalogs", "conform")


class ConfigError(ProcmapError):
    """The configuration file is wrong: a one-line error and exit code 2."""


@dataclass
class Config:
    path: str | None = None
    levels: dict[str, str] = field(default_factory=dict)  # rule id -> level
    thresholds: dict[str, float] = field(default_factory=dict)  # configured values only
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
        """A threshold's configured value, else the default its rule declares."""
        value = self.thresholds.get(name)
        if value is not None:
            return value
        if name in GLOBAL_THRESHOLDS:
            return GLOBAL_THRESHOLDS[name]
        from procmap.rules.catalog import option_default

        return option_default(name)

    @property
    def root(self) -> str | None:
        """The project root this configuration belongs to (the file's directory)."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else None


def __getattr__(name: str) -> object:
    if name == "DEFAULT_THRESHOLDS":  # every threshold and its default, for older callers
        return default_thresholds()
    raise AttributeError(name)


def default_thresholds() -> dict[str, float]:
    from procmap.rules.catalog import options

    return {**{name: option.default for name, (option, _) in options().items()},
            **GLOBAL_THRESHOLDS}


def find_config(start: str | None = None) -> str | None:
    """The configuration of the project around `start` (default: the current directory).

    The walk up stops at the repository root (the first directory with `.git`): a
    `procmap.toml` above it belongs to someone else and never applies silently. A
    `pyproject.toml` that mentions procmap but is not valid TOML is an error, not a file
    to skip.
    """
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(directory, "procmap.toml")
        if os.path.isfile(candidate):
            return candidate
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_tool_table(pyproject):
            return pyproject
        parent = os.path.dirname(directory)
        if parent == directory or os.path.exists(os.path.join(directory, ".git")):
            return None
        directory = parent


def _has_tool_table(path: str) -> bool:
    raw = _read_bytes(path)
    if b"procmap" not in raw:
        return False
    tool = _parse(raw, path).get("tool", {})
    return isinstance(tool, dict) and "procmap" in tool


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(_("{path}: larger than {size} KiB: not a configuration file"
                            ).format(path=path, size=MAX_CONFIG_BYTES // 1024))
    return raw


def _parse(raw: bytes, path: str) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(_("{path}: not UTF-8 (byte {byte} at offset {offset}): TOML files "
                            "are UTF-8; re-save it as UTF-8").format(
            path=path, byte=f"0x{raw[exc.start]:02x}", offset=exc.start)) from exc
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{path}: not valid TOML: {error}").format(path=path,
                                                                      error=exc)) from exc
    except RecursionError as exc:
        raise ConfigError(_("{path}: nested too deeply to be a configuration file").format(
            path=path)) from exc


def load_config(path: str | None = None, *, known_rules: list[str] | None = None) -> Config:
    """Read and check a configuration file (None: search for one; none found: defaults).

    Raises ConfigError (one line) for anything wrong. Rule ids and thresholds are checked
    against the rule catalog (`known_rules` replaces its ids, for tests).
    """
    path = path or find_config()
    if path is None:
        return Config()
    data = _parse(_read_bytes(path), path)
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("procmap", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(_("{path}: [tool.procmap] must be a table, not {type}").format(
                path=path, type=_type_name(data)))
    config = Config(path=path)
    unknown = set(data) - set(_SECTIONS)
    if unknown:
        raise ConfigError(_("{path}: unknown section(s) {sections}: procmap reads [rules], "
                            "[thresholds], [money], [conform], lang and catalogs").format(
            path=path, sections=", ".join(sorted(unknown))))
    _read_extras(config, data, path)
    _read_levels(config, _table(data, "rules", path), path, known_rules)
    _read_thresholds(config, _table(data, "thresholds", path), path)
    return config


def _read_levels(config: Config, table: dict[str, Any], path: str,
                 known_rules: list[str] | None) -> None:
    if not table:
        return
    from procmap.rules.catalog import catalog, did_you_mean

    rules = catalog()
    known = known_rules if known_rules is not None else list(rules)
    for rule, level in table.items():
        if rule not in known:
            raise ConfigError(_("{path}: [rules] names an unknown rule {rule}{hint}").format(
                path=path, rule=_shown(rule), hint=did_you_mean(rule, known)))
        module = rules.get(rule)
        if module is not None and not module.rule.configurable:
            raise ConfigError(_("{path}: [rules] {rule} cannot be configured: procmap "
                                "cannot check a file that fails it, so it is always an "
                                "error").format(path=path, rule=rule))
        if not isinstance(level, str) or level not in LEVELS:
            raise ConfigError(_("{path}: [rules] {rule} = {value}: use one of {levels}").format(
                path=path, rule=rule, value=_shown(level), levels=", ".join(LEVELS)))
        config.levels[rule] = level


def _read_thresholds(config: Config, table: dict[str, Any], path: str) -> None:
    if not table:
        return
    from procmap.rules.catalog import did_you_mean, options

    declared = options()
    for name, value in table.items():
        option = declared.get(name)
        if option is None and name not in GLOBAL_THRESHOLDS:
            known = sorted([*declared, *GLOBAL_THRESHOLDS])
            raise ConfigError(_("{path}: [thresholds] has an unknown threshold {name}{hint}"
                                ).format(path=path, name=_shown(name),
                                         hint=did_you_mean(name, known)))
        checked = option[0].check(value) if option is not None else \
            _check_share(value)
        if isinstance(checked, str):
            raise ConfigError(_("{path}: [thresholds] {name} = {value} {problem}").format(
                path=path, name=name, value=_shown(value), problem=checked))
        config.thresholds[name] = checked
    if config.threshold("utilization-warning") > config.threshold("utilization-error"):
        raise ConfigError(_("{path}: [thresholds] utilization-warning must not be above "
                            "utilization-error").format(path=path))


def _check_share(value: object) -> float | str:
    from procmap.rules.base import Option

    return Option("", 0.0, "", maximum=1.0).check(value)


def _shown(value: object) -> str:
    """A value from the file, quoted and cut short for a one-line message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: object) -> str:
    names = {bool: _("a boolean"), int: _("a number"), float: _("a number"),
             str: _("a string"), list: _("an array")}
    return names.get(type(value), type(value).__name__)


def _read_extras(config: Config, data: dict[str, Any], path: str) -> None:
    money = _table(data, "money", path)
    if set(money) - {"currency"}:
        raise ConfigError(_("{path}: [money] knows only `currency`").format(path=path))
    currency = money.get("currency")
    if currency is not None:
        if not isinstance(currency, str) or not 1 <= len(currency) <= 8 \
                or not currency.isprintable():
            raise ConfigError(_("{path}: [money] currency must be a short code such as "
                                "\"CNY\" or \"EUR\"").format(path=path))
        config.currency = currency
    lang = data.get("lang")
    if lang is not None:
        if lang not in LANGS:
            raise ConfigError(_("{path}: lang = {value}: use one of {langs}").format(
                path=path, value=_shown(lang), langs=", ".join(LANGS)))
        config.lang = lang
    catalogs = data.get("catalogs")
    if catalogs is not None:
        if not isinstance(catalogs, list) or not all(isinstance(c, str) for c in catalogs):
            raise ConfigError(_("{path}: catalogs must be a list of paths").format(path=path))
        config.catalogs = catalogs
    config.conform = _read_conform(_table(data, "conform", path), path)


#: [conform] keys (docs/conform.md): text values, and the allowlist
CONFORM_TEXT = ("case", "activity", "timestamp", "lifecycle", "resource", "process",
                "timezone", "memory-limit", "engine")
CONFORM_ACCEPT = ("kind", "process", "from", "to", "step", "activity")
DEVIATION_KINDS = ("unknown-activity", "unmodelled-transition", "skipped-step",
                   "missing-start", "missing-end")


def _read_conform(table: dict[str, Any], path: str) -> dict[str, Any]:
    unknown = sorted(set(table) - {*CONFORM_TEXT, "accept"})
    if unknown:
        raise ConfigError(_("{path}: [conform] has an unknown key {key}: it knows {known}"
                            ).format(path=path, key=_shown(unknown[0]),
                                     known=", ".join((*CONFORM_TEXT, "accept"))))
    for key in CONFORM_TEXT:
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(_("{path}: [conform] {key} must be a non-empty string").format(
                path=path, key=key))
    if table.get("engine") not in (None, "duckdb", "spark"):
        raise ConfigError(_("{path}: [conform] engine = {value}: use duckdb or spark").format(
            path=path, value=_shown(table["engine"])))
    accept = table.get("accept", [])
    if not isinstance(accept, list):
        raise ConfigError(_("{path}: [conform] accept must be an array").format(path=path))
    for entry in accept:
        _check_accept(entry, path)
    return table


def _check_accept(entry: object, path: str) -> None:
    fields = {"kind": entry} if isinstance(entry, str) else entry
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        raise ConfigError(_("{path}: [conform] accept entries are a deviation kind or a "
                            "table of strings, e.g. {example}").format(
            path=path, example='{kind = "skipped-step", step = "survey"}'))
    unknown = sorted(set(fields) - set(CONFORM_ACCEPT))
    if unknown:
        raise ConfigError(_("{path}: [conform] accept: unknown field {field} (fields: "
                            "{fields})").format(path=path, field=_shown(unknown[0]),
                                                fields=", ".join(CONFORM_ACCEPT)))
    if fields.get("kind") not in DEVIATION_KINDS:
        raise ConfigError(_("{path}: [conform] accept: kind {kind} is not one of {kinds}"
                            ).format(path=path, kind=_shown(fields.get("kind")),
                                     kinds=", ".join(DEVIATION_KINDS)))


def _table(data: dict[str, Any], name: str, path: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(_("{path}: [{name}] must be a table, not {type}").format(
            path=path, name=name, type=_type_name(table)))
    return table
