"""The configuration compiled for vectorised scoring: bands, weights, tiers and transitions.

A :class:`Model` holds the health model's bands and weight models, the segment tiers with
their ARR ranges and the ``segments.yml`` transitions as lookup arrays; band code
``len(bands)`` stands for ``insufficient_data``. A transition chain is kept per row as a
path key (tier indexes + 1, in base ``tiers + 1``) and read back by :func:`transition_text`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from calculators.bands import find_band
from calculators.declarations import Field
from calculators.health import HEALTH_SCORE, health_bands
from calculators.renewals import RENEWAL_FORECAST

from .exact import at_least
from .parse import BoolArray, FloatArray, IntArray, ObjectArray

INSUFFICIENT = "insufficient_data"


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


def transition_paths(model: Model, segment: IntArray, given: BoolArray, arr: FloatArray) -> tuple[ObjectArray, IntArray]:
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
