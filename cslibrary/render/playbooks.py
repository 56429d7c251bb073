"""One page per playbook, plus its two export files (steps CSV, Markdown checklist)."""

from __future__ import annotations

from ..model import Playbook
from . import blocks, labels, markup
from .catalog import Catalog
from .escape import html_text, md_field, md_text, tag_text, title_text
from .exports import checklist_markdown, steps_csv
from .inline import md_inline_html
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
    return blocks.raw(f'<div class="admonition abstract cs-card">\n{title}\n{blocks.ul(rows)}\n</div>')


def _steps(catalog: Catalog, playbook: Playbook) -> str:
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
    table = blocks.table(["When", "Action", "Owner", "Channel", "Goal", "Resources"], rows, "cs-steps")
    return markup.join("## Steps", blocks.raw(f"<p>{html_text(TIMING[playbook.offset_unit])}</p>", table))


def _checklist(catalog: Catalog, playbook: Playbook) -> str:
    """The steps, exit criteria and extra lists as check boxes."""
    steps = [
        f"<strong>{html_text(labels.offset(playbook.offset_unit, s.at))}</strong>: {html_text(s.action)} "
        f"<em>({html_text(catalog.role_name(s.owner))})</em>"
        for s in playbook.steps
    ]
    parts = [
        "## Checklist",
        blocks.raw(blocks.tasks(steps)),
        "### Exit criteria",
        blocks.raw(blocks.tasks(html_text(c) for c in playbook.exit_criteria)),
    ]
    for title, entries in playbook.checklist.items():
        parts += [f"### {md_text(title)}", blocks.raw(blocks.tasks(html_text(e) for e in entries))]
    return markup.join(*parts)


def _escalation(catalog: Catalog, here: str, playbook: Playbook) -> str:
    if not playbook.escalation:
        return ""
    rows = [[html_text(e.condition), html_text(e.action), catalog.role_link(here, e.owner, html=True)] for e in playbook.escalation]
    return markup.join("## Escalation rules", blocks.raw(blocks.table(["When", "Then", "Who"], rows)))


def _links(catalog: Catalog, here: str, playbook: Playbook) -> str:
    """Automation, metrics, segments and related playbooks (headings stay Markdown, for the contents)."""
    parts = [blocks.raw('<div class="cs-links">')]
    if playbook.automation:
        parts += ["## Automation", blocks.raw(blocks.ul(html_text(a) for a in playbook.automation))]
    if playbook.metrics:
        parts += ["## Metrics", blocks.raw(blocks.ul(catalog.metric_link(here, m, html=True) for m in playbook.metrics))]
    parts += ["## Segments", blocks.raw(blocks.ul(catalog.segment_link(here, s, html=True) for s in playbook.segments))]
    triggered_by = [b for b in catalog.library.health.bands if b.playbook == playbook.id]
    if triggered_by:
        bands = ", ".join(blocks.a(html_text(b.label), here, markup.HEALTH, "bands") for b in triggered_by)
        parts.append(blocks.raw(f"<p>Started by the health band{'s' if len(triggered_by) > 1 else ''}: {bands}.</p>"))
    related = [r for r in playbook.related if r != playbook.id]
    if related:
        parts += ["## Related playbooks", blocks.raw(blocks.ul(catalog.playbook_link(here, r, html=True) for r in related))]
    return markup.join(*parts, blocks.raw("</div>"))


def _footer(catalog: Catalog, here: str, playbook: Playbook, source: str) -> str:
    csv_link = blocks.a("Steps as CSV", here, markup.export_path(playbook.id, "steps.csv"))
    md_link = blocks.a("Checklist as Markdown", here, markup.export_path(playbook.id, "checklist.md"))
    exports = f"<p><strong>Download:</strong> {csv_link} · {md_link} · Print this page for a one-page checklist.</p>"
    edit = catalog.edit_url(source)
    where = f"This page is generated from <code>{html_text(source)}</code>."
    if edit:
        guide = blocks.a("how to change a playbook", here, "guides/change-a-playbook.md")
        where += f' <a href="{html_text(edit)}">Edit this playbook</a> and open a pull request; see {guide}.'
    return blocks.raw(f'<div class="cs-exports">\n{exports}\n<p>{where}</p>\n</div>')


def _notes(playbook: Playbook) -> str:
    if not playbook.notes:
        return ""
    return markup.join("## Notes", blocks.raw('<div class="cs-notes">'), md_field(playbook.notes), blocks.raw("</div>"))


def playbook_pages(catalog: Catalog, playbook: Playbook) -> list[Page]:
    """The playbook's page and its two exports."""
    here = markup.playbook_path(playbook.id)
    source = catalog.playbook_source(playbook.id)
    title = title_text(playbook.title)
    crumb = blocks.a("Playbook library", here, markup.PLAYBOOKS)
    body = markup.join(
        markup.front_matter(title, tags(catalog, playbook), hide=["navigation"]),
        blocks.raw(f'<p class="cs-crumb">{crumb} › {html_text(labels.label(labels.CATEGORIES, playbook.category))}</p>'),
        f"# {md_text(title)}",
        md_field(playbook.summary),
        _card(catalog, here, playbook),
        _footer(catalog, here, playbook, source),
        _steps(catalog, playbook),
        _checklist(catalog, playbook),
        _escalation(catalog, here, playbook),
        _notes(playbook),
        _links(catalog, here, playbook),
    )
    roles = {role_id: role.name for role_id, role in catalog.library.roles.items()}
    return [
        Page(here, body, title, source),
        Page(markup.export_path(playbook.id, "steps.csv"), steps_csv(playbook, roles), "", source, kind="download"),
        Page(markup.export_path(playbook.id, "checklist.md"), checklist_markdown(playbook, roles, source), "", source, kind="download"),
    ]
