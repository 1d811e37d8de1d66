"""Erlang C against published table values and closed forms."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procmap.analysis.queueing import erlang_c, erlang_c_wait, servers

# Published Erlang C values: probability of waiting for A Erlangs offered to N agents
# (the 10-Erlang call-centre example of callcentrehelper.com's Erlang C guide: 11, 12 and
# 14 agents; Erlang C tables for A=2/N=3 (4/9 exactly) and A=3/N=5).
PUBLISHED = [(3, 2.0, 0.4444), (5, 3.0, 0.2362), (11, 10.0, 0.6821), (12, 10.0, 0.4494),
             (14, 10.0, 0.1741)]


@pytest.mark.parametrize(("agents", "load", "waiting"), PUBLISHED)
def test_erlang_c_matches_published_tables(agents: int, load: float, waiting: float) -> None:
    assert erlang_c(agents, load) == pytest.approx(waiting, abs=5e-5)


def test_the_10_erlang_example_waits_as_published() -> None:
    # 10 Erlangs of 3-minute calls (200 calls/h) on 14 agents: ASA = Pw x AHT / (N - A)
    wait = erlang_c_wait(200.0, 0.05, 14)
    assert wait is not None
    assert wait * 3600 == pytest.approx(0.17413 * 180 / 4, abs=0.01)  # 7.8 s


def test_one_server_is_mm1() -> None:
    # M/M/1: Wq = rho / (mu - lambda)
    arrival, service = 3.0, 0.25  # rho = 0.75, mu = 4
    assert erlang_c_wait(arrival, service, 1) == pytest.approx(0.75 / (4 - 3))


def test_two_servers_match_the_closed_form() -> None:
    for rho in (0.1, 0.5, 0.9):
        assert erlang_c(2, 2 * rho) == pytest.approx(2 * rho * rho / (1 + rho))


def test_overload_and_no_work() -> None:
    assert erlang_c_wait(10.0, 1.0, 10) is None  # utilization 1: no steady state
    assert erlang_c_wait(12.0, 1.0, 10) is None
    assert erlang_c_wait(0.0, 1.0, 3) == 0.0
    assert erlang_c(4, 5.0) == 1.0


def test_fractional_capacity_counts_whole_people() -> None:
    assert servers(2.5) == 3
    assert servers(0.5) == 1
    assert servers(3.0) == 3


def _textbook(agents: int, load: float) -> float:
    top = load ** agents / math.factorial(agents) * agents / (agents - load)
    return top / (sum(load ** k / math.factorial(k) for k in range(agents)) + top)


@given(st.integers(1, 60), st.floats(0.01, 0.99))
def test_the_recursion_equals_the_textbook_formula(agents: int, rho: float) -> None:
    assert erlang_c(agents, agents * rho) == pytest.approx(_textbook(agents, agents * rho),
                                                           rel=1e-9, abs=1e-12)


def test_thousands_of_servers_stay_finite() -> None:
    value = erlang_c(5000, 4990.0)
    assert 0 < value < 1
