"""Big repositories are parsed by worker processes started before the command line is
parsed in full, and their rules run in two processes: the findings must be exactly those
of one process (procmap.loader.parallel, procmap.pipeline.run_rules)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from procmap import pipeline
from procmap.cli.app import app
from procmap.config import Config
from procmap.findings import Finding
from procmap.loader import parallel
from procmap.loader.discover import Input, discover, read_input
from procmap.loader.parallel import load_inputs
from procmap.pipeline import validate_paths
from testenv import cli_env

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every rule's fixtures in one tree: well over PARALLEL_MIN_FILES procmap files,
    with findings of most rules (and duplicate ids across the copies)."""
    root = tmp_path_factory.mktemp("parallel") / "repo"
    shutil.copytree(FIXTURES, root)
    return root


def _serial_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCMAP_WORKERS", "1")


def _rows(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.file, f.line, f.column, f.rule, f.severity.label, f.message) for f in findings]


def test_the_repository_is_big_enough_to_run_in_parallel(repository: Path) -> None:
    inputs = discover([str(repository)])
    procmap_files = validate_paths([str(repository)], Config()).files
    assert procmap_files >= parallel.PARALLEL_MIN_FILES
    assert parallel.worker_count(len(inputs)) >= 2 or os.cpu_count() == 1


def test_parallel_findings_are_exactly_the_serial_ones(
        repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCMAP_WORKERS", raising=False)
    together = validate_paths([str(repository)], Config())
    _serial_env(monkeypatch)
    alone = validate_paths([str(repository)], Config())
    assert _rows(together.findings) == _rows(alone.findings)
    assert together.files == alone.files
    assert len({f.rule for f in alone.findings}) >= 20  # the comparison means something


def test_the_command_line_gives_the_same_output_with_and_without_workers(
        repository: Path) -> None:
    """Through `procmap.cli.main`, where the workers start before typer is imported."""
    def run(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "procmap", "validate", "--format", "json", str(repository)],
            capture_output=True, text=True, env=cli_env(extra), timeout=300)

    early, serial = run({}), run({"PROCMAP_WORKERS": "1"})
    assert early.returncode == serial.returncode == 1
    assert json.loads(early.stdout) == json.loads(serial.stdout)
    assert len(json.loads(early.stdout)["findings"]) > 100


@pytest.mark.parametrize(("argv", "paths"), [
    (["validate", "a", "b"], ["a", "b"]),
    (["validate"], ["."]),
    (["-q", "--lang", "zh", "validate", "--strict", "-f", "json", "a"], ["a"]),
    (["validate", "--format=json", "--config", "c.toml", "-o", "x.json", "a"], ["a"]),
    (["--lang=en", "validate", "--", "-odd-name"], ["-odd-name"]),
    (["validate", "-"], None),  # stdin
    (["validate", "--help"], None),
    (["validate", "-fjson", "a"], None),  # a short option cluster: not guessed
    (["validate", "--format"], None),  # a value missing: typer says so
    (["audit", "a"], None),
    (["--unknown", "validate", "a"], None),
    (["render", "validate"], None),
])
def test_guessing_the_paths_of_a_command_line(argv: list[str], paths: list[str] | None
                                               ) -> None:
    assert parallel.guess_paths(argv) == paths


def _options(command: object) -> tuple[set[str], set[str]]:
    flags: set[str] = set()
    values: set[str] = set()
    for param in command.params:  # type: ignore[attr-defined]
        if param.param_type_name != "option":
            continue
        names = set(param.opts) | set(param.secondary_opts)
        (flags if param.is_flag else values).update(names)
    return flags, values


def test_the_guess_knows_every_option_of_validate() -> None:
    """A new option of `validate` (or a global one) must be added to the guess, else its
    value would be taken for a PATH (and the prefetch wasted, never wrong)."""
    root = typer.main.get_command(app)
    flags, values = _options(root)
    assert values == set(parallel.GLOBAL_VALUES)
    # options that end the run at once are not guessed: no prefetch for them
    answered_at_once = {"--version", "-V", "-h", "--help", "--install-completion",
                        "--show-completion"}
    assert flags - answered_at_once == set(parallel.GLOBAL_FLAGS)
    flags, values = _options(root.commands["validate"])  # type: ignore[attr-defined]
    assert values == set(parallel.VALIDATE_VALUES)
    assert flags - {"-h", "--help"} == set(parallel.VALIDATE_FLAGS)


