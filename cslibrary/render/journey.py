"""The journey map: pre-sales to advocacy, each stage linked to its playbooks, owners and metrics."""

from __future__ import annotations

from . import blocks, labels, markup
from .catalog import Catalog
from .escape import html_text, md_field, md_text
from .page import Page


def _overview(catalog: Catalog, here: str) -> str:
    rows = []
    for stage in catalog.library.stages.journey:
        plays = catalog.by_stage.get(stage.id, [])
        rows.append(
            [
                markup.link(md_text(stage.name), here, here, stage.id),
                md_text(stage.customer_goal),
                catalog.role_link(here, stage.owner),
                md_text(stage.milestone or ""),
                str(len(plays)),
            ]
        )
    return markup.table(["Stage", "The customer wants to", "Owner", "Milestone", "Playbooks"], rows, "llllr")


def _stage(catalog: Catalog, here: str, index: int) -> str:
    stage = catalog.library.stages.journey[index]
    owners = catalog.role_link(here, stage.owner)
    if stage.secondary_owner:
        owners += f", with {catalog.role_link(here, stage.secondary_owner)}"
    facts = [
        f"- **The customer wants to:** {md_text(stage.customer_goal)}",
        f"- **Our goal:** {md_text(stage.our_goal)}",
        f"- **Owner:** {owners}",
        f"- **Milestone:** {md_text(stage.milestone)}" if stage.milestone else "",
    ]
    plays = sorted(catalog.by_stage.get(stage.id, []), key=lambda p: (list(labels.CATEGORIES).index(p.category), p.title.lower()))
    play_rows = [
        [catalog.playbook_link(here, p.id, html=True), html_text(labels.label(labels.CATEGORIES, p.category)), html_text(p.timeline)]
        for p in plays
    ]
    return markup.join(
        f"## {index + 1}. {md_text(stage.name)} {{ #{stage.id} }}",
        md_field(stage.description) if stage.description else "",
        "\n".join(f for f in facts if f),
        "**Touchpoints:** " + " → ".join(md_text(t) for t in stage.touchpoints) if stage.touchpoints else "",
        blocks.raw("<p><strong>Playbooks:</strong></p>", blocks.table(["Playbook", "Category", "Timeline"], play_rows))
        if play_rows
        else "*No playbook starts in this stage yet.*",
        "**Metrics:** " + ", ".join(catalog.metric_link(here, m) for m in stage.metrics) if stage.metrics else "",
    )


def journey_page(catalog: Catalog) -> Page:
    here = markup.JOURNEY
    stages = catalog.library.stages
    expansion = [[md_text(s.label), f"{labels.number(s.probability)} %", md_text(s.definition)] for s in stages.expansion_stages]
    body = markup.join(
        markup.front_matter("Journey map"),
        "# Journey map",
        "The customer journey from pre-sales to advocacy. Each stage names what the customer is trying to do, what we "
        "are trying to do, who owns it, the playbooks that run in it and the metrics that show how it is going.",
        _overview(catalog, here),
        *(_stage(catalog, here, i) for i in range(len(stages.journey))),
        "## Expansion pipeline stages { #expansion-stages }\n\nEach open expansion opportunity sits in one stage; the "
        "probability weights it in the expansion forecast.\n\n" + markup.table(["Stage", "Probability", "Definition"], expansion, "lrl")
        if expansion
        else "",
        "<!-- calculator: expansion_forecast -->" if expansion else "",
    )
    return Page(here, body, "Journey map", catalog.library.stages_path, listed=True)
