"""The graph layer and the sparse solver."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from audit_helpers import analysis_of, process
from hypothesis import given
from hypothesis import strategies as st

from procmap.analysis.graph import immediate_dominators
from procmap.analysis.linear import SingularSystem, solve


@given(st.integers(1, 25), st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)),
                                    max_size=80))
def test_dominators_match_networkx(count: int, pairs: list[tuple[int, int]]) -> None:
    successors: list[list[int]] = [[] for _ in range(count)]
    graph = nx.DiGraph()
    graph.add_nodes_from(range(count))
    for a, b in pairs:
        a, b = a % count, b % count
        if b not in successors[a]:
            successors[a].append(b)
            graph.add_edge(a, b)
    expected = dict(nx.immediate_dominators(graph, 0))
    expected.pop(0, None)  # 3.4 maps the start to itself, 3.6 leaves it out
    assert immediate_dominators(successors, 0) == expected


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
