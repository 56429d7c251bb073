"""What a CS leader (and a CSM with their manager) computes about the team's relationships, pay
and tools (the "Leadership" calculators page). The figures come from the YAML library
(``playbooks/relationship-strength.yml``, ``compensation.yml``, ``tech-stack.yml``), never from
this module.

* **Relationship strength** (CS strategy reference, "Executive Stakeholder Management:
  Relationship Strength Scoring"): one stakeholder relationship scored 1 (At risk) to 5
  (Strong) from four observable criteria: contact, sentiment, access and expansion. Each
  answer *allows* the score to reach at most a level; the score is the **lowest** level any
  answer allows, so a relationship is only as strong as its weakest observable sign. A 5
  needs regular contact, references, executive access and expansion; one complaint makes a 1.
  The result names the criteria holding the score where it is, what the next level needs,
  and the playbooks that gate on the score (advocacy asks need 4 or 5).
* **Renewal incentive** ("Renewal & Expansion Strategy: Renewal Incentive Structure"): a CSM's
  target variable pay split 40/30/20/10 over book GRR, book NRR, expansion influenced and
  health scores. Each metric pays ``target × weight ÷ 100 × min(attainment, cap) ÷ 100``,
  where attainment is actual ÷ target × 100 in percent. Conventions (the source states no
  payout curve): linear from 0, no threshold, attainment counted up to ``cap`` (the YAML's
  100 unless the input says otherwise, so by default the payout never exceeds the target);
  every metric's attainment must be given (0 when it was missed entirely).
* **Stack budget** ("CS Technology Stack Strategy: Technology Budget Allocation"): the yearly
  CS technology budget = seats × budget per seat, split over the source's categories: each
  category's range (CS platform 40–50 % …) and its planning share (the middle of the range;
  the planning shares add up to 100 %). It also says whether a CS platform is due: the
  source's scaling checklist implements one at about 50 customers or 3 or more CSMs.

>>> from calculators import run
>>> run("relationship_strength", {"contact": "regular", "sentiment": "positive",
...     "access": "single_level", "expansion": "not_yet"})["score"]
4
>>> r = run("renewal_incentive", {"target_variable": 40_000,
...     "attainment": {"grr": 100, "nrr": 100, "expansion": 100, "health": 100}})
>>> r["payout"], r["payout_pct"]
(40000.0, 100.0)
>>> run("stack_budget", {"seats": 11, "per_seat_cost": 5_000})["total"]
55000
"""

from __future__ import annotations

from typing import Any

from .declarations import Calculator, Config, Field, InputError, Inputs

# --- Relationship strength -------------------------------------------------------------

#: The four criteria, in form order; their answers and levels are the YAML's.
CRITERIA = ("contact", "sentiment", "access", "expansion")


def strength(allows: list[int]) -> int:
    """The score: the lowest level any answer allows.

    >>> strength([5, 4, 4, 5]), strength([5, 5, 5, 5]), strength([5, 1, 5, 5])
    (4, 5, 1)
    """
    return min(allows)


def _answers(criterion: str) -> Any:
    def options(config: Config) -> list[tuple[str, str]]:
        return [(a["id"], a["label"]) for a in config["relationship_strength"]["criteria"][criterion]["answers"]]

    return options


def _example(section: str, key: str) -> Any:
    def example(config: Config) -> Any:
        return config[section]["example"].get(key)

    return example


