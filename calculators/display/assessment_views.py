"""What the page shows for an assessed score: NPS, CSAT, CES, a rate metric and time to value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import charts
from .charts import Bar, esc
from .widgets import Config, Output, Result, badge, html_output, num, pct, stat
from .scales import band_scale


def nps(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    mix = charts.stacked_bar(
        "Answer mix",
        [
            Bar("Promoters", r["promoter_pct"], pct(r["promoter_pct"], 0), tone="good"),
            Bar("Passives", r["passive_pct"], pct(r["passive_pct"], 0), tone="neutral"),
            Bar("Detractors", r["detractor_pct"], pct(r["detractor_pct"], 0), tone="bad"),
        ],
        caption=f"{r['responses']} answers: NPS is the promoter share minus the detractor share.",
    )
    scale = band_scale("NPS", config["assessments"]["nps"]["bands"], r["nps"], num(r["nps"]), r["band"])
    return [
        stat("nps", "NPS", num(r["nps"]), r["nps"]),
        html_output("band", "Assessment", badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        stat("responses", "Answers", num(r["responses"]), r["responses"]),
        html_output("mix", "Answer mix", mix, wide=True),
        html_output("band_scale", "Where it falls", scale, wide=True),
    ]


def csat(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    scale = band_scale("CSAT", config["assessments"]["csat"]["bands"], r["csat"], pct(r["csat"]), r["band"], unit="%")
    return [
        stat("csat", "CSAT", pct(r["csat"]), r["csat"]),
        html_output("band", "Assessment", badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        stat("responses", "Answers", num(r["responses"]), r["responses"]),
        html_output("band_scale", "Where it falls", scale, wide=True),
    ]


def ces(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    dist = r["distribution"]
    chart = charts.bar_chart(
        "Answers per score",
        [
            Bar(
                f"{level} {'(very easy)' if level == '1' else '(very difficult)' if level == '7' else ''}".strip(),
                float(count),
                num(count),
                tone="good" if int(level) <= 3 else "warn" if int(level) <= 5 else "bad",
            )
            for level, count in dist.items()
        ],
        caption=f"How the {r['responses']} answers spread over the 1–7 scale (1 = very easy).",
        headers=("Score", "Answers"),
    )
    scale = band_scale("CES", config["assessments"]["ces"]["bands"], r["ces"], f"{r['ces']:.2f}", r["band"])
    return [
        stat("ces", "CES", f"{r['ces']:.2f}", r["ces"]),
        html_output("band", "Assessment", badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        stat("responses", "Answers", num(r["responses"]), r["responses"]),
        html_output("distribution", "Distribution", chart, wide=True),
        html_output("band_scale", "Where it falls", scale, wide=True),
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
