"""Return on investment, as a value report shows it.

ROI = (Value generated − Investment) ÷ Investment × 100 (CS strategy reference, "ROI
Calculation Framework"). Hard value = revenue increased + costs reduced
+ hours saved × hourly rate + FTEs avoided × cost per FTE. Soft value (risk, compliance,
experience) is not counted. ``value_multiple`` = value ÷ investment (the "10x" of a value
report whose 1.2M of value cost 120k).
"""

from __future__ import annotations

from typing import Any

from .spec import Calculator, Config, Field, Inputs


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
