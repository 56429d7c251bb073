"""Bad inputs: each is an InputError whose field names what was wrong."""

from __future__ import annotations

from typing import Any

import pytest

import calculators
from calculators import browser

NRR = {"starting_mrr": 1000, "expansion": 10, "contraction": 10, "churn": 10}
FORECAST_ROW = {"name": "A", "arr": 100, "health": 50}
RS = {"contact": "regular", "sentiment": "positive", "access": "single_level", "expansion": "not_yet"}
RI: dict[str, Any] = {"target_variable": 40_000, "attainment": {"grr": 100, "nrr": 95, "expansion": 80, "health": 110}}
SB = {"seats": 11, "per_seat_cost": 5_000}

BAD: list[tuple[str, Any, str]] = [
    ("nrr_grr", {**NRR, "starting_mrr": 0}, "starting_mrr"),
    ("nrr_grr", {**NRR, "starting_mrr": -5}, "starting_mrr"),
    ("nrr_grr", {**NRR, "expansion": -1}, "expansion"),
    ("nrr_grr", {**NRR, "contraction": float("nan")}, "contraction"),
    ("nrr_grr", {**NRR, "churn": float("inf")}, "churn"),
    ("nrr_grr", {**NRR, "churn": "50"}, "churn"),
    ("nrr_grr", {**NRR, "expansion": True}, "expansion"),
    ("nrr_grr", {k: v for k, v in NRR.items() if k != "churn"}, "churn"),
    ("nrr_grr", {**NRR, "upsell": 5}, "upsell"),
    ("nrr_grr", {**NRR, "contraction": 600, "churn": 500}, "churn"),
    ("nrr_grr", [1, 2, 3], "inputs"),
    ("health_score", {"components": {"product_usage": 101}}, "components.product_usage"),
    ("health_score", {"components": {"product_usage": -1}}, "components.product_usage"),
    ("health_score", {"components": {"happiness": 50}}, "components.happiness"),
    ("health_score", {"segment": "enterprise_plus", "components": {"product_usage": 50}}, "segment"),
    ("health_score", {"components": "high"}, "components"),
    ("health_score", {}, "components"),
    ("renewal_forecast", {"accounts": []}, "accounts"),
    ("renewal_forecast", {"accounts": [FORECAST_ROW, {**FORECAST_ROW, "health": 130}]}, "accounts[1].health"),
    ("renewal_forecast", {"accounts": [{**FORECAST_ROW, "arr": 0}]}, "accounts[0].arr"),
    ("renewal_forecast", {"accounts": [{**FORECAST_ROW, "name": ""}]}, "accounts[0].name"),
    ("renewal_forecast", {"accounts": [{"name": "A", "arr": 5}]}, "accounts[0].health"),
    ("renewal_forecast", {"accounts": [{**FORECAST_ROW, "tier": "x"}]}, "accounts[0].tier"),
    ("coverage", {"segments": [{"segment": "galactic", "accounts": 1, "arr": 1}], "csm_cost": 1}, "segments[0].segment"),
    ("coverage", {"segments": [{"segment": "smb", "accounts": 1.5, "arr": 1}], "csm_cost": 1}, "segments[0].accounts"),
    ("coverage", {"segments": [{"segment": "smb", "accounts": 1, "arr": 1, "ratio": 0}], "csm_cost": 1}, "segments[0].ratio"),
    ("coverage", {"segments": [{"segment": "smb", "accounts": 1, "arr": 1}], "csm_cost": -1}, "csm_cost"),
    ("nps", {"promoters": 0, "passives": 0, "detractors": 0}, "promoters"),
    ("nps", {"promoters": -1, "passives": 0, "detractors": 0}, "promoters"),
    ("csat", {"satisfied": 11, "total": 10}, "satisfied"),
    ("csat", {"satisfied": 1, "total": 0}, "total"),
    ("ces", {"scores": []}, "scores"),
    ("ces", {"scores": [1, 8]}, "scores[1]"),
    ("ces", {"scores": [0]}, "scores[0]"),
    ("logo_retention", {"starting_customers": 10, "churned_customers": 11}, "churned_customers"),
    ("segment_score", {"arr": 1, "complexity": 150, "growth_potential": 1, "strategic_value": 1}, "complexity"),
    ("expansion_forecast", {"opportunities": [{"name": "x", "amount": 1, "stage": "dreaming"}]}, "opportunities[0].stage"),
    ("roi", {"investment": 0}, "investment"),
    ("rate", {"metric": "nrr", "numerator": 1, "denominator": 1}, "metric"),
    ("rate", {"metric": "renewal_rate", "numerator": 1, "denominator": 0}, "denominator"),
    ("time_to_value", {"contract_date": "2026-13-01", "first_value_date": "2026-01-01"}, "contract_date"),
    ("time_to_value", {"contract_date": "2026-02-01", "first_value_date": "2026-01-01"}, "first_value_date"),
    ("no_such_calculator", {}, "calculator"),
    # The leadership calculators (issue 13, Deliver item 4).
    ("relationship_strength", {**RS, "contact": "friendly"}, "contact"),
    ("relationship_strength", {k: v for k, v in RS.items() if k != "access"}, "access"),
    ("relationship_strength", {**RS, "sentiment": 5}, "sentiment"),
    ("renewal_incentive", {**RI, "target_variable": 0}, "target_variable"),
    ("renewal_incentive", {**RI, "attainment": {**RI["attainment"], "nrr": -1}}, "attainment.nrr"),
    ("renewal_incentive", {**RI, "attainment": {**RI["attainment"], "nrr": 301}}, "attainment.nrr"),
    ("renewal_incentive", {**RI, "attainment": {"grr": 100}}, "attainment.nrr"),
    ("renewal_incentive", {**RI, "attainment": {**RI["attainment"], "churn": 5}}, "attainment.churn"),
    ("renewal_incentive", {**RI, "cap": 0}, "cap"),
    ("stack_budget", {**SB, "seats": 0}, "seats"),
    ("stack_budget", {**SB, "seats": 2.5}, "seats"),
    ("stack_budget", {**SB, "seats": 10_001}, "seats"),
    ("stack_budget", {**SB, "per_seat_cost": -5}, "per_seat_cost"),
    ("stack_budget", {**SB, "customers": -1}, "customers"),
    # Issue "never show a wrong number silently": a part above its whole, a segment listed twice.
    ("rate", {"metric": "renewal_rate", "numerator": 120, "denominator": 100}, "numerator"),
    ("coverage", {"segments": [{"segment": "smb", "accounts": 1, "arr": 1}] * 2, "csm_cost": 1}, "segments[1].segment"),
    # Hostile input ("nothing leaks, nothing hangs, nothing lies"): numbers past a sane magnitude,
    # results that would overflow, dates off the calendar, names and keys that forge lines.
    ("nrr_grr", {**NRR, "starting_mrr": 1e308, "expansion": 1e308}, "starting_mrr"),
    ("nrr_grr", {**NRR, "expansion": 10**5000}, "expansion"),
    ("nrr_grr", {**NRR, "churn": -(10**400)}, "churn"),
    ("nrr_grr", {"starting_mrr": 1e-300, "expansion": 1e15, "contraction": 0, "churn": 0}, "starting_mrr"),
    ("roi", {"investment": 1, "hours_saved": 1e308, "hourly_rate": 1e308}, "hours_saved"),
    ("rate", {"metric": "renewal_rate", "numerator": 1e15, "denominator": 1e-300}, "denominator"),
    ("logo_retention", {"starting_customers": 1e16, "churned_customers": 0}, "starting_customers"),
    ("ces", {"scores": [2, 10**400]}, "scores[1]"),
    ("renewal_forecast", {"accounts": [FORECAST_ROW, {**FORECAST_ROW, "arr": 1e308}]}, "accounts[1].arr"),
    ("renewal_forecast", {"accounts": [{**FORECAST_ROW, "name": "A\nB"}]}, "accounts[0].name"),
    ("renewal_forecast", {"accounts": [{**FORECAST_ROW, "name": "A\x1b[31m"}]}, "accounts[0].name"),
    ("renewal_forecast", {"accounts": [{**FORECAST_ROW, "name": "A\ud800"}]}, "accounts[0].name"),
    ("renewal_forecast", {"accounts": [{**FORECAST_ROW, "name": "A\u202eB"}]}, "accounts[0].name"),
    ("time_to_value", {"contract_date": "0001-01-01", "first_value_date": "2026-01-01"}, "contract_date"),
    ("time_to_value", {"contract_date": "2026-01-01", "first_value_date": "2200-01-01"}, "first_value_date"),
    ("playbook_plan", {"playbook": "renewal", "date": "1899-12-31"}, "date"),
    ("triage", {"as_of": "9999-12-31", "segment": "high_touch", "health": 5}, "as_of"),
    ("triage", {"as_of": "2026-12-07", "segment": "high_touch", "changes": {"csat": -1e308}}, "changes.csat"),
    ("nps", {"promoters": 1, "passives": 1, "detractors": 1, "": 1}, "''"),
    ("nps", {"promoters": 1, "passives": 1, "detractors": 1, "a\nb": 1}, "'a\\nb'"),
    ("health_score", {"components": {"a\u2028b": 50}}, "components.'a\\u2028b'"),
]


