"""The journey map: pre-sales to advocacy, each stage linked to its playbooks, owners and metrics.

Laid out by ``templates/journey.md`` (each stage's playbook table by
``templates/partials/journey-playbooks.html``); this module computes what they show.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from markupsafe import Markup

from ..model import JourneyStage as Stage
from . import labels, markup
from .catalog import Catalog, Link
from .escape import md_field
from .page import Page
from .templating import Templates, sanitised

TEMPLATE = "journey.md"


class StagePlaybook(NamedTuple):
    link: Link
    category: str
    timeline: str


class StageView(NamedTuple):
    """A journey stage (the YAML's fields under ``stage``) with its links and playbooks."""

    stage: Stage
    #: The stage's own section on this page.
    link: Link
    description: Markup | None
    owner: Link
    secondary_owner: Link | None
    playbooks: list[StagePlaybook]
    metrics: list[Link]
    #: Where the stage differs from the source's journey, and why (ready), or none.
    note: Markup | None = None
    #: The seed section the stage or its note comes from (``seed 002, …``), or none.
    source: str | None = None


def stage_view(catalog: Catalog, here: str, stage: Stage) -> StageView:
    plays = sorted(catalog.by_stage.get(stage.id, []), key=lambda p: (list(labels.CATEGORIES).index(p.category), p.title.lower()))
    return StageView(
        stage,
        Link(stage.name, markup.href(here, here, stage.id)),
        sanitised(md_field(stage.description)) if stage.description else None,
        catalog.role_link(here, stage.owner),
        catalog.role_link(here, stage.secondary_owner) if stage.secondary_owner else None,
        [StagePlaybook(catalog.playbook_link(here, p.id), labels.label(labels.CATEGORIES, p.category), p.timeline) for p in plays],
        [catalog.metric_link(here, m) for m in stage.metrics],
        sanitised(md_field(stage.note)) if stage.note else None,
        stage.source.text() if stage.source else None,
    )


def journey_view(catalog: Catalog, here: str) -> dict[str, Any]:
    """What ``journey.md`` receives (see docs/guides/page-templates.md)."""
    stages = catalog.library.stages
    return {
        "stages": [stage_view(catalog, here, s) for s in stages.journey],
        "expansion_stages": stages.expansion_stages,
    }


def journey_page(catalog: Catalog, templates: Templates) -> Page:
    here = markup.JOURNEY
    source = catalog.library.stages_path
    return Page(here, templates.render(TEMPLATE, source, journey_view(catalog, here)), "Journey map", source, listed=True)
