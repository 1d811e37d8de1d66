"""procmap simulate: how often, how long in the worst 10%, and what if."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from procmap.cli.common import (
    ConfigOption,
    FailOnOption,
    LangOption,
    OutputOption,
    PathsArgument,
    ProcessOption,
    check_processes,
    exit_code,
    format_choices,
    note,
    resolve,
    show,
    threshold,
    use_language,
    validated,
)

SimulateFormat = format_choices("simulate")


def simulate(
    paths: PathsArgument = None,
    fmt: Annotated[SimulateFormat, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False, help="auto: text")] = "auto",
    output: OutputOption = None,
    fail_on: FailOnOption = "error",
    config: ConfigOption = None,
    process: ProcessOption = None,
    lang: LangOption = None,
    cases: Annotated[int, typer.Option("--cases", metavar="N", min=1, max=10_000_000,
                                       help="measured cases per process")] = 10_000,
    warmup: Annotated[int | None, typer.Option(
        "--warmup", metavar="N", min=0, max=10_000_000, show_default=False,
        help="cases per process simulated before measuring [default: a tenth of "
             "--cases, at most 1000]")] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="N", min=0, help="the same seed gives the "
                                      "same numbers on every machine")] = 0,
    replications: Annotated[int, typer.Option("--replications", metavar="N", min=1, max=1000,
                                              help="independent runs; figures are "
                                              "their means with a 95% interval")] = 5,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="PATH=VALUE", help="change the model, e.g. "
        "roles.tech-support.capacity=6 (repeatable)")] = None,
    scenario: Annotated[list[str] | None, typer.Option(
        "--scenario", metavar="FILE", help="a YAML file of named changes, simulated "
        "beside the model with the same random numbers (repeatable)")] = None,
    typed_waits: Annotated[bool, typer.Option(
        "--typed-waits", help="add each step's written `wait` before it queues")] = False,
    log: Annotated[str | None, typer.Option(
        "--log", metavar="FILE", help="also write the simulated event log "
        "(.csv, .parquet or .xes; the input of procmap conform)")] = None,
) -> None:
    """Simulate every process together, sharing people: lead-time distribution, SLA and
    deadline attainment, utilization and queueing per role, and what-if scenarios.

    Exit code 0: nothing at or above --fail-on; 1: findings that fail (sla-attainment,
    deadline-attainment, unstable-queue); 2: the simulation could not run.

    Example: procmap simulate processes/ --set roles.tech-support.capacity=6
    """
    from procmap.simulate.eventlog import log_format
    from procmap.simulate.run import Options
    from procmap.simulate.run import simulate as run

    chosen = resolve("simulate", fmt)
    if log is not None:
        log_format(log)  # a wrong extension fails before the run
    validation, settings = validated(paths, config, lang)
    use_language(lang, settings.lang)
    only = check_processes(validation, process)
    options = Options(cases=cases, warmup=warmup, seed=seed, replications=replications,
                      typed_waits=typed_waits, log=log is not None)
    changes, scenarios = _what_if(validation, sets or [], scenario or [])
    total = _expected_cases(validation, only, options) * (1 + len(scenarios))
    with _progress(total, output) as advance:
        result = run(validation, settings, options, only=only, changes=changes,
                     scenarios=scenarios, progress=advance)
    if log is not None and result.log is not None:
        from procmap.simulate.eventlog import write_log

        write_log(log, result.log, result.base.model)
        note(f"wrote {log}")
    show(chosen, output, result)
    raise typer.Exit(exit_code(result.findings, threshold(fail_on)))


def _what_if(validation: Any, sets: list[str], files: list[str]) -> tuple[list[Any], list[Any]]:
    from procmap.simulate.scenario import parse_set, read_scenarios

    processes = {e.process.id: e.process for e in validation.workspace.processes}
    roles = {k: v.role for k, v in validation.workspace.roles.items()}
    changes = [parse_set(text, processes, roles) for text in sets]
    scenarios = [s for path in files for s in read_scenarios(path, processes, roles)]
    return changes, scenarios


def _expected_cases(validation: Any, only: Any, options: Any) -> int:
    count = sum(1 for e in validation.workspace.processes
                if e.process.demand and (only is None or e.process.id in only))
    return int(count * (options.cases + options.warmup_cases) * options.replications)


@contextmanager
def _progress(total: int, output: str | None) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when it is a terminal (never in a pipe or a file)."""
    import sys

    from procmap.cli.common import Verbosity

    if not sys.stderr.isatty() or Verbosity.level < 0 or total < 50_000:
        yield None
        return
    from procmap.i18n import _
    from procmap.progress import progress

    with progress(_("simulating"), total) as advance:
        yield advance
