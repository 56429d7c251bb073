"""Rate metrics (X ÷ Y × 100) and time to value, assessed against each metric's bands.

Every metric in ``playbooks/metrics/`` that declares a ``ratio`` (renewal rate, licence
utilisation, QBR completion …) can be computed here: rate = numerator ÷ denominator × 100,
then placed in that metric's assessment bands. Time to value is the number of days from
contract signature to the first outcome.
"""

from __future__ import annotations

import datetime
from typing import Any

from .bands import band_summary
from .spec import Calculator, Config, Field, InputError, Inputs


def rate(numerator: float, denominator: float) -> float:
    """numerator ÷ denominator × 100.

    >>> rate(88, 100)
    88.0
    """
    return numerator * 100 / denominator


def _rate_metrics(config: Config) -> list[tuple[str, str]]:
    return [(mid, m.get("label", mid)) for mid, m in config["assessments"].items() if m.get("ratio")]


def _rate(values: Inputs, config: Config) -> dict[str, Any]:
    metric = config["assessments"][values["metric"]]
    value = rate(values["numerator"], values["denominator"])
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
