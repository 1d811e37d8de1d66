"""The graph layer and the sparse solver."""

from __future__ import annotations

import random

import pytest
from audit_helpers import analysis_of, process

from procmap.analysis.linear import SingularSystem, solve


def test_solver_matches_a_dense_solution() -> None:
    rng = random.Random(7)
    for _ in range(50):
        size = rng.randint(1, 12)
        weights = {k: {j: rng.random() * 0.8 / size for j in range(size)
                       if rng.random() < 0.4} for k in range(size)}
        constants = {k: rng.random() for k in range(size)}
        order = list(range(size))
        rng.shuffle(order)
        solved = solve(order, weights, constants)
        for k in range(size):  # x = c + W x
            assert solved[k] == pytest.approx(
                constants[k] + sum(w * solved[j] for j, w in weights[k].items()), abs=1e-9)


def test_solver_refuses_a_loop_without_exit() -> None:
    with pytest.raises(SingularSystem):
        solve([0, 1], {0: {1: 1.0}, 1: {0: 1.0}}, {0: 1.0, 1: 0.0})


def test_graph_structure_of_a_fork_join_and_loop() -> None:
    graph = analysis_of(process("""
        - {id: s, kind: start, next: f}
        - {id: f, kind: parallel, next: [x, y]}
        - {id: x, role: a, next: j}
        - {id: y, role: b, next: j}
        - {id: j, kind: parallel, next: d}
        - id: d
          kind: decision
          next: [{to: f, probability: 0.5}, {to: e, probability: 0.5}]
        - {id: e, kind: end}
    """)).graph
    ids = graph.ids
    assert {(ids[s], ids[t]) for s, t in graph.loop_backs} == {("d", "f")}
    assert {ids[j]: ids[f] for j, f in graph.join_fork.items()} == {"j": "f"}
    assert [ids[n] for n in graph.end_dominators] == ["s", "f", "j", "d", "e"]
    assert graph.digraph.edges["d", "f"]["loop_back"] is True
    assert graph.digraph.edges["d", "f"]["weight"] == 0.5


def test_a_parallel_step_that_merges_exclusive_branches_is_a_plain_merge() -> None:
    metrics = analysis_of(process("""
        - {id: s, kind: start, next: d}
        - id: d
          kind: decision
          next: [{to: x, probability: 0.5}, {to: y, probability: 0.5}]
        - {id: x, role: a, duration: 1h, next: m}
        - {id: y, role: b, duration: 3h, next: m}
        - {id: m, kind: parallel, next: e}
        - {id: e, kind: end}
    """)).metrics
    assert metrics is not None
    assert metrics.visits["m"] == pytest.approx(1)
    assert metrics.expected_lead_time_hours == pytest.approx(2)


def test_the_flow_graph_is_a_networkx_graph_on_step_numbers() -> None:
    import networkx as nx

    graph = analysis_of(process("""
        - {id: s, kind: start, next: front}
        - id: back
          kind: decision
          next:
            - {to: front, probability: 0.25}
            - {to: e, probability: 0.75}
        - {id: front, role: a, next: back}
        - {id: e, kind: end}
    """)).graph
    assert isinstance(graph.flow, nx.DiGraph)
    assert list(graph.flow.nodes) == [0, 1, 2, 3]  # file order, no virtual sink left over
    assert sorted(graph.flow.edges(data="weight")) == [
        (0, 2, 1.0), (1, 2, 0.25), (1, 3, 0.75), (2, 1, 1.0)]
    ids = graph.ids
    # the loop is entered at `front`, written after `back`: the depth-first loop-back
    assert {(ids[s], ids[t]) for s, t in graph.loop_backs} == {("back", "front")}
    assert [ids[n] for n in graph.order] == ["s", "front", "back", "e"]
    assert [ids[n] for n in graph.end_dominators] == ["s", "front", "back", "e"]
