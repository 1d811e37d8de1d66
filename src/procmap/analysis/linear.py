"""Sparse linear systems of the form x = c + W x, solved exactly by elimination.

Visits and expected times are both such systems: `visits(k) = start(k) + sum of the flows
into k`, `time(k) = own time + sum over successors of probability x time`. The matrix
`I - W` of a process is very sparse (one or two transitions per step) and almost
triangular (processes are written forward; only loop-backs point back).

We use Gaussian elimination on the graph itself ("state elimination"): eliminating `k`
substitutes `x_k = (c_k + sum_j W[k][j] x_j) / (1 - W[k][k])` into every equation that
still mentions `k`. The caller passes the variables in a good order: for visits the
forward topological order, for times its reverse. Then, when `k` is eliminated, every
variable it depended on along the flow is already gone, and what it still mentions are
only the sources (or targets) of the loop-backs that span it. The cost is
O(steps x open loops^2): linear for real processes, where loops nest a few levels deep,
and never the O(n^3) of a dense solve or the unbounded sweeps of a fixed-point iteration
on a loop that repeats with probability 0.99.

A pivot `1 - W[k][k]` that is not positive means the system has no finite non-negative
solution: a loop that a case can never leave (or a parallel fork inside a loop that
multiplies work without bound). `I - W` is a Z-matrix, so all pivots positive in any
order <=> it is a non-singular M-matrix <=> the solution exists and is >= 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: pivots at or below this are "no way out": exit probabilities that small are typos
PIVOT_EPSILON = 1e-9


class SingularSystem(Exception):
    """The variables cannot be solved: `variable` is in a loop with no way out."""

    def __init__(self, variable: int) -> None:
        super().__init__(variable)
        self.variable = variable


def solve(order: Sequence[int], weights: Mapping[int, Mapping[int, float]],
          constants: Mapping[int, float]) -> dict[int, float]:
    """Solve x = c + W x for the variables in `order` (eliminated in that order).

    `weights[k]` maps the variables `k` depends on to their coefficients; every variable
    mentioned must be in `order` (fold known values into `constants` first).
    Raises SingularSystem when a pivot is not positive.
    """
    rows: dict[int, dict[int, float]] = {
        k: {j: w for j, w in weights.get(k, {}).items() if w != 0.0} for k in order}
    consts = {k: float(constants.get(k, 0.0)) for k in order}
    users = _users(order, rows)
    eliminated: list[tuple[int, float, dict[int, float]]] = []
    done: set[int] = set()
    for k in order:
        constant, expression = _eliminate(k, rows, consts, users, done)
        done.add(k)
        eliminated.append((k, constant, expression))
    return _back_substitute(eliminated)


def _users(order: Sequence[int], rows: Mapping[int, Mapping[int, float]]
           ) -> dict[int, set[int]]:
    """For every variable, the equations that mention it."""
    users: dict[int, set[int]] = {k: set() for k in order}
    for k, row in rows.items():
        for j in row:
            users[j].add(k)
    return users


def _eliminate(k: int, rows: dict[int, dict[int, float]], consts: dict[int, float],
               users: dict[int, set[int]], done: set[int]
               ) -> tuple[float, dict[int, float]]:
    """Take `k`'s equation out and substitute it into the equations still open; return
    `x_k` as a constant plus weights of the variables still to be eliminated."""
    row = rows.pop(k)
    pivot = 1.0 - row.pop(k, 0.0)
    if pivot <= PIVOT_EPSILON:
        raise SingularSystem(k)
    constant = consts.pop(k) / pivot
    expression = {j: w / pivot for j, w in row.items()}
    users[k].discard(k)
    for j in expression:
        users[j].discard(k)
    for i in users.pop(k):
        if i in done:
            continue
        target = rows[i]
        factor = target.pop(k)
        consts[i] += factor * constant
        for j, w in expression.items():
            target[j] = target.get(j, 0.0) + factor * w
            users[j].add(i)
    return constant, expression


def _back_substitute(eliminated: list[tuple[int, float, dict[int, float]]]
                     ) -> dict[int, float]:
    values: dict[int, float] = {}
    for k, constant, expression in reversed(eliminated):
        values[k] = constant + sum(w * values[j] for j, w in expression.items())
    return values