def _relationship(values: Inputs, config: Config) -> dict[str, Any]:
    scale = config["relationship_strength"]
    levels = {level["score"]: level for level in scale["levels"]}
    chosen = []
    for cid in CRITERIA:
        criterion = scale["criteria"][cid]
        answer = next(a for a in criterion["answers"] if a["id"] == values[cid])
        chosen.append((cid, criterion, answer))
    score = strength([answer["allows"] for _, _, answer in chosen])
    level = levels[score]
    criteria = [
        {
            "id": cid,
            "label": criterion["label"],
            "answer": answer["id"],
            "answer_label": answer["label"],
            "allows": answer["allows"],
            "holding": answer["allows"] == score and score < max(levels),
        }
        for cid, criterion, answer in chosen
    ]
    next_level = None
    if score + 1 in levels:
        needs = []
        for cid, criterion, answer in chosen:
            if answer["allows"] <= score:
                better = [a for a in criterion["answers"] if a["allows"] > score]
                weakest = min(better, key=lambda a: a["allows"])
                needs.append({"id": cid, "label": criterion["label"], "answer_label": weakest["label"]})
        nxt = levels[score + 1]
        next_level = {"score": score + 1, "label": nxt["label"], "needs": needs}
    playbooks = config.get("playbooks", {})
    gates = [
        {
            "playbook": gate["playbook"],
            "title": playbooks.get(gate["playbook"], {}).get("title", gate["playbook"]),
            "text": gate["text"],
            "min": gate.get("min"),
            "max": gate.get("max"),
            "passes": (gate.get("min") is None or score >= gate["min"]) and (gate.get("max") is None or score <= gate["max"]),
        }
        for gate in scale.get("gates", [])
    ]
    return {
        "score": score,
        "level": level["id"],
        "label": level["label"],
        "definition": level["definition"],
        "indicators": list(level.get("indicators", [])),
        "criteria": criteria,
        "next_level": next_level,
        "gates": gates,
    }


def _criterion_field(cid: str, label: str, help_text: str) -> Field:
    return Field(cid, label, type="select", options_from=_answers(cid), example_from=_example("relationship_strength", cid), help=help_text)


RELATIONSHIP_STRENGTH = Calculator(
    name="relationship_strength",
    title="Relationship strength",
    summary="One stakeholder relationship scored 1 (At risk) to 5 (Strong) from what you can observe: contact, sentiment, access and expansion.",
    inputs=(
        _criterion_field("contact", "Contact", "How do they take part? Pick the answer that describes the last quarter."),
        _criterion_field("sentiment", "Sentiment", "What do they say about us, to us and to their colleagues?"),
        _criterion_field("access", "Access", "Whom in the account do we reach through them?"),
        _criterion_field("expansion", "Expansion", "Has the account grown with them?"),
    ),
    compute=_relationship,
    outputs=(("score", "Relationship strength (1–5)"), ("label", "Level")),
)


# --- Renewal incentive -----------------------------------------------------------------

#: The highest attainment a metric may be given, in percent (a plan's cap may be lower).
MAX_ATTAINMENT = 300


def metric_payout(target: float, weight: float, attainment: float, cap: float) -> float:
    """One metric's pay: its weight's share of the target × the attainment counted (at most ``cap``).

    >>> metric_payout(40_000, 40, 100, 100), metric_payout(40_000, 10, 110, 100), metric_payout(40_000, 10, 110, 150)
    (16000.0, 4000.0, 4400.0)
    """
    return target * weight / 100 * min(attainment, cap) / 100


def _weights(config: Config) -> list[tuple[str, str]]:
    return [(w["id"], w["label"]) for w in config["renewal_incentive"]["weights"]]


def _incentive(values: Inputs, config: Config) -> dict[str, Any]:
    plan = config["renewal_incentive"]
    target = values["target_variable"]
    cap = plan["cap"] if values["cap"] is None else values["cap"]
    given = values["attainment"]
    rows = []
    for w in plan["weights"]:
        if w["id"] not in given:
            raise InputError(f"attainment.{w['id']}", "is required (enter 0 when the target was missed entirely)")
        attainment = given[w["id"]]
        rows.append(
            {
                "id": w["id"],
                "label": w["label"],
                "weight": w["weight"],
                "attainment": attainment,
                "counted": min(attainment, cap),
                "capped": attainment > cap,
                "target_amount": target * w["weight"] / 100,
                "payout": metric_payout(target, w["weight"], attainment, cap),
            }
        )
    payout = sum(row["payout"] for row in rows)
    return {
        "payout": payout,
        "payout_pct": payout * 100 / target,
        "target_variable": target,
        "cap": cap,
        "metrics": rows,
    }


