"""Value family (calculators/value.py): ROI, rate metrics and time to value.

Sources are named as in tests/calculators/seed_cases.py ("seed 002", "DESIGN").
"""

from __future__ import annotations

from typing import Any

import pytest

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
