"""The shipped trigger rules, run through the triage calculator on accounts that show each decision.

These pin down what the rules in ``playbooks/library/`` mean together: which band play an
account gets, which play replaces which (``suppresses``), how the EBR's two cadences split on
ARR, and that a health band's play wins over the same group's event-driven plays only by
priority. The rule language itself is tested in ``tests/calculators/test_triage.py``.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

import calculators
from cslibrary.model import Library
from cslibrary.model.calculator_config import config_from_model
from cslibrary.model.loader import load_library

ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime.date(2026, 12, 7)
POST_ONBOARDING = "value"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT)


@pytest.fixture(scope="module")
def config(library: Library) -> dict[str, Any]:
    return config_from_model(library)


def days(n: int) -> str:
    return (AS_OF + datetime.timedelta(days=n)).isoformat()


def triage(config: dict[str, Any], segment: str = "high_touch", **inputs: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The plays (id → reason) and the suppressed plays (id → by whom)."""
    out = calculators.run("triage", {"as_of": AS_OF.isoformat(), "segment": segment, **inputs}, config)
    return {p["playbook"]: p["reason"] for p in out["plays"]}, {s["playbook"]: s["by"] for s in out["suppressed"]}


@pytest.mark.parametrize(
    ("health", "play"),
    [
        (10, "escalation"),
        (20, "at-risk"),
        (35, "at-risk"),
        (40, "intervention-workshop"),
        (60, "adoption"),
        (80, "expansion"),
        (100, "expansion"),
    ],
)
def test_a_health_score_alone_starts_its_bands_play(config: dict[str, Any], health: float, play: str) -> None:
    plays, _ = triage(config, health=health)
    assert list(plays) == [play]


def test_the_critical_band_reason_names_the_band_range(config: dict[str, Any]) -> None:
    plays, _ = triage(config, health=35)
    assert plays == {"at-risk": "Health score 35 is from 20 to under 40"}


def test_a_tech_touch_account_in_the_emergency_band_has_no_band_play(config: dict[str, Any]) -> None:
    """The executive escalation serves high and low touch only; at-risk stops at 20 (README, Health bands)."""
    plays, _ = triage(config, segment="tech_touch", health=10)
    assert plays == {}


def test_a_cancellation_signal_starts_at_risk_even_for_a_healthy_account(config: dict[str, Any]) -> None:
    plays, suppressed = triage(config, health=85, events=[{"event": "cancellation_request", "date": days(-2)}])
    assert "at-risk" in plays and "expansion" not in plays
    assert suppressed["expansion"] == "at-risk"


def test_the_champion_departure_replaces_the_key_user_play(config: dict[str, Any]) -> None:
    left = [{"event": "champion_left", "date": days(-1)}, {"event": "key_user_left", "date": days(-1)}]
    plays, suppressed = triage(config, events=left)
    assert "champion-departure" in plays and suppressed == {"key-user-leaves": "champion-departure"}
    plays, _ = triage(config, events=left[1:])
    assert "key-user-leaves" in plays


def test_inside_t90_the_renewal_escalation_replaces_at_risk(config: dict[str, Any]) -> None:
    plays, suppressed = triage(config, health=30, dates={"renewal_date": days(80)})
    assert {"at-risk-renewal-escalation", "renewal"} <= set(plays)
    assert suppressed["at-risk"] == "at-risk-renewal-escalation"
    plays, _ = triage(config, health=30, dates={"renewal_date": days(100)})
    assert "at-risk" in plays and "at-risk-renewal-escalation" not in plays


def test_inside_t90_the_renewal_escalation_replaces_the_intervention_workshop(config: dict[str, Any]) -> None:
    plays, suppressed = triage(config, health=50, dates={"renewal_date": days(80)})
    assert {"at-risk-renewal-escalation", "renewal"} <= set(plays)
    assert suppressed == {"intervention-workshop": "at-risk-renewal-escalation"}


def test_below_20_inside_t90_the_executive_escalation_runs_and_the_ladder_waits(config: dict[str, Any]) -> None:
    """The ladder starts at 20 (README, Overlapping plays): both are priority 1 and would call the sponsor twice."""
    plays, _ = triage(config, health=10, dates={"renewal_date": days(80)})
    assert "escalation" in plays and "at-risk-renewal-escalation" not in plays
    plays, _ = triage(config, health=10, dates={"renewal_date": days(80)}, events=[{"event": "cancellation_request", "date": days(-1)}])
    assert {"escalation", "at-risk-renewal-escalation"} <= set(plays)