@pytest.mark.parametrize(("name", "inputs", "field"), BAD, ids=[f"{b[0]}-{b[2]}" for b in BAD])
def test_bad_input_names_the_field(name: str, inputs: Any, field: str, config: dict[str, Any]) -> None:
    with pytest.raises(calculators.InputError) as err:
        calculators.run(name, inputs, config)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert isinstance(err.value, ValueError)


def test_there_are_at_least_25_bad_inputs() -> None:
    assert len(BAD) >= 25


def test_a_number_past_a_sane_magnitude_is_refused_by_name_and_quoted_short(config: dict[str, Any]) -> None:
    """1e15 is the most any number may be; a giant integer is quoted by its size, never converted to text."""
    assert calculators.run("nrr_grr", {**NRR, "starting_mrr": 1e15}, config)["nrr"] > 0
    with pytest.raises(calculators.InputError, match=r"^starting_mrr: must be at most 1e15 \(got 1e\+308\)$"):
        calculators.run("nrr_grr", {**NRR, "starting_mrr": 1e308}, config)
    with pytest.raises(calculators.InputError, match=r"^promoters: must be at most 1e15 \(got a 5001-digit number\)$"):
        calculators.run("nps", {"promoters": 10**5000, "passives": 1, "detractors": 1}, config)


