"""What the page shows for the value family: it draws ``roi``, ``rate`` and ``time_to_value``.

* ``roi`` — ROI, the value multiple, hard and net value, and a chart of each part of the
  value against the investment.
* ``rate`` — the metric's rate, its assessment and target, its formula and its band scale.
* ``time_to_value`` — days and weeks to first value, the assessment and target, and the
  band scale when the library defines bands for it.

>>> from calculators import default_config, run
>>> cfg = default_config()
>>> inputs = {"contract_date": "2026-01-05", "first_value_date": "2026-01-19"}
>>> [o.html for o in time_to_value(inputs, run("time_to_value", inputs, cfg), cfg, "") if o.key == "days"]
['14 days']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import charts
from .charts import Bar, esc
from .scales import band_scale
from .widgets import Config, Output, Result, badge, html_output, money, pct, stat


def roi(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    names = {"revenue": "Revenue increased", "cost": "Costs reduced", "time": "Time saved", "headcount": "Hires avoided"}
    bars = [Bar(names.get(k, k), v, money(v), tone="good") for k, v in r["value_breakdown"].items()]
    bars.append(Bar("Investment", inputs["investment"], money(inputs["investment"]), tone="bad"))
    chart = charts.bar_chart(
        "Value delivered against investment",
        bars,
        caption=f"Hard value {money(r['hard_value'])} against an investment of {money(inputs['investment'])}.",
        headers=("Part", "Amount"),
    )
    return [
        stat("roi", "ROI", pct(r["roi"], 0), r["roi"]),
        stat("value_multiple", "Value multiple", f"{r['value_multiple']:.1f}×", r["value_multiple"]),
        stat("hard_value", "Hard value", money(r["hard_value"]), r["hard_value"]),
        stat("net_value", "Net value", money(r["net_value"]), r["net_value"]),
        html_output("value_breakdown", "Value breakdown", chart, wide=True),
    ]


def rate(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    metric = config["assessments"][r["metric"]]
    scale = band_scale(r["metric_label"], metric["bands"], r["rate"], pct(r["rate"]), r["band"], unit="%")
    return [
        stat("rate", r["metric_label"], pct(r["rate"]), r["rate"]),
        html_output("band", "Assessment", badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        stat("target", "Target", "—" if r.get("target") is None else pct(r["target"], 0), r.get("target")),
        html_output("formula", "Formula", f'<p class="cs-formula">{esc(r["formula"])}</p>', wide=True),
        html_output("band_scale", "Where it falls", scale, wide=True),
    ]


def time_to_value(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    bands = config["assessments"].get("time_to_value", {"bands": []})["bands"]
    scale = band_scale("Time to value", bands, r["days"], f"{r['days']} days", r["band"], unit="days") if bands else ""
    return [
        stat("days", "Days to first value", f"{r['days']} days", r["days"]),
        stat("weeks", "Weeks", f"{r['weeks']:.1f}", r["weeks"]),
        html_output("band", "Assessment", badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        stat("target", "Target", "—" if r.get("target") is None else f"{r['target']:g} days", r.get("target")),
        html_output("band_scale", "Where it falls", scale, wide=True),
    ]
