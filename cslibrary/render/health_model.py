"""The health model page: components, weights per segment model, bands and the plays they start."""

from __future__ import annotations

from ..model import HealthBand
from . import labels, markup
from .catalog import Catalog
from .escape import md_field, md_text
from .page import Page

POLICIES = {
    "renormalise": "the component is dropped and the remaining weights are scaled back up to 100 %",
    "zero": "the component counts as a score of 0",
    "reject": "the account is not scored until the data is there",
}


def band_range(band: HealthBand, top: float) -> str:
    return labels.value_range(band.min, band.max, high_inclusive=band.max >= top)


def _components(catalog: Catalog) -> str:
    rows = []
    for c in catalog.library.health.components:
        subs = ", ".join(f"{md_text(s.label)} ({labels.number(s.weight)})" for s in c.sub_scores)
        rows.append([f"**{md_text(c.label)}**", md_text(c.inputs or ""), subs or "—"])
    return "## Components\n\n" + markup.table(["Component", "Signals", "Sub-scores (weight)"], rows)


def _weights(catalog: Catalog, here: str) -> str:
    health = catalog.library.health
    models = list(health.weights)
    head = ["Component", *(md_text("Default") if m == "default" else catalog.segment_link(here, m) for m in models)]
    rows = []
    for c in health.components:
        rows.append(
            [md_text(c.label), *(f"{labels.number(health.weights[m][c.id])} %" if c.id in health.weights[m] else "—" for m in models)]
        )
    rows.append(["**Total**", *(f"**{labels.number(sum(health.weights[m].values()))} %**" for m in models)])
    note = "A component a model leaves out (—) weighs nothing in it. The default model is used when an account has no segment."
    return markup.join("## Weights per segment model", markup.table(head, rows, "l" + "r" * len(models)), note)


def _bands(catalog: Catalog, here: str) -> str:
    bands = catalog.library.health.bands
    top = max(b.max for b in bands)
    rows = [
        [
            f"**{md_text(b.label)}**",
            md_text(band_range(b, top)),
            md_text(b.action),
            md_text(b.play),
            catalog.playbook_link(here, b.playbook),
            f"{labels.number(b.probability)} %",
            "yes" if b.risk else "no",
        ]
        for b in bands
    ]
    table = markup.table(["Band", "Score", "Action", "Play", "Playbook", "Renewal probability", "At-risk ARR"], rows, "llllcrc")
    intro = (
        "Each account's score falls in exactly one band: the lower bound is included and the upper bound is not, "
        "except that the top band includes 100. The band sets the action, starts the playbook and gives the renewal "
        "probability the renewal forecast uses."
    )
    return markup.join("## Bands { #bands }", intro, table, "<!-- calculator: renewal_forecast -->")


def _reconciliation(catalog: Catalog) -> str:
    """Why five bands when the source's play map has four (see the comment in health-model.yml)."""
    bands = sorted(catalog.library.health.bands, key=lambda b: b.min)
    if len(bands) < 2:
        return ""
    low, next_low = bands[0], bands[1]
    merged = labels.value_range(low.min, next_low.max)
    body = (
        "The source material maps four score ranges to plays: 80–100 an expansion conversation, 60–79 an adoption "
        "check-in, 40–59 an intervention workshop and 0–39 an executive review. This library keeps the upper three "
        f"and splits the lowest range ({md_text(merged)}) into **{md_text(next_low.label)}** ({md_text(labels.value_range(next_low.min, next_low.max))}) "
        f"and **{md_text(low.label)}** ({md_text(labels.value_range(low.min, low.max))}). Both run the executive review; "
        f"{md_text(low.label)} adds its own escalation ({md_text(low.play)}) and its own renewal probability "
        f"({labels.number(low.probability)} % against {labels.number(next_low.probability)} %). "
        "The split is recorded next to the bands in `playbooks/health-model.yml`."
    )
    return markup.admonition("info", "Four plays, five bands", body)


def _missing(catalog: Catalog) -> str:
    missing = catalog.library.health.missing_data
    policy = POLICIES.get(missing.policy, missing.policy)
    return (
        "## Missing data\n\n"
        f"When an account has no value for a weighted component, {md_text(policy)} (policy `{missing.policy}`). "
        f"If the components that do have data carry less than {labels.number(missing.min_coverage)} % of the model's weight, "
        "the account is not banded: it shows as *insufficient data* instead of a score that looks precise but is not."
    )


def _sub_scores(catalog: Catalog) -> str:
    tables = catalog.library.health.sub_score_tables
    if not tables:
        return ""
    blocks = ["## Sub-score tables", "How a raw signal becomes a 0–100 score (lower bound included, upper bound not)."]
    for t in tables:
        unit = f" ({md_text(t.unit)})" if t.unit else ""
        rows = [[md_text(labels.value_range(r.min, r.max)), labels.number(r.score)] for r in t.rows]
        blocks += [
            f"### {md_text(t.label)}{unit}",
            md_field(t.description) if t.description else "",
            markup.table(["Value", "Score"], rows, "rr"),
        ]
    return markup.join(*blocks)


def _health_calculator(catalog: Catalog) -> str:
    """The health score calculator, pre-filled with the health score metric's worked example when it has one."""
    metric = catalog.library.metrics.get("health_score")
    example = metric.example if metric is not None else None
    if example is not None and example.calculator == "health_score":
        return markup.calculator_marker("health_score", example.inputs)
    return markup.calculator_marker("health_score")


def health_page(catalog: Catalog) -> Page:
    here = markup.HEALTH
    body = markup.join(
        markup.front_matter("Health model"),
        "# Health model",
        "The health score is a 0–100 weighted average of component scores. Its weights depend on the account's segment, "
        "its bands decide which playbook starts, and each band carries the renewal probability the forecast uses. "
        f"The score is also a {markup.link('metric', here, markup.metric_path('health_score'))} in its own right.",
        _components(catalog),
        _weights(catalog, here),
        _health_calculator(catalog),
        _bands(catalog, here),
        _reconciliation(catalog),
        _missing(catalog),
        _sub_scores(catalog),
    )
    return Page(here, body, "Health model", catalog.library.health_path, listed=True)
