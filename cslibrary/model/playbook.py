"""The model of ``playbooks/library/<id>.yml``: one playbook, its trigger, steps and escalations."""

# ruff: noqa: RUF012  (pydantic copies each default; ruff cannot tell Strict is a BaseModel from here)

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from .base import Channel, Document, KebabId, Number, Ref, Strict, Tag, Text, Title
from .rule import Rule
from .source import Source


def _at_most(limit: int) -> BeforeValidator:
    """A length limit worded as the model words a title's ("is 61 characters long; keep it to 60")."""

    def check(value: object) -> object:
        if isinstance(value, str) and len(value) > limit:
            raise ValueError(f"is {len(value)} characters long; keep it to {limit}")
        return value

    return BeforeValidator(check)


#: A name people use for a playbook or metric ("customer wants to cancel"): one line of plain text.
Alias = Annotated[Title, Field(max_length=60), _at_most(60)]
#: A question a playbook or metric answers, as people ask it ("How do I run a QBR?").
Question = Annotated[Title, Field(max_length=100), _at_most(100)]


class Trigger(Strict):
    """An objective trigger: a metric threshold, an event, a schedule or a date.

    ``description`` says it in words; ``rule`` says it as data that the triage calculator
    evaluates (see :mod:`cslibrary.model.rule`). Every number the rule uses appears in the
    description.
    """

    type: Literal["metric", "event", "schedule", "date"]
    metric: Ref | None = None
    condition: Literal["below", "above", "drops_by", "rises_by"] | None = None
    threshold: Number | None = None
    description: Text
    rule: Rule | None = None


class Step(Strict):
    """One step; ``at`` is the offset in the playbook's ``offset_unit`` (T-120 is ``-120``)."""

    at: int
    action: Text
    owner: Ref
    channel: Channel
    goal: Text | None = None
    resources: list[Text] = []


class Escalation(Strict):
    condition: Text
    action: Text
    owner: Ref


class Playbook(Document):
    id: KebabId
    title: Title
    summary: Text
    aliases: list[Alias] = Field(
        default=[],
        max_length=12,
        description="Other names people use for this play, in their words (upsell, save play, customer wants to cancel): "
        "shown under the title and weighed like it in search. Up to 12, each one line of at most 60 characters.",
    )
    questions: list[Question] = Field(
        default=[],
        max_length=8,
        description="Questions this playbook answers, as people ask them (How do I run a QBR?): shown near the top and "
        "weighed like the title in search. Up to 8, each one line of at most 100 characters.",
    )
    category: Literal["lifecycle", "intervention", "operational", "campaign", "success_play"]
    stage: Ref
    segments: list[Ref] = Field(min_length=1)
    trigger: Trigger
    owner: Ref
    timeline: Text
    offset_unit: Literal["day", "week", "t_minus_day"] = "day"
    steps: list[Step] = Field(min_length=1)
    exit_criteria: list[Text] = Field(min_length=1)
    metrics: list[Ref] = []
    targets: dict[Ref, Number] = Field(
        default={},
        description="The value the playbook sets out to reach for a metric it lists, in the metric's unit (time_to_value: 14).",
    )
    automation: list[Text] = []
    escalation: list[Escalation] = []
    related: list[Ref] = []
    tags: list[Tag] = []
    checklist: dict[Title, list[Text]] = {}
    notes: Text | None = None
    sources: list[Source] = Field(default=[], description="The seed sections the playbook as a whole comes from (seed and section).")
