"""`procmap simulate --format html`: a self-contained page (Jinja2, autoescaped) with
charts drawn by matplotlib as SVG and inlined: the lead-time histogram with the SLA
marked, deadline attainment, and utilization and queueing per role. The page loads
nothing (its Content-Security-Policy allows no requests) and runs no script.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap.i18n import _

if TYPE_CHECKING:
    from procmap.simulate.run import SimResult

_BLUE, _RED, _GREY, _AMBER = "#0969da", "#cf222e", "#8c959f", "#9a6700"
#: browsers pick the first font they have; matplotlib only lays the text out
_FONTS = ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "DejaVu Sans", "sans-serif"]


@dataclass
class Chart:
    caption: str
    svg: Any  # markupsafe.Markup: matplotlib's SVG, its text escaped by matplotlib


def render(result: SimResult, **_options: Any) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    from procmap import i18n
    from procmap.simulate import reports

    env = Environment(loader=PackageLoader("procmap", "templates"),
                      autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("simulate.html.j2")
    sections = [{"title": title, "columns": columns, "rows": rows}
                for title, columns, rows in reports._sections(result)]
    return template.render(lang=i18n.current(), header=reports.header(result),
                           sections=sections, charts=charts(result),
                           charts_title=_("Charts"), findings=result.findings,
                           findings_title=_("Findings"))


def charts(result: SimResult) -> list[Chart]:
    import logging
    import warnings

    import matplotlib

    found: list[Chart] = []
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    with warnings.catch_warnings(), matplotlib.rc_context({
            "svg.fonttype": "none", "text.parse_math": False, "font.family": _FONTS,
            "font.size": 9, "svg.hashsalt": "procmap", "axes.spines.top": False,
            "axes.spines.right": False}):
        warnings.simplefilter("ignore")
        figures = result.base.figures
        for process in figures.processes:
            lead = figures.histograms.get(process["id"])
            if lead:
                found.append(Chart(_("Lead time: {process}").format(process=process["name"]),
                                   _histogram(lead, process)))
        deadlines = [(p["name"], step, share) for p in figures.processes
                     for step, share in p["deadlines"].items() if share is not None]
        if deadlines or any(p["sla_attainment"] is not None for p in figures.processes):
            found.append(Chart(_("SLA and deadline attainment"), _attainment(result)))
        if result.scenarios:
            found.append(Chart(_("p90 lead time per scenario"), _scenarios(result)))
        if figures.roles:
            found.append(Chart(_("Utilization per role"), _utilization(result)))
            found.append(Chart(_("Queue wait per role"), _queueing(result)))
    return found


def _svg(figure: Any) -> Any:
    from markupsafe import Markup

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight",
                   metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.find("<svg"):]  # no XML declaration or DOCTYPE inside HTML
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    return Markup(text)


def _figure(width: float = 6.0, height: float = 3.0) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _histogram(lead: list[float], process: dict[str, Any]) -> Any:
    figure = _figure()
    axes = figure.add_subplot()
    sla = process["sla_hours"]
    p99 = process["lead_time_hours"]["p99"] or lead[-1]
    top = max(p99 * 1.05, (sla or 0) * 1.1, 1e-3)
    shown = [v for v in lead if v <= top]
    axes.hist(shown, bins=40, range=(0, top), color=_BLUE)
    if sla is not None:
        axes.axvline(sla, color=_RED, linewidth=1.5)
        axes.annotate(_("SLA {sla}").format(sla=_hours(sla)), (sla, 1), xycoords=(
            "data", "axes fraction"), xytext=(3, -10), textcoords="offset points",
            color=_RED)
    p90 = process["lead_time_hours"]["p90"]
    if p90 is not None:
        axes.axvline(p90, color=_GREY, linestyle="--", linewidth=1)
    axes.set_xlabel(_("lead time (hours); dashed: p90; beyond p99 not drawn"))
    axes.set_ylabel(_("cases"))
    return _svg(figure)


def _attainment(result: SimResult) -> Any:
    rows: list[tuple[str, float]] = []
    for process, proc in zip(result.base.figures.processes, _models(result), strict=True):
        if process["sla_attainment"] is not None:
            rows.append((f"{process['name']} · SLA", process["sla_attainment"]))
        labels = {n.id: n.label for n in proc.nodes}
        for step, share in process["deadlines"].items():
            if share is not None:
                rows.append((f"{process['name']} · {labels.get(step, step)}", share))
    figure = _figure(6.0, 0.6 + 0.32 * len(rows))
    axes = figure.add_subplot()
    names = [_short(r[0]) for r in rows][::-1]
    values = [r[1] * 100 for r in rows][::-1]
    axes.barh(range(len(rows)), values, color=[_BLUE if v >= 95 else _AMBER for v in values])
    axes.set_yticks(range(len(rows)), names)
    axes.set_xlim(0, 100)
    axes.axvline(95, color=_RED, linewidth=1)
    axes.set_xlabel(_("% of cases in time"))
    return _svg(figure)


def _models(result: SimResult) -> list[Any]:
    by_id = {p.id: p for p in result.base.model.processes}
    return [by_id[p["id"]] for p in result.base.figures.processes]


def _utilization(result: SimResult) -> Any:
    roles = result.base.figures.roles
    figure = _figure(6.0, 0.6 + 0.32 * len(roles))
    axes = figure.add_subplot()
    values = [(r["utilization"] or 0.0) * 100 for r in roles][::-1]
    axes.barh(range(len(roles)), values,
              color=[_RED if v >= 100 else _BLUE for v in values])
    axes.set_yticks(range(len(roles)), [_short(r["name"]) for r in roles][::-1])
    axes.axvline(100, color=_RED, linewidth=1)
    axes.set_xlabel(_("utilization (%)"))
    return _svg(figure)


def _queueing(result: SimResult) -> Any:
    roles = result.base.figures.roles
    figure = _figure(6.0, 0.6 + 0.4 * len(roles))
    axes = figure.add_subplot()
    positions = range(len(roles))
    means = [r["queue_wait_hours"]["mean"] or 0.0 for r in roles][::-1]
    p90s = [r["queue_wait_hours"]["p90"] or 0.0 for r in roles][::-1]
    axes.barh([p + 0.2 for p in positions], p90s, height=0.4, color=_GREY, label="p90")
    axes.barh([p - 0.2 for p in positions], means, height=0.4, color=_BLUE,
              label=_("mean"))
    axes.set_yticks(list(positions), [_short(r["name"]) for r in roles][::-1])
    if max(p90s + means + [0.0]) > 50:
        from matplotlib.ticker import FuncFormatter

        axes.set_xscale("symlog", linthresh=1.0)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}"))
    axes.set_xlabel(_("hours waiting in the queue"))
    axes.legend(loc="lower right")
    return _svg(figure)


def _scenarios(result: SimResult) -> Any:
    """Grouped bars: each process's p90 lead time, as modelled and in each scenario."""
    runs = [result.base, *result.scenarios]
    processes = result.base.figures.processes
    figure = _figure(6.0, 0.8 + 0.3 * len(processes) * len(runs))
    axes = figure.add_subplot()
    height = 0.8 / len(runs)
    colours = [_BLUE, _AMBER, _GREY, _RED, "#1a7f37", "#8250df"]
    for number, run in enumerate(runs):
        by_id = {p["id"]: p for p in run.figures.processes}
        values = [(by_id.get(p["id"], {}).get("lead_time_hours", {}).get("p90") or 0.0)
                  for p in processes][::-1]
        axes.barh([i + number * height for i in range(len(processes))], values,
                  height=height, color=colours[number % len(colours)],
                  label=_short(run.name, 30))
    axes.set_yticks([i + 0.4 - height / 2 for i in range(len(processes))],
                    [_short(p["name"]) for p in processes][::-1])
    axes.set_xlabel(_("p90 lead time (hours)"))
    axes.legend(loc="lower right")
    return _svg(figure)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hours(value: float) -> str:
    from procmap.text.units import hours

    return hours(value)
