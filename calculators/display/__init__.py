"""How each calculator's result reads in the page: labelled values, tables and charts.

:func:`present` turns a calculator's result into a list of :class:`Output` items. Each item
fills one element ``data-output="KEY"`` of the page. The build renders the worked example
from this list and the browser (in Pyodide) recomputes the same list after every change,
so what a reader sees with JavaScript off is exactly what the live calculator would show.

Numbers are rounded here, for display only. Every text is HTML-escaped.

Each family of calculators has its presenters in the module of the same name as its
formulas (``calculators/renewals.py`` → ``display/renewals.py``): one function per
calculator, named after it. The pieces they share are in :mod:`.widgets` (outputs, number
formats, badges, tables), :mod:`.scales` (band scales and tones) and :mod:`.charts` (SVG).

>>> from calculators import run, default_config
>>> cfg = default_config()
>>> inputs = {"promoters": 50, "passives": 30, "detractors": 20}
>>> [o.html for o in present("nps", inputs, run("nps", inputs, cfg), cfg) if o.key == "nps"]
['30.0']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from . import coverage, health, leadership, planner, renewals, retention, surveys, triage, value
from .scales import HEALTH_TONES
from .widgets import Config, Output, Presenter, Result, money, num, pct, stat

__all__ = ["HEALTH_TONES", "PRESENTERS", "Config", "Output", "Presenter", "Result", "money", "num", "pct", "present"]

PRESENTERS: dict[str, Presenter] = {
    "health_score": health.health_score,
    "nrr_grr": retention.nrr_grr,
    "logo_retention": retention.logo_retention,
    "renewal_forecast": renewals.renewal_forecast,
    "coverage": coverage.coverage,
    "nps": surveys.nps,
    "csat": surveys.csat,
    "ces": surveys.ces,
    "segment_score": coverage.segment_score,
    "expansion_forecast": renewals.expansion_forecast,
    "roi": value.roi,
    "rate": value.rate,
    "time_to_value": value.time_to_value,
    "playbook_plan": planner.playbook_plan,
    "triage": triage.triage,
    "relationship_strength": leadership.relationship_strength,
    "renewal_incentive": leadership.renewal_incentive,
    "stack_budget": leadership.stack_budget,
}


def _generic(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    out = []
    for key, item in r.items():
        if isinstance(item, bool) or item is None or isinstance(item, str):
            out.append(stat(key, key.replace("_", " ").capitalize(), "—" if item is None else str(item), item))
        elif isinstance(item, int | float) and math.isfinite(item):
            out.append(stat(key, key.replace("_", " ").capitalize(), num(item), item))
    return out


def present(name: str, inputs: Mapping[str, Any], result: Result, config: Config, base: str = "") -> list[Output]:
    """The outputs of calculator ``name`` for ``result``, in page order.

    ``base`` is the relative URL of the site root from the page (``"../../"``), used for
    links to playbook pages. A calculator without its own presenter lists its scalar results.
    """
    return PRESENTERS.get(name, _generic)(inputs, result, config, base)