RENEWAL_INCENTIVE = Calculator(
    name="renewal_incentive",
    title="Renewal incentive payout",
    summary="A CSM's variable pay from the 40/30/20/10 renewal incentive weights and the attainment on each metric.",
    inputs=(
        Field(
            "target_variable",
            "Target variable pay",
            unit="currency",
            minimum=0,
            exclusive_minimum=True,
            example_from=_example("renewal_incentive", "target_variable"),
            help="The variable pay at 100 % attainment on every metric, for the same period.",
        ),
        Field(
            "attainment",
            "Attainment",
            type="mapping",
            unit="%",
            minimum=0,
            maximum=MAX_ATTAINMENT,
            options_from=_weights,
            example_from=_example("renewal_incentive", "attainment"),
            help="Actual ÷ target × 100 for each metric: a book GRR of 92 % against a 90 % target is 102.2.",
        ),
        Field(
            "cap",
            "Attainment cap",
            unit="%",
            required=False,
            minimum=0,
            exclusive_minimum=True,
            maximum=MAX_ATTAINMENT,
            example_from=lambda config: config["renewal_incentive"]["cap"],
            help="Attainment counts up to this. 100 means no accelerator: the payout never exceeds the target.",
        ),
    ),
    compute=_incentive,
    outputs=(("payout", "Payout"), ("payout_pct", "Payout (% of target)")),
)


# --- Stack budget ----------------------------------------------------------------------

#: The most seats the stack budget takes.
MAX_SEATS = 10_000


def _budget(values: Inputs, config: Config) -> dict[str, Any]:
    plan = config["stack_budget"]
    seats, per_seat = values["seats"], values["per_seat_cost"]
    total = seats * per_seat
    categories = [
        {
            "id": c["id"],
            "label": c["label"],
            "min_pct": c["share"]["min"],
            "max_pct": c["share"]["max"],
            "planning_pct": c["share"]["planning"],
            "low": total * c["share"]["min"] / 100,
            "high": total * c["share"]["max"] / 100,
            "planned": total * c["share"]["planning"] / 100,
            "per_seat": per_seat * c["share"]["planning"] / 100,
        }
        for c in plan["categories"]
    ]
    due = plan["platform_due"]
    customers = values["customers"]
    have = f"{seats} seats" + ("" if customers is None else f" and {customers} customers")
    due_now = seats >= due["csms"] or (customers is not None and customers >= due["customers"])
    reason = f"a CS platform is due at about {due['customers']} customers or {due['csms']} CSMs; you have {have}"
    return {
        "total": total,
        "per_seat_cost": per_seat,
        "seats": seats,
        "categories": categories,
        "platform_due": due_now,
        "platform_reason": reason,
    }


STACK_BUDGET = Calculator(
    name="stack_budget",
    title="CS tech stack budget",
    summary="The yearly CS technology budget (seats × budget per seat), split over platform, analytics, engagement, integration and feedback tools.",
    inputs=(
        Field(
            "seats",
            "Seats",
            type="integer",
            minimum=1,
            maximum=MAX_SEATS,
            example_from=_example("stack_budget", "seats"),
            help="The people who work in the CS tools: CSMs, their managers, CS Ops and renewals.",
        ),
        Field(
            "per_seat_cost",
            "Budget per seat",
            unit="currency/year",
            minimum=0,
            exclusive_minimum=True,
            example_from=_example("stack_budget", "per_seat_cost"),
            help="Everything you plan to spend on CS tools per seat and year, from your vendors' quotes.",
        ),
        Field(
            "customers",
            "Customers",
            type="integer",
            required=False,
            minimum=0,
            example_from=_example("stack_budget", "customers"),
            help="Optional: the accounts you serve, to tell whether a CS platform is due.",
        ),
    ),
    compute=_budget,
    outputs=(("total", "Yearly budget"), ("platform_due", "CS platform due")),
)
