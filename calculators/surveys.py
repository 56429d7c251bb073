"""Survey scores: NPS, CSAT and CES, each with the source's assessment bands.

* **NPS** — answers on 0–10; promoters 9–10, passives 7–8, detractors 0–6.
  NPS = (promoters − detractors) ÷ responses × 100, from −100 to 100.
* **CSAT** — the share of "satisfied" answers (4–5 on a 5-point scale) in percent.
* **CES** — the mean answer on 1–7 where 1 is very easy; lower is better.

Bands come from the configuration's ``assessments`` (``nps``, ``csat``, ``ces``).

>>> from calculators import run
>>> run("nps", {"promoters": 50, "passives": 30, "detractors": 20})["nps"]
30.0
>>> run("csat", {"satisfied": 172, "total": 200})["csat"], run("ces", {"scores": [2, 3, 1, 4, 2, 2, 5, 3]})["ces"]
(86.0, 2.75)
"""

from __future__ import annotations

from statistics import fmean
from typing import Any

from .bands import band_summary
from .declarations import Calculator, Config, Field, InputError, Inputs


def net_promoter_score(promoters: int, passives: int, detractors: int) -> float:
    """NPS = (promoters − detractors) ÷ all responses × 100.

    >>> net_promoter_score(50, 30, 20)
    30.0
    """
    total = promoters + passives + detractors
    return (promoters - detractors) * 100 / total


def _count(name: str, label: str, example: int, help_text: str) -> Field:
    return Field(name, label, type="integer", unit="responses", minimum=0, example=example, help=help_text)


def _nps(values: Inputs, config: Config) -> dict[str, Any]:
    p, pa, d = values["promoters"], values["passives"], values["detractors"]
    total = p + pa + d
    if total == 0:
        raise InputError("promoters", "there are no responses: promoters + passives + detractors must be at least 1")
    score = net_promoter_score(p, pa, d)
    return {
        "nps": score,
        **band_summary(config["assessments"]["nps"]["bands"], score),
        "responses": total,
        "promoter_pct": p * 100 / total,
        "passive_pct": pa * 100 / total,
        "detractor_pct": d * 100 / total,
    }


NPS = Calculator(
    name="nps",
    title="Net Promoter Score",
    summary="NPS from the count of promoters (9–10), passives (7–8) and detractors (0–6).",
    inputs=(
        _count("promoters", "Promoters (9–10)", 50, "Answers of 9 or 10."),
        _count("passives", "Passives (7–8)", 30, "Answers of 7 or 8."),
        _count("detractors", "Detractors (0–6)", 20, "Answers from 0 to 6."),
    ),
    compute=_nps,
    outputs=(("nps", "NPS"), ("band", "Assessment")),
)


def customer_satisfaction(satisfied: int, total: int) -> float:
    """CSAT = satisfied responses ÷ all responses × 100.

    >>> customer_satisfaction(172, 200)
    86.0
    """
    return satisfied * 100 / total


def _csat(values: Inputs, config: Config) -> dict[str, Any]:
    satisfied, total = values["satisfied"], values["total"]
    if satisfied > total:
        raise InputError("satisfied", f"cannot exceed total ({total})")
    score = customer_satisfaction(satisfied, total)
    return {"csat": score, **band_summary(config["assessments"]["csat"]["bands"], score, "%"), "responses": total}


CSAT = Calculator(
    name="csat",
    title="Customer Satisfaction (CSAT)",
    summary="The percentage of survey answers that are satisfied (4–5 on a 5-point scale).",
    inputs=(
        _count("satisfied", "Satisfied answers", 172, "Answers of 4 or 5 on a 5-point scale."),
        Field(
            "total",
            "All answers",
            type="integer",
            unit="responses",
            minimum=0,
            exclusive_minimum=True,
            example=200,
            help="Every answer to the question.",
        ),
    ),
    compute=_csat,
    outputs=(("csat", "CSAT (%)"), ("band", "Assessment")),
)


def customer_effort_score(scores: list[float]) -> float:
    """CES = the mean answer on the 1–7 scale (1 = very easy). Lower is better.

    >>> customer_effort_score([2, 3, 1, 4, 2, 2, 5, 3])
    2.75
    """
    return fmean(scores)


def _ces(values: Inputs, config: Config) -> dict[str, Any]:
    scores = values["scores"]
    score = customer_effort_score(scores)
    counts = {str(level): sum(1 for s in scores if round(s) == level) for level in range(1, 8)}
    return {"ces": score, **band_summary(config["assessments"]["ces"]["bands"], score), "responses": len(scores), "distribution": counts}


CES = Calculator(
    name="ces",
    title="Customer Effort Score (CES)",
    summary="The average effort answer on a 1–7 scale, where 1 is very easy. Lower is better.",
    inputs=(
        Field(
            "scores",
            "Answers (1–7)",
            type="numbers",
            unit="score",
            minimum=1,
            maximum=7,
            min_items=1,
            example=[2, 3, 1, 4, 2, 2, 5, 3],
            help="One answer per response, 1 = very easy, 7 = very difficult.",
        ),
    ),
    compute=_ces,
    outputs=(("ces", "CES"), ("band", "Assessment")),
)
