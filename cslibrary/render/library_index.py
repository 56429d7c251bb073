"""The playbook library index: a filterable table, a stage × category matrix and by-segment lists."""

from __future__ import annotations

from . import blocks, labels, markup
from .catalog import Catalog
from .escape import html_text, md_text
from .page import Page

#: Columns the page's filter script offers as drop-downs (it reads the header text).
FILTER_COLUMNS = ("Category", "Stage", "Segments", "Trigger")


def _table(catalog: Catalog, here: str) -> str:
    rows = []
    for playbook in sorted(catalog.playbooks(), key=lambda p: (list(labels.CATEGORIES).index(p.category), p.title.lower())):
        rows.append(
            [
                catalog.playbook_link(here, playbook.id, html=True),
                html_text(labels.label(labels.CATEGORIES, playbook.category)),
                catalog.stage_link(here, playbook.stage, html=True),
                ", ".join(html_text(catalog.segment_label(s)) for s in playbook.segments),
                html_text(labels.label(labels.TRIGGERS, playbook.trigger.type)),
                html_text(catalog.role_name(playbook.owner)),
            ]
        )
    table = blocks.table(["Playbook", "Category", "Stage", "Segments", "Trigger", "Owner"], rows)
    filters = " ".join(f'data-filter-{c.lower()}="1"' for c in FILTER_COLUMNS)
    return blocks.raw(f'<div class="cs-filterable" {filters}>\n{table}\n</div>')


def _matrix(catalog: Catalog, here: str) -> str:
    categories = [c for c in labels.CATEGORIES if catalog.by_category.get(c)]
    stage_ids = [s.id for s in catalog.library.stages.journey]
    stage_ids += sorted({p.stage for p in catalog.playbooks()} - set(stage_ids))
    rows = []
    for stage_id in stage_ids:
        cells = []
        for category in categories:
            found = [p for p in catalog.by_stage.get(stage_id, []) if p.category == category]
            cells.append("<br>\n".join(catalog.playbook_link(here, p.id, html=True) for p in sorted(found, key=lambda p: p.title.lower())))
        rows.append([f"<strong>{catalog.stage_link(here, stage_id, html=True)}</strong>", *cells])
    return blocks.raw(blocks.table(["Stage", *(html_text(labels.CATEGORIES[c]) for c in categories)], rows))


def _segments(catalog: Catalog, here: str) -> str:
    rows = []
    for tier in catalog.library.segments.tiers:
        found = catalog.by_segment.get(tier.id, [])
        rows.append([catalog.segment_link(here, tier.id), str(len(found)), md_text(tier.coverage)])
    return markup.table(["Segment", "Playbooks", "Coverage"], rows, "lrl")


def library_index(catalog: Catalog) -> Page:
    here = markup.PLAYBOOKS
    count = len(catalog.library.playbooks)
    by_category = ", ".join(
        f"{len(catalog.by_category[c])} {labels.CATEGORIES[c].lower()}" for c in labels.CATEGORIES if catalog.by_category.get(c)
    )
    intro = (
        f"{count} playbooks ({by_category}). Each one names its trigger, owner, timeline, steps and exit criteria. "
        "Pick filters above the table to narrow it down by category, journey stage, segment or trigger, "
        f"or browse by {markup.link('tag', here, 'tags.md')}; search (top of the page) covers every step of every playbook."
    )
    return Page(
        here,
        markup.join(
            markup.front_matter("Playbook library"),
            "# Playbook library",
            intro,
            _table(catalog, here),
            "## By journey stage and category",
            "Which plays run in which stage of the customer journey. The "
            + markup.link("journey map", here, markup.JOURNEY)
            + " adds each stage's goals, owners and metrics.",
            _matrix(catalog, here),
            "## By segment",
            "A playbook can serve several segments. Each segment page lists its playbooks and coverage model.",
            _segments(catalog, here),
        ),
        "Playbook library",
        listed=True,
    )
