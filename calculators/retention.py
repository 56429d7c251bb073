"""Revenue and logo retention: NRR, GRR and logo retention.

* **NRR** = (Starting MRR + Expansion − Contraction − Churn) ÷ Starting MRR × 100.
* **GRR** = (Starting MRR − Contraction − Churn) ÷ Starting MRR × 100; never above 100.
* **Logo retention** = (customers at start − customers lost) ÷ customers at start × 100.

Each is placed in its assessment bands (``nrr``, ``grr``, ``logo_retention`` in the
configuration's ``assessments``).

Conventions (from the CS strategy reference, "Core CS Metrics"):

* **Expansion** is added recurring revenue from customers you had at the start of the
  period: upsell, cross-sell, more seats, more usage. Revenue from new logos never counts.
* **Contraction** is revenue lost from customers who stay (downgrades, fewer seats);
  **churn** is revenue lost from customers who leave.
* Amounts are in any one currency unit and any one period (MRR or ARR alike).
* Results are percentages in percent units and are never rounded here.

The source's worked example: 1,000,000 starting MRR, 150,000 expansion, 30,000 contraction
and 50,000 churn give NRR 107 % and GRR 92 %.

>>> from calculators import run
>>> r = run("nrr_grr", {"starting_mrr": 1_000_000, "expansion": 150_000, "contraction": 30_000, "churn": 50_000})
>>> r["nrr"], r["grr"], r["ending_mrr"]
(107.0, 92.0, 1070000)
>>> run("logo_retention", {"starting_customers": 100, "churned_customers": 8})["logo_retention"]
92.0
"""

from __future__ import annotations

from typing import Any

from .bands import band_summary
from .declarations import Calculator, Config, Field, InputError, Inputs


def net_revenue_retention(starting_mrr: float, expansion: float, contraction: float, churn: float) -> float:
    """NRR = (Starting MRR + Expansion − Contraction − Churn) ÷ Starting MRR × 100.

    >>> net_revenue_retention(1_000_000, 150_000, 30_000, 50_000)
    107.0
    """
    return (starting_mrr + expansion - contraction - churn) * 100 / starting_mrr


def gross_revenue_retention(starting_mrr: float, contraction: float, churn: float) -> float:
    """GRR = (Starting MRR − Contraction − Churn) ÷ Starting MRR × 100; never above 100.

    >>> gross_revenue_retention(1_000_000, 30_000, 50_000)
    92.0
    """
    return (starting_mrr - contraction - churn) * 100 / starting_mrr


def _money(name: str, label: str, example: float, help_text: str, positive: bool = False) -> Field:
    return Field(name, label, unit="currency", minimum=0, exclusive_minimum=positive, example=example, help=help_text)


def _nrr_grr(values: Inputs, config: Config) -> dict[str, Any]:
    start, exp, con, churn = (values[k] for k in ("starting_mrr", "expansion", "contraction", "churn"))
    if con + churn > start:
        raise InputError("churn", f"contraction + churn ({con + churn:g}) cannot exceed starting_mrr ({start:g})")
    nrr = net_revenue_retention(start, exp, con, churn)
    grr = gross_revenue_retention(start, con, churn)
    bands = config["assessments"]
    nrr_band = band_summary(bands["nrr"]["bands"], nrr, "%")
    grr_band = band_summary(bands["grr"]["bands"], grr, "%")
    end = start + exp - con - churn
    return {
        "nrr": nrr,
        "grr": grr,
        "nrr_band": nrr_band["band"],
        "nrr_band_label": nrr_band["band_label"],
        "nrr_band_range": nrr_band["band_range"],
        "grr_band": grr_band["band"],
        "grr_band_label": grr_band["band_label"],
        "grr_band_range": grr_band["band_range"],
        "ending_mrr": end,
        "retained_mrr": start - con - churn,
        "expansion_points": nrr - grr,
        "nrr_formula": f"({start:,.0f} + {exp:,.0f} − {con:,.0f} − {churn:,.0f}) ÷ {start:,.0f} × 100 = {nrr:.1f} %",
        "grr_formula": f"({start:,.0f} − {con:,.0f} − {churn:,.0f}) ÷ {start:,.0f} × 100 = {grr:.1f} %",
        "waterfall": [
            {"step": "start", "label": "Starting MRR", "delta": start, "total": start},
            {"step": "expansion", "label": "+ Expansion", "delta": exp, "total": start + exp},
            {"step": "contraction", "label": "− Contraction", "delta": -con, "total": start + exp - con},
            {"step": "churn", "label": "− Churn", "delta": -churn, "total": end},
            {"step": "end", "label": "Ending MRR", "delta": end, "total": end},
        ],
    }


NRR_GRR = Calculator(
    name="nrr_grr",
    title="Net and gross revenue retention",
    summary="NRR and GRR from one period's starting recurring revenue and its changes.",
    inputs=(
        _money(
            "starting_mrr",
            "Starting MRR",
            1_000_000,
            "Recurring revenue from existing customers at the start of the period.",
            positive=True,
        ),
        _money("expansion", "Expansion", 150_000, "Upsell, cross-sell, seats and usage added by those same customers."),
        _money("contraction", "Contraction", 30_000, "Revenue lost to downgrades from customers who stayed."),
        _money("churn", "Churn", 50_000, "Revenue lost from customers who left."),
    ),
    compute=_nrr_grr,
    outputs=(("nrr", "NRR (%)"), ("grr", "GRR (%)"), ("nrr_band", "NRR assessment"), ("grr_band", "GRR assessment")),
)


def logo_retention_rate(starting_customers: int, churned_customers: int) -> float:
    """Logo retention = (customers at start − customers lost) ÷ customers at start × 100.

    New customers won during the period never count.

    >>> logo_retention_rate(340, 27)
    92.05882352941177
    """
    return (starting_customers - churned_customers) * 100 / starting_customers


def _logo(values: Inputs, config: Config) -> dict[str, Any]:
    start, lost = values["starting_customers"], values["churned_customers"]
    if lost > start:
        raise InputError("churned_customers", f"cannot exceed starting_customers ({start})")
    rate = logo_retention_rate(start, lost)
    band = band_summary(config["assessments"]["logo_retention"]["bands"], rate, "%")
    return {"logo_retention": rate, "logo_churn": 100 - rate, "retained_customers": start - lost, **band}


LOGO_RETENTION = Calculator(
    name="logo_retention",
    title="Logo retention",
    summary="The share of customers at the start of a period who are still customers at its end.",
    inputs=(
        Field("starting_customers", "Customers at start", type="integer", unit="customers", minimum=0, exclusive_minimum=True, example=340),
        Field("churned_customers", "Customers lost", type="integer", unit="customers", minimum=0, example=27),
    ),
    compute=_logo,
    outputs=(("logo_retention", "Logo retention (%)"), ("band", "Assessment")),
)
