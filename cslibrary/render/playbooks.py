"""One page per playbook, plus its two export files (steps CSV, Markdown checklist).

The page is laid out by ``templates/playbook.html`` (written as HTML: :mod:`.document`), the
checklist by ``templates/playbook-checklist.md``; this module computes what they show.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from markupsafe import Markup

from calculators.triage import rule_in_words

from ..model import Playbook
from . import labels, markup
from .catalog import Catalog, Link
from .document import Document
from .escape import tag_text, title_text
from .exports import steps_csv
from .inline import md_html, md_inline_html
from .page import Page
from .templating import Templates, sanitised

PAGE_TEMPLATE = "playbook.html"
CHECKLIST_TEMPLATE = "playbook-checklist.md"


def tags(catalog: Catalog, playbook: Playbook) -> list[str]:
    """Material tags: category, stage, segments and trigger type, then the YAML's own tags."""
    structured = [
        f"Category: {labels.label(labels.CATEGORIES, playbook.category)}",
        f"Stage: {catalog.stage_name(playbook.stage)}",
        *(f"Segment: {catalog.segment_label(s)}" for s in playbook.segments),
        f"Trigger: {labels.label(labels.TRIGGERS, playbook.trigger.type)}",
    ]
    return [t for t in dict.fromkeys(tag_text(t) for t in [*structured, *playbook.tags]) if t]


class Trigger(NamedTuple):
    """The trigger: its kind, its description (inline HTML), and the rule when it is a metric threshold."""

    kind: str
    text: Markup
    #: The machine-readable rule in words ("Health score below 20, or …"), as triage runs it.
    rule: str | None = None
    #: The plays it competes with: its exclusive group's other plays, the plays it replaces.
    group: list[Link] = []
    suppresses: list[Link] = []


class Step(NamedTuple):
    """A step with its time label (``Day 3``), its owner's name and its channel's label."""

    when: str
    action: str
    owner: str
    channel: str
    goal: str
    resources: list[str]


class Escalation(NamedTuple):
    condition: str
    action: str
    owner: Link


class Hrefs(NamedTuple):
    """Links from the page to the library index, its two downloads, the editing guide and the triage page."""

    library: str
    steps_csv: str
    checklist: str
    guide: str
    triage: str


def trigger_view(catalog: Catalog, here: str, playbook: Playbook) -> Trigger:
    trigger = playbook.trigger
    view = Trigger(labels.label(labels.TRIGGERS, trigger.type), sanitised(md_inline_html(trigger.description)))
    rule = trigger.rule
    if rule is None:
        return view
    group = [
        catalog.playbook_link(here, other.id)
        for other in catalog.playbooks()
        if rule.group and other.id != playbook.id and other.trigger.rule is not None and other.trigger.rule.group == rule.group
    ]
    return view._replace(
        rule=rule_in_words(playbook.id, catalog.config),
        group=group,
        suppresses=[catalog.playbook_link(here, s) for s in rule.suppresses],
    )


def step_views(catalog: Catalog, playbook: Playbook) -> list[Step]:
    unit = playbook.offset_unit
    return [
        Step(
            labels.offset(unit, s.at),
            s.action,
            catalog.role_name(s.owner),
            labels.label(labels.CHANNELS, s.channel),
            s.goal or "",
            s.resources,
        )
        for s in playbook.steps
    ]


def playbook_view(catalog: Catalog, playbook: Playbook, here: str, source: str) -> dict[str, Any]:
    """What ``playbook.html`` receives (see docs/guides/page-templates.md)."""

    def link(path: str) -> str:
        return markup.href(here, path)

    related = [r for r in playbook.related if r != playbook.id]
    return {
        "playbook": playbook,
        "title": title_text(playbook.title),
        "tags": tags(catalog, playbook),
        "category": labels.label(labels.CATEGORIES, playbook.category),
        "summary": sanitised(md_html(playbook.summary)),
        "trigger": trigger_view(catalog, here, playbook),
        "owner": catalog.role_link(here, playbook.owner),
        "stage": catalog.stage_link(here, playbook.stage),
        "segments": [catalog.segment_link(here, s) for s in playbook.segments],
        "steps": step_views(catalog, playbook),
        "escalation": [Escalation(e.condition, e.action, catalog.role_link(here, e.owner)) for e in playbook.escalation],
        "notes": sanitised(md_html(playbook.notes)) if playbook.notes else "",
        "metrics": [catalog.metric_link(here, m) for m in playbook.metrics],
        "health_bands": [
            Link(b.label, markup.href(here, markup.HEALTH, "bands")) for b in catalog.library.health.bands if b.playbook == playbook.id
        ],
        "related": [catalog.playbook_link(here, r) for r in related],
        "source": source,
        "edit_url": catalog.edit_url(source),
        "href": Hrefs(
            link(markup.PLAYBOOKS),
            link(markup.export_path(playbook.id, "steps.csv")),
            link(markup.export_path(playbook.id, "checklist.md")),
            link("guides/change-a-playbook.md"),
            link("calculators/triage.md"),
        ),
    }


def playbook_pages(catalog: Catalog, templates: Templates, playbook: Playbook) -> list[Page]:
    """The playbook's page (written as HTML: :mod:`.document`) and its two exports."""
    here = markup.playbook_path(playbook.id)
    source = catalog.playbook_source(playbook.id)
    view = playbook_view(catalog, playbook, here, source)
    doc = Document()
    content = templates.render(PAGE_TEMPLATE, source, {**view, "heading": lambda level, text: sanitised(doc.heading_html(level, text))})
    checklist = templates.render(CHECKLIST_TEMPLATE, source, {"playbook": playbook, "source": source, "steps": view["steps"]})
    roles = {role_id: role.name for role_id, role in catalog.library.roles.items()}
    return [
        Page(here, content, view["title"], source, headings=doc.headings),
        Page(markup.export_path(playbook.id, "steps.csv"), steps_csv(playbook, roles), "", source, kind="download"),
        Page(markup.export_path(playbook.id, "checklist.md"), checklist, "", source, kind="download"),
    ]
