"""Audit: process graphs, metrics (visits, lead times, utilization) and audit rules.

- `procmap.analysis.graph`: a process as a graph on step numbers: flow weights,
  loop-backs and the forward graph, dominators, parallel fork/join matching;
- `procmap.analysis.linear`: the sparse elimination solver for visits and times;
- `procmap.analysis.metrics`: `ProcessMetrics` (rules.md) and `ProcessAnalysis`;
- `procmap.analysis.audit`: `run_audit(validation, config)` (what `procmap audit` and
  `procmap diff` call) and `analyse_workspace(workspace, config)` (id -> analysis with
  findings, for `procmap render --highlight`);
- `procmap.analysis.rules`: one module per audit rule id;
- `procmap.analysis.raci`: the responsibility matrix of `procmap raci`;
- `procmap.analysis.wording`: how findings write hours and shares.

Each process is a networkx DiGraph (`ProcessGraph.flow`, integer nodes in file order);
loops, the forward order and dominators come from networkx. networkx is imported inside
the functions that use it, so `procmap validate` never loads it.
"""
