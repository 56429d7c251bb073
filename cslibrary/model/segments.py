"""The model of ``playbooks/segments.yml``: coverage tiers, ratio table, scoring, transitions."""

# ruff: noqa: RUF012  (pydantic copies each default; ruff cannot tell Strict is a BaseModel from here)

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Document, Number, Percent, Ref, SnakeId, Strict, Text, Title
from .source import Source


class Range(Strict):
    min: Number | None = None
    max: Number | None = None


class Ratio(Strict):
    """Accounts per CSM: the usual range and the ``planning`` figure the calculators use."""

    min: Number | None = Field(default=None, gt=0)
    max: Number | None = Field(default=None, gt=0)
    planning: Number = Field(gt=0)


class PlaybookElement(Strict):
    """One thing a tier includes (a kickoff call, monthly office hours, a renewal reminder): what "the tier includes" lists.

    ``when`` is its frequency or trigger as the source gives it (Day 0, monthly, 60 days
    before the renewal, sign-up); ``playbook`` the playbook that carries it out, if one does.
    """

    element: Title
    when: Text
    channel: Text | None = None
    purpose: Text | None = None
    playbook: Ref | None = None
    note: Text | None = Field(default=None, description="Where the library differs from the source here, and why (Markdown).")
    source: Source | None = None


class Tier(Strict):
    """A coverage tier: ARR from ``arr_min`` (included) to ``arr_max`` (excluded; none = no limit)."""

    id: SnakeId
    label: Title
    description: Text
    arr_min: Number = Field(ge=0)
    arr_max: Number | None = None
    ratio: Ratio
    cost_to_serve: Range
    touch_frequency: Text
    complexity: Text
    strategic_value: Text
    stakeholders: Text
    coverage: Text
    success_plan: Text
    reviews: Text
    playbook_elements: list[PlaybookElement] = Field(
        default=[], description="What the tier includes: the touches and programmes of its coverage model, in order."
    )
    playbooks: list[Ref] = []
    note: Text | None = Field(default=None, description="Where the tier differs from the source, and why (Markdown).")


class RatioRow(Strict):
    id: SnakeId
    label: Title
    tier: Ref
    arr_min: Number = Field(ge=0)
    arr_max: Number | None = None
    ratio: Ratio
    touch_model: Text
    description: Text | None = None


class ScoringTier(Strict):
    tier: Ref
    min: Percent


class Scoring(Strict):
    description: Text | None = None
    weights: dict[SnakeId, Number] = Field(min_length=1)
    arr_scores: dict[Ref, Percent] = Field(min_length=1)
    tiers: list[ScoringTier] = Field(min_length=1)


class Transition(Strict):
    from_: Ref = Field(alias="from")
    to: Ref
    trigger: Text
    arr_crosses: Number | None = None
    direction: Literal["up", "down"] | None = None
    action: Text


class OrgSegment(Strict):
    """One segment of the example organisation: a ratio-table row or a coverage tier (planned at its planning ratio)."""

    segment: Ref
    accounts: int = Field(ge=0)
    arr: Number = Field(ge=0)


class ExampleOrganisation(Strict):
    description: Text
    csm_cost: Number = Field(gt=0)
    headcount: int | None = Field(
        default=None, ge=0, description="The CSM headcount the plan comes to: each segment's CSMs rounded up, added."
    )
    segments: list[OrgSegment] = Field(min_length=1)


class SegmentsFile(Document):
    tiers: list[Tier] = Field(min_length=1)
    ratio_table: list[RatioRow] = []
    scoring: Scoring
    transitions: list[Transition] = []
    example_organisation: ExampleOrganisation
