"""What the page shows for the coverage family: it draws ``coverage`` and ``segment_score``.

* ``coverage`` — CSMs needed, headcount, CSM cost and cost-to-serve, a table by segment
  and a chart of each segment's cost-to-serve against its tier's target range.
* ``segment_score`` — the segment score, the coverage tier it gives, the ARR band and the
  points each factor adds against its weight.

>>> from calculators import default_config, example, run
>>> cfg = default_config()
>>> inputs = example("segment_score", cfg)
>>> [o.key for o in segment_score(inputs, run("segment_score", inputs, cfg), cfg, "")]
['score', 'tier', 'arr_segment', 'contributions']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import charts
from .charts import Bar, esc
from .scales import score_tone
from .widgets import Config, Output, Result, cell, html_output, html_table, labels, money, num, pct, stat


def coverage(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    status = {"below": "below target", "above": "above target", "within": "within target", None: "no target"}
    rows = []
    for i, s in enumerate(r["segments"]):
        low, high = s["target_min"], s["target_max"]
        target = (
            "—"
            if low is None and high is None
            else f"≤ {high:g} %"
            if low is None
            else f"≥ {low:g} %"
            if high is None
            else f"{low:g}–{high:g} %"
        )
        rows.append(
            [
                esc(s["label"]),
                esc(num(s["accounts"])),
                esc(money(s["arr"])),
                esc(f"1:{s['ratio']:g}"),
                cell(f"segments[{i}].csms", f"{s['csms']:.1f}", s["csms"]),
                esc(money(s["cost"])),
                cell(f"segments[{i}].cost_to_serve_pct", pct(s["cost_to_serve_pct"]), s["cost_to_serve_pct"]),
                esc(f"{target} ({status.get(s['target_status'], '')})"),
            ]
        )
    rows.append(
        [
            "<strong>Total</strong>",
            esc(num(r["total_accounts"])),
            esc(money(r["total_arr"])),
            "",
            "<strong>" + esc(f"{r['total_csms']:.1f}") + "</strong>",
            esc(money(r["total_cost"])),
            f"<strong>{esc(pct(r['total_cost_to_serve_pct']))}</strong>",
            "",
        ]
    )
    table = html_table(
        ("Segment", "Accounts", "ARR", "Ratio", "CSMs", "Cost", "Cost-to-serve", "Target"),
        rows,
        numeric=(1, 2, 3, 4, 5, 6),
        caption="Coverage by segment",
    )
    tone = {"below": "ok", "within": "good", "above": "bad", None: "neutral"}
    chart = charts.bar_chart(
        "Cost-to-serve against target, by segment",
        [
            Bar(
                s["label"],
                s["cost_to_serve_pct"],
                pct(s["cost_to_serve_pct"]),
                tone=tone.get(s["target_status"], "neutral"),
                target=(s["target_min"], s["target_max"]),
                track_text=status.get(s["target_status"], ""),
            )
            for s in r["segments"]
        ],
        caption="Bars are each segment's CSM cost as a share of its ARR; the shaded range is the tier's cost-to-serve target.",
        headers=("Segment", "Cost-to-serve", "Against target"),
    )
    return [
        stat("total_csms", "CSMs needed", f"{r['total_csms']:.1f}", r["total_csms"]),
        stat("headcount", "Headcount (rounded up)", num(r["headcount"]), r["headcount"]),
        stat("total_cost", "CSM cost", money(r["total_cost"]), r["total_cost"]),
        stat("total_cost_to_serve_pct", "Cost-to-serve", pct(r["total_cost_to_serve_pct"]), r["total_cost_to_serve_pct"]),
        stat("total_arr", "ARR covered", money(r["total_arr"]), r["total_arr"]),
        stat("total_accounts", "Accounts", num(r["total_accounts"]), r["total_accounts"]),
        html_output("segments", "Segments", table, wide=True),
        html_output("segments_chart", "Cost-to-serve", chart, wide=True),
    ]


def segment_score(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    weights = config["segments"]["scoring"]["weights"]
    total = sum(weights.values()) or 1
    names = {"arr": "ARR", "complexity": "Complexity", "growth_potential": "Growth potential", "strategic_value": "Strategic value"}
    chart = charts.bar_chart(
        "Points each factor adds",
        [
            Bar(
                names.get(k, k),
                v,
                f"{v:.1f} of {weights[k] * 100 / total:.0f}",
                tone=score_tone(r["factors"][k]),
                track=weights[k] * 100 / total,
                track_text=f"{weights[k] * 100 / total:.0f}",
            )
            for k, v in r["contributions"].items()
        ],
        caption=f"Factor score × weight; the faint bar is the factor's weight. Score {r['score']:.1f}.",
        headers=("Factor", "Points", "Weight"),
    )
    rows = labels(config["segments"]["ratio_table"])
    return [
        stat("score", "Segment score", f"{r['score']:.1f}", r["score"]),
        html_output("tier", "Coverage tier", f'<span class="cs-badge">{esc(r["tier_label"])}</span>', r["tier"]),
        stat("arr_segment", "ARR band", f"{rows.get(r['arr_segment'], r['arr_segment'])} (scores {r['arr_score']:g})", r["arr_segment"]),
        html_output("contributions", "Contributions", chart, wide=True),
    ]
