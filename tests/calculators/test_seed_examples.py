"""Worked examples and case tables. Each expected value names where it comes from.

"seed 002" is ../shared/seeds/002_19a9f4e57dd37af0.txt (the CS strategy reference); the
section follows. "DESIGN" is ../shared/DESIGN.md's list of examples that must hold.
"""

from __future__ import annotations

from typing import Any

import pytest

import calculators

CASES: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    # (source, calculator, inputs, expected subset)
    (
        "DESIGN; seed 002 'Net Revenue Retention' example",
        "nrr_grr",
        {"starting_mrr": 1_000_000, "expansion": 150_000, "contraction": 30_000, "churn": 50_000},
        {"nrr": 107.0, "grr": 92.0, "nrr_band": "good", "grr_band": "good", "ending_mrr": 1_070_000},
    ),
    (
        "seed 002 NRR table: <90 % is critical",
        "nrr_grr",
        {"starting_mrr": 100, "expansion": 0, "contraction": 5, "churn": 6},
        {"nrr": 89.0, "nrr_band": "critical", "grr": 89.0, "grr_band": "average"},
    ),
    (
        "seed 002 NRR table: >120 % excellent; GRR >95 % excellent",
        "nrr_grr",
        {"starting_mrr": 100, "expansion": 25, "contraction": 1, "churn": 2},
        {"nrr": 122.0, "nrr_band": "excellent", "grr": 97.0, "grr_band": "excellent"},
    ),
    (
        "convention: band minimum included (110 is 'great')",
        "nrr_grr",
        {"starting_mrr": 100, "expansion": 10, "contraction": 0, "churn": 0},
        {"nrr": 110.0, "nrr_band": "great", "grr": 100.0},
    ),
    (
        "DESIGN; seed 002 'Net Promoter Score' example",
        "nps",
        {"promoters": 50, "passives": 30, "detractors": 20},
        {"nps": 30.0, "band": "good"},
    ),
    ("seed 002 NPS table: <0 critical", "nps", {"promoters": 1, "passives": 0, "detractors": 3}, {"nps": -50.0, "band": "critical"}),
    ("seed 002 NPS table: >70 excellent", "nps", {"promoters": 9, "passives": 1, "detractors": 0}, {"nps": 90.0, "band": "excellent"}),
    ("seed 002 CSAT: satisfied ÷ total × 100; 80–90 good", "csat", {"satisfied": 172, "total": 200}, {"csat": 86.0, "band": "good"}),
    ("seed 002 CSAT table: <70 poor", "csat", {"satisfied": 6, "total": 10}, {"csat": 60.0, "band": "poor"}),
    ("seed 002 CSAT table: >90 excellent (100 included)", "csat", {"satisfied": 10, "total": 10}, {"csat": 100.0, "band": "excellent"}),
    ("seed 002 CES table: <3 low effort", "ces", {"scores": [2, 3, 1, 4, 2, 2, 5, 3]}, {"ces": 2.75, "band": "low_effort"}),
    ("seed 002 CES table: 3–5 average (5 included)", "ces", {"scores": [5, 5]}, {"ces": 5.0, "band": "average_effort"}),
    ("seed 002 CES table: >5 high friction", "ces", {"scores": [6, 7]}, {"ces": 6.5, "band": "high_effort"}),
    (
        "seed 002 'Key Metrics Reference': logo retention 85 %+ good, 92 %+ great",
        "logo_retention",
        {"starting_customers": 100, "churned_customers": 8},
        {"logo_retention": 92.0, "band": "great"},
    ),
    (
        "seed 002 example org: 8 % annual logo churn",
        "logo_retention",
        {"starting_customers": 340, "churned_customers": 27},
        {"retained_customers": 313},
    ),
    (
        "seed 002 'Coverage Model Economics': 200k at 1:15, 150k CSM → 5 %",
        "coverage",
        {"segments": [{"segment": "enterprise", "accounts": 1, "arr": 200_000, "ratio": 15}], "csm_cost": 150_000},
        {"total_cost_to_serve_pct": 5.0},
    ),
    (
        "seed 002 'Coverage Model Economics': 10k at 1:15 → 100 %",
        "coverage",
        {"segments": [{"segment": "smb", "accounts": 1, "arr": 10_000, "ratio": 15}], "csm_cost": 150_000},
        {"total_cost_to_serve_pct": 100.0},
    ),
    (
        "seed 002 'Coverage Model Economics': 10k at 1:150 → 10 %",
        "coverage",
        {"segments": [{"segment": "smb", "accounts": 1, "arr": 10_000, "ratio": 150}], "csm_cost": 150_000},
        {"total_cost_to_serve_pct": 10.0},
    ),
    (
        "seed 002 example org: mid-market 120 accounts at 1:40 → 3 CSMs",
        "coverage",
        {"segments": [{"segment": "mid_market", "accounts": 120, "arr": 6_600_000, "ratio": 40}], "csm_cost": 150_000},
        {"total_csms": 3.0, "headcount": 3},
    ),
    (
        "seed 002 'ROI Calculation Framework' value report: 1.2M value on 120k → 10x",
        "roi",
        {"investment": 120_000, "revenue_increase": 1_200_000},
        {"hard_value": 1_200_000, "value_multiple": 10.0, "roi": 900.0},
    ),
    (
        "seed 002 ROI: hours × rate and FTEs × cost are hard value",
        "roi",
        {"investment": 100, "hours_saved": 10, "hourly_rate": 5, "ftes_avoided": 1, "fte_cost": 50},
        {"hard_value": 100, "roi": 0.0},
    ),
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
    (
        "seed 002 multi-factor segmentation weights 40/25/20/15",
        "segment_score",
        {"arr": 600_000, "complexity": 100, "growth_potential": 100, "strategic_value": 100},
        {"score": 100.0, "tier": "high_touch"},
    ),
    (
        "seed 002 segmentation: ARR 80k scores as mid-market (50)",
        "segment_score",
        {"arr": 80_000, "complexity": 80, "growth_potential": 70, "strategic_value": 50},
        {"score": 61.5, "arr_segment": "mid_market", "tier": "low_touch"},
    ),
    (
        "seed 002 'Renewal' metrics: renewal rate 85 %+",
        "rate",
        {"metric": "renewal_rate", "numerator": 88, "denominator": 100},
        {"rate": 88.0},
    ),
    (
        "seed 002 'Time to Value': contract to first outcome",
        "time_to_value",
        {"contract_date": "2026-01-05", "first_value_date": "2026-01-19"},
        {"days": 14},
    ),
    ("seed 002 renewal T-90 (planner)", "playbook_plan", {"playbook": "renewal", "date": "2026-06-30"}, {"playbook": "renewal"}),
]