def test_a_prefetch_for_other_files_is_dropped(repository: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCMAP_WORKERS", raising=False)
    parallel.prefetch(["validate", str(repository)])
    early = parallel._early
    assert early is not None
    workers = early.work.pool._pool
    assert parallel.take(discover([str(repository / "schema")])) is None
    assert parallel._early is None
    assert all(not worker.is_alive() for worker in workers)


def test_a_prefetch_in_another_language_is_dropped(repository: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from procmap.i18n import current, set_language

    monkeypatch.delenv("PROCMAP_WORKERS", raising=False)
    before = current()
    set_language("zh")
    try:
        parallel.prefetch(["validate", str(repository)])
    finally:
        set_language(before)
    assert parallel._early is not None
    assert parallel.take(discover([str(repository)])) is None


def test_a_prefetch_is_taken_when_it_matches(repository: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCMAP_WORKERS", raising=False)
    parallel.prefetch(["-q", "validate", "--strict", str(repository)])
    documents = parallel.take(discover([str(repository)]))
    assert documents is not None
    paths = [doc.path for doc in documents]
    _serial_env(monkeypatch)
    serial, _explicit = load_inputs(discover([str(repository)]))
    assert paths == [doc.path for doc in serial]
    assert len(paths) > parallel.PARALLEL_MIN_FILES


def test_small_runs_and_stdin_are_not_prefetched(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCMAP_WORKERS", raising=False)
    (tmp_path / "p.yaml").write_text("procmap: 1\nid: p\nsteps: []\n", encoding="utf-8")
    parallel.prefetch(["validate", str(tmp_path)])
    assert parallel._early is None
    parallel.prefetch(["validate", "-"])
    assert parallel._early is None
    parallel.prefetch(["validate", str(tmp_path / "missing")])
    assert parallel._early is None


def test_rules_lost_with_a_dying_child_are_run_here(repository: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCMAP_WORKERS", raising=False)
    expected = validate_paths([str(repository)], Config())
    started = pipeline._in_child

    def dying(work: object) -> object:
        return started(lambda: os._exit(3))

    monkeypatch.setattr(pipeline, "_in_child", dying)
    assert _rows(validate_paths([str(repository)], Config()).findings) == _rows(
        expected.findings)


#: the input whose parse worker dies (test_a_killed_parse_worker_does_not_hang_the_run)
_VICTIM: list[str] = []
_LOAD_CHUNK = parallel._load_chunk


def _killed_on_victim(chunk: list[Input]) -> bytes:
    """A worker's chunk function (module level: the pool sends it by name)."""
    if any(item.path in _VICTIM for item in chunk):
        os._exit(9)  # as if the kernel had killed it
    return _LOAD_CHUNK(chunk)


def test_a_killed_parse_worker_does_not_hang_the_run(
        repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-chunk never returns it, and a pool never notices: the chunks
    not received are read in the main process, with the same findings."""
    _serial_env(monkeypatch)
    expected = validate_paths([str(repository)], Config())
    monkeypatch.delenv("PROCMAP_WORKERS", raising=False)
    inputs = discover([str(repository)])
    _VICTIM[:] = [inputs[40].path]
    monkeypatch.setattr(parallel, "_load_chunk", _killed_on_victim)
    try:
        got = validate_paths([str(repository)], Config())
    finally:
        _VICTIM.clear()
    assert _rows(got.findings) == _rows(expected.findings)
    assert got.files == expected.files


def test_documents_come_back_from_the_workers_whole() -> None:
    """Plain documents travel marshalled, documents with findings pickled: both arrive as
    the Document the worker read (data, text, findings, x- keys)."""
    here = Path(__file__).parents[1] / "fixtures" / "rules"
    inputs = discover([str(here / "duplicate-key"), str(here / "unknown-reference")])
    read = [read_input(item) for item in inputs]
    back = list(parallel._unpack(parallel._load_chunk(inputs)))
    assert [d.path for d in back] == [d.path for d in read if d is not None]
    for got, want in zip(back, [d for d in read if d is not None], strict=True):
        assert (got.data, got.text, got.findings, got.has_extensions) == (
            want.data, want.text, want.findings, want.has_extensions)
    assert any(d.findings for d in back) and any(not d.findings for d in back)
