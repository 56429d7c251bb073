"""The frameworks index and one page per framework (``frameworks/<id>.md``).

Laid out by ``templates/frameworks.md`` and ``templates/framework.md``; this module computes
what they show: the audience and topic in words, each section's content, its source and its
links (to playbooks, metrics, segments, other frameworks and calculator pages), resolved
relative to the page.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..model import Framework, FrameworkSection, Links
from . import markup
from .catalog import Catalog, Link
from .escape import md_field, md_inline, title_text
from .page import Page
from .templating import Templates, sanitised

PAGE_TEMPLATE = "framework.md"
INDEX_TEMPLATE = "frameworks.md"

#: Where the frameworks live (docs-relative), the index first.
INDEX = "frameworks/index.md"

#: The navigation groups, in order (``topic`` in the YAML).
TOPICS = {
    "adoption": "Onboarding and adoption",
    "segmentation": "Segmentation and coverage",
    "journey": "Customer journey",
    "value": "Value",
    "organisation": "Organisation and pay",
    "operations": "CS Ops and playbooks",
    "technology": "Technology",
    "measurement": "Metrics and dashboards",
}
#: Who each framework is for, as the page says it.
AUDIENCES = {"csm": "CSMs", "leader": "CS leaders", "both": "CSMs and CS leaders"}
#: The seed documents, as a reader knows them (``../shared/seeds/``).
SEED_NAMES = {
    "000": "the enterprise adoption architecture",
    "001": "the adoption-phase operating model",
    "002": "the CS strategy reference",
    "003": "the adoption SuccessBLOC",
}
#: Calculator pages by name (``docs/calculators/<name>.md``) as a link says them; others read "<Name> calculator".
CALCULATOR_NAMES = {
    "coverage": "Coverage calculator",
    "value": "ROI and time-to-value calculators",
    "renewals": "Renewal forecast calculator",
    "retention": "NRR and GRR calculator",
    "triage": "Triage: which plays does this account need?",
    "health": "Health score calculator",
    "surveys": "NPS, CSAT and CES calculators",
    "planner": "Coverage planner",
    "leadership#relationship-strength": "Relationship strength calculator",
    "leadership#renewal-incentive-payout": "Renewal incentive payout calculator",
    "leadership#cs-tech-stack-budget": "CS tech stack budget calculator",
}


def framework_path(framework_id: str) -> str:
    return f"frameworks/{framework_id}.md"


def calculator_path(name: str) -> str:
    return f"calculators/{name}.md"


def calculator_name(name: str) -> str:
    """``coverage`` → "Coverage calculator"; ``leadership#renewal-incentive-payout`` → "Renewal incentive payout calculator"."""
    return CALCULATOR_NAMES.get(name) or f"{name.rpartition('#')[2].replace('_', ' ').replace('-', ' ').capitalize()} calculator"


def calculator_link(here: str, target: str) -> Link:
    """A link to a calculator page (``coverage``) or a heading of it (``leadership#stack-budget``)."""
    name, _, anchor = target.partition("#")
    return Link(calculator_name(target), markup.href(here, calculator_path(name), anchor))


class SectionView(NamedTuple):
    """A section as the template shows it: the YAML, its Markdown fields made safe, its source and links."""

    section: FrameworkSection
    anchor: str
    intro: str
    notes: str
    note: str
    #: ``the CS strategy reference (seed 002), section “CS Technology Stack Strategy: Key Integrations”`` ("" without a source).
    source: str
    links: list[Link]


def framework_link(catalog: Catalog, here: str, target: str) -> Link:
    """A link to a framework (``id``) or one of its sections (``id#section``); text alone when it does not exist."""
    ident, _, anchor = target.partition("#")
    framework = catalog.library.frameworks.get(ident)
    if framework is None:
        return Link(target)
    if not anchor:
        return Link(framework.title, markup.href(here, framework_path(ident)))
    section = next((s for s in framework.sections if s.id == anchor), None)
    text = f"{framework.title}: {section.title}" if section else framework.title
    return Link(text, markup.href(here, framework_path(ident), anchor if section else ""))


