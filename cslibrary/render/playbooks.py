"""One page per playbook, plus its two export files (steps CSV, Markdown checklist)."""

from __future__ import annotations

from ..model import Playbook
from . import blocks, labels, markup
from .catalog import Catalog
from .document import Document
from .escape import html_text, tag_text, title_text
from .exports import checklist_markdown, steps_csv
from .inline import md_html, md_inline_html
from .page import Page

TIMING = {
    "day": "Day 0 is the day the trigger fires; negative days come before it.",
    "week": "Week 1 is the first week after the trigger.",
    "t_minus_day": "Counted down to the renewal date: T-120 is 120 days before it, T-0 the date itself.",
}


def tags(catalog: Catalog, playbook: Playbook) -> list[str]:
    """Material tags: category, stage, segments and trigger type, then the YAML's own tags."""
    structured = [
        f"Category: {labels.label(labels.CATEGORIES, playbook.category)}",
        f"Stage: {catalog.stage_name(playbook.stage)}",
        *(f"Segment: {catalog.segment_label(s)}" for s in playbook.segments),
        f"Trigger: {labels.label(labels.TRIGGERS, playbook.trigger.type)}",
    ]
    return [t for t in dict.fromkeys(tag_text(t) for t in [*structured, *playbook.tags]) if t]


def trigger_html(catalog: Catalog, here: str, playbook: Playbook) -> str:
    """The trigger as inline HTML: its description, then the rule when it is a metric."""
    trigger = playbook.trigger
    text = md_inline_html(trigger.description)
    if trigger.type == "metric" and trigger.metric:
        rule = catalog.metric_link(here, trigger.metric, html=True)
        if trigger.condition:
            rule += f" {html_text(labels.label(labels.CONDITIONS, trigger.condition))}"
        if trigger.threshold is not None:
            rule += f" {html_text(labels.number(trigger.threshold))}"
        text += f" <em>(Rule: {rule}.)</em>"
    return text


def _card(catalog: Catalog, here: str, playbook: Playbook) -> str:
    """The summary card, written as Material writes an ``abstract`` admonition."""
    trigger_kind = html_text(labels.label(labels.TRIGGERS, playbook.trigger.type))
    segments = ", ".join(catalog.segment_link(here, s, html=True) for s in playbook.segments)
    rows = [
        f"<strong>Trigger</strong> ({trigger_kind}): {trigger_html(catalog, here, playbook)}",
        f"<strong>Owner:</strong> {catalog.role_link(here, playbook.owner, html=True)}",
        f"<strong>Timeline:</strong> {html_text(playbook.timeline)}",
        f"<strong>Category:</strong> {html_text(labels.label(labels.CATEGORIES, playbook.category))} · "
        f"<strong>Stage:</strong> {catalog.stage_link(here, playbook.stage, html=True)} · <strong>Segments:</strong> {segments}",
        "<strong>Exit criteria:</strong>" + blocks.ul(html_text(c) for c in playbook.exit_criteria),
    ]
    title = '<p class="admonition-title">At a glance</p>'
    return f'<div class="admonition abstract cs-card">\n{title}\n{blocks.ul(rows)}\n</div>'


def _steps(doc: Document, catalog: Catalog, playbook: Playbook) -> None:
    rows = [
        [
            f"<strong>{html_text(labels.offset(playbook.offset_unit, step.at))}</strong>",
            html_text(step.action),
            html_text(catalog.role_name(step.owner)),
            html_text(labels.label(labels.CHANNELS, step.channel)),
            html_text(step.goal or ""),
            "<br>\n".join(html_text(r) for r in step.resources),
        ]
        for step in playbook.steps
    ]
    doc.heading(2, "Steps")
    doc.add(f"<p>{html_text(TIMING[playbook.offset_unit])}</p>")
    doc.add(blocks.table(["When", "Action", "Owner", "Channel", "Goal", "Resources"], rows, "cs-steps"))


def _checklist(doc: Document, catalog: Catalog, playbook: Playbook) -> None:
    """The steps, exit criteria and extra lists as check boxes."""
    steps = [
        f"<strong>{html_text(labels.offset(playbook.offset_unit, s.at))}</strong>: {html_text(s.action)} "
        f"<em>({html_text(catalog.role_name(s.owner))})</em>"
        for s in playbook.steps
    ]
    doc.heading(2, "Checklist")
    doc.add(blocks.tasks(steps))
    doc.heading(3, "Exit criteria")
    doc.add(blocks.tasks(html_text(c) for c in playbook.exit_criteria))
    for title, entries in playbook.checklist.items():
        doc.heading(3, title)
        doc.add(blocks.tasks(html_text(e) for e in entries))


