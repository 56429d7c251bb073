"""What the page shows for the surveys family: it draws ``nps``, ``csat`` and ``ces``.

Each shows its score, its assessment badge, the number of answers and where the score
falls on its band scale; ``nps`` adds the answer mix (promoters, passives, detractors) and
``ces`` the distribution of answers over the 1–7 scale.

>>> from calculators import default_config, run
>>> cfg = default_config()
>>> inputs = {"satisfied": 172, "total": 200}
>>> [o.html for o in csat(inputs, run("csat", inputs, cfg), cfg, "") if o.key == "csat"]
['86.0 %']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import charts
from .charts import Bar
from .scales import band_scale
from .widgets import Config, Output, Result, badge, html_output, num, pct, stat


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
