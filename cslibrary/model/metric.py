"""The model of ``playbooks/metrics/<id>.yml``: one metric, its assessment bands and worked example."""

# ruff: noqa: RUF012  (pydantic copies each default; ruff cannot tell Strict is a BaseModel from here)

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .base import Document, Number, Ref, SnakeId, Strict, Text, Title
from .playbook import Alias, Question
from .source import Source


class MetricBand(Strict):
    """An assessment band: ``min`` included and ``max`` excluded unless the flags say otherwise."""

    id: SnakeId
    label: Title
    min: Number | None = None
    max: Number | None = None
    min_inclusive: bool = True
    max_inclusive: bool = False
    meaning: Text
    note: Text | None = Field(default=None, description="Where this band differs from the source, and why (Markdown).")
    source: Source | None = None


class RatioLabels(Strict):
    numerator: Text
    denominator: Text


class Example(Strict):
    calculator: Ref
    inputs: dict[str, Any]
    show: list[Text] = Field(min_length=1)


class Metric(Document):
    id: SnakeId
    name: Title
    abbreviation: Title | None = None
    aliases: list[Alias] = Field(
        default=[],
        max_length=12,
        description="Other names people use for this metric (net dollar retention, NDR): shown under the title and "
        "weighed like it in search. Up to 12, each one line of at most 60 characters.",
    )
    questions: list[Question] = Field(
        default=[],
        max_length=8,
        description="Questions this metric answers, as people ask them (What is a good NRR?): shown near the top and "
        "weighed like the title in search. Up to 8, each one line of at most 100 characters.",
    )
    category: Literal["business_outcome", "leading_indicator", "activity", "operations"]
    definition: Text
    formula: Text
    ratio: RatioLabels | None = None
    unit: Literal["percent", "score", "days", "count", "currency", "ratio"]
    direction: Literal["higher_is_better", "lower_is_better"]
    owner: Ref
    cadence: Text
    target: Number | None = None
    notes: Text | None = None
    bands: list[MetricBand] = Field(min_length=1)
    example: Example | None = None
    related: list[Ref] = []
    sources: list[Source] = Field(
        default=[], description="The seed sections the metric's definition and figures come from (a band names its own)."
    )
