"""The roles page: every role, what it does, and the playbooks and metrics it owns.

Laid out by ``templates/roles.md`` (each role's facts by ``templates/partials/role-facts.html``);
this module computes what they show.
"""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup

from ..model import Role
from . import markup
from .catalog import Catalog, Link
from .escape import md_field
from .page import Page
from .templating import Templates, sanitised

TEMPLATE = "roles.md"


class RoleView(NamedTuple):
    """A role (the YAML's fields under ``role``) with what it owns and leads, as links, and its step count."""

    role: Role
    description: Markup
    playbooks: list[Link]
    metrics: list[Link]
    stages: list[Link]
    steps: int


def roles_page(catalog: Catalog, templates: Templates) -> Page:
    here = markup.ROLES
    step_counts: dict[str, int] = {}
    for playbook in catalog.playbooks():
        for step in playbook.steps:
            step_counts[step.owner] = step_counts.get(step.owner, 0) + 1
    roles = [
        RoleView(
            role,
            sanitised(md_field(role.description)),
            [catalog.playbook_link(here, p.id) for p in catalog.by_owner.get(role.id, [])],
            [catalog.metric_link(here, m.id) for m in catalog.library.metrics.values() if m.owner == role.id],
            [catalog.stage_link(here, s.id) for s in catalog.library.stages.journey if role.id in (s.owner, s.secondary_owner)],
            step_counts.get(role.id, 0),
        )
        for role in catalog.library.roles.values()
    ]
    source = catalog.library.roles_path
    return Page(here, templates.render(TEMPLATE, source, {"roles": roles}), "Roles", source, listed=True)
