"""Scoring a chunk of rows: validation, health score, band, renewal forecast and segment.

The numbers are those of the scalar calculators, row by row and bit for bit:

* With component columns, each row's ``score``, ``band``, ``playbook`` and
  ``renewal_probability`` equal ``calculators.run("health_score", {"segment": S,
  "components": {...the row's non-missing components}})``, where ``S`` is ``None`` (the
  ``default`` weight model) or, with ``segment_model``, the row's segment. Missing components
  follow the health model's ``missing_data`` policy (``renormalise``, ``zero`` or
  ``reject``); below ``min_coverage`` the band is ``insufficient_data`` with no score, no
  probability and no expected renewal.
* With a ``health`` column, the score is that column.
* ``renewal_probability`` and ``expected_renewal`` equal the ``probability`` and ``expected``
  of ``calculators.run("renewal_forecast", {"accounts": [{"name": account, "arr": arr,
  "health": score}]})``: expected = ARR × probability ÷ 100.
* Validation follows the calculators' input declarations (the same bounds and wording): a
  row that either calculator would refuse is rejected, as is a row with an unknown segment,
  an unreadable ``renewal_date`` or an ``outcome`` other than ``renewed``/``churned``.
  ARR must be greater than 0; component and health scores lie in [0, 100].
* Segment: the ``segment`` column when given (a tier id or label, or a ratio-table row such
  as ``enterprise`` or ``SMB``, which stands for its tier), otherwise the tier whose
  ``[arr_min, arr_max)`` holds the ARR (``segment_source`` says which).
* ``transition``: for a given segment, the chain of ``segments.yml`` transitions whose
  ``arr_crosses`` the ARR has crossed (``up``: ARR ≥ threshold; ``down``: ARR < threshold),
  e.g. ``tech_touch→low_touch``; empty when none applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from .columns import Plan
from .exact import band_codes, exact_sum
from .model import INSUFFICIENT, Model, transition_paths, transition_text
from .parse import BoolArray, FloatArray, IntArray, ObjectArray, choices, normalised_lookup, numbers, quarters
from .problems import Problems, account_checks, problems_mask, range_checks

__all__ = ["INSUFFICIENT", "OUTCOMES", "Chunk", "Model", "Problems", "component_scores", "problems_mask", "score_chunk", "transition_text"]

OUTCOMES = {"renewed": 0, "churned": 1}


def _series(values: npt.ArrayLike) -> pd.Series:
    """A column for the output frame; text stays ``object`` (no string-dtype inference)."""
    array = np.asarray(values)
    return pd.Series(array, dtype=object, copy=False) if array.dtype == object else pd.Series(array, copy=False)


@dataclass
class Chunk:
    """The result of scoring one chunk.

    ``output`` holds the accepted rows (input columns numbered from 0, then the result
    columns); ``errors`` one line per bad cell; ``facts`` the per-row numbers the report adds up.
    """

    rows_in: int
    blank: int
    rejected: int
    output: pd.DataFrame
    errors: pd.DataFrame
    facts: pd.DataFrame


def score_chunk(frame: pd.DataFrame, plan: Plan, model: Model, first_row: int = 1) -> Chunk:
    """Validate and score ``frame`` (text cells, columns numbered as in ``plan.headers``).

    ``first_row`` is the 1-based data-row number of the frame's first row.
    """
    n = len(frame)
    cells = {role: np.asarray(frame.iloc[:, position].to_numpy(dtype=object), dtype=object) for role, position in plan.roles.items()}
    blank = np.ones(n, dtype=np.bool_)
    for position in range(frame.shape[1]):
        blank &= np.asarray(frame.iloc[:, position].to_numpy(dtype=object) == "", dtype=np.bool_)
    problems = Problems(n, {header: i for i, header in reversed(list(enumerate(plan.headers)))})

    accounts = cells["account"]
    account_checks(problems, accounts, plan.header("account"))

    arr_role = "mrr" if plan.arr_from_mrr else "arr"
    arr_cells = cells[arr_role]
    arr, bad = numbers(arr_cells)
    if plan.arr_from_mrr:
        with np.errstate(over="ignore"):
            arr = arr * 12
    arr_ok = range_checks(problems, arr, bad, model.arr_field, plan.header(arr_role), arr_cells)

    segment = np.full(n, -1, dtype=np.int64)
    given = np.zeros(n, dtype=np.bool_)
    if "segment" in plan.roles:
        segment, bad = choices(cells["segment"], normalised_lookup(model.segment_names))
        known = ", ".join(model.tier_ids)
        problems.add(bad, plan.header("segment"), f"is not a known segment (known: {known})", cells["segment"])
        given = segment >= 0
    assigned = band_codes(model.tier_bands, np.where(arr_ok, arr, np.nan))  # a refused ARR assigns no segment
    problems.add(arr_ok & ~given & (assigned < 0), plan.header(arr_role), "is outside every segment's ARR range", arr_cells)
    segment = np.where(given, segment, assigned)

    quarter = np.full(n, -1, dtype=np.int64)
    if "renewal_date" in plan.roles:
        quarter, bad = quarters(cells["renewal_date"])
        problems.add(bad, plan.header("renewal_date"), "must be a date written YYYY-MM-DD", cells["renewal_date"])
    outcome = np.full(n, -1, dtype=np.int64)
    if "outcome" in plan.roles:
        outcome, bad = choices(cells["outcome"], normalised_lookup(OUTCOMES))
        problems.add(bad, plan.header("outcome"), "must be renewed or churned", cells["outcome"])

    default = model.model_keys.index("default")
    model_index = np.full(n, default, dtype=np.int64)
    if model.segment_model:  # rows without a usable segment (rejected anyway) keep the default model
        model_index = np.where(segment >= 0, model.tier_model[np.maximum(segment, 0)], default)
        role = "segment" if "segment" in plan.roles else arr_role
        problems.add(model_index < 0, plan.header(role), "the segment has no weight model in the health model", cells[role])
        model_index = np.where(model_index < 0, default, model_index)

    if plan.use_health:
        score, bad = numbers(cells["health"])
        range_checks(problems, score, bad, model.health_field, plan.header("health"), cells["health"])
        insufficient = np.zeros(n, dtype=np.bool_)
        score_header = plan.header("health")
    else:
        score, insufficient = component_scores(cells, plan, model, model_index, problems)
        score_header = ", ".join(plan.header(c) for c in plan.components)

    code = band_codes(model.bands, score)
    rejected = problems.rejected()
    outside = ~rejected & ~insufficient & (code < 0)
    if outside.any():
        shown = np.array([repr(v) for v in score.tolist()], dtype=object)
        problems.add(outside, score_header, "the score is outside every health band", shown)
    code = np.where(insufficient, model.insufficient, code)

    rejected = problems.rejected() & ~blank
    keep = np.flatnonzero(~rejected & ~blank)
    problems.items = [(r[~blank[r]], h, why, c) for r, h, why, c in problems.items if (~blank[r]).any()]
    errors = problems.frame(accounts, first_row)

    code_k = code[keep]
    arr_k = arr[keep]
    probability = model.band_probability[code_k]
    with np.errstate(invalid="ignore"):
        expected = arr_k * probability / 100
    transition, path = transition_paths(model, segment[keep], given[keep], arr_k)
    score_k = np.where(code_k == model.insufficient, np.nan, score[keep])
    results: dict[int, npt.ArrayLike] = {}
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position].to_numpy(dtype=object)
        results[position] = column if keep.size == n else column[keep]
    width = frame.shape[1]
    tier_ids = np.array(model.tier_ids, dtype=object)
    result_columns = [
        score_k,
        model.band_ids[code_k],
        model.band_playbooks[code_k],
        model.band_probability_text[code_k],
        expected,
        tier_ids[segment[keep]],
        np.where(given[keep], "given", "assigned").astype(object),
        transition,
    ]
    for offset, values in enumerate(result_columns):
        results[width + offset] = values
    output = pd.DataFrame({key: _series(values) for key, values in results.items()}, copy=False)
    facts = pd.DataFrame(
        {
            "account": accounts[keep],
            "arr": arr_k,
            "score": score_k,
            "band": code_k,
            "expected": expected,
            "segment": segment[keep],
            "given": given[keep],
            "quarter": quarter[keep],
            "outcome": outcome[keep],
            "transition": path,
        },
        copy=False,
    )
    return Chunk(
        rows_in=int(n - blank.sum()), blank=int(blank.sum()), rejected=int(rejected.sum()), output=output, errors=errors, facts=facts
    )


def component_scores(
    cells: Mapping[str, ObjectArray], plan: Plan, model: Model, model_index: IntArray, problems: Problems, *, none_is_unknown: bool = False
) -> tuple[FloatArray, BoolArray]:
    """The weighted health score of each row (NaN when insufficient) and the insufficient mask.

    With ``none_is_unknown`` a row without any component value has no score and is not
    refused by the missing-data policy ``reject`` (as in the triage calculator, where no
    components means no health score); otherwise the policy refuses it too.
    """
    n = len(model_index)
    weight_totals = model.weight_totals[model_index]
    terms: list[FloatArray] = []
    weight_terms: list[FloatArray] = []
    counted = np.zeros(n, dtype=np.int64)
    parsed = {c: numbers(cells[c]) for c in model.components if c in plan.roles}
    some = np.ones(n, dtype=np.bool_)
    if none_is_unknown:
        some = np.zeros(n, dtype=np.bool_)
        for values, bad in parsed.values():
            some |= ~np.isnan(values) | bad
    for k, component in enumerate(model.components):
        weight = model.weights[model_index, k]
        weighed = model.weighed[model_index, k]
        if component in parsed:
            values, bad = parsed[component]
            range_checks(problems, values, bad, model.component_field, plan.header(component), cells[component])
            present = np.isfinite(values) & ~bad
        else:
            values = np.full(n, np.nan, dtype=np.float64)
            present = np.zeros(n, dtype=np.bool_)
        if model.policy == "reject" and component in plan.roles:
            problems.add(
                some & weighed & ~present & ~problems_mask(problems, n, plan.header(component)),
                plan.header(component),
                "is required by the weight model (missing-data policy: reject)",
                cells[component],
            )
        used = present & weighed
        weight_terms.append(np.where(used, weight, 0.0))
        with np.errstate(all="ignore"):
            if model.policy == "zero":
                terms.append(np.where(weighed, np.where(present, values, 0.0) * weight, 0.0))
                counted += weighed
            else:
                terms.append(np.where(used, values * weight, 0.0))
                counted += used
    with np.errstate(all="ignore"):
        given_weight = exact_sum(weight_terms)
        coverage = given_weight * 100 / weight_totals
        total = weight_totals if model.policy == "zero" else given_weight
        insufficient = (coverage < model.min_coverage) | (counted == 0)
        score = exact_sum(terms) / total
    return np.where(insufficient, np.nan, score), np.asarray(insufficient, dtype=np.bool_)