@pytest.mark.parametrize(
    ("dau_mau", "utilisation", "expected"), [(30, 45, {"low-license-utilization"}), (10, 80, {"low-engagement-after-onboarding"})]
)
def test_low_engagement_reads_dau_mau_and_the_licence_gap_is_the_licence_play(
    config: dict[str, Any], dau_mau: float, utilisation: float, expected: set[str]
) -> None:
    metrics = {"dau_mau": dau_mau, "license_utilization": utilisation}
    plays, _ = triage(config, stage=POST_ONBOARDING, metrics=metrics, dates={"onboarding_complete": days(-60)})
    assert set(plays) & {"low-license-utilization", "low-engagement-after-onboarding"} == expected


@pytest.mark.parametrize(
    ("arr", "onboarded", "due"),
    [(600_000, -190, True), (600_000, -170, False), (400_000, -190, False), (400_000, -370, True)],
)
def test_the_ebr_cadence_splits_on_arr(config: dict[str, Any], arr: float, onboarded: int, due: bool) -> None:
    plays, _ = triage(config, arr=arr, stage=POST_ONBOARDING, dates={"onboarding_complete": days(onboarded)})
    assert ("ebr" in plays) is due


def test_an_expansion_signal_in_the_stable_band_starts_expansion_not_the_check_in(config: dict[str, Any]) -> None:
    """Adoption and expansion share priority 7: the play whose own signal came first runs."""
    plays, suppressed = triage(config, health=70, events=[{"event": "expansion_signal", "date": days(-3)}])
    assert "expansion" in plays and suppressed["adoption"] == "expansion"


def test_nps_responses(config: dict[str, Any]) -> None:
    plays, _ = triage(config, health=70, stage=POST_ONBOARDING, events=[{"event": "nps_response", "date": days(-1), "score": 4}])
    assert {"nps-detractor-follow-up", "post-feedback-follow-up"} <= set(plays) and "advocacy" not in plays
    plays, _ = triage(config, health=85, stage=POST_ONBOARDING, events=[{"event": "nps_response", "date": days(-1), "score": 9}])
    assert {"advocacy", "post-feedback-follow-up"} <= set(plays) and "nps-detractor-follow-up" not in plays


def test_a_handled_event_does_not_start_the_play_again(config: dict[str, Any]) -> None:
    left = [{"event": "executive_sponsor_left", "date": days(-10)}]
    assert "executive-sponsor-loss" in triage(config, events=left)[0]
    assert "executive-sponsor-loss" not in triage(config, events=left, dates={"last_executive_sponsor_loss": days(-5)})[0]


def test_every_shipped_rule_can_fire(config: dict[str, Any], library: Library) -> None:
    """A smoke run per playbook: the signals its rule names start it (so no rule is dead)."""
    long_ago = days(-400)
    events: list[dict[str, Any]] = [{"event": e.id, "date": AS_OF.isoformat()} for e in library.events.events if not e.attributes]
    events += [{"event": "nps_response", "date": AS_OF.isoformat(), "score": score} for score in (3, 10)]
    signals: dict[str, Any] = {
        "stage": POST_ONBOARDING,
        "arr": 600_000,
        "metrics": {"dau_mau": 10, "license_utilization": 40, "feature_adoption": 30},
        "changes": {"dau_mau": -30, "license_utilization": 15},
        "dates": {
            "renewal_date": days(80),
            "onboarding_complete": long_ago,
            "expected_close_date": days(10),
            "success_plan_agreed": long_ago,
        },
        "events": events,
    }
    fired: set[str] = set()
    for segment in ("high_touch", "low_touch", "tech_touch"):
        for health in (10, 30, 50, 70, 85):
            plays, suppressed = triage(config, segment, **signals, health=health)
            fired |= set(plays) | set(suppressed)
    # The tech-touch renewal starts at T-45, after the other renewal rules (T-120, T-90).
    late = {**signals, "dates": {**signals["dates"], "renewal_date": days(40)}}
    fired |= set(triage(config, "tech_touch", **late, health=70)[0])
    assert set(library.playbooks) - fired == set()


