"""Hypothesis properties of the calculators (strategies in tests/strategies.py)."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import accounts, health_components, retention_inputs, score_0_100

import calculators


@given(retention_inputs())
def test_nrr_is_never_below_grr_and_grr_never_above_100(inputs: dict[str, float]) -> None:
    result = calculators.run("nrr_grr", inputs)
    assert result["nrr"] >= result["grr"] - 1e-9
    assert result["grr"] <= 100 + 1e-9
    assert result["grr"] >= -1e-9


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


@given(
    st.integers(min_value=1, max_value=5000),
    st.integers(min_value=1, max_value=5000),
    st.sampled_from(["enterprise", "mid_market", "smb", "high_touch"]),
)
def test_coverage_is_monotonic_in_accounts(a: int, b: int, segment: str) -> None:
    low, high = sorted((a, b))
    run = lambda n: calculators.run("coverage", {"segments": [{"segment": segment, "accounts": n, "arr": 1_000_000}], "csm_cost": 150_000})  # noqa: E731
    assert run(low)["total_csms"] <= run(high)["total_csms"]


@given(health_components(), st.sampled_from(["default", "high_touch", "low_touch", "tech_touch"]))
@settings(max_examples=200)
def test_health_score_is_within_bounds_and_points_add_up(components: dict[str, float], segment: str) -> None:
    result = calculators.run("health_score", {"segment": segment, "components": components})
    if result["score"] is None:
        assert result["band"] == "insufficient_data"
        return
    assert 0 <= result["score"] <= 100
    assert abs(sum(result["contributions"].values()) - result["score"]) < 1e-9
    assert abs(sum(result["contributions"].values()) + sum(result["points_lost"].values()) - 100) < 1e-9


@given(health_components(), score_0_100)
def test_raising_one_component_never_lowers_the_score(components: dict[str, float], bump: float) -> None:
    before = calculators.run("health_score", {"components": components})
    name = next(iter(components))
    raised = {**components, name: max(components[name], bump)}
    after = calculators.run("health_score", {"components": raised})
    if before["score"] is not None:
        assert after["score"] >= before["score"] - 1e-9


@given(st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000))
def test_nps_is_between_minus_100_and_100(p: int, pa: int, d: int) -> None:
    if p + pa + d == 0:
        return
    result = calculators.run("nps", {"promoters": p, "passives": pa, "detractors": d})
    assert -100 <= result["nps"] <= 100