@pytest.mark.parametrize(("source", "name", "inputs", "expected"), CASES, ids=[f"{c[1]}:{c[0][:40]}" for c in CASES])
def test_case_table(source: str, name: str, inputs: dict[str, Any], expected: dict[str, Any], config: dict[str, Any]) -> None:
    if name == "playbook_plan" and "renewal" not in config["playbooks"]:
        pytest.skip("the renewal playbook is not in the library yet")
    result = calculators.run(name, inputs, config)
    for key, value in expected.items():
        assert result[key] == pytest.approx(value), f"{key} ({source})"


def test_renewal_forecast_worked_example_design() -> None:
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
def test_health_bands_are_half_open(health: float, band: str, probability: int) -> None:
    """DESIGN contract: healthy [80, 100], stable [60, 80), at_risk [40, 60), critical [20, 40), emergency [0, 20)."""
    result = calculators.run("renewal_forecast", {"accounts": [{"name": "x", "arr": 100, "health": health}]})
    assert result["accounts"][0]["band"] == band
    assert result["accounts"][0]["probability"] == probability


def test_health_default_weights_30_25_20_15_10() -> None:
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
def test_segment_weights_from_source(segment: str, weights: dict[str, int]) -> None:
    """seed 002 'Segment-Specific Health Scores' table."""
    for component, weight in weights.items():
        components = {c: (100 if c == component else 0) for c in weights}
        result = calculators.run("health_score", {"segment": segment, "components": components})
        assert result["score"] == pytest.approx(weight), component


def test_health_all_80_is_healthy_not_stable() -> None:
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


def test_policy_zero_and_reject_come_from_config(config: dict[str, Any]) -> None:
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


def test_coverage_default_is_source_example_organisation(config: dict[str, Any]) -> None:
    """seed 002 'Example': 18M ARR over 340 accounts (40 enterprise, 120 mid-market, 180 SMB)."""
    result = calculators.run("coverage", calculators.example("coverage", config), config)
    assert result["total_accounts"] == 340
    assert result["total_arr"] == 18_000_000
    enterprise = result["segments"][0]
    assert enterprise["ratio"] == 15
    assert enterprise["csms"] == pytest.approx(40 / 15)
    assert result["segments"][1]["ratio"] == 40


def test_every_calculator_runs_its_own_example(config: dict[str, Any]) -> None:
    for name in calculators.names():
        inputs = calculators.example(name, config)
        result = calculators.run(name, inputs, config)
        assert isinstance(result, dict) and result, name


def test_describe_lists_every_input_with_label_and_type(config: dict[str, Any]) -> None:
    for name in calculators.names():
        decl = calculators.describe(name, config)
        assert decl["name"] == name
        for field in decl["inputs"]:
            assert field["label"] and field["type"] in ("number", "integer", "select", "text", "numbers", "table", "mapping", "date")
