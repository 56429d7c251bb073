"""The library plus its cross-references, and links to any object from any page.

Pages are generated from one :class:`Catalog`: it answers "which playbooks run in this
stage / serve this segment / use this metric / belong to this role" once, so every page
agrees, and it builds the escaped, relative link to a role, metric, segment or playbook.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Library, Playbook
from . import blocks, markup
from .escape import html_text, md_text


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

    def __post_init__(self) -> None:
        for playbook in self.playbooks():
            self.by_stage[playbook.stage].append(playbook)
            self.by_category[playbook.category].append(playbook)
            self.by_owner[playbook.owner].append(playbook)
            for segment in playbook.segments:
                self.by_segment[segment].append(playbook)
            for metric in playbook.metrics:
                self.by_metric[metric].append(playbook)

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
    # Escaped Markdown by default; ``html=True`` gives an HTML link for a raw block (.blocks).
    # A reference the validator would refuse (an unknown id) renders as plain text, never as a link.

    @staticmethod
    def _link(name: str, here: str, to: str, anchor: str, html: bool) -> str:
        if html:
            return blocks.a(html_text(name), here, to, anchor)
        return markup.link(md_text(name), here, to, anchor)

    @staticmethod
    def _text(value: str, html: bool) -> str:
        return html_text(value) if html else md_text(value)

    def role_link(self, here: str, role_id: str, *, html: bool = False) -> str:
        if role_id not in self.library.roles:
            return self._text(role_id, html)
        return self._link(self.role_name(role_id), here, markup.ROLES, role_id, html)

    def segment_link(self, here: str, segment_id: str, *, html: bool = False) -> str:
        if not any(t.id == segment_id for t in self.library.segments.tiers):
            return self._text(segment_id, html)
        return self._link(self.segment_label(segment_id), here, markup.segment_path(segment_id), "", html)

    def stage_link(self, here: str, stage_id: str, *, html: bool = False) -> str:
        if not any(s.id == stage_id for s in self.library.stages.journey):
            return self._text(stage_id, html)
        return self._link(self.stage_name(stage_id), here, markup.JOURNEY, stage_id, html)

    def metric_link(self, here: str, metric_id: str, *, html: bool = False) -> str:
        if metric_id not in self.library.metrics:
            return self._text(metric_id, html)
        return self._link(self.metric_name(metric_id), here, markup.metric_path(metric_id), "", html)

    def playbook_link(self, here: str, playbook_id: str, *, html: bool = False) -> str:
        playbook = self.library.playbooks.get(playbook_id)
        if playbook is None:
            return self._text(playbook_id, html)
        return self._link(playbook.title, here, markup.playbook_path(playbook_id), "", html)
