"""Coverage and capacity: CSMs needed, cost-to-serve, and multi-factor segmentation.

CSMs needed = accounts ÷ ratio (accounts per CSM). Cost-to-serve = CSMs × fully-loaded
CSM cost ÷ segment ARR × 100, which for one account is (CSM cost ÷ ratio) ÷ ARR × 100
(CS strategy reference, "Coverage Model Economics"): a 200,000 account at 1:15 with a
150,000 CSM costs 10,000 a year, 5 % of its ARR.

A segment is a coverage tier (``high_touch`` …) or a row of the ratio table
(``enterprise`` …) from ``segments.yml``; its ``planning`` ratio is used when none is given,
and its tier's cost-to-serve range is the target. Each segment is one row: the same segment
listed twice is refused, naming the second row (``segments[1].segment: 'high_touch' is listed
twice (rows 1 and 2)``), as its accounts would otherwise be counted twice. A tier and a
ratio-table row of that tier are different segments.

The segment score weighs ARR, complexity, growth potential and strategic value (the
weights of ``scoring`` in ``segments.yml``); the score picks the coverage tier.

>>> from calculators import run
>>> run("coverage", {"segments": [{"segment": "enterprise", "accounts": 1, "arr": 200_000, "ratio": 15}],
...                  "csm_cost": 150_000})["total_cost_to_serve_pct"]
5.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from math import fsum
from typing import Any

from .bands import find_band
from .declarations import Calculator, Config, Field, InputError, Inputs, shown


def csms_needed(accounts: float, ratio: float) -> float:
    """Accounts ÷ accounts-per-CSM (fractional; round up for headcount).

    >>> csms_needed(120, 40)
    3.0
    """
    return accounts / ratio


def cost_to_serve_pct(accounts: float, arr: float, ratio: float, csm_cost: float) -> float:
    """Share of ARR spent on CSM time, in percent.

    >>> cost_to_serve_pct(1, 200_000, 15, 150_000)
    5.0
    """
    return accounts * csm_cost * 100 / (ratio * arr)


def _segment_rows(config: Config) -> dict[str, dict[str, Any]]:
    segments = config["segments"]
    tiers = {t["id"]: t for t in segments["tiers"]}
    rows: dict[str, dict[str, Any]] = {}
    for tier in segments["tiers"]:
        rows[tier["id"]] = {**tier, "tier": tier["id"]}
    for row in segments["ratio_table"]:
        rows[row["id"]] = {**row, "cost_to_serve": tiers[row["tier"]].get("cost_to_serve", {})}
    return rows


def _segment_options(config: Config) -> list[tuple[str, str]]:
    return [(key, row.get("label", key)) for key, row in _segment_rows(config).items()]


def _target_status(pct: float, target: dict[str, Any]) -> str | None:
    low, high = target.get("min"), target.get("max")
    if low is None and high is None:
        return None
    if low is not None and pct < low:
        return "below"
    if high is not None and pct > high:
        return "above"
    return "within"


def _coverage(values: Inputs, config: Config) -> dict[str, Any]:
    rows = _segment_rows(config)
    csm_cost = values["csm_cost"]
    out = []
    first_row: dict[str, int] = {}
    for i, seg in enumerate(values["segments"]):
        if seg["segment"] in first_row:
            raise InputError(
                f"segments[{i}].segment",
                f"{shown(seg['segment'])} is listed twice (rows {first_row[seg['segment']] + 1} and {i + 1})",
            )
        first_row[seg["segment"]] = i
        row = rows[seg["segment"]]
        ratio = seg["ratio"] if seg["ratio"] is not None else row["ratio"]["planning"]
        if ratio <= 0:
            raise InputError(f"segments[{i}].ratio", "must be greater than 0")
        csms = csms_needed(seg["accounts"], ratio)
        pct = cost_to_serve_pct(seg["accounts"], seg["arr"], ratio, csm_cost)
        target = row.get("cost_to_serve", {})
        out.append(
            {
                **seg,
                "label": row.get("label", seg["segment"]),
                "ratio": ratio,
                "csms": csms,
                "csms_rounded": math.ceil(csms - 1e-9),
                "cost": csms * csm_cost,
                "cost_per_account": csm_cost / ratio,
                "average_arr": seg["arr"] / seg["accounts"],
                "cost_to_serve_pct": pct,
                "target_min": target.get("min"),
                "target_max": target.get("max"),
                "target_status": _target_status(pct, target),
            }
        )
    total_csms = fsum(s["csms"] for s in out)
    total_arr = fsum(s["arr"] for s in out)
    total_cost = total_csms * csm_cost
    return {
        "segments": out,
        "total_csms": total_csms,
        "headcount": math.ceil(total_csms - 1e-9),
        "total_accounts": sum(s["accounts"] for s in out),
        "total_arr": total_arr,
        "total_cost": total_cost,
        "total_cost_to_serve_pct": total_cost * 100 / total_arr,
    }


def _example_org(config: Config) -> list[dict[str, Any]]:
    return [dict(s) for s in config["segments"]["example_organisation"]["segments"]]


COVERAGE = Calculator(
    name="coverage",
    title="CSM coverage and cost-to-serve",
    summary="CSMs needed per segment from accounts and ratio, and what that coverage costs as a share of ARR.",
    inputs=(
        Field(
            "segments",
            "Segments",
            type="table",
            min_items=1,
            example_from=_example_org,
            help="One row per segment: accounts, their total ARR, and optionally accounts per CSM.",
            columns=(
                Field("segment", "Segment", type="select", options_from=_segment_options),
                Field("accounts", "Accounts", type="integer", unit="accounts", minimum=0, exclusive_minimum=True),
                Field("arr", "Segment ARR", unit="currency", minimum=0, exclusive_minimum=True),
                Field(
                    "ratio",
                    "Accounts per CSM",
                    unit="accounts/CSM",
                    minimum=0,
                    exclusive_minimum=True,
                    required=False,
                    help="Leave empty for the segment's planning ratio.",
                ),
            ),
        ),
        Field(
            "csm_cost",
            "CSM fully-loaded cost",
            unit="currency/year",
            minimum=0,
            exclusive_minimum=True,
            example_from=lambda c: c["segments"]["example_organisation"]["csm_cost"],
            help="Salary, benefits, tools and overhead for one CSM for a year.",
        ),
    ),
    compute=_coverage,
    outputs=(
        ("total_csms", "CSMs needed"),
        ("headcount", "Headcount (rounded up)"),
        ("total_cost_to_serve_pct", "Cost-to-serve (% of ARR)"),
    ),
)


def _arr_row(arr: float, config: Config) -> Mapping[str, Any]:
    rows = [{**r, "min": r.get("arr_min"), "max": r.get("arr_max")} for r in config["segments"]["ratio_table"]]
    row = find_band(rows, arr)
    if row is None:  # pragma: no cover - the ratio table is validated to cover 0 and up
        raise InputError("arr", f"{arr:g} is outside every ratio-table row")
    return row


def _segment_score(values: Inputs, config: Config) -> dict[str, Any]:
    scoring = config["segments"]["scoring"]
    weights = scoring["weights"]
    row = _arr_row(values["arr"], config)
    factors = {
        "arr": float(scoring["arr_scores"][row["id"]]),
        "complexity": values["complexity"],
        "growth_potential": values["growth_potential"],
        "strategic_value": values["strategic_value"],
    }
    total = fsum(weights.values())
    contributions = {k: factors[k] * weights[k] / total for k in weights}
    score = fsum(contributions.values())
    tier = next(t["tier"] for t in sorted(scoring["tiers"], key=lambda t: -t["min"]) if round(score, 9) >= t["min"])
    labels = {t["id"]: t.get("label", t["id"]) for t in config["segments"]["tiers"]}
    return {
        "score": score,
        "tier": tier,
        "tier_label": labels.get(tier, tier),
        "arr_segment": row["id"],
        "arr_tier": row["tier"],
        "arr_score": factors["arr"],
        "factors": factors,
        "contributions": contributions,
    }


def _factor(name: str, label: str, example: float, help_text: str) -> Field:
    return Field(name, label, unit="points", minimum=0, maximum=100, example=example, help=help_text)


SEGMENT_SCORE = Calculator(
    name="segment_score",
    title="Multi-factor segment score",
    summary="Weighted score of ARR, complexity, growth potential and strategic value, and the coverage tier it points to.",
    inputs=(
        Field(
            "arr",
            "ARR",
            unit="currency",
            minimum=0,
            example=80_000,
            help="Annual recurring revenue; scored from the ratio-table row it falls in.",
        ),
        _factor("complexity", "Complexity", 80, "0 = one team, no integrations; 100 = many departments and integrations."),
        _factor("growth_potential", "Growth potential", 70, "0 = no expansion expected; 100 = large, likely expansion."),
        _factor("strategic_value", "Strategic value", 50, "0 = transactional; 100 = lighthouse account in a key vertical."),
    ),
    compute=_segment_score,
    outputs=(("score", "Segment score"), ("tier", "Coverage tier")),
)
