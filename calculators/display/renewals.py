"""What the page shows for the renewals family: it draws ``renewal_forecast`` and ``expansion_forecast``.

Both are weighted forecasts (Σ amount × probability) and read the same way: the totals,
a table with each account's or opportunity's expected amount, and a chart of the expected
amount per group (health band, pipeline stage) on a faint bar of the whole.

>>> from calculators import default_config, example, run
>>> cfg = default_config()
>>> inputs = example("expansion_forecast", cfg)
>>> [o.key for o in expansion_forecast(inputs, run("expansion_forecast", inputs, cfg), cfg, "")]
['pipeline', 'forecast', 'forecast_pct', 'opportunities', 'by_stage']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import charts
from .charts import Bar, esc
from .scales import health_tone
from .widgets import Config, Output, Result, badge, cell, html_output, html_table, labels, money, num, pct, stat


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
