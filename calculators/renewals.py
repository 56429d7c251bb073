"""Renewal and expansion forecasts: Σ amount × probability.

* **Renewal forecast** (CS strategy reference, "Forecasting Renewals"): each account's
  renewal probability comes from its health band (``probability`` in the health model);
  expected = ARR × probability. ``forecast_pct`` = forecast ÷ total due × 100.
* **Expansion forecast** ("Expansion Forecasting"): each opportunity's probability comes
  from its pipeline stage (``expansion_stages`` in ``stages.yml``).

The source's worked example: 100,000 at health 85, 50,000 at 45 and 75,000 at 25 renew
with 95, 60 and 30 % probability: 147,500 of 225,000 due.

>>> from calculators import run
>>> accounts = [{"name": "A", "arr": 100_000, "health": 85}, {"name": "B", "arr": 50_000, "health": 45},
...             {"name": "C", "arr": 75_000, "health": 25}]
>>> r = run("renewal_forecast", {"accounts": accounts})
>>> r["forecast"], r["total_due"], round(r["forecast_pct"], 1)
(147500.0, 225000.0, 65.6)
"""

from __future__ import annotations

from math import fsum
from typing import Any

from .declarations import Calculator, Config, Field, Inputs
from .health import health_band


def expected_amount(amount: float, probability_pct: float) -> float:
    """Amount × probability, with the probability in percent.

    >>> expected_amount(75_000, 30)
    22500.0
    """
    return amount * probability_pct / 100


def _weigh(item: dict[str, Any], amount: str, probability: float, group: dict[str, Any], count: str) -> dict[str, Any]:
    """``{"probability", "expected"}`` of one account or opportunity (its ``amount`` key weighted
    by ``probability``), added to its ``group``'s count, amount and expected total."""
    expected = expected_amount(item[amount], probability)
    group[count] += 1
    group[amount] += item[amount]
    group["expected"] += expected
    return {"probability": probability, "expected": expected}


def _renewal(values: Inputs, config: Config) -> dict[str, Any]:
    rows = []
    bands = {
        b["id"]: {
            "band": b["id"],
            "label": b.get("label", b["id"]),
            "probability": b["probability"],
            "accounts": 0,
            "arr": 0.0,
            "expected": 0.0,
        }
        for b in config["health"]["bands"]
    }
    for account in values["accounts"]:
        band = health_band(account["health"], config)
        rows.append({**account, "band": band["id"], **_weigh(account, "arr", band["probability"], bands[band["id"]], "accounts")})
    total = fsum(r["arr"] for r in rows)
    forecast = fsum(r["expected"] for r in rows)
    risky = {b["id"] for b in config["health"]["bands"] if b.get("risk")}
    return {
        "total_due": total,
        "forecast": forecast,
        "forecast_pct": forecast * 100 / total,
        "at_risk_arr": fsum(r["arr"] for r in rows if r["band"] in risky),
        "expected_loss": total - forecast,
        "accounts": rows,
        "by_band": list(bands.values()),
    }


def _example_accounts(config: Config) -> list[dict[str, Any]]:
    return [
        {"name": "Customer A", "arr": 100_000, "health": 85},
        {"name": "Customer B", "arr": 50_000, "health": 45},
        {"name": "Customer C", "arr": 75_000, "health": 25},
    ]


RENEWAL_FORECAST = Calculator(
    name="renewal_forecast",
    title="Renewal forecast",
    summary="Expected renewal revenue: each account's ARR times the renewal probability of its health band.",
    inputs=(
        Field(
            "accounts",
            "Accounts due to renew",
            type="table",
            min_items=1,
            example_from=_example_accounts,
            help="One row per account: name, ARR due and current health score.",
            columns=(
                Field("name", "Account", type="text", help="Account name."),
                Field("arr", "ARR due", unit="currency", minimum=0, exclusive_minimum=True),
                Field("health", "Health", unit="points", minimum=0, maximum=100),
            ),
        ),
    ),
    compute=_renewal,
    outputs=(("total_due", "Total due"), ("forecast", "Forecast"), ("forecast_pct", "Forecast (% of due)")),
)


def _stages(config: Config) -> list[tuple[str, str]]:
    return [(s["id"], f"{s.get('label', s['id'])} ({s['probability']:g} %)") for s in config["expansion_stages"]]


def _expansion(values: Inputs, config: Config) -> dict[str, Any]:
    stages = {s["id"]: s for s in config["expansion_stages"]}
    by_stage = {
        sid: {"stage": sid, "label": s.get("label", sid), "probability": s["probability"], "count": 0, "amount": 0.0, "expected": 0.0}
        for sid, s in stages.items()
    }
    rows = []
    for opp in values["opportunities"]:
        probability = stages[opp["stage"]]["probability"]
        rows.append({**opp, **_weigh(opp, "amount", probability, by_stage[opp["stage"]], "count")})
    pipeline = fsum(r["amount"] for r in rows)
    forecast = fsum(r["expected"] for r in rows)
    return {
        "pipeline": pipeline,
        "forecast": forecast,
        "forecast_pct": forecast * 100 / pipeline if pipeline else 0.0,
        "opportunities": rows,
        "by_stage": list(by_stage.values()),
    }


EXPANSION_FORECAST = Calculator(
    name="expansion_forecast",
    title="Expansion forecast",
    summary="Weighted expansion pipeline: each opportunity's amount times its stage probability.",
    inputs=(
        Field(
            "opportunities",
            "Expansion opportunities",
            type="table",
            min_items=1,
            example=[
                {"name": "Seat expansion — Acme", "amount": 40_000, "stage": "committed"},
                {"name": "Upsell to Pro — Globex", "amount": 60_000, "stage": "proposed"},
                {"name": "New module — Initech", "amount": 25_000, "stage": "qualified"},
                {"name": "New department — Umbrella", "amount": 80_000, "stage": "identified"},
            ],
            help="One row per opportunity: name, amount and pipeline stage.",
            columns=(
                Field("name", "Opportunity", type="text"),
                Field("amount", "Amount", unit="currency", minimum=0),
                Field("stage", "Stage", type="select", options_from=_stages),
            ),
        ),
    ),
    compute=_expansion,
    outputs=(("pipeline", "Pipeline"), ("forecast", "Weighted forecast")),
)