def links(catalog: Catalog, here: str, found: Links | None) -> list[Link]:
    """Every link of a ``see`` or ``related`` block, in the order playbooks, metrics, segments, frameworks, calculators."""
    if found is None:
        return []
    return [
        *(catalog.playbook_link(here, p) for p in found.playbooks),
        *(catalog.metric_link(here, m) for m in found.metrics),
        *(catalog.segment_link(here, s) for s in found.segments),
        *(framework_link(catalog, here, f) for f in found.frameworks),
        *(calculator_link(here, c) for c in found.calculators),
    ]


def _markdown(text: str | None) -> str:
    return sanitised(md_field(text)) if text else ""


def section_view(catalog: Catalog, here: str, section: FrameworkSection) -> SectionView:
    source = ""
    if section.source is not None:
        seed = section.source.seed
        source = f"{SEED_NAMES.get(seed, 'seed')} (seed {seed}), section “{section.source.section}”"
    return SectionView(
        section,
        section.id,
        _markdown(section.intro),
        _markdown(section.notes),
        sanitised(md_inline(section.note)) if section.note else "",
        source,
        links(catalog, here, section.see),
    )


def framework_view(catalog: Catalog, framework: Framework, here: str, source: str) -> dict[str, Any]:
    """What ``framework.md`` receives (see docs/guides/page-templates.md)."""
    return {
        "framework": framework,
        "title": title_text(framework.title),
        "summary": _markdown(framework.summary),
        "audience": AUDIENCES.get(framework.audience, framework.audience),
        "topic": TOPICS.get(framework.topic, framework.topic),
        "topic_href": markup.href(here, INDEX, _slug(TOPICS.get(framework.topic, framework.topic))),
        "sections": [section_view(catalog, here, s) for s in framework.sections],
        "related": links(catalog, here, framework.related),
        "source": source,
        "edit_url": catalog.edit_url(source),
    }


def _slug(text: str) -> str:
    """The id Markdown's toc gives a ``## text`` heading (lower case, words joined by ``-``)."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text).strip().lower())


def framework_source(catalog: Catalog, framework_id: str) -> str:
    return catalog.library.framework_paths.get(framework_id) or f"playbooks/frameworks/{framework_id}.yml"


def framework_page(catalog: Catalog, templates: Templates, framework: Framework) -> Page:
    here = framework_path(framework.id)
    source = framework_source(catalog, framework.id)
    view = framework_view(catalog, framework, here, source)
    return Page(here, templates.render(PAGE_TEMPLATE, source, view), view["title"], source)


class FrameworkRow(NamedTuple):
    """A framework in the index: its link, who it is for and the names of its sections."""

    link: Link
    audience: str
    sections: str


def ordered(frameworks: dict[str, Framework]) -> list[Framework]:
    """Frameworks by topic (in :data:`TOPICS` order), then by title."""
    order = list(TOPICS)
    return sorted(frameworks.values(), key=lambda f: (order.index(f.topic) if f.topic in order else len(order), f.title.lower(), f.id))


def frameworks_index(catalog: Catalog, templates: Templates) -> Page:
    here = INDEX
    groups: list[tuple[str, list[FrameworkRow]]] = []
    for framework in ordered(catalog.library.frameworks):
        topic = TOPICS.get(framework.topic, framework.topic)
        if not groups or groups[-1][0] != topic:
            groups.append((topic, []))
        row = FrameworkRow(
            Link(framework.title, markup.href(here, framework_path(framework.id))),
            AUDIENCES.get(framework.audience, framework.audience),
            " · ".join(s.title for s in framework.sections),
        )
        groups[-1][1].append(row)
    view = {"count": len(catalog.library.frameworks), "groups": groups}
    return Page(here, templates.render(INDEX_TEMPLATE, here, view), "Frameworks", listed=True)
