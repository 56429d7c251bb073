"""The segments overview (coverage model, decision framework, ratios, transitions) and one page per tier.

Laid out by ``templates/segments.md`` and ``templates/segment.md``; this module computes what they show.
"""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup

from ..model import Tier
from . import labels, markup
from .catalog import Catalog, Link
from .escape import md_field, title_text
from .page import Page
from .templating import Templates, sanitised

PAGE_TEMPLATE = "segment.md"
INDEX_TEMPLATE = "segments.md"

#: The decision framework: the attributes that tell the tiers apart, in reading order.
FRAMEWORK = (
    ("Coverage", "coverage"),
    ("Touch frequency", "touch_frequency"),
    ("Complexity", "complexity"),
    ("Strategic value", "strategic_value"),
    ("Stakeholders", "stakeholders"),
    ("Success plan", "success_plan"),
    ("Reviews", "reviews"),
)

FACTORS = {"arr": "ARR"}


def arr_range(low: float | None, high: float | None) -> str:
    return labels.value_range(low, high).replace("any value", "any ARR")


def ratio_text(tier_ratio: object) -> str:
    low, high, plan = (getattr(tier_ratio, k, None) for k in ("min", "max", "planning"))
    span = f"1:{labels.number(low)}–1:{labels.number(high)}" if low and high else f"1:{labels.number(low or plan)}+"
    return f"{span} (plan 1:{labels.number(plan)})"


def cost_text(tier: Tier) -> str:
    return labels.value_range(tier.cost_to_serve.min, tier.cost_to_serve.max, "percent", high_inclusive=True) + " of ARR"


class TierRow(NamedTuple):
    """A tier in the coverage model: its link, ARR range, accounts per CSM and cost to serve (text)."""

    link: Link
    arr: str
    ratio: str
    cost: str
    #: The decision framework: (attribute name, the tier's value), in FRAMEWORK order.
    framework: list[tuple[str, str]]


class RatioRow(NamedTuple):
    label: str
    tier: Link
    arr: str
    ratio: str
    touch_model: str


class Element(NamedTuple):
    """One thing a tier includes: its name, when it happens, its channel and purpose, the playbook that runs it."""

    element: str
    when: str
    channel: str
    purpose: str
    #: The playbook that carries it out, or none.
    playbook: Link | None
    #: Where it differs from the source, and why (ready), or "".
    note: Markup | str


class Transition(NamedTuple):
    source: Link
    target: Link
    trigger: str
    action: str


def tier_row(catalog: Catalog, here: str, tier: Tier) -> TierRow:
    framework = [(name, str(getattr(tier, attr))) for name, attr in FRAMEWORK]
    return TierRow(
        catalog.segment_link(here, tier.id), arr_range(tier.arr_min, tier.arr_max), ratio_text(tier.ratio), cost_text(tier), framework
    )


def ratio_rows(catalog: Catalog, here: str, tier_id: str | None = None) -> list[RatioRow]:
    rows = catalog.library.segments.ratio_table
    return [
        RatioRow(r.label, catalog.segment_link(here, r.tier), arr_range(r.arr_min, r.arr_max), ratio_text(r.ratio), r.touch_model)
        for r in rows
        if tier_id is None or r.tier == tier_id
    ]


def transitions(catalog: Catalog, here: str, tier_id: str | None = None) -> list[Transition]:
    def name(seg: str) -> Link:
        return Link("any tier") if seg == "any" else catalog.segment_link(here, seg)

    return [
        Transition(name(t.from_), name(t.to), t.trigger, t.action)
        for t in catalog.library.segments.transitions
        if tier_id is None or tier_id in (t.from_, t.to)
    ]


def elements(catalog: Catalog, here: str, tier: Tier) -> list[Element]:
    return [
        Element(
            e.element,
            e.when,
            e.channel or "",
            e.purpose or "",
            catalog.playbook_link(here, e.playbook) if e.playbook else None,
            sanitised(md_field(e.note)) if e.note else "",
        )
        for e in tier.playbook_elements
    ]


def segments_index(catalog: Catalog, templates: Templates) -> Page:
    here = markup.SEGMENTS
    segments = catalog.library.segments
    scoring = segments.scoring
    view = {
        "segments": segments,
        "tiers": [tier_row(catalog, here, t) for t in segments.tiers],
        "framework": [(name, [str(getattr(t, attr)) for t in segments.tiers]) for name, attr in FRAMEWORK],
        "ratios": ratio_rows(catalog, here),
        "weights": [(FACTORS.get(k, k.replace("_", " ").capitalize()), v) for k, v in scoring.weights.items()],
        "cut_offs": [(t.min, catalog.segment_link(here, t.tier)) for t in scoring.tiers],
        "scoring_intro": sanitised(md_field(scoring.description)) if scoring.description else None,
        "transitions": transitions(catalog, here),
        "organisation": sanitised(md_field(segments.example_organisation.description)),
    }
    source = catalog.library.segments_path
    return Page(here, templates.render(INDEX_TEMPLATE, source, view), "Segments", source, listed=True)


def segment_page(catalog: Catalog, templates: Templates, tier: Tier) -> Page:
    here = markup.segment_path(tier.id)
    playbook_ids = list(dict.fromkeys([*(p.id for p in catalog.by_segment.get(tier.id, [])), *tier.playbooks]))
    weights = catalog.library.health.weights.get(tier.id) or {}
    components = {c.id: c.label for c in catalog.library.health.components}
    title = title_text(tier.label)
    view = {
        "tier": tier,
        "title": title,
        "description": sanitised(md_field(tier.description)),
        "facts": tier_row(catalog, here, tier),
        "ratios": ratio_rows(catalog, here, tier.id),
        "playbooks": [catalog.playbook_link(here, p) for p in sorted(playbook_ids)],
        "weights": [(components.get(k, k), v) for k, v in weights.items()],
        "health_href": markup.href(here, markup.HEALTH),
        "transitions": transitions(catalog, here, tier.id),
        "elements": elements(catalog, here, tier),
        "note": sanitised(md_field(tier.note)) if tier.note else None,
        "sources": list(dict.fromkeys(e.source.text() for e in tier.playbook_elements if e.source is not None)),
    }
    source = catalog.library.segments_path
    return Page(here, templates.render(PAGE_TEMPLATE, source, view), title, source)
