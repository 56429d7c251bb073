"""The metrics index and one page per metric, with its worked example computed at build time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import calculators

from ..model import Metric
from . import blocks, labels, markup
from .catalog import Catalog
from .escape import md_field, md_text, title_text
from .page import Page, RenderError


def _value(value: Any, options: Mapping[str, str] | None = None) -> str:
    """One input or output value as escaped Markdown."""
    if isinstance(value, Mapping):
        names = options or {}
        return ", ".join(f"{md_text(names.get(str(k), k))} {_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return md_text(labels.number(value))
    return md_text((options or {}).get(str(value), value))


def _input_rows(name: str, inputs: Mapping[str, Any], config: Mapping[str, Any]) -> list[list[str]]:
    fields = {f["name"]: f for f in calculators.describe(name, config)["inputs"]}
    components = {c["id"]: c["label"] for c in config.get("health", {}).get("components", [])}
    rows = []
    for key, value in inputs.items():
        spec = fields.get(key, {})
        options = {o["value"]: o["label"] for o in spec.get("options", [])} or (components if isinstance(value, Mapping) else None)
        unit = spec.get("unit", "") if not isinstance(value, Mapping | list) else ""
        suffix = f" {md_text(unit)}" if unit and unit != "currency" else ""
        rows.append([md_text(spec.get("label", key)), _value(value, options) + suffix])
    return rows


def _output_rows(name: str, show: list[str], result: Mapping[str, Any], config: Mapping[str, Any]) -> list[list[str]]:
    outputs = {o["key"]: o["label"] for o in calculators.describe(name, config).get("outputs", [])}
    rows = []
    for key in show:
        # A band shows its label (the ranges are in the bands table above); a formula is the calculation.
        text = md_text(result[f"{key}_label"]) if f"{key}_label" in result else _value(result.get(key, "—"))
        name = outputs.get(key) or ("Calculation" if key.endswith("formula") else key.replace("_", " ").capitalize())
        rows.append([md_text(name), f"**{text}**"])
    return rows


def worked_example(metric: Metric, config: Mapping[str, Any], source: str) -> str:
    """The example's inputs and the calculator's answer, computed now, plus the live-calculator marker."""
    example = metric.example
    if example is None:
        return ""
    try:
        result = calculators.run(example.calculator, dict(example.inputs), config)
    except (ValueError, KeyError, TypeError) as err:
        raise RenderError(source, f"example: the {example.calculator} calculator refused the inputs: {err}") from err
    missing = [key for key in example.show if key not in result]
    if missing:
        raise RenderError(source, f"example.show: {', '.join(missing)} not in the {example.calculator} calculator's result")
    return markup.join(
        "## Worked example",
        f"Computed with the `{example.calculator}` calculator when this site was built, from the numbers below.",
        markup.table(["Input", "Value"], _input_rows(example.calculator, example.inputs, config)),
        markup.table(["Result", "Value"], _output_rows(example.calculator, example.show, result, config)),
        # The live calculator starts from this page's own example, not the calculator's default one.
        markup.calculator_marker(example.calculator, example.inputs),
    )


def _bands(metric: Metric) -> str:
    rows = []
    for band in metric.bands:
        span = labels.value_range(band.min, band.max, metric.unit, low_inclusive=band.min_inclusive, high_inclusive=band.max_inclusive)
        rows.append([f"**{md_text(band.label)}**", md_text(span), md_text(band.meaning)])
    return "## Assessment bands\n\n" + markup.table(["Band", "Range", "Meaning"], rows)


def _card(catalog: Catalog, here: str, metric: Metric) -> str:
    items = [
        f"- **Formula:** {md_text(metric.formula)}",
        f"- **Unit:** {md_text(metric.unit)} · **Direction:** {md_text(labels.label(labels.DIRECTIONS, metric.direction))}",
        f"- **Target:** {md_text(labels.with_unit(metric.target, metric.unit))}" if metric.target is not None else "",
        f"- **Owner:** {catalog.role_link(here, metric.owner)}",
        f"- **Cadence:** {md_text(metric.cadence)}",
        f"- **Category:** {md_text(labels.label(labels.METRIC_CATEGORIES, metric.category))}",
    ]
    return markup.admonition("abstract cs-card", "At a glance", "\n".join(i for i in items if i))


def metric_page(catalog: Catalog, metric: Metric) -> Page:
    here = markup.metric_path(metric.id)
    source = catalog.metric_source(metric.id)
    title = title_text(catalog.metric_name(metric.id))
    playbooks = catalog.by_metric.get(metric.id, [])
    stages = [s for s in catalog.library.stages.journey if metric.id in s.metrics]
    edit = catalog.edit_url(source)
    body = markup.join(
        markup.front_matter(title, hide=["navigation"]),
        f"# {md_text(title)}",
        md_field(metric.definition),
        _card(catalog, here, metric),
        _bands(metric),
        worked_example(metric, catalog.config, source),
        "## Notes\n\n" + md_field(metric.notes) if metric.notes else "",
        markup.join("## Playbooks that track it", blocks.raw(blocks.ul(catalog.playbook_link(here, p.id, html=True) for p in playbooks)))
        if playbooks
        else "",
        "## Journey stages\n\n" + ", ".join(catalog.stage_link(here, s.id) for s in stages) if stages else "",
        "## Related metrics\n\n" + markup.bullets(catalog.metric_link(here, m) for m in metric.related) if metric.related else "",
        f"Generated from `{source}`" + (f": [edit this metric]({edit})." if edit else "."),
    )
    return Page(here, body, title, source)


def metrics_index(catalog: Catalog) -> Page:
    here = markup.METRICS
    parts = [
        markup.front_matter("Metrics"),
        "# Metrics",
        f"The {len(catalog.library.metrics)} metrics the library's playbooks track: what each measures, its formula, "
        "the bands that grade a result, who owns it and how often it is reviewed. Every page has a worked example "
        "computed by the same calculators this site runs in your browser.",
    ]
    metrics = sorted(catalog.library.metrics.values(), key=lambda m: (list(labels.METRIC_CATEGORIES).index(m.category), m.name.lower()))
    for category, name in labels.METRIC_CATEGORIES.items():
        group = [m for m in metrics if m.category == category]
        if not group:
            continue
        rows = [
            [
                catalog.metric_link(here, m.id),
                md_text(labels.with_unit(m.target, m.unit)) if m.target is not None else "—",
                md_text(labels.label(labels.DIRECTIONS, m.direction)),
                catalog.role_link(here, m.owner),
                str(len(catalog.by_metric.get(m.id, []))),
            ]
            for m in group
        ]
        parts += [f"## {md_text(name)}", markup.table(["Metric", "Target", "Direction", "Owner", "Playbooks"], rows, "lrllr")]
    return Page(here, markup.join(*parts), "Metrics", listed=True)
