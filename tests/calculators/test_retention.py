"""Retention family (calculators/retention.py): NRR, GRR and logo retention.

Sources are named as in tests/calculators/seed_cases.py ("seed 002", "DESIGN").
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

import calculators
from tests.calculators.seed_cases import PARAMETERS, Case, case_ids, check_case
from tests.strategies import retention_inputs

CASES: list[Case] = [
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
]


@pytest.mark.parametrize(PARAMETERS, CASES, ids=case_ids(CASES))
def test_result_matches_the_sourced_example(
    source: str, name: str, inputs: dict[str, Any], expected: dict[str, Any], config: dict[str, Any]
) -> None:
    check_case(source, name, inputs, expected, config)


@given(retention_inputs())
def test_nrr_is_never_below_grr_and_grr_never_above_100(inputs: dict[str, float]) -> None:
    result = calculators.run("nrr_grr", inputs)
    assert result["nrr"] >= result["grr"] - 1e-9
    assert result["grr"] <= 100 + 1e-9
    assert result["grr"] >= -1e-9
