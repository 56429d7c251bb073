"""The model of ``playbooks/frameworks/<id>.yml``: one framework of structured reference content.

A framework is what the seeds teach that is neither a playbook nor a metric: the stages of a
CS organisation, the layers of a tech stack, a journey-mapping workshop, the variable-pay mix.
It has a title, an audience (``csm``, ``leader`` or ``both``), a topic (its group in the
navigation), a summary and sections. Each section holds exactly one kind of content:

* ``table`` — ``columns`` and ``rows`` (each row one cell per column);
* ``steps`` — ordered steps, each with a name, an optional ``when`` and items;
* ``scale`` — levels, each with a level, a label and what it means;
* ``checklist`` — items to tick;
* ``notes`` — Markdown text.

Every section that states a figure (any digit in its text) names where it comes from:
``source: {seed: "002", section: "CS Technology Stack Strategy: Vendor Evaluation Criteria"}``
(checked by :mod:`cslibrary.model.checks.frameworks`). ``see`` (per section) and ``related``
(per framework) link to playbooks, metrics, segments, other frameworks and calculator pages;
the cross-checks refuse an id that names nothing.
"""

# ruff: noqa: RUF012  (pydantic copies each default; ruff cannot tell Strict is a BaseModel from here)

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Document, KebabId, Ref, Strict, Text, Title
from .playbook import Alias, Question
from .source import Source

#: Who a framework is written for.
Audience = Literal["csm", "leader", "both"]
#: A framework's group in the navigation (labels in :data:`cslibrary.render.frameworks.TOPICS`).
Topic = Literal["adoption", "segmentation", "journey", "value", "organisation", "operations", "technology", "measurement"]
#: The kinds of content a section holds, exactly one each.
SECTION_KINDS = ("table", "steps", "scale", "checklist", "notes")


class Links(Strict):
    """Links to other pages of the library; every id must exist."""

    playbooks: list[Ref] = []
    metrics: list[Ref] = []
    segments: list[Ref] = []
    frameworks: list[Ref] = Field(default=[], description="Framework ids, optionally with a section: org-design#span-of-control.")
    calculators: list[Ref] = Field(
        default=[],
        description="Calculator pages under docs/calculators/, without .md, optionally with a heading: coverage, leadership#renewal-incentive-payout.",
    )


class FrameworkTable(Strict):
    columns: list[Title] = Field(min_length=2)
    rows: list[list[Text]] = Field(min_length=1, description="One list of cells per row, one cell per column.")


class FrameworkStep(Strict):
    name: Title
    when: Text | None = Field(default=None, description="When or how long: Day 0, Weeks 1-4, 90 min.")
    details: Text | None = None
    items: list[Text] = []


class FrameworkLevel(Strict):
    level: Title = Field(description="The level's rank or range: 1, Stage 2, 0-20 customers.")
    label: Title
    description: Text
    items: list[Text] = []


class FrameworkSection(Strict):
    id: KebabId = Field(description="The section's anchor on the page (frameworks/<id>/#<section id>); stable.")
    title: Title
    intro: Text | None = Field(default=None, description="Markdown shown before the section's content.")
    table: FrameworkTable | None = None
    steps: list[FrameworkStep] | None = Field(default=None, min_length=1)
    scale: list[FrameworkLevel] | None = Field(default=None, min_length=2)
    checklist: list[Text] | None = Field(default=None, min_length=1)
    notes: Text | None = Field(default=None, description="Markdown.")
    note: Text | None = Field(
        default=None, description="Where this library differs from the seed, or how it uses the figures (Markdown, shown after)."
    )
    source: Source | None = None
    see: Links | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> FrameworkSection:
        kinds = [k for k in SECTION_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            found = f"found {' and '.join(kinds)}" if kinds else "found none"
            raise ValueError(f"a section holds exactly one of {', '.join(SECTION_KINDS)} ({found})")
        return self


class Framework(Document):
    id: KebabId
    title: Title
    audience: Audience = Field(description="Who it is for: csm, leader or both.")
    topic: Topic
    summary: Text = Field(description="Markdown: what the framework is for, in two or three sentences.")
    aliases: list[Alias] = Field(default=[], max_length=12, description="Other names people search for (up to 12).")
    questions: list[Question] = Field(default=[], max_length=8, description="Questions it answers, as people ask them (up to 8).")
    sections: list[FrameworkSection] = Field(min_length=1)
    related: Links | None = None
