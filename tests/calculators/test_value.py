"""Value family (calculators/value.py): ROI, rate metrics and time to value.

Sources are named as in tests/calculators/seed_cases.py ("seed 002", "DESIGN").
"""

from __future__ import annotations

from typing import Any

import pytest

import calculators
from calculators.value import is_share
from tests.calculators.seed_cases import PARAMETERS, Case, case_ids, check_case

CASES: list[Case] = [
    # (source, calculator, inputs, expected subset)
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
]


@pytest.mark.parametrize(PARAMETERS, CASES, ids=case_ids(CASES))
def test_result_matches_the_sourced_example(
    source: str, name: str, inputs: dict[str, Any], expected: dict[str, Any], config: dict[str, Any]
) -> None:
    check_case(source, name, inputs, expected, config)


# Issue "never show a wrong number silently", item 1: a part cannot exceed its whole.
PART_OF_WHOLE: list[tuple[str, str, float, float, str | None]] = [
    # (source, metric, numerator, denominator, refused field or None)
    ("issue: a 120 % renewal rate showed 'no band'", "renewal_rate", 120, 100, "numerator"),
    ("issue: QBRs held above QBRs due", "qbr_completion", 11, 10, "numerator"),
    ("issue: every contract renewed is 100 %, the top of the Great band", "renewal_rate", 100, 100, None),
    ("issue: more active users than seats is licence over-use (open 'Near capacity' band)", "license_utilization", 120, 100, None),
    ("issue: expansion revenue can exceed the starting revenue (open 'Strong' band)", "expansion_revenue", 150, 100, None),
    ("issue: renewed above forecast is 'Under-forecast' (open band above 110)", "forecast_accuracy", 120, 100, None),
]


@pytest.mark.parametrize(("source", "metric", "numerator", "denominator", "field"), PART_OF_WHOLE, ids=[c[0] for c in PART_OF_WHOLE])
def test_a_share_refuses_a_part_larger_than_its_whole(
    source: str, metric: str, numerator: float, denominator: float, field: str | None, config: dict[str, Any]
) -> None:
    inputs = {"metric": metric, "numerator": numerator, "denominator": denominator}
    if field is None:
        result = calculators.run("rate", inputs, config)
        assert result["rate"] == pytest.approx(numerator * 100 / denominator), source
        assert result["band"] is not None, source
        return
    with pytest.raises(calculators.InputError) as err:
        calculators.run("rate", inputs, config)
    assert err.value.field == field, source
    assert str(err.value) == f"numerator: must be at most the denominator (got {numerator} of {denominator})", source


def test_every_rate_metric_is_a_share_exactly_when_its_bands_stop_at_100(config: dict[str, Any]) -> None:
    """The rule is read from the bands: the shares are the metrics whose top band ends at 100 %."""
    rates = {mid: m for mid, m in config["assessments"].items() if m.get("ratio")}
    shares = {mid for mid, m in rates.items() if is_share(m["bands"])}
    assert {"renewal_rate", "qbr_completion", "feature_adoption", "onboarding_completion"} <= shares
    assert not shares & {"license_utilization", "expansion_revenue", "forecast_accuracy"}
    for mid in shares:  # a share's 100 % is always in a band, never "no band"
        assert calculators.run("rate", {"metric": mid, "numerator": 5, "denominator": 5}, config)["band"] is not None, mid
