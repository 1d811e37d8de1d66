"""procmap conform: check the designed processes against an event log, and measure them.

- `read`: the log (CSV, Parquet, JSON lines, XES) -> a DuckDB table `events`, streaming
  from the file; column detection and mapping, bad rows, time zones, duplicates;
- `queries`: every aggregation, written once in SQL that DuckDB and Spark SQL both run;
- `replay`: token replay of each distinct variant against the model graph;
- `compare`: observed against designed, per process, step, transition and role;
- `calibrate`: observed values written back into the YAML (comments and layout kept);
- `rules/`: the `conform` phase rules, declared like every other rule.

DuckDB, ruamel.yaml and Jinja2 are imported inside functions: `procmap validate` never
loads them.
"""
