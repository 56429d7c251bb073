"""What the page shows for revenue: NRR/GRR, logo retention, renewal and expansion forecasts, coverage and ROI."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import charts
from .charts import Bar, Step, esc
from .widgets import Config, Output, Result, badge, cell, html_output, html_table, labels, money, num, pct, stat
from .scales import band_scale, band_table, health_tone


def nrr_grr(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    tones = {"start": "neutral", "expansion": "good", "contraction": "warn", "churn": "bad", "end": "accent"}
    steps = []
    for step in r["waterfall"]:
        total = step["total"]
        start = 0.0 if step["step"] in ("start", "end") else total - step["delta"]
        sign = "+" if step["step"] == "expansion" else "−" if step["step"] in ("contraction", "churn") else ""
        steps.append(
            Step(step["label"].lstrip("+− "), start, total, f"{sign}{money(abs(step['delta']))}", tones.get(step["step"], "neutral"))
        )
    chart = charts.waterfall(
        "Revenue bridge from starting to ending MRR",
        steps,
        caption=f"Starting MRR {money(inputs['starting_mrr'])}, plus expansion, minus contraction and churn, ends at {money(r['ending_mrr'])}.",
    )
    formula = (
        '<p class="cs-formula"><span class="cs-formula__name">NRR</span> = (Starting MRR + Expansion − Contraction − Churn) ÷ Starting MRR × 100<br>'
        f'<span class="cs-formula__sub">= {esc(r["nrr_formula"])}</span></p>'
        '<p class="cs-formula"><span class="cs-formula__name">GRR</span> = (Starting MRR − Contraction − Churn) ÷ Starting MRR × 100<br>'
        f'<span class="cs-formula__sub">= {esc(r["grr_formula"])}</span></p>'
    )
    a = config["assessments"]
    bands = band_table("NRR assessment", a["nrr"]["bands"], r["nrr_band"], "%") + band_table(
        "GRR assessment", a["grr"]["bands"], r["grr_band"], "%"
    )
    return [
        stat("nrr", "Net revenue retention", pct(r["nrr"]), r["nrr"]),
        html_output("nrr_band", "NRR assessment", badge(r["nrr_band"], r["nrr_band_label"], r["nrr_band_range"]), r["nrr_band"]),
        stat("grr", "Gross revenue retention", pct(r["grr"]), r["grr"]),
        html_output("grr_band", "GRR assessment", badge(r["grr_band"], r["grr_band_label"], r["grr_band_range"]), r["grr_band"]),
        stat("ending_mrr", "Ending MRR", money(r["ending_mrr"]), r["ending_mrr"]),
        stat("expansion_points", "Expansion adds", f"{r['expansion_points']:.1f} points", r["expansion_points"]),
        html_output("formula", "The formulas with your numbers", formula, wide=True),
        html_output("waterfall", "Revenue bridge", chart, wide=True),
        html_output("bands", "Assessment bands", bands, wide=True),
    ]


def logo_retention(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    bands = config["assessments"]["logo_retention"]["bands"]
    return [
        stat("logo_retention", "Logo retention", pct(r["logo_retention"]), r["logo_retention"]),
        html_output("band", "Assessment", badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        stat("logo_churn", "Logo churn", pct(r["logo_churn"]), r["logo_churn"]),
        stat("retained_customers", "Customers kept", num(r["retained_customers"]), r["retained_customers"]),
        html_output(
            "band_scale",
            "Where it falls",
            band_scale("Logo retention", bands, r["logo_retention"], pct(r["logo_retention"]), r["band"], unit="%"),
            wide=True,
        ),
    ]


def renewal_forecast(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    health_labels = labels(config["health"]["bands"])
    rows = [
        [
            esc(a["name"]),
            esc(money(a["arr"])),
            esc(num(a["health"])),
            badge(a["band"], health_labels.get(a["band"], a["band"])),
            esc(pct(a["probability"], 0)),
            cell(f"accounts[{i}].expected", money(a["expected"]), a["expected"]),
        ]
        for i, a in enumerate(r["accounts"])
    ]
    rows.append(
        [
            "<strong>Total</strong>",
            f"<strong>{esc(money(r['total_due']))}</strong>",
            "",
            "",
            esc(pct(r["forecast_pct"])),
            f"<strong>{esc(money(r['forecast']))}</strong>",
        ]
    )
    table = html_table(
        ("Account", "ARR due", "Health", "Band", "Probability", "Expected"),
        rows,
        numeric=(1, 2, 4, 5),
        caption="Each account's expected renewal",
    )
    chart = _weighted_chart(
        "Expected renewal by health band",
        r["by_band"],
        ("accounts", "arr"),
        lambda b: health_tone(b["band"], config),
        caption="For each band, the solid bar is the expected renewal and the faint bar the ARR due.",
        headers=("Band (accounts)", "Expected", "ARR due"),
    )
    return [
        stat("total_due", "ARR due", money(r["total_due"]), r["total_due"]),
        stat("forecast", "Forecast", money(r["forecast"]), r["forecast"]),
        stat("forecast_pct", "Forecast (% of due)", pct(r["forecast_pct"]), r["forecast_pct"]),
        stat("at_risk_arr", "ARR in risk bands", money(r["at_risk_arr"]), r["at_risk_arr"]),
        stat("expected_loss", "Expected loss", money(r["expected_loss"]), r["expected_loss"]),
        html_output("accounts", "Accounts", table, wide=True),
        html_output("by_band", "By band", chart, wide=True),
    ]


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


def expansion_forecast(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    stage_labels = labels(config["expansion_stages"])
    rows = [
        [
            esc(o["name"]),
            esc(stage_labels.get(o["stage"], o["stage"])),
            esc(money(o["amount"])),
            esc(pct(o["probability"], 0)),
            cell(f"opportunities[{i}].expected", money(o["expected"]), o["expected"]),
        ]
        for i, o in enumerate(r["opportunities"])
    ]
    rows.append(
        [
            "<strong>Total</strong>",
            "",
            f"<strong>{esc(money(r['pipeline']))}</strong>",
            esc(pct(r["forecast_pct"])),
            f"<strong>{esc(money(r['forecast']))}</strong>",
        ]
    )
    table = html_table(("Opportunity", "Stage", "Amount", "Probability", "Expected"), rows, numeric=(2, 3, 4), caption="Weighted pipeline")
    chart = _weighted_chart(
        "Weighted pipeline by stage",
        r["by_stage"],
        ("count", "amount"),
        lambda s: "accent",
        caption="For each stage, the solid bar is the weighted amount and the faint bar the full pipeline.",
        headers=("Stage (opportunities)", "Weighted", "Pipeline"),
    )
    return [
        stat("pipeline", "Pipeline", money(r["pipeline"]), r["pipeline"]),
        stat("forecast", "Weighted forecast", money(r["forecast"]), r["forecast"]),
        stat("forecast_pct", "Forecast (% of pipeline)", pct(r["forecast_pct"]), r["forecast_pct"]),
        html_output("opportunities", "Opportunities", table, wide=True),
        html_output("by_stage", "By stage", chart, wide=True),
    ]


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


def _weighted_chart(
    title: str,
    groups: Sequence[Mapping[str, Any]],
    keys: tuple[str, str],
    tone: Callable[[Mapping[str, Any]], str],
    *,
    caption: str,
    headers: Sequence[str],
) -> str:
    """A forecast's groups (bands, stages) as bars: the expected amount, on a faint bar of the whole.

    ``keys`` names each group's count and whole amount (``("accounts", "arr")``); groups
    with a count of 0 are left out.
    """
    count, whole = keys
    bars = [
        Bar(
            f"{g['label']} ({g[count]})",
            g["expected"],
            f"{money(g['expected'])} of {money(g[whole])}",
            tone=tone(g),
            track=g[whole],
            track_text=money(g[whole]),
        )
        for g in groups
        if g[count]
    ]
    return charts.bar_chart(title, bars, caption=caption, headers=headers)
