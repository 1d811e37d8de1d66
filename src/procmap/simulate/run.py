"""Validated workspace -> compiled model per scenario -> replications -> figures, findings."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procmap.analysis.audit import AuditContext, blocked_processes
from procmap.errors import ProcmapError
from procmap.findings import Finding
from procmap.i18n import _
from procmap.simulate.engine import Engine, RunStats
from procmap.simulate.model import SimModel, compile_model
from procmap.simulate.scenario import Change, Scenario, apply
from procmap.simulate.stats import Figures, summarize

if TYPE_CHECKING:
    from procmap.config import Config
    from procmap.pipeline import Validation


class NothingToSimulate(ProcmapError):
    """No selected process has a demand."""


@dataclass
class Options:
    cases: int = 10_000
    warmup: int | None = None  # None: a tenth of --cases, at most 1,000
    seed: int = 0
    replications: int = 5
    typed_waits: bool = False
    log: bool = False
    contention: bool = True

    @property
    def warmup_cases(self) -> int:
        return min(1000, self.cases // 10) if self.warmup is None else self.warmup


@dataclass
class ScenarioResult:
    name: str
    model: SimModel
    figures: Figures


@dataclass
class SimResult:
    options: Options
    base: ScenarioResult
    scenarios: list[ScenarioResult]
    findings: list[Finding]
    files: int
    log: list[Any] | None = None  # engine log rows of the base, first replication
    skipped: dict[str, str] = field(default_factory=dict)  # process id -> why

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "seed": self.options.seed, "cases": self.options.cases,
                "replications": self.options.replications,
                "warmup": self.options.warmup_cases,
                "processes": self.base.figures.processes,
                "roles": self.base.figures.roles,
                "scenarios": [{"name": s.name, "processes": s.figures.processes,
                               "roles": s.figures.roles} for s in self.scenarios],
                "findings": [f.to_json() for f in self.findings]}


class SimulateContext(AuditContext):
    """What simulate rules see: the base scenario's figures and where things are."""

    def __init__(self, validation: Validation, config: Config, result: SimResult) -> None:
        entries = [validation.workspace.process(p["id"]) for p in
                   result.base.figures.processes]
        super().__init__(validation.workspace, config, [], [e for e in entries if e])
        self.result = result


def selection(validation: Validation, only: Collection[str] | None
              ) -> tuple[dict[str, Any], dict[str, Any], set[str], dict[str, str]]:
    """(processes by id, roles by id, selected ids, skipped id -> why)."""
    from procmap.analysis.metrics import analyse_processes

    workspace = validation.workspace
    blocked = blocked_processes(validation)
    # audit's analysis finds loops no case can leave: such a process would never end
    for analysis in analyse_processes(workspace, list(workspace.processes), blocked):
        if analysis.endless_loop is not None:
            blocked.setdefault(analysis.id, _("it has a loop no case can leave ({steps})")
                               .format(steps=", ".join(analysis.endless_loop[:5])))
        elif analysis.not_analysed is not None:
            blocked.setdefault(analysis.id, analysis.not_analysed)
    processes = {e.process.id: e.process for e in workspace.processes
                 if e.process.id not in blocked}
    roles = {role_id: entry.role for role_id, entry in workspace.roles.items()}
    selected = {p for p in processes if only is None or p in only}
    skipped = {p: why for p, why in blocked.items() if only is None or p in only}
    return processes, roles, selected, skipped


def _called(processes: dict[str, Any], selected: set[str]) -> list[Any]:
    """The selected processes and every process they call, in a stable order."""
    wanted: list[str] = []
    stack = sorted(selected, reverse=True)
    while stack:
        process_id = stack.pop()
        if process_id in wanted or process_id not in processes:
            continue
        wanted.append(process_id)
        stack.extend(s.process for s in processes[process_id].steps
                     if s.process and s.process not in wanted)
    return [processes[p] for p in sorted(wanted)]


def run_scenario(name: str, processes: dict[str, Any], roles: dict[str, Any],
                 selected: set[str], options: Options,
                 progress: Callable[[int], None] | None = None,
                 skipped: dict[str, str] | None = None
                 ) -> tuple[ScenarioResult, list[Any] | None]:
    model = compile_model(_called(processes, selected), roles, selected,
                          options.typed_waits)
    if not any(p.selected and p.demand_per_hour > 0 for p in model.processes):
        if skipped:
            raise NothingToSimulate(_("nothing to simulate: {reasons}").format(
                reasons="; ".join(f"{p}: {why}" for p, why in sorted(skipped.items())[:5])))
        raise NothingToSimulate(_("no process to simulate has a `demand` (e.g. demand: "
                                  "40/d): simulate needs to know how many cases arrive"))
    runs: list[RunStats] = []
    log = None
    for replication in range(options.replications):
        engine = Engine(model, seed=options.seed, replication=replication,
                        cases=options.cases, warmup=options.warmup_cases,
                        log=options.log and replication == 0,
                        contention=options.contention, progress=progress)
        runs.append(engine.run())
        if replication == 0:
            log = runs[0].log
            runs[0].log = None
    return ScenarioResult(name, model, summarize(model, runs)), log


def simulate(validation: Validation, config: Config, options: Options, *,
             only: Collection[str] | None = None, changes: list[Change] | None = None,
             scenarios: list[Scenario] | None = None,
             progress: Callable[[int], None] | None = None) -> SimResult:
    processes, roles, selected, skipped = selection(validation, only)
    processes, roles = apply(changes or [], processes, roles)
    selected = {p for p in selected if p in processes}
    base, log = run_scenario(_("as modelled"), processes, roles, selected, options, progress,
                             skipped)
    results = []
    for scenario in scenarios or []:
        changed = apply(scenario.changes, processes, roles)
        plain = Options(**{**options.__dict__, "log": False})
        results.append(run_scenario(scenario.name, *changed, selected, plain, progress)[0])
    result = SimResult(options, base, results, [], validation.files, log, skipped)
    result.findings = sorted([*validation.findings, *_rule_findings(validation, config,
                                                                    result)],
                             key=lambda f: f.sort_key)
    return result


def _rule_findings(validation: Validation, config: Config, result: SimResult
                   ) -> list[Finding]:
    from procmap.pipeline import configure, run_rule
    from procmap.rules.catalog import rules_of

    context = SimulateContext(validation, config, result)
    raw: list[Finding] = []
    for module in rules_of("simulate"):
        if config.severity(module.rule.id, module.rule.severity) is not None:
            raw.extend(run_rule(module, context))
    return configure(raw, validation.workspace, config)
