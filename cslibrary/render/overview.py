"""The CS operating-model overview: goals, bowtie, impact loops, moments that matter, maturity, value.

Laid out by ``templates/operating-model.md``; this module computes what it shows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from markupsafe import Markup

from ..model import Item
from . import markup
from .catalog import Catalog
from .escape import md_field, md_inline
from .page import Page
from .templating import Templates, sanitised

TEMPLATE = "operating-model.md"


class Entry(NamedTuple):
    """An item of a list (a goal, a step, a loop…): its name and its description (one line of Markdown)."""

    name: str
    description: Markup


def entries(items: list[Item]) -> list[Entry]:
    return [Entry(x.name, sanitised(md_inline(x.description))) for x in items]


def overview_view(catalog: Catalog, here: str) -> dict[str, Any]:
    """What ``operating-model.md`` receives (see docs/guides/page-templates.md)."""
    om = catalog.library.stages.operating_model
    view: dict[str, Any] = {
        "operating_model": om,
        "journey_href": markup.href(here, markup.JOURNEY),
        "health_href": markup.href(here, markup.HEALTH),
    }
    if om is not None:
        view |= {
            "description": sanitised(md_field(om.description)) if om.description else None,
            "goals": entries(om.goals),
            "steps": entries(om.steps),
            "bowtie": entries(om.bowtie),
            "impact_loops": entries(om.impact_loops),
            "adoption_actions": entries(om.adoption_actions),
            "moments": [(m, catalog.stage_link(here, m.stage)) for m in om.moments_that_matter],
        }
    return view


def operating_model_page(catalog: Catalog, templates: Templates) -> Page:
    here = markup.OPERATING_MODEL
    source = catalog.library.stages_path
    return Page(here, templates.render(TEMPLATE, source, overview_view(catalog, here)), "Operating model", source, listed=True)
