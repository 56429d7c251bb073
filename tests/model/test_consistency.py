"""The consistency checks (cslibrary.model.checks, cslibrary.model.overlaps) on the shipped library and on small rules.

The broken fixtures prove that each check reports its mistake at file:line:col; these tests pin
what the checks treat as an overlap and what the shipped YAML decided for each pair
(playbooks/README.md, "Overlapping plays"), and that the segment figures agree with the
calculators that use them.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pytest

import calculators
from cslibrary.model import Library, Rule
from cslibrary.model.calculator_config import config_from_model
from cslibrary.model.checks import target_band
from cslibrary.model.loader import load_library
from cslibrary.model.overlaps import shared_signals

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT)


def rule(when: dict[str, Any], **extra: Any) -> Rule:
    return Rule.model_validate({"when": when, "priority": 5, **extra})


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        ({"metric": "health_score", "below": 40}, {"metric": "health_score", "at_least": 40}, []),
        ({"metric": "health_score", "at_most": 40}, {"metric": "health_score", "at_least": 40}, ["health_score exactly 40"]),
        (
            {"metric": "health_score", "below": 60},
            {"metric": "health_score", "at_least": 40, "below": 80},
            ["health_score from 40 to under 60"],
        ),
        ({"change": "dau_mau", "drops_by": 20}, {"change": "dau_mau", "rises_by": 10}, []),
        ({"change": "dau_mau", "drops_by": 20}, {"change": "dau_mau", "drops_by": 30}, ["a fall in dau_mau"]),
        (
            {"event": "nps_response", "within_days": 7, "where": {"score": {"at_most": 6}}},
            {"event": "nps_response", "within_days": 30, "where": {"score": {"at_least": 9}}},
            [],
        ),
        (
            {"event": "nps_response", "within_days": 7},
            {"event": "nps_response", "within_days": 30, "where": {"score": {"at_least": 9}}},
            ["the event nps_response"],
        ),
        ({"date": "renewal_date", "days_before": 120}, {"date": "renewal_date", "days_before": 90}, ["the account date renewal_date"]),
        # Scopes and cadences are no signals, and they rule a pair out when they cannot both hold.
        ({"stage": ["adoption"]}, {"stage": ["adoption"]}, []),
        ({"every_months": 3}, {"every_months": 3}, []),
        (
            {"all": [{"stage": ["onboarding"]}, {"metric": "dau_mau", "below": 20}]},
            {"all": [{"stage": ["adoption"]}, {"metric": "dau_mau", "below": 10}]},
            [],
        ),
        (
            {"all": [{"arr": {"below": 500_000}}, {"event": "champion_left", "within_days": 30}]},
            {"all": [{"arr": {"at_least": 500_000}}, {"event": "champion_left", "within_days": 30}]},
            [],
        ),
        # An `all` adds constraints: a health range on each side that does not meet rules the event out.
        (
            {"all": [{"metric": "health_score", "below": 40}, {"event": "champion_left", "within_days": 30}]},
            {"all": [{"metric": "health_score", "at_least": 60}, {"event": "champion_left", "within_days": 30}]},
            [],
        ),
        # An `any` adds alternatives: one branch is enough.
        (
            {"any": [{"metric": "health_score", "below": 20}, {"event": "at_risk_escalated", "within_days": 7}]},
            {"any": [{"metric": "nps", "below": 0}, {"event": "at_risk_escalated", "within_days": 7}]},
            ["the event at_risk_escalated"],
        ),
    ],
)
def test_what_counts_as_the_same_signal(a: dict[str, Any], b: dict[str, Any], shared: list[str]) -> None:
    assert [s.text for s in shared_signals(rule(a), rule(b))] == shared
    assert [s.text for s in shared_signals(rule(b), rule(a))] == shared


#: Every pair of shipped rules that can fire on the same signal, and what settles it (README, "Overlapping plays").
#: The health-band plays never overlap: their ranges meet nowhere and their other signals differ.
#: champion-departure suppresses key-user-leaves for two events one departure raises; two events
#: are two signals to the check, so that pair is not listed (the check is syntactic).
SHIPPED_PAIRS = {
    ("at-risk-renewal-escalation", "at-risk"): "suppresses",
    ("at-risk-renewal-escalation", "intervention-workshop"): "suppresses",
    ("at-risk-renewal-escalation", "renewal"): "runs_with",
    ("advocacy", "expansion"): "runs_with",
    ("advocacy", "post-feedback-follow-up"): "runs_with",
    ("nps-detractor-follow-up", "post-feedback-follow-up"): "runs_with",
    ("success-plan", "time-to-first-value"): "runs_with",
}


def test_every_shipped_overlap_is_settled_as_the_readme_says(library: Library) -> None:
    found = {}
    for (aid, a), (bid, b) in itertools.combinations(sorted(library.playbooks.items()), 2):
        ra, rb = a.trigger.rule, b.trigger.rule
        assert ra is not None and rb is not None
        segments = set(ra.segments or a.segments) & set(rb.segments or b.segments)
        if not segments or not shared_signals(ra, rb):
            continue
        how = "group" if ra.group and ra.group == rb.group else None
        how = how or ("suppresses" if bid in ra.suppresses or aid in rb.suppresses else None)
        how = how or ("runs_with" if bid in ra.runs_with or aid in rb.runs_with else None)
        found[(aid, bid)] = how
    expected = {tuple(sorted(pair)): how for pair, how in SHIPPED_PAIRS.items()}
    assert found == expected


def test_the_target_band_is_the_band_of_the_metrics_target_or_its_best(library: Library) -> None:
    ttv = library.metrics["time_to_value"]
    band = target_band(ttv)
    assert band is not None and band.id == "good"
    no_target = ttv.model_copy(update={"target": None})
    best = target_band(no_target)
    assert best is not None and best.id == "great"  # lower is better: the lowest band
    nps = library.metrics["nps"].model_copy(update={"target": None})
    best = target_band(nps)
    assert best is not None and best.id == "excellent"


def test_time_to_first_value_records_first_value_inside_the_target_band(library: Library) -> None:
    pb = library.playbooks["time-to-first-value"]
    assert pb.targets == {"time_to_value": 14}
    first_value = [s for s in pb.steps if "record the first value date" in s.action]
    assert [s.at for s in first_value] == [14]
    result = calculators.run("time_to_value", {"contract_date": "2026-01-05", "first_value_date": "2026-01-19"}, config_from_model(library))
    assert result["days"] == 14 and result["band"] in ("good", "Good")


@pytest.mark.parametrize("arr", [0, 4_999, 5_000, 14_999, 15_000, 20_000, 24_999, 25_000, 99_999, 100_000, 499_999, 500_000, 2_000_000])
def test_tiers_ratio_rows_and_segment_score_agree_on_every_arr(library: Library, arr: float) -> None:
    """A 20,000 account is low touch by every reading (it was tech touch by the ratio table and the score)."""
    config = config_from_model(library)
    by_tier = next(t.id for t in library.segments.tiers if t.arr_min <= arr < (t.arr_max or math.inf))
    scored = calculators.run("segment_score", {"arr": arr, "complexity": 0, "growth_potential": 0, "strategic_value": 0}, config)
    assert scored["arr_tier"] == by_tier
    arr_score = scored["arr_score"]
    neutral = calculators.run(
        "segment_score", {"arr": arr, "complexity": arr_score, "growth_potential": arr_score, "strategic_value": arr_score}, config
    )
    assert neutral["tier"] == by_tier  # other factors that score like the ARR keep the ARR's tier


def test_the_example_organisations_headcount_is_one_number(library: Library) -> None:
    config = config_from_model(library)
    result = calculators.run("coverage", calculators.example("coverage", config), config)
    rounded = [s["csms_rounded"] for s in result["segments"]]
    assert sum(rounded) == result["headcount"] == library.segments.example_organisation.headcount == 7
    assert rounded == [3, 3, 1]
