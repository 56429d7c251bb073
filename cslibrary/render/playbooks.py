"""One page per playbook, plus its two export files (steps CSV, Markdown checklist)."""

from __future__ import annotations

from ..model import Playbook
from . import labels, markup
from .catalog import Catalog
from .escape import html_text, md_field, md_inline, md_text, tag_text, title_text
from .exports import checklist_markdown, steps_csv
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


def trigger_text(catalog: Catalog, here: str, playbook: Playbook) -> str:
    """The trigger as one Markdown paragraph: its description, then the rule when it is a metric."""
    trigger = playbook.trigger
    text = md_inline(trigger.description)
    if trigger.type == "metric" and trigger.metric:
        rule = catalog.metric_link(here, trigger.metric)
        if trigger.condition:
            rule += f" {labels.label(labels.CONDITIONS, trigger.condition)}"
        if trigger.threshold is not None:
            rule += f" {labels.number(trigger.threshold)}"
        text += f" *(Rule: {rule}.)*"
    return text


def _card(catalog: Catalog, here: str, playbook: Playbook) -> str:
    trigger_kind = labels.label(labels.TRIGGERS, playbook.trigger.type)
    rows = [
        f"- **Trigger** ({md_text(trigger_kind)}): {trigger_text(catalog, here, playbook)}",
        f"- **Owner:** {catalog.role_link(here, playbook.owner)}",
        f"- **Timeline:** {md_text(playbook.timeline)}",
        f"- **Category:** {md_text(labels.label(labels.CATEGORIES, playbook.category))} · "
        f"**Stage:** {catalog.stage_link(here, playbook.stage)} · "
        f"**Segments:** {', '.join(catalog.segment_link(here, s) for s in playbook.segments)}",
        "- **Exit criteria:**",
        markup.indent(markup.bullets(md_text(c) for c in playbook.exit_criteria)),
    ]
    return markup.admonition("abstract cs-card", "At a glance", "\n".join(rows))


def _steps(catalog: Catalog, playbook: Playbook) -> str:
    """The timeline as raw HTML (escaped): no links in it, and Markdown skips raw HTML blocks."""
    rows = [
        [
            f"<strong>{html_text(labels.offset(playbook.offset_unit, step.at))}</strong>",
            html_text(step.action),
            html_text(catalog.role_name(step.owner)),
            html_text(labels.label(labels.CHANNELS, step.channel)),
            html_text(step.goal or ""),
            "<br>".join(html_text(r) for r in step.resources),
        ]
        for step in playbook.steps
    ]
    table = markup.html_table(["When", "Action", "Owner", "Channel", "Goal", "Resources"], rows, "cs-steps")
    return markup.join("## Steps", TIMING[playbook.offset_unit], table)


def _checklist(catalog: Catalog, playbook: Playbook) -> str:
    """The steps, exit criteria and extra lists as check boxes (raw HTML, like the steps table)."""
    steps = [
        f"<strong>{html_text(labels.offset(playbook.offset_unit, s.at))}</strong>: {html_text(s.action)} "
        f"<em>({html_text(catalog.role_name(s.owner))})</em>"
        for s in playbook.steps
    ]
    blocks = [
        "## Checklist",
        markup.html_tasks(steps),
        "### Exit criteria",
        markup.html_tasks(html_text(c) for c in playbook.exit_criteria),
    ]
    for title, entries in playbook.checklist.items():
        blocks += [f"### {md_text(title)}", markup.html_tasks(html_text(e) for e in entries)]
    return markup.join(*blocks)


def _escalation(catalog: Catalog, here: str, playbook: Playbook) -> str:
    if not playbook.escalation:
        return ""
    rows = [[md_text(e.condition), md_text(e.action), catalog.role_link(here, e.owner)] for e in playbook.escalation]
    return "## Escalation rules\n\n" + markup.table(["When", "Then", "Who"], rows)


def _links(catalog: Catalog, here: str, playbook: Playbook) -> str:
    blocks = []
    if playbook.automation:
        blocks += ["## Automation", markup.bullets(md_text(a) for a in playbook.automation)]
    if playbook.metrics:
        blocks += ["## Metrics", markup.bullets(catalog.metric_link(here, m) for m in playbook.metrics)]
    blocks += ["## Segments", markup.bullets(catalog.segment_link(here, s) for s in playbook.segments)]
    related = [r for r in playbook.related if r != playbook.id]
    triggered_by = [b for b in catalog.library.health.bands if b.playbook == playbook.id]
    if triggered_by:
        bands = ", ".join(markup.link(md_text(b.label), here, markup.HEALTH, "bands") for b in triggered_by)
        blocks.append(f"Started by the health band{'s' if len(triggered_by) > 1 else ''}: {bands}.")
    if related:
        blocks += ["## Related playbooks", markup.bullets(catalog.playbook_link(here, r) for r in related)]
    return markup.section("cs-links", markup.join(*blocks))


def _footer(catalog: Catalog, here: str, playbook: Playbook, source: str) -> str:
    csv_link = markup.link("Steps as CSV", here, markup.export_path(playbook.id, "steps.csv"))
    md_link = markup.link("Checklist as Markdown", here, markup.export_path(playbook.id, "checklist.md"))
    exports = f"**Download:** {csv_link} · {md_link} · Print this page for a one-page checklist."
    edit = catalog.edit_url(source)
    where = f"This page is generated from `{source}`."
    if edit:
        where += f" [Edit this playbook]({edit}) and open a pull request; see {markup.link('how to change a playbook', here, 'guides/change-a-playbook.md')}."
    return markup.section("cs-exports", f"{exports}\n\n{where}")


def playbook_pages(catalog: Catalog, playbook: Playbook) -> list[Page]:
    """The playbook's page and its two exports."""
    here = markup.playbook_path(playbook.id)
    source = catalog.playbook_source(playbook.id)
    title = title_text(playbook.title)
    body = markup.join(
        markup.front_matter(title, tags(catalog, playbook), hide=["navigation"]),
        f"{markup.link('Playbook library', here, markup.PLAYBOOKS)} › {md_text(labels.label(labels.CATEGORIES, playbook.category))}\n{{: .cs-crumb }}",
        f"# {md_text(title)}",
        md_field(playbook.summary),
        _card(catalog, here, playbook),
        _footer(catalog, here, playbook, source),
        _steps(catalog, playbook),
        _checklist(catalog, playbook),
        _escalation(catalog, here, playbook),
        "## Notes\n\n" + markup.section("cs-notes", md_field(playbook.notes)) if playbook.notes else "",
        _links(catalog, here, playbook),
    )
    roles = {role_id: role.name for role_id, role in catalog.library.roles.items()}
    return [
        Page(here, body, title, source),
        Page(markup.export_path(playbook.id, "steps.csv"), steps_csv(playbook, roles), "", source, kind="download"),
        Page(markup.export_path(playbook.id, "checklist.md"), checklist_markdown(playbook, roles, source), "", source, kind="download"),
    ]
