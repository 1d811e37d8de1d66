"""procmap simulate: a discrete-event simulation of every process of an invocation.

model compile (`procmap.simulate.model`) -> engine (`procmap.simulate.engine`, a compact
heapq event loop) -> statistics over replications (`procmap.simulate.stats`) -> reports
(`procmap.simulate.reports`, `procmap.simulate.html`) and the event log
(`procmap.simulate.eventlog`). The contract is docs/simulate.md.
"""
