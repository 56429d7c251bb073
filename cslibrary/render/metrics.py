"""The metrics index and one page per metric, with its worked example computed at build time.

Laid out by ``templates/metrics.md`` and ``templates/metric.md``; this module computes what
they show, the worked example included (run through the calculators now).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from markupsafe import Markup

import calculators

from ..model import Metric
from . import labels, markup
from .catalog import Catalog, Link
from .escape import md_field, title_text
from .page import Page, RenderError
from .templating import Templates, sanitised

PAGE_TEMPLATE = "metric.md"
INDEX_TEMPLATE = "metrics.md"


class Row(NamedTuple):
    """A row of a two-column table: a label and its value (plain text)."""

    label: str
    value: str


class Band(NamedTuple):
    """An assessment band: its label, its range in words (``90 to under 100 %``) and what it means."""

    label: str
    range: str
    meaning: str
    #: Where the band differs from the source, and why (ready), or "".
    note: Markup | str = ""


class Example(NamedTuple):
    """A worked example: the calculator, its inputs and results as rows, and the live calculator's marker."""

    calculator: str
    inputs: list[Row]
    results: list[Row]
    marker: Any


def _value(value: Any, options: Mapping[str, str] | None = None) -> str:
    """One input or output value as text: numbers formatted, option values by their labels."""
    if isinstance(value, Mapping):
        names = options or {}
        return ", ".join(f"{names.get(str(k), k)} {_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return labels.number(value)
    return str((options or {}).get(str(value), value))


def _input_rows(name: str, inputs: Mapping[str, Any], config: Mapping[str, Any]) -> list[Row]:
    fields = {f["name"]: f for f in calculators.describe(name, config)["inputs"]}
    components = {c["id"]: c["label"] for c in config.get("health", {}).get("components", [])}
    rows = []
    for key, value in inputs.items():
        spec = fields.get(key, {})
        options = {o["value"]: o["label"] for o in spec.get("options", [])} or (components if isinstance(value, Mapping) else None)
        unit = spec.get("unit", "") if not isinstance(value, Mapping | list) else ""
        suffix = f" {unit}" if unit and unit != "currency" else ""
        rows.append(Row(str(spec.get("label", key)), _value(value, options) + suffix))
    return rows


def _output_rows(name: str, show: list[str], result: Mapping[str, Any], config: Mapping[str, Any]) -> list[Row]:
    outputs = {o["key"]: o["label"] for o in calculators.describe(name, config).get("outputs", [])}
    rows = []
    for key in show:
        # A band shows its label (the ranges are in the bands table above); a formula is the calculation.
        text = str(result[f"{key}_label"]) if f"{key}_label" in result else _value(result.get(key, "—"))
        label = outputs.get(key) or ("Calculation" if key.endswith("formula") else key.replace("_", " ").capitalize())
        rows.append(Row(str(label), text))
    return rows


def worked_example(metric: Metric, config: Mapping[str, Any], source: str) -> Example | None:
    """The example's inputs and the calculator's answer, computed now, plus the live-calculator marker."""
    example = metric.example
    if example is None:
        return None
    try:
        result = calculators.run(example.calculator, dict(example.inputs), config)
    except (ValueError, KeyError, TypeError) as err:
        raise RenderError(source, f"example: the {example.calculator} calculator refused the inputs: {err}") from err
    missing = [key for key in example.show if key not in result]
    if missing:
        raise RenderError(source, f"example.show: {', '.join(missing)} not in the {example.calculator} calculator's result")
    return Example(
        example.calculator,
        _input_rows(example.calculator, example.inputs, config),
        _output_rows(example.calculator, example.show, result, config),
        # The live calculator starts from this page's own example, not the calculator's default one.
        sanitised(markup.calculator_marker(example.calculator, example.inputs)),
    )


def metric_view(catalog: Catalog, metric: Metric, here: str, source: str) -> dict[str, Any]:
    """What ``metric.md`` receives (see docs/guides/page-templates.md)."""
    bands = [
        Band(
            b.label,
            labels.value_range(b.min, b.max, metric.unit, low_inclusive=b.min_inclusive, high_inclusive=b.max_inclusive),
            b.meaning,
            sanitised(md_field(b.note)) if b.note else "",
        )
        for b in metric.bands
    ]
    sources = [*metric.sources, *(b.source for b in metric.bands if b.source is not None)]
    return {
        "metric": metric,
        "title": title_text(catalog.metric_name(metric.id)),
        "definition": sanitised(md_field(metric.definition)),
        "direction": labels.label(labels.DIRECTIONS, metric.direction),
        "target": labels.with_unit(metric.target, metric.unit) if metric.target is not None else None,
        "owner": catalog.role_link(here, metric.owner),
        "category": labels.label(labels.METRIC_CATEGORIES, metric.category),
        "bands": bands,
        "example": worked_example(metric, catalog.config, source),
        "notes": sanitised(md_field(metric.notes)) if metric.notes else "",
        "playbooks": [catalog.playbook_link(here, p.id) for p in catalog.by_metric.get(metric.id, [])],
        "stages": [catalog.stage_link(here, s.id) for s in catalog.library.stages.journey if metric.id in s.metrics],
        "related": [catalog.metric_link(here, m) for m in metric.related],
        "sources": list(dict.fromkeys(x.text() for x in sources)),
        "source": source,
        "edit_url": catalog.edit_url(source),
    }


def metric_page(catalog: Catalog, templates: Templates, metric: Metric) -> Page:
    here = markup.metric_path(metric.id)
    source = catalog.metric_source(metric.id)
    view = metric_view(catalog, metric, here, source)
    return Page(here, templates.render(PAGE_TEMPLATE, source, view), view["title"], source)


class MetricRow(NamedTuple):
    """A metric in the index: its link, target, direction, owner and how many playbooks track it."""

    link: Link
    target: str
    direction: str
    owner: Link
    playbooks: int


def metrics_index(catalog: Catalog, templates: Templates) -> Page:
    here = markup.METRICS
    metrics = sorted(catalog.library.metrics.values(), key=lambda m: (list(labels.METRIC_CATEGORIES).index(m.category), m.name.lower()))
    groups = []
    for category, name in labels.METRIC_CATEGORIES.items():
        rows = [
            MetricRow(
                catalog.metric_link(here, m.id),
                labels.with_unit(m.target, m.unit),
                labels.label(labels.DIRECTIONS, m.direction),
                catalog.role_link(here, m.owner),
                len(catalog.by_metric.get(m.id, [])),
            )
            for m in metrics
            if m.category == category
        ]
        if rows:
            groups.append((name, rows))
    view = {"count": len(catalog.library.metrics), "groups": groups}
    return Page(here, templates.render(INDEX_TEMPLATE, here, view), "Metrics", listed=True)
