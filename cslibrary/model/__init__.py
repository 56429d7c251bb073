"""The typed model of the YAML library (pydantic 2).

Conventions (see ``playbooks/README.md``):

* Every model forbids unknown keys and is strict: a text field refuses a number or a
  boolean (``timeline: 30`` is an error, write ``timeline: 30 days``), a number field
  refuses text and booleans, a list field refuses a single value.
* Ids: ``snake_case`` for components, segments, roles, metrics and every band or row;
  ``kebab-case`` for playbooks. Tags are lower-case words joined by ``-`` or ``_``. A field
  that *refers* to an id (``owner``, ``stage``, ``metrics``…) is a :data:`Ref`: any text here,
  and the cross-checks report one that names nothing, listing the ids it could be.
* Titles, names and labels are one line of plain text without ``<``, ``>`` or HTML entity
  references (MkDocs copies a page's H1 into ``<title>`` unescaped).
* Optional keys left out stay unset: ``model_dump(exclude_unset=True, by_alias=True)``
  gives back exactly what the YAML said, which is what the calculators' config is made of.

The models live in one module per file kind (:mod:`cslibrary.model.health`,
:mod:`~cslibrary.model.segments`, :mod:`~cslibrary.model.stages` for roles and stages,
:mod:`~cslibrary.model.metric`, :mod:`~cslibrary.model.playbook` with the trigger rules of
:mod:`~cslibrary.model.rule`, :mod:`~cslibrary.model.events` for the events and account dates
those rules name, :mod:`~cslibrary.model.framework` for the frameworks of reference content),
on the shared field types of :mod:`cslibrary.model.base`; this module gathers them, so import
every name from here.

Cross-file rules (references, ranges, sums) live in :mod:`cslibrary.model.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import (
    KEBAB,
    SLUG,
    SNAKE,
    TAG,
    TITLE_MAX,
    Channel,
    Document,
    KebabId,
    Number,
    Percent,
    Ref,
    Slug,
    SnakeId,
    Strict,
    Tag,
    Text,
    Title,
)
from .events import AccountDate, Event, EventAttribute, EventsFile
from .framework import Framework, FrameworkLevel, FrameworkSection, FrameworkStep, FrameworkTable, Links
from .health import Component, HealthBand, HealthModel, MissingData, ScoreRow, SubScore, SubScoreTable
from .leadership import Compensation, RelationshipScale, TechStack
from .metric import Example, Metric, MetricBand, RatioLabels
from .playbook import Escalation, Playbook, Step, Trigger
from .rule import (
    AllCondition,
    AnyCondition,
    ArrCondition,
    Bounds,
    ChangeCondition,
    Condition,
    DateCondition,
    EventCondition,
    MetricCondition,
    Rule,
    ScheduleCondition,
    StageCondition,
)
from .segments import ExampleOrganisation, OrgSegment, Range, Ratio, RatioRow, Scoring, ScoringTier, SegmentsFile, Tier, Transition
from .source import Source
from .stages import ExpansionStage, Item, JourneyStage, MaturityLevel, Moment, OperatingModel, Role, Roles, Stages, ValuePhase
from .yaml_reader import Positions

__all__ = [
    "FILE_MODELS",
    "KEBAB",
    "SLUG",
    "SNAKE",
    "TAG",
    "TITLE_MAX",
    "AccountDate",
    "AllCondition",
    "AnyCondition",
    "ArrCondition",
    "Bounds",
    "ChangeCondition",
    "Channel",
    "Compensation",
    "Component",
    "Condition",
    "DateCondition",
    "Document",
    "Escalation",
    "Event",
    "EventAttribute",
    "EventCondition",
    "EventsFile",
    "Example",
    "ExampleOrganisation",
    "ExpansionStage",
    "Framework",
    "FrameworkLevel",
    "FrameworkSection",
    "FrameworkStep",
    "FrameworkTable",
    "HealthBand",
    "HealthModel",
    "Item",
    "JourneyStage",
    "KebabId",
    "Library",
    "Links",
    "MaturityLevel",
    "Metric",
    "MetricBand",
    "MetricCondition",
    "MissingData",
    "Moment",
    "Number",
    "OperatingModel",
    "OrgSegment",
    "Percent",
    "Playbook",
    "Positions",
    "Range",
    "Ratio",
    "RatioLabels",
    "RatioRow",
    "Ref",
    "RelationshipScale",
    "Role",
    "Roles",
    "Rule",
    "ScheduleCondition",
    "ScoreRow",
    "Scoring",
    "ScoringTier",
    "SegmentsFile",
    "Slug",
    "SnakeId",
    "Source",
    "StageCondition",
    "Stages",
    "Step",
    "Strict",
    "SubScore",
    "SubScoreTable",
    "Tag",
    "TechStack",
    "Text",
    "Tier",
    "Title",
    "Transition",
    "Trigger",
    "ValuePhase",
]

#: The model of each top-level file, by its path under ``playbooks/``; folders map their files.
FILE_MODELS: dict[str, type[Document]] = {
    "health-model.yml": HealthModel,
    "segments.yml": SegmentsFile,
    "roles.yml": Roles,
    "stages.yml": Stages,
    "events.yml": EventsFile,
    "relationship-strength.yml": RelationshipScale,
    "compensation.yml": Compensation,
    "tech-stack.yml": TechStack,
    "metrics": Metric,
    "library": Playbook,
    "frameworks": Framework,
}


@dataclass
class Library:
    """The whole validated library. Paths are relative to the repository root."""

    health: HealthModel
    segments: SegmentsFile
    roles: dict[str, Role]
    stages: Stages
    metrics: dict[str, Metric]
    playbooks: dict[str, Playbook]
    #: The events and account dates of ``events.yml`` (empty when the file is missing or broken).
    events: EventsFile = field(default_factory=lambda: EventsFile.model_construct(events=[], dates=[]))
    health_path: str = "playbooks/health-model.yml"
    segments_path: str = "playbooks/segments.yml"
    roles_path: str = "playbooks/roles.yml"
    stages_path: str = "playbooks/stages.yml"
    #: The leadership calculators' files (placeholders without content when missing or broken).
    relationship: RelationshipScale = field(default_factory=lambda: RelationshipScale.model_construct(levels=[], gates=[], example={}))
    compensation: Compensation = field(default_factory=lambda: Compensation.model_construct())
    tech_stack: TechStack = field(default_factory=lambda: TechStack.model_construct())
    events_path: str = "playbooks/events.yml"
    relationship_path: str = "playbooks/relationship-strength.yml"
    compensation_path: str = "playbooks/compensation.yml"
    tech_stack_path: str = "playbooks/tech-stack.yml"
    metric_paths: dict[str, str] = field(default_factory=dict)
    playbook_paths: dict[str, str] = field(default_factory=dict)
    #: The frameworks of ``frameworks/<id>.yml`` (structured reference content), by id.
    frameworks: dict[str, Framework] = field(default_factory=dict)
    framework_paths: dict[str, str] = field(default_factory=dict)
    #: The positions of every file by its path, used to point at a field in a message.
    positions: dict[str, Positions] = field(default_factory=dict, repr=False)

    def counts(self) -> dict[str, int]:
        """How many of each kind of object the library holds (for the validate summary)."""
        return {
            "playbooks": len(self.playbooks),
            "metrics": len(self.metrics),
            "roles": len(self.roles),
            "segments": len(self.segments.tiers),
            "journey stages": len(self.stages.journey),
            "health bands": len(self.health.bands),
            "events": len(self.events.events),
            "trigger rules": sum(1 for p in self.playbooks.values() if p.trigger.rule is not None),
            "frameworks": len(self.frameworks),
        }
