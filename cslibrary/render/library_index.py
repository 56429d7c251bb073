"""The playbook library index: a filterable table, a stage × category matrix and by-segment lists.

Laid out by ``templates/library.md`` (its HTML tables by ``templates/partials/library-table.html``
and ``templates/partials/library-matrix.html``); this module computes what they show.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from . import labels, markup
from .catalog import Catalog, Link
from .page import Page
from .templating import Templates

TEMPLATE = "library.md"
#: Columns the page's filter script offers as drop-downs (it reads the header text).
FILTER_COLUMNS = ("Category", "Stage", "Segments", "Trigger")


class PlaybookRow(NamedTuple):
    """A playbook in the filterable table (plain text, and links)."""

    link: Link
    category: str
    stage: Link
    segments: list[str]
    trigger: str
    owner: str


class SegmentRow(NamedTuple):
    link: Link
    playbooks: int
    coverage: str


def _rows(catalog: Catalog, here: str) -> list[PlaybookRow]:
    order = list(labels.CATEGORIES)
    return [
        PlaybookRow(
            catalog.playbook_link(here, p.id),
            labels.label(labels.CATEGORIES, p.category),
            catalog.stage_link(here, p.stage),
            [catalog.segment_label(s) for s in p.segments],
            labels.label(labels.TRIGGERS, p.trigger.type),
            catalog.role_name(p.owner),
        )
        for p in sorted(catalog.playbooks(), key=lambda p: (order.index(p.category), p.title.lower()))
    ]


def _matrix(catalog: Catalog, here: str) -> dict[str, Any]:
    """Category names, and per stage its link and one list of playbook links per category."""
    categories = [c for c in labels.CATEGORIES if catalog.by_category.get(c)]
    stage_ids = [s.id for s in catalog.library.stages.journey]
    stage_ids += sorted({p.stage for p in catalog.playbooks()} - set(stage_ids))
    rows = []
    for stage_id in stage_ids:
        cells = []
        for category in categories:
            found = [p for p in catalog.by_stage.get(stage_id, []) if p.category == category]
            cells.append([catalog.playbook_link(here, p.id) for p in sorted(found, key=lambda p: p.title.lower())])
        rows.append((catalog.stage_link(here, stage_id), cells))
    return {"categories": [labels.CATEGORIES[c] for c in categories], "rows": rows}


def library_view(catalog: Catalog, here: str) -> dict[str, Any]:
    """What ``library.md`` receives (see docs/guides/page-templates.md)."""
    return {
        "count": len(catalog.library.playbooks),
        "by_category": [
            (labels.CATEGORIES[c].lower(), len(catalog.by_category[c])) for c in labels.CATEGORIES if catalog.by_category.get(c)
        ],
        "tags_href": markup.href(here, "tags.md"),
        "journey_href": markup.href(here, markup.JOURNEY),
        "filter_columns": FILTER_COLUMNS,
        "playbooks": _rows(catalog, here),
        "matrix": _matrix(catalog, here),
        "segments": [
            SegmentRow(catalog.segment_link(here, t.id), len(catalog.by_segment.get(t.id, [])), t.coverage)
            for t in catalog.library.segments.tiers
        ],
    }


def library_index(catalog: Catalog, templates: Templates) -> Page:
    here = markup.PLAYBOOKS
    return Page(here, templates.render(TEMPLATE, here, library_view(catalog, here)), "Playbook library", listed=True)