def _escalation(doc: Document, catalog: Catalog, here: str, playbook: Playbook) -> None:
    if playbook.escalation:
        rows = [[html_text(e.condition), html_text(e.action), catalog.role_link(here, e.owner, html=True)] for e in playbook.escalation]
        doc.heading(2, "Escalation rules")
        doc.add(blocks.table(["When", "Then", "Who"], rows))


def _links(doc: Document, catalog: Catalog, here: str, playbook: Playbook) -> None:
    """Automation, metrics, segments and related playbooks, in one ``cs-links`` section (print leaves it out)."""
    doc.add('<div class="cs-links">')
    if playbook.automation:
        doc.heading(2, "Automation")
        doc.add(blocks.ul(html_text(a) for a in playbook.automation))
    if playbook.metrics:
        doc.heading(2, "Metrics")
        doc.add(blocks.ul(catalog.metric_link(here, m, html=True) for m in playbook.metrics))
    doc.heading(2, "Segments")
    doc.add(blocks.ul(catalog.segment_link(here, s, html=True) for s in playbook.segments))
    triggered_by = [b for b in catalog.library.health.bands if b.playbook == playbook.id]
    if triggered_by:
        bands = ", ".join(blocks.a(html_text(b.label), here, markup.HEALTH, "bands") for b in triggered_by)
        doc.add(f"<p>Started by the health band{'s' if len(triggered_by) > 1 else ''}: {bands}.</p>")
    related = [r for r in playbook.related if r != playbook.id]
    if related:
        doc.heading(2, "Related playbooks")
        doc.add(blocks.ul(catalog.playbook_link(here, r, html=True) for r in related))
    doc.add("</div>")


def _footer(catalog: Catalog, here: str, playbook: Playbook, source: str) -> str:
    csv_link = blocks.a("Steps as CSV", here, markup.export_path(playbook.id, "steps.csv"))
    md_link = blocks.a("Checklist as Markdown", here, markup.export_path(playbook.id, "checklist.md"))
    exports = f"<p><strong>Download:</strong> {csv_link} · {md_link} · Print this page for a one-page checklist.</p>"
    edit = catalog.edit_url(source)
    where = f"This page is generated from <code>{html_text(source)}</code>."
    if edit:
        guide = blocks.a("how to change a playbook", here, "guides/change-a-playbook.md")
        where += f' <a href="{html_text(edit)}">Edit this playbook</a> and open a pull request; see {guide}.'
    return f'<div class="cs-exports">\n{exports}\n<p>{where}</p>\n</div>'


def playbook_pages(catalog: Catalog, playbook: Playbook) -> list[Page]:
    """The playbook's page (written as HTML: :mod:`.document`) and its two exports."""
    here = markup.playbook_path(playbook.id)
    source = catalog.playbook_source(playbook.id)
    title = title_text(playbook.title)
    crumb = blocks.a("Playbook library", here, markup.PLAYBOOKS)
    doc = Document()
    doc.add(f'<p class="cs-crumb">{crumb} › {html_text(labels.label(labels.CATEGORIES, playbook.category))}</p>')
    doc.heading(1, title)
    doc.add(md_html(playbook.summary), _card(catalog, here, playbook), _footer(catalog, here, playbook, source))
    _steps(doc, catalog, playbook)
    _checklist(doc, catalog, playbook)
    _escalation(doc, catalog, here, playbook)
    if playbook.notes:
        doc.heading(2, "Notes")
        doc.add(f'<div class="cs-notes">\n{md_html(playbook.notes)}\n</div>')
    _links(doc, catalog, here, playbook)
    front = markup.front_matter(title, tags(catalog, playbook), hide=["navigation"])
    roles = {role_id: role.name for role_id, role in catalog.library.roles.items()}
    return [
        Page(here, markup.join(front, blocks.raw(doc.html())), title, source, headings=doc.headings),
        Page(markup.export_path(playbook.id, "steps.csv"), steps_csv(playbook, roles), "", source, kind="download"),
        Page(markup.export_path(playbook.id, "checklist.md"), checklist_markdown(playbook, roles, source), "", source, kind="download"),
    ]
