"""Customer Success calculators: pure functions over plain data, standard library only.

The same code runs in the test suite on CPython, at build time for the worked examples and
in the reader's browser through Pyodide.

>>> run("nrr_grr", {"starting_mrr": 1_000_000, "expansion": 150_000,
...                 "contraction": 30_000, "churn": 50_000})["nrr"]
107.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .coverage import COVERAGE, SEGMENT_SCORE
from .declarations import Calculator, Field, InputError, validate
from .defaults import default_config
from .health import HEALTH_SCORE
from .leadership import RELATIONSHIP_STRENGTH, RENEWAL_INCENTIVE, STACK_BUDGET
from .planner import PLAYBOOK_PLAN
from .renewals import EXPANSION_FORECAST, RENEWAL_FORECAST
from .retention import LOGO_RETENTION, NRR_GRR
from .surveys import CES, CSAT, NPS
from .triage import TRIAGE
from .value import RATE, ROI, TIME_TO_VALUE

__all__ = ["CALCULATORS", "Calculator", "Field", "InputError", "default_config", "describe", "example", "names", "run"]
__version__ = "1.0.0"

CALCULATORS: dict[str, Calculator] = {
    calc.name: calc
    for calc in (
        NRR_GRR,
        HEALTH_SCORE,
        RENEWAL_FORECAST,
        COVERAGE,
        NPS,
        CSAT,
        CES,
        LOGO_RETENTION,
        SEGMENT_SCORE,
        EXPANSION_FORECAST,
        ROI,
        RATE,
        TIME_TO_VALUE,
        PLAYBOOK_PLAN,
        TRIAGE,
        RELATIONSHIP_STRENGTH,
        RENEWAL_INCENTIVE,
        STACK_BUDGET,
    )
}


def names() -> list[str]:
    """The calculator names, in a stable order."""
    return list(CALCULATORS)


def _calculator(name: str) -> Calculator:
    if not isinstance(name, str) or name not in CALCULATORS:
        raise InputError("calculator", f"{name!r} is not a calculator (known: {', '.join(CALCULATORS)})")
    return CALCULATORS[name]


def run(name: str, inputs: Any, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Run calculator ``name`` on a JSON-like dict of inputs; return a JSON-like dict.

    ``config`` is the library's configuration as plain data (weights, bands, ratios,
    probabilities); when omitted, the generated defaults are used. Bad input raises
    :class:`InputError` naming the field.
    """
    calc = _calculator(name)
    cfg = default_config() if config is None else config
    values = validate(calc.inputs, inputs, cfg)
    return calc.compute(values, cfg)


def describe(name: str, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The input declaration of calculator ``name`` as JSON-like data."""
    return _calculator(name).describe(default_config() if config is None else config)


def example(name: str, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The example inputs that pre-fill calculator ``name``'s form."""
    return _calculator(name).example(default_config() if config is None else config)
