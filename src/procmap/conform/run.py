"""One conform run: read the log, measure every process, run the `conform` rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procmap.errors import ProcmapError
from procmap.i18n import _

if TYPE_CHECKING:
    from procmap.config import Config
    from procmap.conform.compare import ConformResult
    from procmap.pipeline import Validation

ENGINES = ("duckdb", "spark")


@dataclass
class Options:
    """How to read the log: column names (None: detected), zone, limits, engine."""

    columns: dict[str, str | None] = field(default_factory=dict)
    timezone: str = "UTC"
    strict: bool = False
    memory_limit: str = "1GB"
    engine: str = "duckdb"
    accept: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: Config, given: Mapping[str, Any]) -> Options:
        """Command-line values over procmap.toml `[conform]` over the defaults."""
        table = config.conform
        options = cls()
        for role in ("case", "activity", "timestamp", "lifecycle", "resource", "process"):
            options.columns[role] = given.get(role) or table.get(role)
        options.timezone = given.get("timezone") or table.get("timezone") or "UTC"
        options.memory_limit = given.get("memory_limit") or table.get("memory-limit") \
            or "1GB"
        options.engine = given.get("engine") or table.get("engine") or "duckdb"
        options.strict = bool(given.get("strict"))
        options.accept = [({"kind": a} if isinstance(a, str) else dict(a))
                          for a in table.get("accept", [])]
        return options


def run_conform(log_path: str, validation: Validation, config: Config, options: Options,
                only: set[str] | None = None) -> ConformResult:
    """Measure the valid processes of `validation` (or `only` these ids) on the log."""
    from procmap.conform import read
    from procmap.conform.compare import conform
    from procmap.conform.queries import DuckDBEngine

    if options.engine != "duckdb":
        raise ProcmapError(_("--engine {engine}: this procmap runs the conform queries on "
                             "DuckDB; on Spark, run the SQL of procmap.conform.queries "
                             "with SparkEngine (docs/conform.md)").format(
            engine=options.engine))
    entries = [e for e in validation.workspace.processes
               if (only is None or e.process.id in only) and not _broken(validation, e)]
    if not entries:
        raise ProcmapError(_("no valid process to check the log against (fix the "
                             "validate errors first)"))
    import duckdb

    con = read.connect(options.memory_limit)
    try:
        info = read.read_log(con, log_path, columns=options.columns,
                             timezone=options.timezone, strict=options.strict)
        result = conform(validation.workspace, entries, DuckDBEngine(con), info,
                         accept=options.accept)
    except duckdb.OutOfMemoryException as exc:
        raise read.out_of_memory(con, log_path) from exc
    finally:
        read.close(con)
    result.findings = findings(result, validation, config)
    return result


def _broken(validation: Validation, entry: Any) -> bool:
    return any(f.severity.label == "error" and f.file == entry.file
               for f in validation.findings)


def findings(result: ConformResult, validation: Validation, config: Config) -> list[Any]:
    """The findings of every `conform` rule, configured (levels, x-ignore) and sorted."""
    from procmap.conform.rules import ConformContext
    from procmap.pipeline import configure, run_rule
    from procmap.rules.catalog import rules_of

    context = ConformContext(validation.workspace, result, config)
    found = list(validation.findings)
    for module in rules_of("conform"):
        if config.severity(module.rule.id, module.rule.severity) is not None:
            found.extend(run_rule(module, context))  # type: ignore[arg-type]
    return configure(found, validation.workspace, config)


def accept_entries(value: Sequence[Any]) -> list[dict[str, str]]:
    return [({"kind": a} if isinstance(a, str) else dict(a)) for a in value]