def test_a_result_that_would_overflow_names_the_extreme_input(config: dict[str, Any]) -> None:
    with pytest.raises(calculators.InputError) as err:
        calculators.run("nrr_grr", {"starting_mrr": 1e-300, "expansion": 1e15, "contraction": 0, "churn": 0}, config)
    assert str(err.value) == "starting_mrr: is too small for the other inputs: the result nrr would not be a finite number (got 1e-300)"


@pytest.mark.parametrize(
    "value", ["x" * 1_000_000, ["x"] * 100_000, 10**4400, "a\nb\rc\x00" * 50], ids=["long-text", "long-list", "4401-digits", "controls"]
)
def test_an_error_message_is_one_short_printable_line(value: Any, config: dict[str, Any]) -> None:
    with pytest.raises(calculators.InputError) as err:
        calculators.run("nps", {"promoters": value, "passives": 1, "detractors": 1}, config)
    message = str(err.value)
    assert message.startswith("promoters: ") and message.isprintable() and len(message) < 120, message


# Issue "never show a wrong number silently", item 3: the page's message names the field by its
# label and says what was expected; the JSON ``field`` (the path) and ``rule`` stay as they were.
PAGE_MESSAGES: list[tuple[str, str, list[tuple[str, str]], str, str]] = [
    # (source, calculator, form pairs, field, message)
    (
        "issue: a browser's number control sends letters as empty: not 'is required' but what it takes",
        "nps",
        [("promoters", ""), ("passives", "1"), ("detractors", "1")],
        "promoters",
        "Promoters (9–10) must be a whole number of at least 0",
    ),
    (
        "issue: letters typed into a number field say 'must be a number', with the range",
        "segment_score",
        [("arr", "1000"), ("complexity", "abc"), ("growth_potential", "1"), ("strategic_value", "1")],
        "complexity",
        "Complexity must be a number from 0 to 100 (got 'abc')",
    ),
    (
        "issue: an empty required number field says what it takes",
        "segment_score",
        [("arr", "1000"), ("complexity", ""), ("growth_potential", "1"), ("strategic_value", "1")],
        "complexity",
        "Complexity must be a number from 0 to 100",
    ),
    (
        "issue: raw keys ('contract_date') in the message are written as labels",
        "time_to_value",
        [("contract_date", "2026-02-01"), ("first_value_date", "2026-01-01")],
        "first_value_date",
        "First outcome cannot be before Contract signed",
    ),
    (
        "issue: a value out of a two-sided range says the range",
        "renewal_forecast",
        [("accounts[0].name", "A"), ("accounts[0].arr", "5"), ("accounts[0].health", "150")],
        "accounts[0].health",
        "Accounts due to renew, row 1, Health must be at most 100 (got 150): enter a number from 0 to 100",
    ),
    (
        "issue: a one-sided bound keeps its own words",
        "nrr_grr",
        [("starting_mrr", "0"), ("expansion", "1"), ("contraction", "1"), ("churn", "1")],
        "starting_mrr",
        "Starting MRR must be greater than 0 (got 0)",
    ),
    (
        "issue item 1 in the page: a part above its whole",
        "rate",
        [("metric", "renewal_rate"), ("numerator", "120"), ("denominator", "100")],
        "numerator",
        "Numerator must be at most the denominator (got 120 of 100)",
    ),
    (
        "issue item 2 in the page: rows are counted as the form shows them (a blank row 2 is dropped)",
        "coverage",
        [
            *[("segments[0].segment", "smb"), ("segments[0].accounts", "3"), ("segments[0].arr", "5000"), ("segments[1].accounts", "")],
            *[("segments[2].segment", "smb"), ("segments[2].accounts", "3"), ("segments[2].arr", "5000"), ("csm_cost", "1")],
        ],
        "segments[2].segment",
        "Segments, row 3, Segment: 'smb' is listed twice (rows 1 and 3)",
    ),
    (
        "issue 13: the stack budget's seats say what they take",
        "stack_budget",
        [("seats", ""), ("per_seat_cost", "5000")],
        "seats",
        "Seats must be a whole number from 1 to 10000",
    ),
    (
        "issue 13: seats out of range say the range",
        "stack_budget",
        [("seats", "0"), ("per_seat_cost", "5000")],
        "seats",
        "Seats must be at least 1 (got 0): enter a whole number from 1 to 10000",
    ),
    (
        "issue 13: a renewal incentive metric left empty is named by its label",
        "renewal_incentive",
        [
            ("target_variable", "40000"),
            ("attainment.grr", "100"),
            ("attainment.nrr", ""),
            ("attainment.expansion", "80"),
            ("attainment.health", "90"),
        ],
        "attainment.nrr",
        "Attainment, Book NRR (includes expansion) is required (enter 0 when the target was missed entirely)",
    ),
    (
        "issue 13: an attainment above the most a plan pays says the range",
        "renewal_incentive",
        [
            ("target_variable", "40000"),
            ("attainment.grr", "400"),
            ("attainment.nrr", "1"),
            ("attainment.expansion", "1"),
            ("attainment.health", "1"),
        ],
        "attainment.grr",
        "Attainment, Book GRR must be at most 300 (got 400): enter a number from 0 to 300",
    ),
]


@pytest.mark.parametrize(("source", "name", "pairs", "field", "message"), PAGE_MESSAGES, ids=[c[0] for c in PAGE_MESSAGES])
def test_the_page_message_uses_labels_and_says_what_was_expected(
    source: str, name: str, pairs: list[tuple[str, str]], field: str, message: str, config: dict[str, Any]
) -> None:
    out = browser.compute(name, pairs, config)
    assert out["ok"] is False, source
    assert out["field"] == field, source
    assert out["message"] == message, source
    with pytest.raises(calculators.InputError) as err:
        calculators.run(name, browser.parse_pairs(name, pairs, config), config)
    assert out["rule"] == err.value.rule, source  # the JSON contract is unchanged: the rule as the InputError says it
