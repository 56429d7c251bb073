"""The value a customer gets: ROI, rate metrics and time to value (the "Value" calculators page).

* **ROI** = (Value generated − Investment) ÷ Investment × 100 (CS strategy reference, "ROI
  Calculation Framework"). Hard value = revenue increased + costs reduced
  + hours saved × hourly rate + FTEs avoided × cost per FTE. Soft value (risk, compliance,
  experience) is not counted. ``value_multiple`` = value ÷ investment (the "10x" of a value
  report whose 1.2M of value cost 120k).
* **Rate metrics** (X ÷ Y × 100): every metric in ``playbooks/metrics/`` that declares a
  ``ratio`` (renewal rate, licence utilisation, QBR completion …) can be computed here:
  rate = numerator ÷ denominator × 100, then placed in that metric's assessment bands.
  **A part of a whole cannot exceed its whole.** A metric is a share (renewed contracts of the
  contracts due, QBRs held of QBRs due …) when every one of its assessment bands ends and the
  highest ends at 100 %: for such a metric a numerator above the denominator is refused, by
  the numerator's name (``numerator: must be at most the denominator (got 120 of 100)``),
  rather than shown as a 120 % rate outside every band. A metric whose top band is open
  (``max`` left out: licence utilisation's "Near capacity", expansion revenue's "Strong",
  forecast accuracy's "Under-forecast") or reaches past 100 can legitimately exceed 100 %
  (more active users than seats, more expansion revenue than the starting revenue, more
  renewed than forecast) and takes any numerator. The rule is read from the bands of
  ``defaults.json``'s ``assessments``, so a metric whose YAML bands change follows.
* **Time to value** is the number of days from contract signature to the first outcome.

>>> from calculators import run
>>> r = run("roi", {"investment": 120_000, "revenue_increase": 1_200_000})
>>> r["roi"], r["value_multiple"]
(900.0, 10.0)
>>> run("time_to_value", {"contract_date": "2026-01-05", "first_value_date": "2026-01-19"})["days"]
14
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from .bands import band_summary
from .declarations import Calculator, Config, Field, InputError, Inputs, shown


def return_on_investment(value: float, investment: float) -> float:
    """(value − investment) ÷ investment × 100.

    >>> return_on_investment(1_200_000, 120_000)
    900.0
    """
    return (value - investment) * 100 / investment


def _roi(values: Inputs, config: Config) -> dict[str, Any]:
    parts = {
        "revenue": values["revenue_increase"],
        "cost": values["cost_reduction"],
        "time": values["hours_saved"] * values["hourly_rate"],
        "headcount": values["ftes_avoided"] * values["fte_cost"],
    }
    value = sum(parts.values())
    investment = values["investment"]
    return {
        "hard_value": value,
        "value_breakdown": parts,
        "net_value": value - investment,
        "roi": return_on_investment(value, investment),
        "value_multiple": value / investment,
    }


def _amount(name: str, label: str, unit: str, example: float, help_text: str) -> Field:
    """An optional amount of ``unit``: at least 0, 0 when left out."""
    return Field(name, label, unit=unit, minimum=0, required=False, default=0, example=example, help=help_text)


def _money(name: str, label: str, example: float, help_text: str) -> Field:
    return _amount(name, label, "currency", example, help_text)


ROI = Calculator(
    name="roi",
    title="Customer ROI",
    summary="Hard value delivered to the customer against what they paid, as ROI % and a multiple.",
    inputs=(
        Field(
            "investment",
            "Investment",
            unit="currency",
            minimum=0,
            exclusive_minimum=True,
            example=120_000,
            help="What the customer paid over the period.",
        ),
        _money("revenue_increase", "Revenue increased", 420_000, "Extra revenue the customer attributes to the product."),
        _money("cost_reduction", "Costs reduced", 300_000, "Costs the customer no longer pays."),
        _amount("hours_saved", "Hours saved", "hours", 6_000, "Staff hours saved over the period."),
        _money("hourly_rate", "Hourly rate", 50, "Loaded cost of one staff hour."),
        _amount("ftes_avoided", "FTEs avoided", "FTE", 2, "Hires the customer did not need to make."),
        _money("fte_cost", "Cost per FTE", 90_000, "Average loaded yearly cost of one FTE."),
    ),
    compute=_roi,
    outputs=(("hard_value", "Hard value"), ("roi", "ROI (%)"), ("value_multiple", "Value multiple")),
)


def rate(numerator: float, denominator: float) -> float:
    """numerator ÷ denominator × 100.

    >>> rate(88, 100)
    88.0
    """
    return numerator * 100 / denominator


def _rate_metrics(config: Config) -> list[tuple[str, str]]:
    return [(mid, m.get("label", mid)) for mid, m in config["assessments"].items() if m.get("ratio")]


def is_share(bands: list[dict[str, Any]]) -> bool:
    """Whether a rate metric with these assessment bands is a part of a whole (at most 100 %):
    every band has a ``max`` and the highest is 100.

    >>> is_share([{"max": 75}, {"min": 75, "max": 100}]), is_share([{"max": 90}, {"min": 90}])
    (True, False)
    """
    highs = [band.get("max") for band in bands]
    ends = [high for high in highs if high is not None]
    return bool(ends) and len(ends) == len(highs) and max(ends) == 100


def _rate(values: Inputs, config: Config) -> dict[str, Any]:
    metric = config["assessments"][values["metric"]]
    value = rate(values["numerator"], values["denominator"])
    # A quotient out of the float range is blamed on its extreme input (declarations.finite_results).
    if math.isfinite(value) and values["numerator"] > values["denominator"] and is_share(metric["bands"]):
        raise InputError(
            "numerator",
            f"must be at most the denominator (got {shown(values['numerator'])} of {shown(values['denominator'])})",
        )
    labels = metric["ratio"]
    return {
        "rate": value,
        **band_summary(metric["bands"], value, "%"),
        "metric": values["metric"],
        "metric_label": metric.get("label", values["metric"]),
        "target": metric.get("target"),
        "formula": f"{labels['numerator']} ÷ {labels['denominator']} × 100 = {values['numerator']:,.10g} ÷ {values['denominator']:,.10g} × 100 = {value:.1f} %",
    }


RATE = Calculator(
    name="rate",
    title="Rate metric",
    summary="Any rate metric (renewal rate, licence utilisation, QBR completion …): numerator ÷ denominator × 100, with its assessment band.",
    inputs=(
        Field(
            "metric",
            "Metric",
            type="select",
            options_from=_rate_metrics,
            example="renewal_rate",
            help="Which metric the two counts measure.",
        ),
        Field("numerator", "Numerator", minimum=0, example=88, help="The count on top of the fraction (for example renewed contracts)."),
        Field(
            "denominator",
            "Denominator",
            minimum=0,
            exclusive_minimum=True,
            example=100,
            help="The count below it (for example contracts due).",
        ),
    ),
    compute=_rate,
    outputs=(("rate", "Rate (%)"), ("band", "Assessment")),
)


def days_between(start: str, end: str) -> int:
    """Whole days from ``start`` to ``end`` (ISO dates).

    >>> days_between("2026-01-05", "2026-01-19")
    14
    """
    return (datetime.date.fromisoformat(end) - datetime.date.fromisoformat(start)).days


def _ttv(values: Inputs, config: Config) -> dict[str, Any]:
    days = days_between(values["contract_date"], values["first_value_date"])
    if days < 0:
        raise InputError("first_value_date", "cannot be before contract_date")
    metric = config["assessments"].get("time_to_value", {"bands": []})
    return {"days": days, "weeks": days / 7, **band_summary(metric["bands"], days, "days"), "target": metric.get("target")}


TIME_TO_VALUE = Calculator(
    name="time_to_value",
    title="Time to value",
    summary="Days from contract signature to the customer's first outcome, with its assessment band.",
    inputs=(
        Field("contract_date", "Contract signed", type="date", example="2026-01-05"),
        Field(
            "first_value_date",
            "First outcome",
            type="date",
            example="2026-01-19",
            help="The day the customer reached the first outcome in their success plan.",
        ),
    ),
    compute=_ttv,
    outputs=(("days", "Days to first value"), ("band", "Assessment")),
)
