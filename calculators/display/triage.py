"""What the page shows for the triage family: it draws ``triage``.

The number of plays, then the plays in order as a numbered list: each with a link to its
playbook, the reason (the signal and the rule), the day it starts, its owner and its first
dated steps; then the plays a rule suppressed, with the reason.

>>> from calculators import default_config, run
>>> cfg = default_config()
>>> rule = {"when": {"metric": "health_score", "below": 40}, "priority": 1}
>>> cfg["playbooks"] = {"save": {"title": "Save <it>", "offset_unit": "day", "segments": ["high_touch"], "rule": rule,
...                              "steps": [{"at": 0, "action": "Call", "owner": "csm"}]}}
>>> inputs = {"as_of": "2026-12-07", "segment": "high_touch", "health": 35}
>>> outs = {o.key: o for o in triage(inputs, run("triage", inputs, cfg), cfg, "")}
>>> outs["play_count"].html, "Save &lt;it&gt;" in outs["plays"].html, "Health score 35 is below 40" in outs["plays"].html
('1', True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..planner import role_name
from .charts import esc
from .widgets import Config, Output, Result, html_output, num, playbook_link, stat


def _play(play: Mapping[str, Any], config: Config, base: str) -> str:
    steps = "".join(
        f'<li><time datetime="{esc(s["date"])}">{esc(s["date"])}</time> ({esc(s["offset"])}): {esc(s["action"])}'
        + (f' <span class="cs-owner">({esc(role_name(config, s["owner"]))})</span>' if s.get("owner") else "")
        + "</li>"
        for s in play["first_steps"]
    )
    owner = f" · owner: {esc(role_name(config, play['owner']))}" if play.get("owner") else ""
    return (
        f'<li class="cs-play" data-playbook="{esc(play["playbook"])}">'
        f"<strong>{playbook_link(play['playbook'], config, base)}</strong>"
        f'<p class="cs-play-reason">{esc(play["reason"])}</p>'
        f'<p class="cs-play-when">Starts <time datetime="{esc(play["starts"])}">{esc(play["starts"])}</time>{owner}</p>'
        + (f'<ol class="cs-play-steps" aria-label="First steps">{steps}</ol>' if steps else "")
        + "</li>"
    )


def triage(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    plays = r["plays"]
    if plays:
        listing = '<ol class="cs-plays">' + "".join(_play(p, config, base) for p in plays) + "</ol>"
    else:
        listing = '<p class="cs-plays-none">No playbook needs to start for this account on this day.</p>'
    if r.get("unknown_signals"):
        listing += (
            '<p class="cs-plays-unknown">Not known, so the rules that need them could not fire: '
            + esc(", ".join(r["unknown_signals"]))
            + ".</p>"
        )
    suppressed = (
        '<ul class="cs-suppressed">'
        + "".join(f"<li>{playbook_link(s['playbook'], config, base)}: {esc(s['reason'])}</li>" for s in r["suppressed"])
        + "</ul>"
        if r["suppressed"]
        else "<p>None.</p>"
    )
    return [
        stat("play_count", "Plays needed", num(r["play_count"]), r["play_count"]),
        stat("health_score", "Health score", "—" if r["health_score"] is None else num(r["health_score"]), r["health_score"]),
        html_output("plays", "Plays, most urgent first", listing, wide=True),
        html_output("suppressed", "Plays a rule held back", suppressed, wide=True),
    ]
