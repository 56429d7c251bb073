"""Coverage family (calculators/coverage.py): CSMs needed, cost-to-serve and the segment score.

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
]


@pytest.mark.parametrize(PARAMETERS, CASES, ids=case_ids(CASES))
def test_result_matches_the_sourced_example(
    source: str, name: str, inputs: dict[str, Any], expected: dict[str, Any], config: dict[str, Any]
) -> None:
    check_case(source, name, inputs, expected, config)


def test_coverage_example_is_the_sources_example_organisation(config: dict[str, Any]) -> None:
    """seed 002 'Example': 18M ARR over 340 accounts (40 enterprise, 120 mid-market, 180 SMB)."""
    result = calculators.run("coverage", calculators.example("coverage", config), config)
    assert result["total_accounts"] == 340
    assert result["total_arr"] == 18_000_000
    enterprise = result["segments"][0]
    assert enterprise["ratio"] == 15
    assert enterprise["csms"] == pytest.approx(40 / 15)
    assert result["segments"][1]["ratio"] == 40


@given(
    st.integers(min_value=1, max_value=5000),
    st.integers(min_value=1, max_value=5000),
    st.sampled_from(["enterprise", "mid_market", "smb", "high_touch"]),
)
def test_coverage_is_monotonic_in_accounts(a: int, b: int, segment: str) -> None:
    low, high = sorted((a, b))

    def total(n: int) -> float:
        return float(
            calculators.run("coverage", {"segments": [{"segment": segment, "accounts": n, "arr": 1_000_000}], "csm_cost": 150_000})[
                "total_csms"
            ]
        )

    assert total(low) <= total(high)


# Issue "never show a wrong number silently", item 2: a segment listed twice would count its accounts twice.
def _row(segment: str) -> dict[str, Any]:
    return {"segment": segment, "accounts": 10, "arr": 500_000}


DUPLICATES: list[tuple[str, list[str], str | None, str]] = [
    # (source, segments in order, refused field or None, message)
    ("issue: high_touch listed twice", ["high_touch", "high_touch"], "segments[1].segment", "'high_touch' is listed twice (rows 1 and 2)"),
    (
        "issue: the second copy is named, not the first",
        ["smb", "enterprise", "smb"],
        "segments[2].segment",
        "'smb' is listed twice (rows 1 and 3)",
    ),
    ("issue: a tier and a ratio-table row of that tier are different segments", ["high_touch", "enterprise"], None, ""),
]


@pytest.mark.parametrize(("source", "segments", "field", "rule"), DUPLICATES, ids=[c[0] for c in DUPLICATES])
def test_a_segment_listed_twice_is_refused_by_its_second_row(
    source: str, segments: list[str], field: str | None, rule: str, config: dict[str, Any]
) -> None:
    inputs = {"segments": [_row(s) for s in segments], "csm_cost": 150_000}
    if field is None:
        assert calculators.run("coverage", inputs, config)["total_accounts"] == 10 * len(segments), source
        return
    with pytest.raises(calculators.InputError) as err:
        calculators.run("coverage", inputs, config)
    assert (err.value.field, err.value.rule) == (field, rule), source
