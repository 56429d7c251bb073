"""How each calculator's result reads in the page: labelled values, tables and charts.

:func:`present` turns a calculator's result into a list of :class:`Output` items. Each item
fills one element ``data-output="KEY"`` of the page. The build renders the worked example
from this list and the browser (in Pyodide) recomputes the same list after every change,
so what a reader sees with JavaScript off is exactly what the live calculator would show.

Numbers are rounded here, for display only. Every text is HTML-escaped.

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

from .account_views import health_score, playbook_plan, segment_score
from .assessment_views import ces, csat, nps, rate, time_to_value
from .widgets import Config, Output, Presenter, Result, money, num, pct, stat
from .revenue_views import coverage, expansion_forecast, logo_retention, nrr_grr, renewal_forecast, roi
from .scales import HEALTH_TONES

__all__ = ["HEALTH_TONES", "PRESENTERS", "Config", "Output", "Presenter", "Result", "money", "num", "pct", "present"]

PRESENTERS: dict[str, Presenter] = {
    "health_score": health_score,
    "nrr_grr": nrr_grr,
    "logo_retention": logo_retention,
    "renewal_forecast": renewal_forecast,
    "coverage": coverage,
    "nps": nps,
    "csat": csat,
    "ces": ces,
    "segment_score": segment_score,
    "expansion_forecast": expansion_forecast,
    "roi": roi,
    "rate": rate,
    "time_to_value": time_to_value,
    "playbook_plan": playbook_plan,
}


def _generic(inputs: Mapping[str, Any], r: Result, config: Config, base: str) -> list[Output]:
    out = []
    for key, value in r.items():
        if isinstance(value, bool) or value is None or isinstance(value, str):
            out.append(stat(key, key.replace("_", " ").capitalize(), "—" if value is None else str(value), value))
        elif isinstance(value, int | float) and math.isfinite(value):
            out.append(stat(key, key.replace("_", " ").capitalize(), num(value), value))
    return out


def present(name: str, inputs: Mapping[str, Any], result: Result, config: Config, base: str = "") -> list[Output]:
    """The outputs of calculator ``name`` for ``result``, in page order.

    ``base`` is the relative URL of the site root from the page (``"../../"``), used for
    links to playbook pages. A calculator without its own presenter lists its scalar results.
    """
    return PRESENTERS.get(name, _generic)(inputs, result, config, base)
