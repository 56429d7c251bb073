"""The library plus its cross-references, and links to any object from any page.

Pages are generated from one :class:`Catalog`: it answers "which playbooks run in this
stage / serve this segment / use this metric / belong to this role" once, so every page
agrees, and it builds the relative :class:`Link` to a role, metric, segment or playbook.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from calculators.triage import rule_words

from ..model import Library, Playbook
from . import markup


class Link(NamedTuple):
    """A link as templates print it (``macros/html.html``, ``macros/markdown.md``): plain text, escaped there.

    ``href`` is relative to the page (``../metrics/nrr.md#bands``); None prints ``text`` alone.
    """

    text: str
    href: str | None = None


@dataclass
class Catalog:
    library: Library
    #: The calculators' configuration (plain data built from the same YAML).
    config: Mapping[str, Any]
    #: ``https://host/owner/repo/edit/main/``: prefix of "edit this file" links (None: no links).
    edit_base: str | None = None
    by_stage: dict[str, list[Playbook]] = field(default_factory=lambda: defaultdict(list))
    by_segment: dict[str, list[Playbook]] = field(default_factory=lambda: defaultdict(list))
    by_metric: dict[str, list[Playbook]] = field(default_factory=lambda: defaultdict(list))
    by_owner: dict[str, list[Playbook]] = field(default_factory=lambda: defaultdict(list))
    by_category: dict[str, list[Playbook]] = field(default_factory=lambda: defaultdict(list))
    #: The playbooks of each exclusive group of trigger rules (``health_band`` …), by title.
    by_group: dict[str, list[Playbook]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for playbook in self.playbooks():
            if playbook.trigger.rule is not None and playbook.trigger.rule.group:
                self.by_group[playbook.trigger.rule.group].append(playbook)
            self.by_stage[playbook.stage].append(playbook)
            self.by_category[playbook.category].append(playbook)
            self.by_owner[playbook.owner].append(playbook)
            for segment in playbook.segments:
                self.by_segment[segment].append(playbook)
            for metric in playbook.metrics:
                self.by_metric[metric].append(playbook)

    @cached_property
    def rule_words(self) -> dict[str, str]:
        """The names trigger rules are written with on pages, built once per render."""
        return rule_words(self.config)

    # --- ordered views -------------------------------------------------------------------

    def playbooks(self) -> list[Playbook]:
        """Every playbook, sorted by title."""
        return sorted(self.library.playbooks.values(), key=lambda p: (p.title.lower(), p.id))

    def playbook_source(self, playbook_id: str) -> str:
        return self.library.playbook_paths.get(playbook_id) or f"playbooks/library/{playbook_id}.yml"

    def metric_source(self, metric_id: str) -> str:
        return self.library.metric_paths.get(metric_id) or f"playbooks/metrics/{metric_id}.yml"

    def edit_url(self, source: str) -> str | None:
        return f"{self.edit_base}{source}" if self.edit_base else None

    # --- names ---------------------------------------------------------------------------

    def role_name(self, role_id: str) -> str:
        role = self.library.roles.get(role_id)
        return role.name if role else role_id

    def segment_label(self, segment_id: str) -> str:
        tier = next((t for t in self.library.segments.tiers if t.id == segment_id), None)
        return tier.label if tier else segment_id

    def stage_name(self, stage_id: str) -> str:
        stage = next((s for s in self.library.stages.journey if s.id == stage_id), None)
        return stage.name if stage else stage_id

    def metric_name(self, metric_id: str) -> str:
        metric = self.library.metrics.get(metric_id)
        if metric is None:
            return metric_id
        return f"{metric.name} ({metric.abbreviation})" if metric.abbreviation else metric.name

    # --- links (relative to the page at ``here``) ---------------------------------------
    # A reference the validator would refuse (an unknown id) is a Link without href: templates
    # print it as plain text, never as a link.

    def role_link(self, here: str, role_id: str) -> Link:
        if role_id not in self.library.roles:
            return Link(role_id)
        return Link(self.role_name(role_id), markup.href(here, markup.ROLES, role_id))

    def segment_link(self, here: str, segment_id: str) -> Link:
        if not any(t.id == segment_id for t in self.library.segments.tiers):
            return Link(segment_id)
        return Link(self.segment_label(segment_id), markup.href(here, markup.segment_path(segment_id)))

    def stage_link(self, here: str, stage_id: str) -> Link:
        if not any(s.id == stage_id for s in self.library.stages.journey):
            return Link(stage_id)
        return Link(self.stage_name(stage_id), markup.href(here, markup.JOURNEY, stage_id))

    def metric_link(self, here: str, metric_id: str) -> Link:
        if metric_id not in self.library.metrics:
            return Link(metric_id)
        return Link(self.metric_name(metric_id), markup.href(here, markup.metric_path(metric_id)))

    def playbook_link(self, here: str, playbook_id: str) -> Link:
        playbook = self.library.playbooks.get(playbook_id)
        if playbook is None:
            return Link(playbook_id)
        return Link(playbook.title, markup.href(here, markup.playbook_path(playbook_id)))
