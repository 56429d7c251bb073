"""The CS operating-model overview: goals, bowtie, impact loops, moments that matter, maturity, value."""

from __future__ import annotations

from ..model import Item
from . import markup
from .catalog import Catalog
from .escape import md_field, md_inline, md_text
from .page import Page


def _items(title: str, items: list[Item], intro: str = "", numbered: bool = False) -> str:
    if not items:
        return ""
    rows = [
        f"{i}. **{md_text(x.name)}**: {md_inline(x.description)}" if numbered else f"- **{md_text(x.name)}**: {md_inline(x.description)}"
        for i, x in enumerate(items, 1)
    ]
    return markup.join(f"## {title}", intro, "\n".join(rows))


def _bowtie(items: list[Item]) -> str:
    if not items:
        return ""
    flow = " → ".join(f"**{md_text(x.name)}**" for x in items)
    rows = [[f"**{md_text(x.name)}**", md_inline(x.description)] for x in items]
    intro = (
        "The bowtie draws the whole journey as one shape: acquisition narrows to the knot where the customer commits, "
        "and the recurring relationship widens out from it again."
    )
    return markup.join("## The bowtie", intro, flow, markup.table(["Phase", "What happens"], rows))


def operating_model_page(catalog: Catalog) -> Page:
    here = markup.OPERATING_MODEL
    om = catalog.library.stages.operating_model
    blocks = [
        markup.front_matter("Operating model"),
        "# Operating model",
        "How the library fits together: the journey drawn as a bowtie, the loops that keep impact recurring, the moments "
        f"that shape the customer's view of us, and how a CS team matures. The {markup.link('journey map', here, markup.JOURNEY)} "
        f"links each stage to its playbooks; the {markup.link('health model', here, markup.HEALTH)} decides which play an account needs.",
    ]
    if om is not None:
        moments = [
            [f"**{md_text(m.moment)}**", catalog.stage_link(here, m.stage), md_text(m.why), md_text(m.how_to_win)]
            for m in om.moments_that_matter
        ]
        maturity = [[f"{i}. **{md_text(m.stage)}**", md_text(m.characteristics), md_text(m.focus)] for i, m in enumerate(om.maturity, 1)]
        value = [[f"**{md_text(v.phase)}**", md_text(v.definition), md_text(v.deliverable)] for v in om.value_realization]
        blocks += [
            md_field(om.description) if om.description else "",
            _items("Goals", om.goals),
            _items("Building it, step by step", om.steps, numbered=True),
            _bowtie(om.bowtie),
            _items("Impact loops", om.impact_loops, "Three loops run side by side during adoption."),
            _items("Adoption actions", om.adoption_actions),
            "## Moments that matter\n\n" + markup.table(["Moment", "Stage", "Why it matters", "How to win it"], moments) if moments else "",
            "## Maturity\n\n" + markup.table(["Level", "Characteristics", "Focus"], maturity) if maturity else "",
            "## Value realisation\n\n" + markup.table(["Phase", "What it means", "Deliverable"], value) if value else "",
        ]
    return Page(here, markup.join(*blocks), "Operating model", catalog.library.stages_path, listed=True)