@pytest.mark.parametrize(
    ("segment", "event", "play"),
    [
        ("high_touch", "closed_won", "onboarding-high-touch"),
        ("low_touch", "closed_won", "onboarding-low-touch"),
        ("tech_touch", "account_created", "onboarding-tech-touch"),
    ],
)
def test_every_tier_has_its_onboarding_playbook(config: dict[str, Any], segment: str, event: str, play: str) -> None:
    """The handoff's exit criterion ("the onboarding playbook for the account's tier") names a playbook for each tier."""
    plays, _ = triage(config, segment, events=[{"event": event, "date": days(-1)}])
    onboardings = {p for p in plays if p.startswith("onboarding-")}
    assert onboardings == {play}


@pytest.mark.parametrize(
    ("segment", "due_in", "expected"),
    [
        ("tech_touch", 40, {"renewal-tech-touch"}),
        ("tech_touch", 100, set()),
        ("low_touch", 100, {"renewal"}),
        ("high_touch", 40, {"renewal"}),
    ],
)
def test_each_tier_has_one_renewal_play(config: dict[str, Any], segment: str, due_in: int, expected: set[str]) -> None:
    plays, _ = triage(config, segment, health=70, dates={"renewal_date": days(due_in)})
    assert {p for p in plays if p.startswith("renewal")} == expected


@pytest.mark.parametrize(
    ("metrics", "changes", "fires"),
    [
        ({"license_utilization": 75}, {"license_utilization": 12}, True),
        ({"license_utilization": 75}, {"license_utilization": 5}, False),
        ({"license_utilization": 95}, {}, True),
        ({"license_utilization": 85}, {}, False),
    ],
)
def test_rising_and_top_utilisation(config: dict[str, Any], metrics: dict[str, float], changes: dict[str, float], fires: bool) -> None:
    """The SuccessBLOC's increase-utilisation and top-customer segments: a 10 % rise, or 90 % at the quarterly review."""
    dates = {"onboarding_complete": days(-92)}
    plays, _ = triage(config, "low_touch", health=70, stage=POST_ONBOARDING, metrics=metrics, changes=changes, dates=dates)
    assert ("rising-utilization" in plays) is fires


@pytest.mark.parametrize(
    "when",
    [
        {"metric": "health_score"},
        {"metric": "health_score", "belo": 40},
        {"since": "renewal_date"},
        {"date": "renewal_date", "days_before": 90, "days_after": 10},
        {"metric": "health_score", "below": 40, "event": "champion_left", "within_days": 30},
        {"every_days": 7, "every_months": 1},
        {"all": []},
    ],
)
def test_the_json_schema_refuses_what_the_model_refuses(when: dict[str, Any]) -> None:
    """Editors flag the same rule mistakes as the validator (schema/playbook.schema.json)."""
    import json

    import yaml

    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads((ROOT / "schema" / "playbook.schema.json").read_text(encoding="utf-8")))
    playbook = yaml.safe_load((ROOT / "playbooks" / "library" / "at-risk.yml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(playbook)) == []
    playbook["trigger"]["rule"]["when"] = when
    assert list(validator.iter_errors(playbook)) != []


@pytest.mark.parametrize(
    ("kind", "file", "ident"),
    [
        (kind, file, ident)
        for kind, file in (("playbook", "library/at-risk.yml"), ("metric", "metrics/csat.yml"))
        for ident in ("con", "nul", "com1", "lpt9", "console", "nul2", "a" * 64, "a" * 65, "ghost\n", "Ghost")
    ],
)
def test_the_json_schema_refuses_the_ids_the_model_refuses(kind: str, file: str, ident: str) -> None:
    """Editors flag an id the validator refuses: its pattern, at most 64 characters, no Windows device name."""
    import json

    import pydantic
    import yaml

    from cslibrary.model import Metric, Playbook

    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")))
    doc = yaml.safe_load((ROOT / "playbooks" / file).read_text(encoding="utf-8"))
    assert list(validator.iter_errors(doc)) == []
    doc["id"] = ident
    try:
        (Playbook if kind == "playbook" else Metric).model_validate(doc)
    except pydantic.ValidationError as err:
        refused = any(e["loc"] == ("id",) for e in err.errors())
    else:
        refused = False
    schema_refused = any(list(e.absolute_path) == ["id"] for e in validator.iter_errors(doc))
    if ident.endswith("\n"):
        # Python's re (used by the jsonschema package) lets `$` match before a final line break; an editor's
        # ECMAScript regex does not. The model refuses it either way (fullmatch).
        assert refused
    else:
        assert schema_refused == refused, (ident, refused)
