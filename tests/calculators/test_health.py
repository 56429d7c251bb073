"""Health family (calculators/health.py): the health score, its weights, its bands and missing data.

Sources are named as in tests/calculators/seed_cases.py ("seed 002", "DESIGN").
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calculators
from tests.strategies import health_components, score_0_100


def test_default_weights_are_the_sources_30_25_20_15_10() -> None:
    """seed 002 'Customer Health Score': usage 30, engagement 25, relationship 20, support 15, growth 10."""
    result = calculators.run(
        "health_score", {"components": {"product_usage": 100, "engagement": 0, "relationship": 0, "support": 0, "growth": 0}}
    )
    assert result["score"] == 30.0
    assert result["contributions"] == {"product_usage": 30.0, "engagement": 0.0, "relationship": 0.0, "support": 0.0, "growth": 0.0}
    assert result["biggest_drag"] == "engagement"
    assert result["points_lost"]["engagement"] == 25.0
    assert result["band"] == "critical"
    assert result["band_edge"] == "20 ≤ score < 40"
    assert result["playbook"] == "at-risk"


@pytest.mark.parametrize(
    ("segment", "weights"),
    [
        ("high_touch", {"product_usage": 30, "relationship": 25, "support": 15, "growth": 15, "financial": 15}),
        ("low_touch", {"product_usage": 35, "relationship": 15, "support": 20, "growth": 15, "financial": 15}),
        ("tech_touch", {"product_usage": 50, "relationship": 5, "support": 25, "growth": 10, "financial": 10}),
    ],
)
def test_each_segment_model_weighs_components_as_the_source_table(segment: str, weights: dict[str, int]) -> None:
    """seed 002 'Segment-Specific Health Scores' table."""
    for component, weight in weights.items():
        components = {c: (100 if c == component else 0) for c in weights}
        result = calculators.run("health_score", {"segment": segment, "components": components})
        assert result["score"] == pytest.approx(weight), component


def test_every_component_at_80_is_healthy_not_stable() -> None:
    """Floating point: 80 × weights must land on the band edge exactly, not 79.999…"""
    result = calculators.run(
        "health_score", {"components": dict.fromkeys(("product_usage", "engagement", "relationship", "support", "growth"), 80.1 - 0.1)}
    )
    assert result["band"] == "healthy"


def test_missing_component_is_renormalised() -> None:
    """Default policy (health-model.yml missing_data.policy: renormalise): drop and re-weight."""
    result = calculators.run("health_score", {"components": {"product_usage": 90, "engagement": 60}})
    assert result["score"] == pytest.approx((90 * 30 + 60 * 25) / 55)
    assert result["missing"] == ["relationship", "support", "growth"]
    assert result["coverage"] == 55.0
    assert result["weights"]["product_usage"] == pytest.approx(30 * 100 / 55)


def test_below_min_coverage_is_insufficient_data() -> None:
    result = calculators.run("health_score", {"components": {"support": 90}})
    assert result["band"] == "insufficient_data"
    assert result["score"] is None


def test_missing_data_policies_zero_and_reject_come_from_config(config: dict[str, Any]) -> None:
    zero = {**config, "health": {**config["health"], "missing_data": {"policy": "zero", "min_coverage": 0}}}
    result = calculators.run("health_score", {"components": {"product_usage": 100}}, zero)
    assert result["score"] == 30.0
    reject = {**config, "health": {**config["health"], "missing_data": {"policy": "reject", "min_coverage": 0}}}
    with pytest.raises(calculators.InputError) as err:
        calculators.run("health_score", {"components": {"product_usage": 100}}, reject)
    assert err.value.field == "components.engagement"


def test_weights_come_from_config_not_code(config: dict[str, Any]) -> None:
    """Rule 1 of DESIGN: change the YAML's weights and the result follows."""
    changed = {
        **config,
        "health": {**config["health"], "weights": {**config["health"]["weights"], "default": {"product_usage": 50, "engagement": 50}}},
    }
    result = calculators.run("health_score", {"components": {"product_usage": 100, "engagement": 0}}, changed)
    assert result["score"] == 50.0


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
