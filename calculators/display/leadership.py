"""What the page shows for the leadership family: ``relationship_strength``, ``renewal_incentive``
and ``stack_budget``.

* ``relationship_strength`` — the score out of 5 with its level and definition, which answers
  hold it there, what the next level needs, the playbooks that gate on it (advocacy needs 4
  or 5) and the whole scale with the level marked.
* ``renewal_incentive`` — the payout and its share of the target, each metric's weight,
  attainment and pay (a chart against what it pays at target) and the cap in words.
* ``stack_budget`` — the yearly budget, the budget per month, whether a CS platform is due,
  and each category's planned amount, range and share per seat.

>>> from calculators import default_config, run
>>> cfg = default_config()
>>> inputs = {"seats": 11, "per_seat_cost": 5000}
>>> [o.html for o in stack_budget(inputs, run("stack_budget", inputs, cfg), cfg, "") if o.key == "total"]
['55,000 per year']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import charts
from .charts import Bar, esc
from .widgets import Config, Output, Result, badge, cell, html_output, html_table, money, pct, playbook_link, stat

#: The badge colour of each score (the site's band classes), strongest first.
SCORE_BADGES = {5: "strong", 4: "good", 3: "average", 2: "poor", 1: "at_risk"}


def _score_badge(score: int, label: str) -> str:
    return badge(SCORE_BADGES.get(score, "average"), f"{score} – {label}")


def relationship_strength(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    score = r["score"]
    rows = [
        [
            esc(c["label"]),
            esc(c["answer_label"]),
            cell(f"criteria.{c['id']}", str(c["allows"]), c["allows"]),
            "◀ holds the score here" if c["holding"] else "",
        ]
        for c in r["criteria"]
    ]
    answers = html_table(
        ("Criterion", "Your answer", "Allows at most", ""),
        rows,
        numeric=(2,),
        caption="The score is the lowest level any answer allows",
    )
    nxt = r["next_level"]
    if nxt is None:
        next_text = "None: this is the top of the scale. Keep it there and ask for advocacy."
    else:
        needs = "; ".join(f"{n['label']}: {n['answer_label']}" for n in nxt["needs"])
        next_text = f"To reach {nxt['score']} ({nxt['label']}): {needs}."
    gates = "".join(
        f'<li><span class="cs-badge cs-band--{"good" if g["passes"] else "poor"}">{"Applies" if g["passes"] else "Does not apply"}</span> '
        f"{playbook_link(g['playbook'], config, base)}: {esc(g['text'])} ({esc(_gate_range(g))})</li>"
        for g in r["gates"]
    )
    levels = config["relationship_strength"]["levels"]
    scale = html_table(
        ("Score", "Level", "Definition", "You see"),
        [
            [
                f"<strong>{level['score']}</strong> ◀" if level["score"] == score else str(level["score"]),
                esc(level["label"]),
                esc(level["definition"]),
                esc(", ".join(level.get("indicators", []))),
            ]
            for level in levels
        ],
        caption="The relationship strength scale (seed 002)",
        cls="cs-bands",
    )
    return [
        stat("score", "Relationship strength", f"{score} of {max(level['score'] for level in levels)}", score),
        html_output("label", "Level", _score_badge(score, r["label"]), r["level"]),
        stat("definition", "What it means", r["definition"]),
        stat("next_level", "Next level", next_text, None if nxt is None else nxt["score"]),
        html_output("gates", "Playbooks that gate on it", f'<ul class="cs-list">{gates}</ul>' if gates else "—", wide=True),
        html_output("criteria", "What decides it", answers, wide=True),
        html_output("scale", "The scale", scale, wide=True),
    ]


def _gate_range(gate: Mapping[str, Any]) -> str:
    low, high = gate.get("min"), gate.get("max")
    if low is not None and high is not None:
        return f"scores {low} to {high}"
    return f"score {low} or more" if low is not None else f"score {high} or less"


def renewal_incentive(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    cap = r["cap"]
    bars = [
        Bar(
            m["label"],
            m["payout"],
            f"{money(m['payout'])} of {money(m['target_amount'])}",
            tone="good" if m["counted"] >= 100 else "ok" if m["counted"] >= 80 else "warn",
            track=m["target_amount"] * max(cap, 100) / 100,
            track_text=money(m["target_amount"]),
        )
        for m in r["metrics"]
    ]
    chart = charts.bar_chart(
        "Pay per metric",
        bars,
        caption="Each bar is what a metric pays; the faint bar is the most it can pay (its weight's share of the target, up to the cap).",
        headers=("Metric", "Payout", "At target"),
    )
    table = html_table(
        ("Metric", "Weight", "Attainment", "Counted", "At target", "Payout"),
        [
            [
                esc(m["label"]),
                esc(pct(m["weight"], 0)),
                esc(pct(m["attainment"])),
                esc(pct(m["counted"])) + (" (capped)" if m["capped"] else ""),
                esc(money(m["target_amount"])),
                cell(f"metrics.{m['id']}", money(m["payout"]), m["payout"]),
            ]
            for m in r["metrics"]
        ],
        numeric=(1, 2, 3, 4, 5),
        caption="Payout = target variable pay × weight × attainment counted",
    )
    cap_text = (
        f"Attainment counts up to {cap:g} %: no accelerator, so the payout never exceeds the target."
        if cap <= 100
        else f"Attainment counts up to {cap:g} %: the payout can reach {cap:g} % of the target."
    )
    return [
        stat("payout", "Payout", money(r["payout"]), r["payout"]),
        stat("payout_pct", "Share of target", pct(r["payout_pct"]), r["payout_pct"]),
        stat("target_variable", "Target variable pay", money(r["target_variable"]), r["target_variable"]),
        stat("cap", "Cap", cap_text, cap),
        html_output("metrics", "Per metric", table, wide=True),
        html_output("chart", "Pay per metric", chart, wide=True),
    ]


def stack_budget(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    categories = r["categories"]
    table = html_table(
        ("Category", "Share (source)", "Planned", "Range", "Per seat"),
        [
            [
                esc(c["label"]),
                esc(f"{c['min_pct']:g}–{c['max_pct']:g} %"),
                cell(f"categories.{c['id']}", money(c["planned"]), c["planned"]),
                esc(f"{money(c['low'])} – {money(c['high'])}"),
                esc(money(c["per_seat"])),
            ]
            for c in categories
        ],
        numeric=(2, 3, 4),
        caption="Yearly amounts per category: planned at the middle of the range",
    )
    due = "Yes" if r["platform_due"] else "Not yet"
    return [
        stat("total", "Yearly budget", f"{money(r['total'])} per year", r["total"]),
        stat("monthly", "Per month", money(r["total"] / 12), r["total"] / 12),
        stat("platform_due", "CS platform due", f"{due}: {r['platform_reason']}", r["platform_due"]),
        html_output("categories", "By category", table, wide=True),
    ]
