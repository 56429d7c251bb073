"""The model of ``playbooks/roles.yml`` and ``playbooks/stages.yml``: who owns the work, and the journey it follows."""

# ruff: noqa: RUF012  (pydantic copies each default; ruff cannot tell Strict is a BaseModel from here)

from __future__ import annotations

from pydantic import Field

from .base import Document, Percent, Ref, Slug, SnakeId, Strict, Text, Title
from .source import Source

# --- roles.yml --------------------------------------------------------------------------


class Role(Strict):
    id: SnakeId
    name: Title
    description: Text


class Roles(Document):
    roles: list[Role] = Field(min_length=1)


# --- stages.yml -------------------------------------------------------------------------


class ExpansionStage(Strict):
    id: SnakeId
    label: Title
    probability: Percent
    definition: Text


class JourneyStage(Strict):
    id: SnakeId
    name: Title
    description: Text | None = None
    customer_goal: Text
    our_goal: Text
    touchpoints: list[Text] = []
    owner: Ref
    secondary_owner: Ref | None = None
    milestone: Text | None = None
    metrics: list[Ref] = []
    note: Text | None = Field(default=None, description="Where the stage differs from the source's journey, and why (Markdown).")
    source: Source | None = None


class Item(Strict):
    """A named element of the operating model (a bowtie phase, an impact loop, an action)."""

    id: Slug
    name: Title
    description: Text


class Moment(Strict):
    """A moment that matters: when it happens (a journey stage), why it matters, how to win it."""

    moment: Title
    stage: Ref
    why: Text
    how_to_win: Text


class MaturityLevel(Strict):
    stage: Title
    characteristics: Text
    focus: Text


class ValuePhase(Strict):
    phase: Title
    definition: Text
    deliverable: Text


class OperatingModel(Strict):
    description: Text | None = None
    goals: list[Item] = []
    steps: list[Item] = []
    bowtie: list[Item] = []
    impact_loops: list[Item] = []
    adoption_actions: list[Item] = []
    moments_that_matter: list[Moment] = []
    maturity: list[MaturityLevel] = []
    value_realization: list[ValuePhase] = []


class Stages(Document):
    expansion_stages: list[ExpansionStage] = []
    journey: list[JourneyStage] = []
    operating_model: OperatingModel | None = None
