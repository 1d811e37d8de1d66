"""Queueing from load: the mean wait of an M/M/c queue (Erlang C).

`erlang_c_wait(arrival_rate, service_time, servers)` is the mean time a task waits for
one of `servers` people when tasks arrive at random (Poisson, `arrival_rate` per hour)
and each takes an exponentially distributed time with mean `service_time` hours. It is
`C(c, a) x service_time / (c - a)` with offered load `a = arrival_rate x service_time`
and `C(c, a)` the Erlang C probability that a task has to wait.

`C(c, a)` is computed from the Erlang B recursion `B(k) = a B(k-1) / (k + a B(k-1))`,
which only multiplies and divides numbers between 0 and 1: no factorials, no powers, no
overflow for thousands of servers (the textbook sum of `a^k / k!` overflows from about
170 servers and loses precision long before).
"""

from __future__ import annotations

import math

__all__ = ["erlang_b", "erlang_c", "erlang_c_wait", "servers"]


def servers(capacity: float) -> int:
    """Servers of the queue model for a role's `capacity`: whole people, a fractional
    capacity rounded up (2.5 people are 3 servers, each available 2.5/3 of the time, so
    that utilization stays load / (capacity x availability))."""
    return max(1, math.ceil(capacity - 1e-9))


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of M/M/c/c with `servers` and offered `load` (Erlangs)."""
    if servers < 1:
        raise ValueError("servers must be at least 1")
    if load <= 0:
        return 0.0
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """Probability that a task waits (M/M/c); 1.0 when `load >= servers`."""
    if load <= 0:
        return 0.0
    if load >= servers:
        return 1.0
    blocking = erlang_b(servers, load)
    return servers * blocking / (servers - load * (1.0 - blocking))


def erlang_c_wait(arrival_rate: float, service_time: float, servers: int) -> float | None:
    """Mean wait in the queue, in the unit of `service_time`; None when the queue grows
    without bound (utilization `arrival_rate x service_time / servers >= 1`)."""
    if arrival_rate <= 0 or service_time <= 0:
        return 0.0
    load = arrival_rate * service_time
    if load >= servers - 1e-12:
        return None
    return erlang_c(servers, load) * service_time / (servers - load)
