"""The model of ``playbooks/health-model.yml``: components, weights, health bands, sub-score tables."""

# ruff: noqa: RUF012  (pydantic copies each default; ruff cannot tell Strict is a BaseModel from here)

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Document, Number, Percent, Ref, SnakeId, Strict, Text, Title


class SubScore(Strict):
    id: SnakeId
    label: Title
    weight: Number = Field(gt=0)


class Component(Strict):
    id: SnakeId
    label: Title
    inputs: Text | None = None
    description: Text | None = None
    sub_scores: list[SubScore] = []


class HealthBand(Strict):
    """A health band: ``min`` included, ``max`` excluded (the top band includes 100)."""

    id: SnakeId
    label: Title
    min: Percent
    max: Percent
    action: Text
    play: Text
    playbook: Ref
    probability: Percent
    risk: bool = False
    rationale: Text | None = None
    description: Text | None = None


class MissingData(Strict):
    policy: Literal["renormalise", "zero", "reject"]
    min_coverage: Percent


class ScoreRow(Strict):
    min: Number | None = None
    max: Number | None = None
    score: Percent


class SubScoreTable(Strict):
    id: SnakeId
    label: Title
    unit: Text | None = None
    description: Text | None = None
    rows: list[ScoreRow] = Field(min_length=1)


class HealthModel(Document):
    components: list[Component] = Field(min_length=1)
    weights: dict[Ref, dict[Ref, Number]] = Field(min_length=1)
    bands: list[HealthBand] = Field(min_length=1)
    missing_data: MissingData
    sub_score_tables: list[SubScoreTable] = []
