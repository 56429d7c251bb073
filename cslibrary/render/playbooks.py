"""One page per playbook, plus its two export files (steps CSV, Markdown checklist).

The page is laid out by ``templates/playbook.html`` (written as HTML: :mod:`.document`), the
checklist by ``templates/playbook-checklist.md``; this module computes what they show.
"""

from __future__ import annotations

import re
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


def _same_words(text: str) -> str:
    """``text`` reduced to its letters and digits, lower case: ``high-touch``, ``High touch`` and ``high_touch`` agree."""
    return re.sub(r"[\W_]+", "", text.lower())


def _says(text: str, words: str) -> bool:
    """Whether ``text`` holds ``words`` as whole words, case and punctuation aside."""

    def spaced(t: str) -> str:
        return " " + " ".join(re.findall(r"[^\W_]+", t.lower())) + " "

    return spaced(words) in spaced(text)


def tags(catalog: Catalog, playbook: Playbook) -> list[str]:
    """Material tags, each said once: category, stage, segments and trigger type, then the YAML's own tags.

    A YAML tag that names one of the playbook's facets again (``high-touch`` beside
    ``Segment: High touch``, ``renewal`` beside ``Stage: Renewal``) is left out: the facet says it.
    """
    facets = [
        ("Category", playbook.category, labels.label(labels.CATEGORIES, playbook.category)),
        ("Stage", playbook.stage, catalog.stage_name(playbook.stage)),
        *(("Segment", s, catalog.segment_label(s)) for s in playbook.segments),
        ("Trigger", playbook.trigger.type, labels.label(labels.TRIGGERS, playbook.trigger.type)),
    ]
    said = {_same_words(word) for _, key, name in facets for word in (key, name)}
    own = [t for t in playbook.tags if _same_words(t) not in said]
    return [t for t in dict.fromkeys(tag_text(t) for t in [*(f"{facet}: {name}" for facet, _, name in facets), *own]) if t]


class Trigger(NamedTuple):
    """The trigger: its kind, its description (inline HTML), and the rule when it is a metric threshold."""

    kind: str
    text: Markup
    #: The machine-readable rule in words ("Health score below 20, or …"), as triage runs it.
    rule: str | None = None
    #: The plays it competes with: its exclusive group's other plays, the plays it replaces.
    group: tuple[Link, ...] = ()
    suppresses: tuple[Link, ...] = ()


class Step(NamedTuple):
    """A step with its time label (``Day 3``), its owner's name and its channel's label.

    ``who`` is the owner as a checklist line names it after the action, in brackets: the
    role's name without brackets of its own (``CS platform, automation``), or only its
    qualifier when the action already names the role (``Alert fires in the CS platform``
    → ``automation``). ``by`` adds the channel when neither says it (``CSM · Call``).
    """

    when: str
    action: str
    owner: str
    channel: str
    goal: str
    resources: list[str]
    who: str = ""
    by: str = ""


_QUALIFIED = re.compile(r"(?P<name>.+?)\s*\((?P<qualifier>[^()]+)\)")


def step_owner(action: str, owner: str) -> str:
    """The owner's name for a checklist line after ``action``: no brackets inside brackets, no name said twice.

    >>> step_owner("Alert fires in the CS platform", "CS platform (automation)")
    'automation'
    >>> step_owner("Send the welcome email", "CS platform (automation)"), step_owner("Call them", "CS Manager")
    ('CS platform, automation', 'CS Manager')
    """
    match = _QUALIFIED.fullmatch(owner.strip())
    if match is None:
        return owner
    name, qualifier = match.group("name"), match.group("qualifier")
    return qualifier if _says(action, name) else f"{name}, {qualifier}"


def step_by(action: str, who: str, channel: str) -> str:
    """``who`` and the channel for a checklist line, the channel left out when the line already says it.

    >>> step_by("Alert fires in the CS platform", "automation", "CS platform"), step_by("Renewal intent call", "CSM", "Call")
    ('automation', 'CSM')
    >>> step_by("Send the renewal contract", "Legal", "Document")
    'Legal · Document'
    """
    if not channel or _says(f"{action} {who}", channel):
        return who
    return f"{who} · {channel}"


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
    group = tuple(catalog.playbook_link(here, other.id) for other in catalog.by_group.get(rule.group or "", []) if other.id != playbook.id)
    return view._replace(
        rule=rule_in_words(playbook.id, catalog.config, catalog.rule_words),
        group=group,
        suppresses=tuple(catalog.playbook_link(here, s) for s in rule.suppresses),
    )


def step_views(catalog: Catalog, playbook: Playbook) -> list[Step]:
    unit = playbook.offset_unit
    views = []
    for s in playbook.steps:
        owner = catalog.role_name(s.owner)
        channel = labels.label(labels.CHANNELS, s.channel)
        who = step_owner(s.action, owner)
        views.append(
            Step(labels.offset(unit, s.at), s.action, owner, channel, s.goal or "", s.resources, who, step_by(s.action, who, channel))
        )
    return views


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
