"""What the page shows for the health family: it draws ``health_score``.

The score and its band, the action and playbook the band triggers, the renewal
probability, the biggest drag and the data coverage; then where the score falls on the
health bands, the points each component adds (against its weight) and the points lost,
biggest first. Without enough data there is no score: the scale shows why instead.

>>> from calculators import default_config, run
>>> cfg = default_config()
>>> inputs = {"components": {"product_usage": 90, "engagement": 70}}
>>> [o.html for o in health_score(inputs, run("health_score", inputs, cfg), cfg, "") if o.key == "score"]
['80.9']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import charts
from .charts import Bar, esc
from .scales import band_scale, health_tone, score_tone
from .widgets import Config, Output, Result, badge, cell, html_output, html_table, labels, num, pct, playbook_link, stat


def health_score(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    names = labels(config["health"]["components"])
    score = r["score"]
    drag = r.get("biggest_drag")
    if score is None:
        scale = f'<p class="cs-muted">{esc(r["band_edge"])}</p>'
        contributions = scale
        lost_table = ""
    else:
        scale = band_scale(
            "Health score", config["health"]["bands"], score, f"{score:.1f}", r["band"], tone=lambda b: health_tone(b, config)
        )
        bars = [
            Bar(
                names.get(c, c),
                pts,
                f"{pts:.1f} of {r['weights'][c]:.1f}",
                tone=score_tone(inputs["components"].get(c, 0.0)),
                track=r["weights"][c],
                track_text=f"{r['weights'][c]:.1f}",
            )
            for c, pts in r["contributions"].items()
        ]
        contributions = charts.bar_chart(
            "Points each component adds to the score",
            bars,
            caption=f"Each bar is the points a component adds; the faint bar is the most it could add (its weight). Score {score:.1f}.",
            headers=("Component", "Points", "Weight"),
        )
        order = sorted(r["points_lost"], key=lambda c: -r["points_lost"][c])
        lost_table = html_table(
            ("Component", "Score", "Weight", "Points", "Points lost"),
            [
                [
                    esc(names.get(c, c)),
                    esc(num(inputs["components"].get(c))),
                    esc(f"{r['weights'][c]:.1f} %"),
                    cell(f"contributions.{c}", f"{r['contributions'][c]:.1f}", r["contributions"][c]),
                    cell(f"points_lost.{c}", f"{r['points_lost'][c]:.1f}", r["points_lost"][c]),
                ]
                for c in order
            ],
            numeric=(1, 2, 3, 4),
            caption="Where the points go, biggest loss first",
        )
    missing = ", ".join(names.get(c, c) for c in r["missing"])
    coverage = f"{r['coverage']:.0f} % of the model's weight has data" + (f" (no data: {missing})" if missing else "")
    drag_text = "None — every component scores 100" if drag is None else f"{names.get(drag, drag)} (−{r['points_lost'][drag]:.1f} points)"
    if score is None:
        drag_text = "—"
    return [
        stat("score", "Health score", "—" if score is None else f"{score:.1f}", score),
        html_output("band", "Band", badge(r["band"], r["band_label"], r["band_range"]), r["band"]),
        stat("action", "What to do", r["action"] if not r.get("play") else f"{r['action']}: {r['play']}"),
        stat("renewal_probability", "Renewal probability", pct(r["renewal_probability"], 0), r["renewal_probability"]),
        stat("biggest_drag", "Biggest drag", drag_text, drag),
        html_output("playbook", "Playbook this band triggers", playbook_link(r.get("playbook"), config, base), r.get("playbook")),
        stat("coverage", "Data coverage", coverage, r["coverage"]),
        html_output("band_scale", "Where the score falls", scale, wide=True),
        html_output("contributions", "Contributions", contributions, wide=True),
        html_output("points_lost", "Points lost", lost_table, wide=True),
    ]
