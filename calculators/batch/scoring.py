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

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..bands import find_band
from ..forecast import RENEWAL_FORECAST
from ..health import HEALTH_SCORE
from ..health import _bands as health_bands
from ..spec import Field
from .columns import ERROR_COLUMNS, Plan
from .exact import at_least, band_codes, exact_sum
from .parse import MISSING_TOKENS, BoolArray, FloatArray, IntArray, ObjectArray, choices, normalised_lookup, numbers, quarters

INSUFFICIENT = "insufficient_data"
OUTCOMES = {"renewed": 0, "churned": 1}


def _field(fields: Sequence[Field], path: str) -> Field:
    name, _, rest = path.partition(".")
    spec = next(f for f in fields if f.name == name)
    return _field(spec.columns, rest) if rest else spec


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True)
class Model:
    """The configuration compiled into lookup tables for vectorised scoring."""

    config: Mapping[str, Any]
    segment_model: bool
    bands: list[dict[str, Any]]
    band_ids: ObjectArray
    band_labels: ObjectArray
    band_playbooks: ObjectArray
    band_probability: FloatArray
    band_probability_text: ObjectArray
    band_risk: BoolArray
    components: tuple[str, ...]
    model_keys: tuple[str, ...]
    weights: FloatArray
    weighed: BoolArray
    weight_totals: FloatArray
    tier_ids: tuple[str, ...]
    tier_bands: list[dict[str, Any]]
    tier_model: IntArray
    segment_names: dict[str, int]
    transitions: list[tuple[int, int, float, bool]]
    policy: str
    min_coverage: float
    arr_field: Field
    name_field: Field
    health_field: Field
    component_field: Field

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, segment_model: bool = False) -> Model:
        """Compile ``config`` (the calculators' plain-data configuration)."""
        health = config["health"]
        bands = health_bands(config)
        probabilities = [float(b["probability"]) for b in bands]
        components = tuple(c["id"] for c in health["components"])
        model_keys = tuple(health["weights"])
        weights = np.zeros((len(model_keys), len(components)), dtype=np.float64)
        weighed = np.zeros((len(model_keys), len(components)), dtype=np.bool_)
        for m, key in enumerate(model_keys):
            for k, component in enumerate(components):
                if component in health["weights"][key]:
                    weights[m, k] = health["weights"][key][component]
                    weighed[m, k] = True
        totals = np.array([math.fsum(health["weights"][key].values()) for key in model_keys], dtype=np.float64)
        segments = config["segments"]
        tiers = segments["tiers"]
        tier_ids = tuple(t["id"] for t in tiers)
        names: dict[str, int] = {}
        for row in segments.get("ratio_table", []):
            if row.get("tier") in tier_ids:
                names[row["id"]] = names[row.get("label", row["id"])] = tier_ids.index(row["tier"])
        for i, tier in enumerate(tiers):
            names[tier["id"]] = names[tier.get("label", tier["id"])] = i
        transitions = [
            (tier_ids.index(t["from"]), tier_ids.index(t["to"]), float(t["arr_crosses"]), t.get("direction", "up") != "down")
            for t in segments.get("transitions", [])
            if t.get("arr_crosses") is not None and t.get("from") in tier_ids and t.get("to") in tier_ids
        ]
        table = RENEWAL_FORECAST.inputs
        return cls(
            config=config,
            segment_model=segment_model,
            bands=bands,
            band_ids=np.array([b["id"] for b in bands] + [INSUFFICIENT], dtype=object),
            band_labels=np.array([b.get("label", b["id"]) for b in bands] + ["Insufficient data"], dtype=object),
            band_playbooks=np.array([b.get("playbook") or "" for b in bands] + [""], dtype=object),
            band_probability=np.array([*probabilities, np.nan], dtype=np.float64),
            band_probability_text=np.array([_number_text(p) for p in probabilities] + [""], dtype=object),
            band_risk=np.array([bool(b.get("risk")) for b in bands] + [False], dtype=np.bool_),
            components=components,
            model_keys=model_keys,
            weights=weights,
            weighed=weighed,
            weight_totals=totals,
            tier_ids=tier_ids,
            tier_bands=[{"id": t["id"], "min": t.get("arr_min"), "max": t.get("arr_max")} for t in tiers],
            tier_model=np.array([model_keys.index(t) if t in model_keys else -1 for t in tier_ids], dtype=np.int64),
            segment_names=names,
            transitions=transitions,
            policy=health["missing_data"]["policy"],
            min_coverage=float(health["missing_data"]["min_coverage"]),
            arr_field=_field(table, "accounts.arr"),
            name_field=_field(table, "accounts.name"),
            health_field=_field(table, "accounts.health"),
            component_field=dataclasses.replace(_field(HEALTH_SCORE.inputs, "components"), required=False),
        )

    @property
    def insufficient(self) -> int:
        """The band code of ``insufficient_data`` (one past the configured bands)."""
        return len(self.bands)

    def model_name(self) -> str:
        return "per-segment weight models" if self.segment_model else "the default weight model"

    def assign_tier(self, arr: float) -> str | None:
        """The tier whose ARR range holds ``arr`` (the scalar rule the batch path reproduces)."""
        band = find_band(self.tier_bands, arr)
        return None if band is None else str(band["id"])


