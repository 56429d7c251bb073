"""What the page shows for the retention family: it draws ``nrr_grr`` and ``logo_retention``.

* ``nrr_grr`` — NRR and GRR with their assessment badges, the two formulas with the
  reader's numbers, the revenue bridge (a waterfall from starting to ending MRR) and the
  NRR and GRR band tables.
* ``logo_retention`` — logo retention and churn, the customers kept and where the rate
  falls on its band scale.

>>> from calculators import default_config, example, run
>>> cfg = default_config()
>>> inputs = example("nrr_grr", cfg)
>>> [o.key for o in nrr_grr(inputs, run("nrr_grr", inputs, cfg), cfg, "")][:4]
['nrr', 'nrr_band', 'grr', 'grr_band']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import charts
from .charts import Step, esc
from .scales import band_scale, band_table
from .widgets import Config, Output, Result, badge, html_output, money, num, pct, stat


def nrr_grr(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    tones = {"start": "neutral", "expansion": "good", "contraction": "warn", "churn": "bad", "end": "accent"}
    steps = []
    for step in r["waterfall"]:
        total = step["total"]
        start = 0.0 if step["step"] in ("start", "end") else total - step["delta"]
        sign = "+" if step["step"] == "expansion" else "−" if step["step"] in ("contraction", "churn") else ""
        steps.append(
            Step(step["label"].lstrip("+− "), start, total, f"{sign}{money(abs(step['delta']))}", tones.get(step["step"], "neutral"))
        )
    chart = charts.waterfall(
        "Revenue bridge from starting to ending MRR",
        steps,
        caption=f"Starting MRR {money(inputs['starting_mrr'])}, plus expansion, minus contraction and churn, ends at {money(r['ending_mrr'])}.",
    )
    formula = (
        '<p class="cs-formula"><span class="cs-formula__name">NRR</span> = (Starting MRR + Expansion − Contraction − Churn) ÷ Starting MRR × 100<br>'
        f'<span class="cs-formula__sub">= {esc(r["nrr_formula"])}</span></p>'
        '<p class="cs-formula"><span class="cs-formula__name">GRR</span> = (Starting MRR − Contraction − Churn) ÷ Starting MRR × 100<br>'
        f'<span class="cs-formula__sub">= {esc(r["grr_formula"])}</span></p>'
    )
    a = config["assessments"]
    bands = band_table("NRR assessment", a["nrr"]["bands"], r["nrr_band"], "%") + band_table(
        "GRR assessment", a["grr"]["bands"], r["grr_band"], "%"
    )
    return [
        stat("nrr", "Net revenue retention", pct(r["nrr"]), r["nrr"]),
        html_output("nrr_band", "NRR assessment", badge(r["nrr_band"], r["nrr_band_label"], r["nrr_band_range"]), r["nrr_band"]),
        stat("grr", "Gross revenue retention", pct(r["grr"]), r["grr"]),
        html_output("grr_band", "GRR assessment", badge(r["grr_band"], r["grr_band_label"], r["grr_band_range"]), r["grr_band"]),
        stat("ending_mrr", "Ending MRR", money(r["ending_mrr"]), r["ending_mrr"]),
        stat("expansion_points", "Expansion adds", f"{r['expansion_points']:.1f} points", r["expansion_points"]),
        html_output("formula", "The formulas with your numbers", formula, wide=True),
        html_output("waterfall", "Revenue bridge", chart, wide=True),
        html_output("bands", "Assessment bands", bands, wide=True),
    ]


def logo_retention(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    bands = config["assessments"]["logo_retention"]["bands"]
    return [
        stat("logo_retention", "Logo retention", pct(r["logo_retention"]), r["logo_retention"]),
        html_output("band", "Assessment", badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        stat("logo_churn", "Logo churn", pct(r["logo_churn"]), r["logo_churn"]),
        stat("retained_customers", "Customers kept", num(r["retained_customers"]), r["retained_customers"]),
        html_output(
            "band_scale",
            "Where it falls",
            band_scale("Logo retention", bands, r["logo_retention"], pct(r["logo_retention"]), r["band"], unit="%"),
            wide=True,
        ),
    ]
