"""procmap conform: check the designed processes against an event log, and measure them."""

from __future__ import annotations

from typing import Annotated

import typer

from procmap.cli.common import (
    ConfigOption,
    FailOnOption,
    LangOption,
    OutputOption,
    PathsArgument,
    ProcessOption,
    check_processes,
    choices,
    exit_code,
    format_choices,
    note,
    resolve,
    show,
    threshold,
    use_language,
    validated,
)

ConformFormat = format_choices("conform")
EngineChoice = choices("Engine", ("duckdb", "spark"))


def _column(name: str) -> object:
    return typer.Option(f"--{name}", metavar="COLUMN", show_default=False,
                        help=f"the log's {name} column (default: detected)")


def conform(
    log: Annotated[str, typer.Argument(metavar="LOG", show_default=False, help=(
        "the event log: CSV, Parquet, JSON lines or XES"))],
    paths: PathsArgument = None,
    fmt: Annotated[ConformFormat, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False,
        help="auto: github inside GitHub Actions, text elsewhere")] = "auto",
    output: OutputOption = None,
    fail_on: FailOnOption = "error",
    config: ConfigOption = None,
    process: ProcessOption = None,
    lang: LangOption = None,
    case: Annotated[str | None, _column("case")] = None,
    activity: Annotated[str | None, _column("activity")] = None,
    timestamp: Annotated[str | None, _column("timestamp")] = None,
    lifecycle: Annotated[str | None, _column("lifecycle")] = None,
    resource: Annotated[str | None, _column("resource")] = None,
    timezone: Annotated[str | None, typer.Option(
        "--timezone", metavar="ZONE", show_default=False,
        help="IANA zone of timestamps written without one [default: UTC]")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="bad rows stop the run (exit 2) instead of being counted")] = False,
    memory_limit: Annotated[str | None, typer.Option(
        "--memory-limit", metavar="SIZE", show_default=False,
        help="DuckDB's memory limit; larger logs spill to disk [default: 1GB]")] = None,
    engine: Annotated[EngineChoice | None, typer.Option(  # type: ignore[valid-type]
        "--engine", case_sensitive=False, show_default=False,
        help="where the queries run [default: duckdb]")] = None,
    calibrate: Annotated[bool, typer.Option(
        "--calibrate", help="write the observed durations, waits and probabilities into "
                            "the YAML files (comments and layout kept)")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="with --calibrate: print the change as a diff, write nothing")
    ] = False,
) -> None:
    """Check what really happened (an event log from a CRM or ticket system) against the
    designed processes: fitness, deviations by kind, observed waits, durations,
    probabilities, lead times and SLA attainment, as findings at the YAML lines.

    Exit code 0: nothing at or above --fail-on; 1: findings that fail; 2: the check could
    not run.

    Example: procmap conform tickets.csv processes/ --format html -o conform.html
    """
    from procmap.conform.run import Options, run_conform

    chosen = resolve("conform", fmt)
    validation, settings = validated(paths, config, lang)
    use_language(lang, settings.lang)
    only = check_processes(validation, process)
    given = {"case": case, "activity": activity, "timestamp": timestamp,
             "lifecycle": lifecycle, "resource": resource, "timezone": timezone,
             "memory_limit": memory_limit, "strict": strict,
             "engine": getattr(engine, "value", engine)}
    result = run_conform(log, validation, settings, Options.from_config(settings, given),
                         only)
    if calibrate and _calibrate(result, dry_run, settings.threshold("observed-min-cases")) \
            and output is None:
        raise typer.Exit(exit_code(result.findings, threshold(fail_on)))
    show(chosen, output, result)
    raise typer.Exit(exit_code(result.findings, threshold(fail_on)))


def _calibrate(result: object, dry_run: bool, least: float) -> bool:
    """Write the observed values into the files (or, dry, print the diff: then the
    report goes only to -o). True when the diff took stdout."""
    from procmap.cli.common import emit
    from procmap.conform.calibrate import calibrate_files
    from procmap.i18n import _

    diff, written = calibrate_files(result, write=not dry_run,  # type: ignore[arg-type]
                                    least=least)
    if dry_run:
        emit(diff, None)
        return True
    for path in written:
        note(_("calibrated {path} with the observed values").format(path=path))
    if not written:
        note(_("nothing to calibrate: the log times no step of these files"))
    return False
