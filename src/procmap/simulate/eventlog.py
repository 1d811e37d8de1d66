"""`--log FILE`: the simulated event log (first replication of the model as given), in
the input format of `procmap conform` (CSV, Parquet or XES by the file's extension).

One row per event: `case_id`, `process`, `step`, `activity`, `lifecycle` (`start` or
`complete`), `timestamp` (ISO 8601 with the UTC offset of the role's time zone, UTC
without one), `resource` (the person: `<role>-<n>`). Timers and gateways write no
events. Values are written exactly (conform matches activity names as written), so a
CSV is data for tools, not a spreadsheet to open.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone
from typing import TYPE_CHECKING, Any

from procmap.errors import ProcmapError
from procmap.i18n import _
from procmap.simulate.worktime import EPOCH

if TYPE_CHECKING:
    from procmap.simulate.engine import LogRow
    from procmap.simulate.model import SimModel

COLUMNS = ("case_id", "process", "step", "activity", "lifecycle", "timestamp", "resource")
FORMATS = ("csv", "parquet", "xes")


class LogFormatError(ProcmapError):
    """--log names a file whose format procmap cannot write."""


def log_format(path: str) -> str:
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if extension not in FORMATS:
        raise LogFormatError(_("--log {path}: the file name must end in .csv, .parquet or "
                               ".xes (the format of the event log)").format(path=path))
    return extension


def records(rows: list[LogRow], model: SimModel) -> list[tuple[str, ...]]:
    """Rows as text, in time order (events at the same time in the order they happened)."""
    zones: list[Any] = []
    for pool in model.pools:
        if pool.zone:
            from zoneinfo import ZoneInfo

            zones.append(ZoneInfo(pool.zone))
        else:
            zones.append(timezone.utc)
    ordered = sorted(range(len(rows)), key=lambda i: (rows[i][5], i))
    result: list[tuple[str, ...]] = []
    for i in ordered:
        case, process, step, activity, lifecycle, time, index, person = rows[i]
        moment = (EPOCH + timedelta(hours=time)).astimezone(zones[index])
        stamp = moment.isoformat(timespec="seconds")
        resource = model.pools[index].id + (f"-{person + 1}" if person >= 0 else "")
        result.append((case, process, step, activity, lifecycle, stamp, resource))
    return result


def write_log(path: str, rows: list[LogRow], model: SimModel) -> None:
    from procmap.io import write_output

    kind = log_format(path)
    table = records(rows, model)
    if kind == "csv":
        write_output(path, _csv(table))
    elif kind == "xes":
        write_output(path, _xes(table))
    else:
        write_output(path, _parquet(table))


def _csv(table: list[tuple[str, ...]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(table)
    return buffer.getvalue()


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _attr(value: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(_XML_INVALID.sub("\ufffd", value))


def _xes(table: list[tuple[str, ...]]) -> str:
    """IEEE 1849 XES: one trace per case, events in time order."""
    traces: dict[str, list[tuple[str, ...]]] = {}
    for row in table:
        traces.setdefault(row[0], []).append(row)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">',
             '  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>',
             '  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>',
             '  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>',
             '  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>']
    for case, events in traces.items():
        lines.append("  <trace>")
        lines.append(f'    <string key="concept:name" value={_attr(case)}/>')
        lines.append(f'    <string key="process" value={_attr(events[0][1])}/>')
        for _case, process, step, activity, lifecycle, stamp, resource in events:
            lines += ["    <event>",
                      f'      <string key="concept:name" value={_attr(activity)}/>',
                      f'      <string key="lifecycle:transition" value={_attr(lifecycle)}/>',
                      f'      <date key="time:timestamp" value={_attr(stamp)}/>',
                      f'      <string key="org:resource" value={_attr(resource)}/>',
                      f'      <string key="process" value={_attr(process)}/>',
                      f'      <string key="step" value={_attr(step)}/>',
                      "    </event>"]
        lines.append("  </trace>")
    lines.append("</log>")
    return "\n".join(lines) + "\n"


def _parquet(table: list[tuple[str, ...]]) -> bytes:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise LogFormatError(_("writing Parquet needs pyarrow: pip install "
                               "'procmap[parquet]' (or write .csv or .xes)")) from None
    import io

    columns = {name: [row[i] for row in table] for i, name in enumerate(COLUMNS)}
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    return buffer.getvalue()