@dataclass
class Problems:
    """Cell problems found in a chunk: which rows, which column, why.

    The errors file lists them by row, and within a row in the file's column order.
    """

    size: int
    positions: dict[str, int] = field(default_factory=dict)
    items: list[tuple[IntArray, str, str, ObjectArray]] = field(default_factory=list)

    def add(self, mask: BoolArray, header: str, reason: str, cells: ObjectArray) -> None:
        rows = np.flatnonzero(mask)
        if rows.size:
            self.items.append((rows, header, reason, cells))

    def rejected(self) -> BoolArray:
        out = np.zeros(self.size, dtype=np.bool_)
        for rows, *_ in self.items:
            out[rows] = True
        return out

    def frame(self, accounts: ObjectArray, first_row: int) -> pd.DataFrame:
        if not self.items:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ERROR_COLUMNS})
        rows = np.concatenate([r for r, *_ in self.items])
        columns = np.concatenate([np.full(len(r), h, dtype=object) for r, h, _, _ in self.items])
        reasons = np.concatenate([np.full(len(r), why, dtype=object) for r, _, why, _ in self.items])
        values = np.concatenate([c[r] for r, _, _, c in self.items])
        where = np.concatenate([np.full(len(r), self.positions.get(h, len(self.positions)), dtype=np.int64) for r, h, _, _ in self.items])
        order = np.lexsort((where, rows))
        rows = rows[order]
        return pd.DataFrame(
            {
                "sheet_row": rows + first_row + 1,
                "data_row": rows + first_row,
                "account": accounts[rows],
                "column": columns[order],
                "value": [_clip(v) for v in values[order].tolist()],
                "reason": reasons[order],
            }
        )


def _series(values: Any) -> pd.Series:
    """A column for the output frame; text stays ``object`` (no string-dtype inference)."""
    array = np.asarray(values)
    return pd.Series(array, dtype=object, copy=False) if array.dtype == object else pd.Series(array, copy=False)


