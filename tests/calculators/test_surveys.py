"""Surveys family (calculators/surveys.py): NPS, CSAT and CES and their assessment bands.

Sources are named as in tests/calculators/seed_cases.py ("seed 002", "DESIGN").
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import calculators
from tests.calculators.seed_cases import PARAMETERS, Case, case_ids, check_case

CASES: list[Case] = [
    # (source, calculator, inputs, expected subset)
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
]


@pytest.mark.parametrize(PARAMETERS, CASES, ids=case_ids(CASES))
def test_result_matches_the_sourced_example(
    source: str, name: str, inputs: dict[str, Any], expected: dict[str, Any], config: dict[str, Any]
) -> None:
    check_case(source, name, inputs, expected, config)


@given(st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000))
def test_nps_is_between_minus_100_and_100(p: int, pa: int, d: int) -> None:
    if p + pa + d == 0:
        return
    result = calculators.run("nps", {"promoters": p, "passives": pa, "detractors": d})
    assert -100 <= result["nps"] <= 100
