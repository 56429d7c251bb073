"""The roles page: every role, what it does, and the playbooks and metrics it owns."""

from __future__ import annotations

from . import blocks, markup
from .catalog import Catalog
from .escape import md_field, md_text
from .page import Page


def roles_page(catalog: Catalog) -> Page:
    here = markup.ROLES
    parts = [
        markup.front_matter("Roles"),
        "# Roles",
        "Every owner a playbook, a step, an escalation, a journey stage or a metric can name.",
    ]
    step_counts: dict[str, int] = {}
    for playbook in catalog.playbooks():
        for step in playbook.steps:
            step_counts[step.owner] = step_counts.get(step.owner, 0) + 1
    for role in catalog.library.roles.values():
        owned = catalog.by_owner.get(role.id, [])
        metrics = [m for m in catalog.library.metrics.values() if m.owner == role.id]
        stages = [s for s in catalog.library.stages.journey if role.id in (s.owner, s.secondary_owner)]
        facts = []
        if owned:
            facts.append("Owns the playbooks: " + ", ".join(catalog.playbook_link(here, p.id, html=True) for p in owned) + ".")
        if metrics:
            facts.append("Owns the metrics: " + ", ".join(catalog.metric_link(here, m.id, html=True) for m in metrics) + ".")
        if stages:
            facts.append(
                "Leads or supports the journey stages: " + ", ".join(catalog.stage_link(here, s.id, html=True) for s in stages) + "."
            )
        if step_counts.get(role.id):
            facts.append(f"Runs {step_counts[role.id]} playbook steps.")
        parts += [
            f"## {md_text(role.name)} {{ #{role.id} }}",
            md_field(role.description),
            blocks.raw(f"<p>{' '.join(facts)}</p>") if facts else "",
        ]
    return Page(here, markup.join(*parts), "Roles", catalog.library.roles_path, listed=True)