def _clip(value: Any, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _range_checks(problems: Problems, values: FloatArray, bad: BoolArray, spec: Field, header: str, cells: ObjectArray) -> BoolArray:
    """Add the problems of a parsed number column (as ``spec`` declares it); return the good cells."""
    ok = ~bad
    problems.add(bad, header, "must be a number", cells)
    if spec.required:
        absent = ok & np.isnan(values)
        problems.add(absent, header, "is required", cells)
        ok &= ~absent
    with np.errstate(invalid="ignore"):
        infinite = ok & np.isinf(values)
        problems.add(infinite, header, "must be a finite number", cells)
        ok &= ~infinite
        if spec.minimum is not None:
            if spec.exclusive_minimum:
                low, why = values <= spec.minimum, f"must be greater than {spec.minimum:g}"
            else:
                low, why = values < spec.minimum, f"must be at least {spec.minimum:g}"
            problems.add(ok & low, header, why, cells)
            ok &= ~low
        if spec.maximum is not None:
            high = values > spec.maximum
            problems.add(ok & high, header, f"must be at most {spec.maximum:g}", cells)
            ok &= ~high
    return ok


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
    names = accounts.tolist()
    absent = pd.Series([name.strip().lower() for name in names], dtype=object).isin(MISSING_TOKENS).to_numpy()
    lengths = np.fromiter(map(len, names), dtype=np.int64, count=n)
    problems.add(absent, plan.header("account"), "is required", accounts)
    problems.add(~absent & (lengths > 200), plan.header("account"), "must be at most 200 characters", accounts)

    arr_role = "mrr" if plan.arr_from_mrr else "arr"
    arr_cells = cells[arr_role]
    arr, bad = numbers(arr_cells)
    if plan.arr_from_mrr:
        with np.errstate(over="ignore"):
            arr = arr * 12
    arr_ok = _range_checks(problems, arr, bad, model.arr_field, plan.header(arr_role), arr_cells)

    segment = np.full(n, -1, dtype=np.int64)
    given = np.zeros(n, dtype=np.bool_)
    if "segment" in plan.roles:
        segment, bad = choices(cells["segment"], normalised_lookup(model.segment_names))
        known = ", ".join(model.tier_ids)
        problems.add(bad, plan.header("segment"), f"is not a known segment (known: {known})", cells["segment"])
        given = segment >= 0
    assigned = band_codes(model.tier_bands, arr)
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
        _range_checks(problems, score, bad, model.health_field, plan.header("health"), cells["health"])
        insufficient = np.zeros(n, dtype=np.bool_)
        score_header = plan.header("health")
    else:
        score, insufficient = _component_scores(cells, plan, model, model_index, problems)
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
    transition, path = _transitions(model, segment[keep], given[keep], arr_k)
    score_k = np.where(code_k == model.insufficient, np.nan, score[keep])
    results: dict[int, Any] = {}
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


def _component_scores(
    cells: Mapping[str, ObjectArray], plan: Plan, model: Model, model_index: IntArray, problems: Problems
) -> tuple[FloatArray, BoolArray]:
    """The weighted health score of each row (NaN when insufficient) and the insufficient mask."""
    n = len(model_index)
    weight_totals = model.weight_totals[model_index]
    terms: list[FloatArray] = []
    weight_terms: list[FloatArray] = []
    counted = np.zeros(n, dtype=np.int64)
    for k, component in enumerate(model.components):
        weight = model.weights[model_index, k]
        weighed = model.weighed[model_index, k]
        if component in plan.roles:
            values, bad = numbers(cells[component])
            _range_checks(problems, values, bad, model.component_field, plan.header(component), cells[component])
            present = np.isfinite(values) & ~bad
        else:
            values = np.full(n, np.nan, dtype=np.float64)
            present = np.zeros(n, dtype=np.bool_)
        if model.policy == "reject" and component in plan.roles:
            problems.add(
                weighed & ~present & ~problems_mask(problems, n, plan.header(component)),
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


def problems_mask(problems: Problems, n: int, header: str) -> BoolArray:
    """Rows that already have a problem in column ``header``."""
    out = np.zeros(n, dtype=np.bool_)
    for rows, name, _, _ in problems.items:
        if name == header:
            out[rows] = True
    return out


def _transitions(model: Model, segment: IntArray, given: BoolArray, arr: FloatArray) -> tuple[ObjectArray, IntArray]:
    """The transition chain of each row with a given segment: ``from→to`` text and a path key (0: none)."""
    n = len(segment)
    text = np.full(n, "", dtype=object)
    if not model.transitions or not given.any():
        return text, np.zeros(n, dtype=np.int64)
    base = len(model.tier_ids) + 1
    current = np.where(given, segment, -1)
    path = np.where(given, current + 1, 0)
    steps = np.zeros(n, dtype=np.int64)
    crossed = {(threshold, up): at_least(arr, threshold) if up else ~at_least(arr, threshold) for _, _, threshold, up in model.transitions}
    for _ in range(len(model.tier_ids)):
        following = current.copy()
        for source, target, threshold, up in model.transitions:
            hit = (current == source) & (following == current) & crossed[(threshold, up)]
            following[hit] = target
        moved = following != current
        if not moved.any():
            break
        path[moved] = path[moved] * base + following[moved] + 1
        steps[moved] += 1
        current = following
    path = np.where(steps > 0, path, 0)
    for key in np.unique(path).tolist():
        if key:
            text[path == key] = transition_text(model, int(key))
    return text, path


def transition_text(model: Model, key: int) -> str:
    """The ``from→to`` text of a transition path key."""
    base = len(model.tier_ids) + 1
    parts = []
    while key:
        key, digit = divmod(key, base)
        parts.append(model.tier_ids[digit - 1])
    return "→".join(reversed(parts))
