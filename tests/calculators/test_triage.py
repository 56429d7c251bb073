"""The triage family: which plays an account needs on a day, and why (calculators/triage.py, rules.py).

Rule-language cases run on a small configuration built here, so each case shows one
convention; the properties at the end run the shipped library's own rules over generated
accounts.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calculators
from calculators import InputError, run

AS_OF = "2026-12-07"


def _config(**playbooks: dict[str, Any]) -> dict[str, Any]:
    config = calculators.default_config()
    config["events"] = {
        "nps_response": {"label": "NPS response", "attributes": {"score": {"label": "Score", "minimum": 0, "maximum": 10}}},
        "champion_left": {"label": "Champion left", "attributes": {}},
    }
    config["dates"] = {"renewal_date": "Renewal date", "onboarding_complete": "Onboarding complete"}
    config["stages"] = [{"id": "onboarding", "label": "Onboarding"}, {"id": "adoption", "label": "Adoption"}]
    config["playbooks"] = {
        pid: {"title": pid.title(), "offset_unit": "day", "segments": ["high_touch", "low_touch"], "steps": [], **spec}
        for pid, spec in playbooks.items()
    }
    return config


def _plays(config: dict[str, Any], **inputs: Any) -> list[tuple[str, str, str]]:
    out = run("triage", {"as_of": AS_OF, "segment": "high_touch", **inputs}, config)
    return [(p["playbook"], p["reason"], p["starts"]) for p in out["plays"]]


# (case, rule's `when`, account inputs, expected (reason, starts) or None when it must not fire; source)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], tuple[str, str] | None]] = [
    # Seed 002, "Customer Health Score": Critical is [20, 40): 40 itself is not below 40.
    ("health below 40", {"metric": "health_score", "below": 40}, {"health": 39.5}, ("Health score 39.5 is below 40", AS_OF)),
    ("health 40 is not below 40", {"metric": "health_score", "below": 40}, {"health": 40}, None),
    (
        "band [40, 60)",
        {"metric": "health_score", "at_least": 40, "below": 60},
        {"health": 40},
        ("Health score 40 is from 40 to under 60", AS_OF),
    ),
    # Seed 003, significant-drop SuccessPlay: DAU/MAU down 20 % or more.
    (
        "a 25 % fall",
        {"change": "dau_mau", "drops_by": 20},
        {"changes": {"dau_mau": -25}},
        ("Daily to monthly active users fell 25 % (the rule: a fall of 20 % or more)", AS_OF),
    ),
    ("a 19 % fall", {"change": "dau_mau", "drops_by": 20}, {"changes": {"dau_mau": -19}}, None),
    # Seed 002, NPS: detractors score 0–6.
    (
        "NPS detractor in the last 7 days",
        {"event": "nps_response", "within_days": 7, "where": {"score": {"at_most": 6}}},
        {"events": [{"event": "nps_response", "date": "2026-12-01", "score": 4}]},
        ("NPS response (score 4) on 2026-12-01", "2026-12-01"),
    ),
    (
        "NPS passive does not fire",
        {"event": "nps_response", "within_days": 7, "where": {"score": {"at_most": 6}}},
        {"events": [{"event": "nps_response", "date": "2026-12-01", "score": 7}]},
        None,
    ),
    (
        "an event older than its window",
        {"event": "champion_left", "within_days": 7},
        {"events": [{"event": "champion_left", "date": "2026-11-29"}]},
        None,
    ),
    (
        "an event already handled by a run of the playbook",
        {"event": "champion_left", "within_days": 30},
        {"events": [{"event": "champion_left", "date": "2026-11-29"}], "dates": {"last_p": "2026-12-02"}},
        None,
    ),
    # Seed 002, renewal playbook: the work starts at T-120.
    (
        "renewal at T-120",
        {"date": "renewal_date", "days_before": 120},
        {"dates": {"renewal_date": "2027-04-01"}},
        ("Renewal date is 2027-04-01: the play starts 120 days before it, on 2026-12-02", "2026-12-02"),
    ),
    ("renewal not yet at T-120", {"date": "renewal_date", "days_before": 120}, {"dates": {"renewal_date": "2027-04-10"}}, None),
    (
        "30 days after onboarding",
        {"date": "onboarding_complete", "days_after": 30},
        {"dates": {"onboarding_complete": "2026-11-01"}},
        ("Onboarding complete is 2026-11-01: the play starts 30 days after it, on 2026-12-01", "2026-12-01"),
    ),
    # Seed 002, QBR cadence: once a quarter.
    (
        "a quarterly play due",
        {"every_months": 3},
        {"dates": {"last_p": "2026-09-07"}},
        ("It runs every 3 months and is due since 2026-12-07 (counted from 2026-09-07)", AS_OF),
    ),
    ("a quarterly play not yet due", {"every_months": 3}, {"dates": {"last_p": "2026-09-08"}}, None),
    (
        "EBR: every 6 months from ARR 500,000",
        {"all": [{"arr": {"at_least": 500_000}}, {"every_months": 6}]},
        {"arr": 400_000, "dates": {"last_p": "2026-06-01"}},
        None,
    ),
    (
        "scope by journey stage",
        {"all": [{"stage": ["adoption"]}, {"metric": "health_score", "below": 60}]},
        {"health": 50, "stage": "onboarding"},
        None,
    ),
]


@pytest.mark.parametrize(("case", "when", "inputs", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_condition_fires_with_a_reason_and_a_start(
    case: str, when: dict[str, Any], inputs: dict[str, Any], expected: tuple[str, str] | None
) -> None:
    plays = _plays(_config(p={"rule": {"when": when, "priority": 1}}), **inputs)
    assert plays == ([] if expected is None else [("p", *expected)])


def test_one_play_of_an_exclusive_group_runs_and_the_others_say_why() -> None:
    band = {"metric": "health_score", "below": 60}
    config = _config(
        workshop={"rule": {"when": band, "priority": 3, "group": "health_band"}},
        save={"rule": {"when": {"metric": "health_score", "below": 40}, "priority": 2, "group": "health_band"}},
    )
    out = run("triage", {"as_of": AS_OF, "segment": "high_touch", "health": 30}, config)
    assert [p["playbook"] for p in out["plays"]] == ["save"]
    assert out["suppressed"] == [
        {"playbook": "workshop", "title": "Workshop", "by": "save", "reason": "the 'health_band' group runs one play and save ranks first"}
    ]


def test_a_play_that_suppresses_another_replaces_it() -> None:
    left = {"event": "champion_left", "within_days": 14}
    config = _config(
        champion={"rule": {"when": left, "priority": 2, "suppresses": ["key-user"]}},
        **{"key-user": {"rule": {"when": left, "priority": 3}}},
    )
    out = run("triage", {"as_of": AS_OF, "segment": "high_touch", "events": [{"event": "champion_left", "date": "2026-12-06"}]}, config)
    assert [p["playbook"] for p in out["plays"]] == ["champion"]
    assert [(s["playbook"], s["by"]) for s in out["suppressed"]] == [("key-user", "champion")]


def test_plays_come_in_priority_order_then_by_start_and_are_numbered() -> None:
    config = _config(
        later={"rule": {"when": {"every_days": 30}, "priority": 5}},
        urgent={"rule": {"when": {"metric": "health_score", "below": 40}, "priority": 1}},
        renewal={"rule": {"when": {"date": "renewal_date", "days_before": 120}, "priority": 5}},
    )
    out = run("triage", {"as_of": AS_OF, "segment": "high_touch", "health": 10, "dates": {"renewal_date": "2027-01-01"}}, config)
    assert [(p["playbook"], p["priority"]) for p in out["plays"]] == [("urgent", 1), ("renewal", 2), ("later", 3)]


def test_a_play_outside_the_accounts_segment_is_not_considered() -> None:
    config = _config(p={"rule": {"when": {"metric": "health_score", "below": 40}, "priority": 1}, "segments": ["low_touch"]})
    assert _plays(config, health=10) == []


def test_first_steps_are_dated_from_the_start_or_from_the_renewal_date() -> None:
    steps = [{"at": -120, "action": "Review", "owner": "csm"}, {"at": -90, "action": "Call", "owner": "csm"}]
    config = _config(
        renewal={
            "rule": {"when": {"date": "renewal_date", "days_before": 120}, "priority": 1},
            "offset_unit": "t_minus_day",
            "steps": steps,
        }
    )
    out = run("triage", {"as_of": AS_OF, "segment": "high_touch", "dates": {"renewal_date": "2027-04-01"}}, config)
    assert out["plays"][0]["first_steps"] == [
        {"date": "2026-12-02", "offset": "T-120", "action": "Review", "owner": "csm"},
        {"date": "2027-01-01", "offset": "T-90", "action": "Call", "owner": "csm"},
    ]


def test_a_health_score_comes_from_components_when_none_is_given() -> None:
    config = _config(p={"rule": {"when": {"metric": "health_score", "below": 40}, "priority": 1}})
    out = run(
        "triage",
        {
            "as_of": AS_OF,
            "segment": "high_touch",
            "components": dict.fromkeys(("product_usage", "relationship", "support", "growth", "financial"), 30),
        },
        config,
    )
    assert out["health_score"] == 30 and [p["playbook"] for p in out["plays"]] == ["p"]


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"segment": "high_touch"}, "as_of"),
        ({"as_of": "07/12/2026", "segment": "high_touch"}, "as_of"),
        (
            {
                "as_of": AS_OF,
                "segment": "high_touch",
                "events": [{"event": "nps_response", "date": "2026-12-01"}, {"event": "champ_left", "date": AS_OF}],
            },
            "events[1].event",
        ),
        (
            {"as_of": AS_OF, "segment": "high_touch", "events": [{"event": "nps_response", "date": "2026-12-01", "score": 11}]},
            "events[0].score",
        ),
        ({"as_of": AS_OF, "segment": "high_touch", "dates": {"renewal_date": "soon"}}, "dates.renewal_date"),
        (
            {"as_of": AS_OF, "segment": "high_touch", "events": [{"event": "champion_left", "date": "2026-12-01", "score": 3}]},
            "events[0].score",
        ),
        ({"as_of": AS_OF, "segment": "high_touch", "health": 101}, "health"),
        ({"as_of": AS_OF, "segment": "mid_touch"}, "segment"),
    ],
)
def test_bad_input_names_the_field(inputs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as err:
        run("triage", inputs, _config())
    assert err.value.field == field


# ---------------------------------------------------------------- the shipped library's rules

SHIPPED = calculators.default_config()
RULED = {pid: p for pid, p in SHIPPED["playbooks"].items() if p.get("rule")}
BAND_PLAYS = {b["id"]: b.get("playbook") for b in SHIPPED["health"]["bands"]}
TIERS = [t["id"] for t in SHIPPED["segments"]["tiers"]]
needs_rules = pytest.mark.skipif(not RULED, reason="the shipped playbooks carry no trigger rules")


def _band(score: float) -> str:
    from calculators.health import health_band

    return str(health_band(score, SHIPPED)["id"])


@needs_rules
@settings(max_examples=150, deadline=None)
@given(score=st.floats(0, 100), segment=st.sampled_from(TIERS))
def test_an_account_in_a_health_band_gets_that_bands_play_and_no_other(score: float, segment: str) -> None:
    out = run("triage", {"as_of": AS_OF, "segment": segment, "health": score}, SHIPPED)
    playing = {p["playbook"] for p in out["plays"]}
    own = BAND_PLAYS[_band(score)]
    others = {pid for band, pid in BAND_PLAYS.items() if pid and band != _band(score)}
    assert not playing & others, (score, segment, playing)
    if own and segment in (RULED[own]["rule"].get("segments") or RULED[own]["segments"]):
        assert own in playing, (score, segment, out["plays"], out["suppressed"])


@needs_rules
@settings(max_examples=100, deadline=None)
@given(score=st.floats(0, 100), segment=st.sampled_from(TIERS), days=st.integers(0, 400))
def test_no_play_runs_outside_the_accounts_segment(score: float, segment: str, days: int) -> None:
    as_of = datetime.date(2026, 12, 7)
    renewal = (as_of + datetime.timedelta(days=days)).isoformat()
    out = run("triage", {"as_of": AS_OF, "segment": segment, "health": score, "dates": {"renewal_date": renewal}}, SHIPPED)
    for play in out["plays"]:
        pb = RULED[play["playbook"]]
        assert segment in (pb["rule"].get("segments") or pb["segments"]), play


@needs_rules
@settings(max_examples=100, deadline=None)
@given(renewal_in=st.integers(-30, 400), later=st.integers(1, 365), segment=st.sampled_from(TIERS))
def test_a_later_day_never_unfires_a_date_rule_that_has_not_run(renewal_in: int, later: int, segment: str) -> None:
    as_of = datetime.date(2026, 12, 7)
    dates = {"renewal_date": (as_of + datetime.timedelta(days=renewal_in)).isoformat(), "onboarding_complete": "2026-01-15"}
    first = run("triage", {"as_of": as_of.isoformat(), "segment": segment, "health": 85, "dates": dates}, SHIPPED)
    second = run(
        "triage", {"as_of": (as_of + datetime.timedelta(days=later)).isoformat(), "segment": segment, "health": 85, "dates": dates}, SHIPPED
    )
    date_plays = {pid for pid, p in RULED.items() if "date" in str(p["rule"]["when"]) and "every_" not in str(p["rule"]["when"])}
    before = {p["playbook"] for p in first["plays"]} & date_plays
    after = {p["playbook"] for p in second["plays"]} | {s["playbook"] for s in second["suppressed"]}
    assert before <= after, (before - after, dates)


def test_a_play_in_progress_keeps_replacing_the_plays_it_suppresses() -> None:
    """The renewal escalation replaces at-risk while it runs, not only on the day it starts."""
    near = {"date": "renewal_date", "days_before": 90}
    config = _config(
        escalation={"rule": {"when": {"all": [near, {"metric": "health_score", "below": 60}]}, "priority": 1, "suppresses": ["save"]}},
        save={"rule": {"when": {"metric": "health_score", "below": 40}, "priority": 2}},
    )
    base = {"as_of": AS_OF, "segment": "high_touch", "health": 30}
    ran = run("triage", {**base, "dates": {"renewal_date": "2027-02-01", "last_escalation": "2026-11-10"}}, config)
    assert ran["plays"] == [] and ran["suppressed"][0]["by"] == "escalation" and "in progress" in ran["suppressed"][0]["reason"]
    over = run("triage", {**base, "dates": {"renewal_date": "2027-06-01", "last_escalation": "2026-11-10"}}, config)
    assert [p["playbook"] for p in over["plays"]] == ["save"]


def test_the_combined_plan_downloads_every_plays_first_steps_as_calendar_and_csv() -> None:
    """The triage page's one-click plan: the first dated steps of each play, in the plays' order, spreadsheet-safe."""
    import json

    from calculators import browser

    steps = [{"at": 0, "action": "=Call the champion", "owner": "csm"}, {"at": 2, "action": "Write the plan", "owner": "csm"}]
    config = _config(save={"rule": {"when": {"metric": "health_score", "below": 40}, "priority": 1}, "steps": steps})
    pairs = browser.pairs_from_inputs("triage", {"as_of": AS_OF, "segment": "high_touch", "health": 30}, config)
    ask = {"op": "export", "name": "triage", "pairs": pairs}
    csv_out = json.loads(browser.handle(json.dumps({**ask, "format": "csv"}), json.dumps(config)))
    assert csv_out["filename"] == f"account-plan-{AS_OF}.csv"
    assert csv_out["text"].splitlines() == [
        "Date,Day,Playbook,When,Task,Owner",
        "2026-12-07,Mon,Save,Day 0,'=Call the champion,Customer Success Manager",
        "2026-12-09,Wed,Save,Day 2,Write the plan,Customer Success Manager",
    ]
    ics = json.loads(browser.handle(json.dumps({**ask, "format": "ics"}), json.dumps(config)))["text"]
    assert ics.count("BEGIN:VEVENT") == 2 and "DTSTART;VALUE=DATE:20261209" in ics and "Playbook: Save" in ics
