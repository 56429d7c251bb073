"""Leadership family (calculators/leadership.py): relationship strength, renewal incentive, stack budget.

Sources are named as in tests/calculators/seed_cases.py ("seed 002" and its section).
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calculators
from calculators.display import present
from tests.calculators.seed_cases import PARAMETERS, Case, case_ids, check_case
from tests.strategies import attainments, relationship_answers

TOP = {"contact": "regular", "sentiment": "advocate", "access": "multi_level", "expansion": "expanding"}
ZERO = {"grr": 0, "nrr": 0, "expansion": 0, "health": 0}
RS = "seed 002 'Executive Stakeholder Management: Relationship Strength Scoring'"
RI = "seed 002 'Renewal & Expansion Strategy: Renewal Incentive Structure'"
TB = "seed 002 'CS Technology Stack Strategy: Technology Budget Allocation'"
SC = "seed 002 'CS Organization Design & Team Structure: Scaling Checklist'"

CASES: list[Case] = [
    # (source, calculator, inputs, expected subset)
    (f"{RS}: 5 Strong (references, expansion, exec access)", "relationship_strength", TOP, {"score": 5, "level": "strong"}),
    (
        f"{RS}: 4 Good (regular calls, positive feedback); the page's example",
        "relationship_strength",
        {"contact": "regular", "sentiment": "positive", "access": "single_level", "expansion": "not_yet"},
        {"score": 4, "level": "good", "label": "Good", "definition": "Engaged, responsive, supportive"},
    ),
    (
        f"{RS}: 3 Neutral (responds when contacted)",
        "relationship_strength",
        {**TOP, "contact": "responds", "sentiment": "neutral"},
        {"score": 3, "level": "neutral"},
    ),
    (f"{RS}: 2 Weak (missed meetings, slow responses)", "relationship_strength", {**TOP, "contact": "slow"}, {"score": 2, "level": "weak"}),
    (f"{RS}: 1 At risk (complaints)", "relationship_strength", {**TOP, "sentiment": "complaints"}, {"score": 1, "level": "at_risk"}),
    (f"{RS}: 1 At risk (no engagement)", "relationship_strength", {**TOP, "contact": "none"}, {"score": 1, "label": "At risk"}),
    (f"{RS}: 5 needs multi-level access", "relationship_strength", {**TOP, "access": "single_level"}, {"score": 4}),
    (
        f"{RI}: GRR 40 % of variable",
        "renewal_incentive",
        {"target_variable": 40_000, "attainment": {**ZERO, "grr": 100}},
        {"payout": 16_000, "payout_pct": 40},
    ),
    (
        f"{RI}: NRR 30 % of variable",
        "renewal_incentive",
        {"target_variable": 40_000, "attainment": {**ZERO, "nrr": 100}},
        {"payout": 12_000, "payout_pct": 30},
    ),
    (
        f"{RI}: expansion influenced 20 % of variable",
        "renewal_incentive",
        {"target_variable": 40_000, "attainment": {**ZERO, "expansion": 100}},
        {"payout_pct": 20},
    ),
    (
        f"{RI}: health scores 10 % of variable",
        "renewal_incentive",
        {"target_variable": 40_000, "attainment": {**ZERO, "health": 100}},
        {"payout_pct": 10},
    ),
    (
        f"{RI}: every metric on target pays the whole target",
        "renewal_incentive",
        {"target_variable": 40_000, "attainment": {"grr": 100, "nrr": 100, "expansion": 100, "health": 100}},
        {"payout": 40_000, "payout_pct": 100},
    ),
    (
        f"{RI}: the page's example, 40×100 + 30×95 + 20×80 + 10×100 (110 capped at 100) = 94.5 %",
        "renewal_incentive",
        {"target_variable": 40_000, "attainment": {"grr": 100, "nrr": 95, "expansion": 80, "health": 110}},
        {"payout": 37_800, "payout_pct": 94.5, "cap": 100},
    ),
    (
        f"{RI}: an accelerator (cap 150) pays 120 % attainment as 120 %",
        "renewal_incentive",
        {"target_variable": 40_000, "attainment": {"grr": 120, "nrr": 120, "expansion": 120, "health": 120}, "cap": 150},
        {"payout": 48_000, "payout_pct": 120},
    ),
    (
        f"{TB}: 11 seats × 5,000 (seed 002 'Example': a team of 11)",
        "stack_budget",
        {"seats": 11, "per_seat_cost": 5_000},
        {"total": 55_000},
    ),
    (
        f"{SC}: 2 CSMs and 20 customers: no platform yet",
        "stack_budget",
        {"seats": 2, "per_seat_cost": 1_000, "customers": 20},
        {"platform_due": False},
    ),
    (f"{SC}: 3+ CSMs: a platform is due", "stack_budget", {"seats": 3, "per_seat_cost": 1_000}, {"platform_due": True}),
    (
        f"{SC}: ~50 customers: a platform is due",
        "stack_budget",
        {"seats": 1, "per_seat_cost": 1_000, "customers": 50},
        {"platform_due": True},
    ),
]


@pytest.mark.parametrize(PARAMETERS, CASES, ids=case_ids(CASES))
def test_result_matches_the_sourced_example(
    source: str, name: str, inputs: dict[str, Any], expected: dict[str, Any], config: dict[str, Any]
) -> None:
    check_case(source, name, inputs, expected, config)


def test_budget_categories_are_the_seeds_ranges(config: dict[str, Any]) -> None:
    """seed 002 'Technology Budget Allocation': CS platform 40–50 %, analytics 15–20 %, engagement 15–20 %,
    integration/data 10–15 %, feedback 5–10 %; of 55,000 the CS platform is 22,000–27,500, planned 24,750."""
    r = calculators.run("stack_budget", {"seats": 11, "per_seat_cost": 5_000}, config)
    ranges = {c["id"]: (c["min_pct"], c["max_pct"]) for c in r["categories"]}
    assert ranges == {"cs_platform": (40, 50), "analytics": (15, 20), "engagement": (15, 20), "integration": (10, 15), "feedback": (5, 10)}
    platform = next(c for c in r["categories"] if c["id"] == "cs_platform")
    assert (platform["low"], platform["planned"], platform["high"]) == pytest.approx((22_000, 24_750, 27_500))
    assert sum(c["planned"] for c in r["categories"]) == pytest.approx(55_000)


def test_advocacy_gate_needs_4_or_5(config: dict[str, Any]) -> None:
    """playbooks/library/advocacy.yml: 'relationship strength of 4 or 5'."""
    for answers, fits in ((TOP, True), ({**TOP, "access": "single_level"}, True), ({**TOP, "sentiment": "neutral"}, False)):
        gates = {g["playbook"]: g["passes"] for g in calculators.run("relationship_strength", answers, config)["gates"]}
        assert gates["advocacy"] is fits, answers


def test_the_next_level_names_what_is_missing(config: dict[str, Any]) -> None:
    r = calculators.run("relationship_strength", {**TOP, "access": "single_level"}, config)
    assert r["next_level"]["score"] == 5
    assert [n["id"] for n in r["next_level"]["needs"]] == ["access"]
    assert [c["id"] for c in r["criteria"] if c["holding"]] == ["access"]
    assert calculators.run("relationship_strength", TOP, config)["next_level"] is None


def test_a_missing_attainment_is_refused_by_its_name(config: dict[str, Any]) -> None:
    with pytest.raises(calculators.InputError) as err:
        calculators.run("renewal_incentive", {"target_variable": 1, "attainment": {"grr": 100}}, config)
    assert err.value.field == "attainment.nrr"


@settings(deadline=None)  # each example runs the calculator (twice for the monotony checks) on a shared machine
@given(relationship_answers(), st.sampled_from(("contact", "sentiment", "access", "expansion")))
def test_a_weaker_answer_never_raises_the_score(answers: dict[str, str], criterion: str) -> None:
    config = calculators.default_config()
    options = [a["id"] for a in config["relationship_strength"]["criteria"][criterion]["answers"]]
    before = calculators.run("relationship_strength", answers, config)["score"]
    weaker = options[min(options.index(answers[criterion]) + 1, len(options) - 1)]
    after = calculators.run("relationship_strength", {**answers, criterion: weaker}, config)["score"]
    assert 1 <= after <= before <= 5


@settings(deadline=None)  # each example runs the calculator (twice for the monotony checks) on a shared machine
@given(relationship_answers())
def test_the_score_is_the_lowest_level_an_answer_allows(answers: dict[str, str]) -> None:
    r = calculators.run("relationship_strength", answers)
    assert r["score"] == min(c["allows"] for c in r["criteria"])


@settings(deadline=None)  # each example runs the calculator (twice for the monotony checks) on a shared machine
@given(st.floats(min_value=1, max_value=1e7, allow_nan=False), attainments())
def test_payout_never_exceeds_the_target_at_the_default_cap(target: float, attainment: dict[str, float]) -> None:
    r = calculators.run("renewal_incentive", {"target_variable": target, "attainment": attainment})
    assert 0 <= r["payout"] <= target * (1 + 1e-12)
    assert math.isclose(r["payout"], sum(m["payout"] for m in r["metrics"]), rel_tol=1e-12, abs_tol=1e-9)


@settings(deadline=None)  # each example runs the calculator (twice for the monotony checks) on a shared machine
@given(attainments(), st.sampled_from(("grr", "nrr", "expansion", "health")), st.floats(min_value=0, max_value=50, allow_nan=False))
def test_more_attainment_never_pays_less(attainment: dict[str, float], metric: str, more: float) -> None:
    cap = 300
    before = calculators.run("renewal_incentive", {"target_variable": 10_000, "attainment": attainment, "cap": cap})["payout"]
    raised = {**attainment, metric: min(attainment[metric] + more, cap)}
    after = calculators.run("renewal_incentive", {"target_variable": 10_000, "attainment": raised, "cap": cap})["payout"]
    assert after >= before - 1e-9


@settings(deadline=None)  # each example runs the calculator (twice for the monotony checks) on a shared machine
@given(st.integers(min_value=1, max_value=10_000), st.floats(min_value=0.01, max_value=1e6, allow_nan=False))
def test_budget_is_seats_times_per_seat_and_the_plan_adds_up(seats: int, per_seat: float) -> None:
    r = calculators.run("stack_budget", {"seats": seats, "per_seat_cost": per_seat})
    assert r["total"] == seats * per_seat
    assert math.isclose(sum(c["planned"] for c in r["categories"]), r["total"], rel_tol=1e-9)
    for c in r["categories"]:
        assert c["low"] <= c["planned"] <= c["high"]


@pytest.mark.parametrize("name", ["relationship_strength", "renewal_incentive", "stack_budget"])
def test_the_page_shows_the_headline_outputs(name: str, config: dict[str, Any]) -> None:
    inputs = calculators.example(name, config)
    keys = [o.key for o in present(name, inputs, calculators.run(name, inputs, config), config, "../../")]
    assert {key for key, _ in calculators.CALCULATORS[name].outputs} <= set(keys)


def test_the_page_links_the_gating_playbooks(config: dict[str, Any]) -> None:
    inputs = calculators.example("relationship_strength", config)
    outputs = present("relationship_strength", inputs, calculators.run("relationship_strength", inputs, config), config, "../../")
    gates = next(o.html for o in outputs if o.key == "gates")
    assert 'href="../../playbooks/advocacy/"' in gates and 'href="../../playbooks/at-risk/"' in gates
