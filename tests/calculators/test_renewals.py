"""Renewals family (calculators/renewals.py): the renewal and the expansion forecast.

Sources are named as in tests/calculators/seed_cases.py ("seed 002", "DESIGN").
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import calculators
from tests.calculators.seed_cases import PARAMETERS, Case, case_ids, check_case
from tests.strategies import accounts

CASES: list[Case] = [
    # (source, calculator, inputs, expected subset)
    (
        "seed 002 'Expansion Forecasting' stage probabilities 10/25/50/75/100",
        "expansion_forecast",
        {
            "opportunities": [
                {"name": s, "amount": 1000, "stage": s} for s in ("identified", "qualified", "proposed", "committed", "closed")
            ]
        },
        {"pipeline": 5000, "forecast": 2600.0},
    ),
]


@pytest.mark.parametrize(PARAMETERS, CASES, ids=case_ids(CASES))
def test_result_matches_the_sourced_example(
    source: str, name: str, inputs: dict[str, Any], expected: dict[str, Any], config: dict[str, Any]
) -> None:
    check_case(source, name, inputs, expected, config)


def test_renewal_forecast_weighs_each_account_by_its_health_band_probability() -> None:
    """DESIGN; seed 002 'Forecasting Renewals': 147,500 of 225,000 = 65.6 % (source truncates to 65.5 %)."""
    result = calculators.run(
        "renewal_forecast",
        {
            "accounts": [
                {"name": "A", "arr": 100_000, "health": 85},
                {"name": "B", "arr": 50_000, "health": 45},
                {"name": "C", "arr": 75_000, "health": 25},
            ]
        },
    )
    assert result["total_due"] == 225_000
    assert result["forecast"] == 147_500
    assert f"{result['forecast_pct']:.1f}" == "65.6"
    assert [a["expected"] for a in result["accounts"]] == [95_000, 30_000, 22_500]
    assert [a["probability"] for a in result["accounts"]] == [95, 60, 30]
    assert result["at_risk_arr"] == 125_000


@pytest.mark.parametrize(
    ("health", "band", "probability"),
    [
        (100, "healthy", 95),
        (80, "healthy", 95),
        (79.99, "stable", 85),
        (60, "stable", 85),
        (59.5, "at_risk", 60),
        (40, "at_risk", 60),
        (39, "critical", 30),
        (20, "critical", 30),
        (19.999, "emergency", 10),
        (0, "emergency", 10),
    ],
)
def test_account_health_falls_in_a_half_open_band_and_takes_its_probability(health: float, band: str, probability: int) -> None:
    """DESIGN contract: healthy [80, 100], stable [60, 80), at_risk [40, 60), critical [20, 40), emergency [0, 20)."""
    result = calculators.run("renewal_forecast", {"accounts": [{"name": "x", "arr": 100, "health": health}]})
    assert result["accounts"][0]["band"] == band
    assert result["accounts"][0]["probability"] == probability


@given(accounts, st.data())
def test_forecast_never_falls_when_one_account_gets_healthier(rows: list[dict[str, Any]], data: st.DataObject) -> None:
    before = calculators.run("renewal_forecast", {"accounts": rows})["forecast"]
    i = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    better = [dict(r) for r in rows]
    better[i]["health"] = data.draw(st.floats(min_value=rows[i]["health"], max_value=100))
    after = calculators.run("renewal_forecast", {"accounts": better})["forecast"]
    assert after >= before - 1e-6 * max(1.0, before)


@given(accounts, st.randoms(use_true_random=False))
def test_forecast_is_independent_of_account_order(rows: list[dict[str, Any]], rnd: random.Random) -> None:
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    a = calculators.run("renewal_forecast", {"accounts": rows})
    b = calculators.run("renewal_forecast", {"accounts": shuffled})
    assert a["forecast"] == b["forecast"]
    assert a["total_due"] == b["total_due"]
