"""The health model page: components, weights per segment model, bands and the plays they start.

Laid out by ``templates/health.md``; this module computes what it shows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from markupsafe import Markup

from ..model import HealthBand
from . import labels, markup
from .catalog import Catalog, Link
from .escape import md_field
from .page import Page
from .templating import Templates, sanitised

TEMPLATE = "health.md"

POLICIES = {
    "renormalise": "the component is dropped and the remaining weights are scaled back up to 100 %",
    "zero": "the component counts as a score of 0",
    "reject": "the account is not scored until the data is there",
}


def band_range(band: HealthBand, top: float) -> str:
    return labels.value_range(band.min, band.max, high_inclusive=band.max >= top)


class Band(NamedTuple):
    """A band (the YAML's fields under ``band``) with its score range in words and its playbook's link."""

    band: HealthBand
    range: str
    playbook: Link


class Reconciliation(NamedTuple):
    """The two lowest bands, which split the source's lowest range (see health-model.yml)."""

    merged: str
    low: HealthBand
    low_range: str
    next_low: HealthBand
    next_low_range: str


class SubScoreTable(NamedTuple):
    label: str
    unit: str
    description: Markup | None
    #: (value range in words, score)
    rows: list[tuple[str, float]]


def _reconciliation(catalog: Catalog) -> Reconciliation | None:
    bands = sorted(catalog.library.health.bands, key=lambda b: b.min)
    if len(bands) < 2:
        return None
    low, next_low = bands[0], bands[1]
    return Reconciliation(
        labels.value_range(low.min, next_low.max),
        low,
        labels.value_range(low.min, low.max),
        next_low,
        labels.value_range(next_low.min, next_low.max),
    )


def _health_calculator(catalog: Catalog) -> Markup:
    """The health score calculator, pre-filled with the health score metric's worked example when it has one."""
    metric = catalog.library.metrics.get("health_score")
    example = metric.example if metric is not None else None
    if example is not None and example.calculator == "health_score":
        return sanitised(markup.calculator_marker("health_score", example.inputs))
    return sanitised(markup.calculator_marker("health_score"))


def health_view(catalog: Catalog, here: str) -> dict[str, Any]:
    """What ``health.md`` receives (see docs/guides/page-templates.md)."""
    health = catalog.library.health
    models = list(health.weights)
    top = max(b.max for b in health.bands)
    missing = health.missing_data
    return {
        "health": health,
        "metric_href": markup.href(here, markup.metric_path("health_score")),
        "models": [Link("Default") if m == "default" else catalog.segment_link(here, m) for m in models],
        "weights": [(c.label, [health.weights[m].get(c.id) for m in models]) for c in health.components],
        "totals": [sum(health.weights[m].values()) for m in models],
        "calculator": _health_calculator(catalog),
        "bands": [Band(b, band_range(b, top), catalog.playbook_link(here, b.playbook)) for b in health.bands],
        "reconciliation": _reconciliation(catalog),
        "policy": POLICIES.get(missing.policy, missing.policy),
        "sub_score_tables": [
            SubScoreTable(
                t.label,
                t.unit or "",
                sanitised(md_field(t.description)) if t.description else None,
                [(labels.value_range(r.min, r.max), r.score) for r in t.rows],
            )
            for t in health.sub_score_tables
        ],
    }


def health_page(catalog: Catalog, templates: Templates) -> Page:
    here = markup.HEALTH
    source = catalog.library.health_path
    return Page(here, templates.render(TEMPLATE, source, health_view(catalog, here)), "Health model", source, listed=True)
