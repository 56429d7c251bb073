"""The playbook library index: a filterable table, a stage × category matrix and by-segment lists.

Laid out by ``templates/library.md`` (its HTML tables by ``templates/partials/library-table.html``
and ``templates/partials/library-matrix.html``); this module computes what they show.

Each row of the table says which play it is (title, the summary's first sentence) and when it
starts (the trigger rule in words, as triage runs it), and carries what the page's filter script
(``docs/assets/javascripts/library-filter.js``) reads: one ``data-*`` attribute per filter (ids,
space-separated) and ``data-search``, the words of the title, the whole summary, the trigger and
the tags, aliases and questions, searched without being shown.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from calculators.triage import rule_in_words

from ..model import Playbook
from . import labels, markup
from .catalog import Catalog, Link
from .page import Page
from .playbooks import tags
from .templating import Templates
from .text import first_sentence, plain_text, search_text

TEMPLATE = "library.md"


class Option(NamedTuple):
    """One choice of a filter: the id it puts in the URL (``intervention``) and its label."""

    value: str
    label: str


class Filter(NamedTuple):
    """A drop-down of the filter bar: its key (the URL parameter and the rows' ``data-<key>``), label and choices."""

    key: str
    label: str
    options: list[Option]


class PlaybookRow(NamedTuple):
    """A playbook in the filterable table: what it shows (text and links) and what the filters read (ids)."""

    link: Link
    #: The summary's first sentence (plain text).
    summary: str
    #: When it starts, in words: the trigger rule as triage runs it, else the description's first sentence.
    starts: str
    #: The trigger type's label (``Metric threshold``) and id (``metric``).
    trigger: str
    trigger_type: str
    category: str
    category_id: str
    stage: Link
    stage_id: str
    segments: list[str]
    segment_ids: list[str]
    owner: str
    owner_id: str
    #: The words the text filter searches (lower case): title, summary, trigger, tags, aliases and questions.
    search: str


class SegmentRow(NamedTuple):
    link: Link
    playbooks: int
    coverage: str


def starts_when(catalog: Catalog, playbook: Playbook) -> str:
    """The trigger in words: its rule as the triage calculator runs it, else its description's first sentence."""
    words = rule_in_words(playbook.id, catalog.config, catalog.rule_words) if playbook.trigger.rule is not None else None
    return words or first_sentence(plain_text(playbook.trigger.description))


def _row(catalog: Catalog, here: str, p: Playbook) -> PlaybookRow:
    summary = plain_text(p.summary)
    starts = starts_when(catalog, p)
    trigger = labels.label(labels.TRIGGERS, p.trigger.type)
    return PlaybookRow(
        link=catalog.playbook_link(here, p.id),
        summary=first_sentence(summary),
        starts=starts,
        trigger=trigger,
        trigger_type=p.trigger.type,
        category=labels.label(labels.CATEGORIES, p.category),
        category_id=p.category,
        stage=catalog.stage_link(here, p.stage),
        stage_id=p.stage,
        segments=[catalog.segment_label(s) for s in p.segments],
        segment_ids=list(p.segments),
        owner=catalog.role_name(p.owner),
        owner_id=p.owner,
        search=search_text(
            p.title, summary, starts, trigger, plain_text(p.trigger.description), *tags(catalog, p), *p.aliases, *p.questions
        ),
    )


def _rows(catalog: Catalog, here: str) -> list[PlaybookRow]:
    order = list(labels.CATEGORIES)
    return [
        _row(catalog, here, p)
        for p in sorted(
            catalog.playbooks(), key=lambda p: (order.index(p.category) if p.category in order else len(order), p.title.lower())
        )
    ]


def _filters(catalog: Catalog) -> list[Filter]:
    """The filter bar's drop-downs, each offering the values some playbook has, in the library's order."""
    playbooks = catalog.playbooks()
    stages = [s.id for s in catalog.library.stages.journey]
    stages += sorted({p.stage for p in playbooks} - set(stages))
    tiers = [t.id for t in catalog.library.segments.tiers]
    tiers += sorted({s for p in playbooks for s in p.segments} - set(tiers))
    owners = sorted({p.owner for p in playbooks}, key=lambda r: catalog.role_name(r).lower())
    return [
        Filter(
            "category", "Category", [Option(c, labels.label(labels.CATEGORIES, c)) for c in labels.CATEGORIES if catalog.by_category.get(c)]
        ),
        Filter("stage", "Journey stage", [Option(s, catalog.stage_name(s)) for s in stages if catalog.by_stage.get(s)]),
        Filter("segment", "Segment", [Option(s, catalog.segment_label(s)) for s in tiers if catalog.by_segment.get(s)]),
        Filter("owner", "Owner", [Option(r, catalog.role_name(r)) for r in owners]),
        Filter(
            "trigger",
            "Trigger type",
            [Option(t, name) for t, name in labels.TRIGGERS.items() if any(p.trigger.type == t for p in playbooks)],
        ),
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
        "triage_href": markup.href(here, "calculators/triage.md"),
        "filters": _filters(catalog),
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
