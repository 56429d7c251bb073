"""The customer health score and the band it falls in.

Health = Σ (component score × weight) ÷ Σ weights, over the components that have data.

Conventions (CS strategy reference, "Customer Health Score" and "Segment-Specific Health
Scores"; the numbers themselves live in ``playbooks/health-model.yml``):

* Component scores are 0–100. Weights are percent and each model sums to 100.
* The weight model is the segment's (``high_touch``, ``low_touch``, ``tech_touch``) or
  ``default`` when no segment is given. A component the model does not weigh is ignored
  and listed in ``ignored``.
* Missing data follows the model's ``missing_data.policy``: ``renormalise`` (drop the
  component, scale the rest back to 100), ``zero`` (score it 0) or ``reject`` (an input
  error). Whatever the policy, when the weight with data is below ``min_coverage`` percent
  the band is ``insufficient_data`` and there is no score.
* Bands are half-open, ``[min, max)``; the top band includes 100.

A component's *contribution* is the points it adds to the score; its *points lost* is what
it would add at 100 minus what it adds now. The *biggest drag* is the component with the
most points lost.

>>> from calculators import run
>>> r = run("health_score", {"components": {"product_usage": 90, "engagement": 60}})
>>> round(r["score"], 1), r["band"], r["coverage"], r["missing"]
(76.4, 'stable', 55.0, ['relationship', 'support', 'growth'])
"""

from __future__ import annotations

from collections.abc import Mapping
from math import fsum
from typing import Any

from .bands import describe_range, find_band
from .declarations import Calculator, Config, Field, InputError, Inputs


def health_bands(config: Config) -> list[dict[str, Any]]:
    """The health bands of ``config``, half-open ``[min, max)`` except the top one, which includes its ``max``.

    >>> from calculators import default_config
    >>> [(b["id"], b.get("max_inclusive", False)) for b in health_bands(default_config())][:2]
    [('healthy', True), ('stable', False)]
    """
    bands = [dict(b) for b in config["health"]["bands"]]
    top = max(b["max"] for b in bands)
    for band in bands:
        if band["max"] == top:
            band["max_inclusive"] = True
    return bands


def health_band(score: float, config: Config) -> Mapping[str, Any]:
    """The health band (a dict from the YAML) holding ``score``."""
    band = find_band(health_bands(config), score)
    if band is None:
        raise InputError("score", f"{score:g} is outside every health band")
    return band


def weighted_score(components: dict[str, float], weights: dict[str, float]) -> float:
    """Σ score × weight ÷ Σ weight over the components given.

    >>> weighted_score({"a": 80, "b": 40}, {"a": 30, "b": 10})
    70.0
    """
    total = fsum(weights[c] for c in components)
    return fsum(components[c] * weights[c] for c in components) / total


def _segments(config: Config) -> list[tuple[str, str]]:
    labels = {t["id"]: t.get("label", t["id"]) for t in config["segments"]["tiers"]}
    return [(key, labels.get(key, "Default model")) for key in config["health"]["weights"]]


def _components(config: Config) -> list[tuple[str, str]]:
    return [(c["id"], c.get("label", c["id"])) for c in config["health"]["components"]]


def _example_components(config: Config) -> dict[str, float]:
    example = {"product_usage": 72, "engagement": 65, "relationship": 80, "support": 55, "growth": 40, "financial": 90}
    return {c: example.get(c, 50) for c, _ in _components(config) if c in config["health"]["weights"]["default"]}


def _health(values: Inputs, config: Config) -> dict[str, Any]:
    model = config["health"]
    segment = values["segment"] or "default"
    weights: dict[str, float] = dict(model["weights"][segment])
    given: dict[str, float] = values["components"]
    policy = model["missing_data"]["policy"]
    missing = [c for c in weights if c not in given]
    ignored = sorted(c for c in given if c not in weights)
    if missing and policy == "reject":
        raise InputError(f"components.{missing[0]}", f"is required by the {segment} model (missing-data policy: reject)")
    scored = {c: given[c] for c in weights if c in given}
    if policy == "zero":
        scored = {c: given.get(c, 0.0) for c in weights}
    coverage = fsum(weights[c] for c in weights if c in given) * 100 / fsum(weights.values())
    result: dict[str, Any] = {
        "segment": segment,
        "policy": policy,
        "coverage": coverage,
        "missing": missing,
        "ignored": ignored,
    }
    if coverage < model["missing_data"]["min_coverage"] or not scored:
        return {
            **result,
            "score": None,
            "band": "insufficient_data",
            "band_label": "Insufficient data",
            "band_range": None,
            "band_edge": f"only {coverage:.0f} % of the model's weight has data; at least {model['missing_data']['min_coverage']:g} % is needed",
            "playbook": None,
            "action": "Collect the missing signals before acting on this score",
            "renewal_probability": None,
            "contributions": {},
            "points_lost": {},
            "weights": {},
            "biggest_drag": None,
        }
    total_weight = fsum(weights[c] for c in scored)
    effective = {c: weights[c] * 100 / total_weight for c in scored}
    score = weighted_score(scored, weights)
    contributions = {c: scored[c] * weights[c] / total_weight for c in scored}
    lost = {c: (100 - scored[c]) * weights[c] / total_weight for c in scored}
    drag = max(lost, key=lambda c: (lost[c], -list(scored).index(c)))
    band = health_band(score, config)
    return {
        **result,
        "score": score,
        "band": band["id"],
        "band_label": band.get("label", band["id"]),
        "band_range": describe_range(band),
        "band_edge": _edge_text(band),
        "playbook": band.get("playbook"),
        "action": band.get("action"),
        "play": band.get("play"),
        "renewal_probability": band.get("probability"),
        "contributions": contributions,
        "points_lost": lost,
        "weights": effective,
        "biggest_drag": drag if lost[drag] > 0 else None,
    }


def _edge_text(band: Mapping[str, Any]) -> str:
    high = "≤" if band.get("max_inclusive") else "<"
    return f"{band['min']:g} ≤ score {high} {band['max']:g}"


def _unweighted(values: Inputs, config: Config) -> dict[str, str]:
    """The components the chosen model gives no weight, as the page says it.

    >>> from calculators import default_config
    >>> _unweighted({"segment": "high_touch"}, default_config())
    {'components.engagement': 'Engagement has no weight in the high touch model: its score does not count.'}
    >>> list(_unweighted({"segment": None}, default_config()))
    ['components.financial']
    """
    segment = values.get("segment") or "default"
    weights = config["health"]["weights"].get(segment, {})
    model = dict(_segments(config)).get(segment, segment).removesuffix(" model").lower()
    return {
        f"components.{key}": f"{label} has no weight in the {model} model: its score does not count."
        for key, label in _components(config)
        if not weights.get(key)
    }


HEALTH_SCORE = Calculator(
    name="health_score",
    title="Customer health score",
    summary="A weighted score from component scores (0–100), its band, and the playbook that band triggers.",
    inputs=(
        Field(
            "segment",
            "Weight model",
            type="select",
            required=False,
            options_from=_segments,
            example="default",
            help="Use the segment's weights, or the default model.",
        ),
        Field(
            "components",
            "Component scores",
            type="mapping",
            unit="points",
            minimum=0,
            maximum=100,
            options_from=_components,
            example_from=_example_components,
            help="Each component scored 0–100. Leave one out when it has no data.",
        ),
    ),
    compute=_health,
    ignores=_unweighted,
    outputs=(("score", "Health score"), ("band", "Band"), ("contributions", "Points per component"), ("biggest_drag", "Biggest drag")),
)
