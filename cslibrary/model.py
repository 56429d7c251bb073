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

Cross-file rules (references, ranges, sums) live in :mod:`cslibrary.checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr

SNAKE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
KEBAB = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
TAG = r"^[a-z0-9]+([-_][a-z0-9]+)*$"
SLUG = r"^[a-z][a-z0-9]*([-_][a-z0-9]+)*$"
TITLE_MAX = 120
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _pattern(regex: str, what: str) -> Any:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.match(value):
            raise ValueError(f"{value!r} is not a valid id: use {what}")
        return value

    return AfterValidator(check)


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _title(value: str) -> str:
    _text(value)
    if _CONTROL.search(value):
        raise ValueError("must be a single line of text (no line breaks or control characters)")
    if "<" in value or ">" in value:
        raise ValueError(f"{value!r} contains '<' or '>': titles, names and labels are plain text and may not hold HTML")
    if _ENTITY.search(value):
        raise ValueError(f"{value!r} contains an HTML entity reference: write the character itself")
    if len(value) > TITLE_MAX:
        raise ValueError(f"is {len(value)} characters long; keep it to {TITLE_MAX}")
    return value


SnakeId = Annotated[
    str,
    _pattern(SNAKE, "snake_case (lower-case letters, digits and _, starting with a letter)"),
    Field(json_schema_extra={"pattern": SNAKE}),
]
KebabId = Annotated[
    str,
    _pattern(KEBAB, "kebab-case (lower-case letters, digits and -, starting with a letter)"),
    Field(json_schema_extra={"pattern": KEBAB}),
]
Slug = Annotated[str, _pattern(SLUG, "lower-case letters and digits joined by - or _"), Field(json_schema_extra={"pattern": SLUG})]
Tag = Annotated[str, _pattern(TAG, "lower-case letters and digits joined by - or _"), Field(json_schema_extra={"pattern": TAG})]
Text = Annotated[str, AfterValidator(_text), Field(min_length=1)]
#: A reference to an id defined elsewhere; :mod:`cslibrary.checks` reports one that names nothing.
Ref = Annotated[str, AfterValidator(_text), Field(min_length=1)]
Title = Annotated[str, AfterValidator(_title), Field(min_length=1, max_length=TITLE_MAX, json_schema_extra={"pattern": r"^[^<>\n]+$"})]
Number = Annotated[int | float, Field(allow_inf_nan=False)]
Percent = Annotated[int | float, Field(ge=0, le=100, allow_inf_nan=False)]
Channel = Literal[
    "email", "call", "video", "in_app", "internal", "meeting", "cs_platform", "slack", "community", "webinar", "document", "other"
]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=False)


class Document(Strict):
    """A model read from one YAML file; ``source`` is that file, relative to the repo root."""

    _source: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        return self._source


# --- health-model.yml -------------------------------------------------------------------


class SubScore(Strict):
    id: SnakeId
    label: Title
    weight: Number = Field(gt=0)


class Component(Strict):
    id: SnakeId
    label: Title
    inputs: Text | None = None
    description: Text | None = None
    sub_scores: list[SubScore] = []


class HealthBand(Strict):
    """A health band: ``min`` included, ``max`` excluded (the top band includes 100)."""

    id: SnakeId
    label: Title
    min: Percent
    max: Percent
    action: Text
    play: Text
    playbook: Ref
    probability: Percent
    risk: bool = False
    rationale: Text | None = None
    description: Text | None = None


class MissingData(Strict):
    policy: Literal["renormalise", "zero", "reject"]
    min_coverage: Percent


class ScoreRow(Strict):
    min: Number | None = None
    max: Number | None = None
    score: Percent


class SubScoreTable(Strict):
    id: SnakeId
    label: Title
    unit: Text | None = None
    description: Text | None = None
    rows: list[ScoreRow] = Field(min_length=1)


class HealthModel(Document):
    components: list[Component] = Field(min_length=1)
    weights: dict[Ref, dict[Ref, Number]] = Field(min_length=1)
    bands: list[HealthBand] = Field(min_length=1)
    missing_data: MissingData
    sub_score_tables: list[SubScoreTable] = []


# --- segments.yml -----------------------------------------------------------------------


class Range(Strict):
    min: Number | None = None
    max: Number | None = None


class Ratio(Strict):
    """Accounts per CSM: the usual range and the ``planning`` figure the calculators use."""

    min: Number | None = Field(default=None, gt=0)
    max: Number | None = Field(default=None, gt=0)
    planning: Number = Field(gt=0)


class Tier(Strict):
    """A coverage tier: ARR from ``arr_min`` (included) to ``arr_max`` (excluded; none = no limit)."""

    id: SnakeId
    label: Title
    description: Text
    arr_min: Number = Field(ge=0)
    arr_max: Number | None = None
    ratio: Ratio
    cost_to_serve: Range
    touch_frequency: Text
    complexity: Text
    strategic_value: Text
    stakeholders: Text
    coverage: Text
    success_plan: Text
    reviews: Text
    playbook_elements: list[Text] = []
    playbooks: list[Ref] = []


class RatioRow(Strict):
    id: SnakeId
    label: Title
    tier: Ref
    arr_min: Number = Field(ge=0)
    arr_max: Number | None = None
    ratio: Ratio
    touch_model: Text
    description: Text | None = None


class ScoringTier(Strict):
    tier: Ref
    min: Percent


class Scoring(Strict):
    description: Text | None = None
    weights: dict[SnakeId, Number] = Field(min_length=1)
    arr_scores: dict[Ref, Percent] = Field(min_length=1)
    tiers: list[ScoringTier] = Field(min_length=1)


class Transition(Strict):
    from_: Ref = Field(alias="from")
    to: Ref
    trigger: Text
    arr_crosses: Number | None = None
    direction: Literal["up", "down"] | None = None
    action: Text


class OrgSegment(Strict):
    segment: Ref
    accounts: int = Field(ge=0)
    arr: Number = Field(ge=0)


class ExampleOrganisation(Strict):
    description: Text
    csm_cost: Number = Field(gt=0)
    segments: list[OrgSegment] = Field(min_length=1)


class SegmentsFile(Document):
    tiers: list[Tier] = Field(min_length=1)
    ratio_table: list[RatioRow] = []
    scoring: Scoring
    transitions: list[Transition] = []
    example_organisation: ExampleOrganisation


# --- roles.yml --------------------------------------------------------------------------


class Role(Strict):
    id: SnakeId
    name: Title
    description: Text


class Roles(Document):
    roles: list[Role] = Field(min_length=1)


# --- stages.yml -------------------------------------------------------------------------


class ExpansionStage(Strict):
    id: SnakeId
    label: Title
    probability: Percent
    definition: Text


class JourneyStage(Strict):
    id: SnakeId
    name: Title
    description: Text | None = None
    customer_goal: Text
    our_goal: Text
    touchpoints: list[Text] = []
    owner: Ref
    secondary_owner: Ref | None = None
    milestone: Text | None = None
    metrics: list[Ref] = []


class Item(Strict):
    """A named element of the operating model (a bowtie phase, an impact loop, an action)."""

    id: Slug
    name: Title
    description: Text


class Moment(Strict):
    """A moment that matters: when it happens (a journey stage), why it matters, how to win it."""

    moment: Title
    stage: Ref
    why: Text
    how_to_win: Text


class MaturityLevel(Strict):
    stage: Title
    characteristics: Text
    focus: Text


class ValuePhase(Strict):
    phase: Title
    definition: Text
    deliverable: Text


class OperatingModel(Strict):
    description: Text | None = None
    goals: list[Item] = []
    steps: list[Item] = []
    bowtie: list[Item] = []
    impact_loops: list[Item] = []
    adoption_actions: list[Item] = []
    moments_that_matter: list[Moment] = []
    maturity: list[MaturityLevel] = []
    value_realization: list[ValuePhase] = []


class Stages(Document):
    expansion_stages: list[ExpansionStage] = []
    journey: list[JourneyStage] = []
    operating_model: OperatingModel | None = None


# --- metrics/<id>.yml -------------------------------------------------------------------


class MetricBand(Strict):
    """An assessment band: ``min`` included and ``max`` excluded unless the flags say otherwise."""

    id: SnakeId
    label: Title
    min: Number | None = None
    max: Number | None = None
    min_inclusive: bool = True
    max_inclusive: bool = False
    meaning: Text


class RatioLabels(Strict):
    numerator: Text
    denominator: Text


class Example(Strict):
    calculator: Ref
    inputs: dict[str, Any]
    show: list[Text] = Field(min_length=1)


class Metric(Document):
    id: SnakeId
    name: Title
    abbreviation: Title | None = None
    category: Literal["business_outcome", "leading_indicator", "activity", "operations"]
    definition: Text
    formula: Text
    ratio: RatioLabels | None = None
    unit: Literal["percent", "score", "days", "count", "currency", "ratio"]
    direction: Literal["higher_is_better", "lower_is_better"]
    owner: Ref
    cadence: Text
    target: Number | None = None
    notes: Text | None = None
    bands: list[MetricBand] = Field(min_length=1)
    example: Example | None = None
    related: list[Ref] = []


# --- library/<id>.yml -------------------------------------------------------------------


class Trigger(Strict):
    """An objective trigger: a metric threshold, an event, a schedule or a date."""

    type: Literal["metric", "event", "schedule", "date"]
    metric: Ref | None = None
    condition: Literal["below", "above", "drops_by", "rises_by"] | None = None
    threshold: Number | None = None
    description: Text


class Step(Strict):
    """One step; ``at`` is the offset in the playbook's ``offset_unit`` (T-120 is ``-120``)."""

    at: int
    action: Text
    owner: Ref
    channel: Channel
    goal: Text | None = None
    resources: list[Text] = []


class Escalation(Strict):
    condition: Text
    action: Text
    owner: Ref


class Playbook(Document):
    id: KebabId
    title: Title
    summary: Text
    category: Literal["lifecycle", "intervention", "operational", "campaign", "success_play"]
    stage: Ref
    segments: list[Ref] = Field(min_length=1)
    trigger: Trigger
    owner: Ref
    timeline: Text
    offset_unit: Literal["day", "week", "t_minus_day"] = "day"
    steps: list[Step] = Field(min_length=1)
    exit_criteria: list[Text] = Field(min_length=1)
    metrics: list[Ref] = []
    automation: list[Text] = []
    escalation: list[Escalation] = []
    related: list[Ref] = []
    tags: list[Tag] = []
    checklist: dict[Title, list[Text]] = {}
    notes: Text | None = None


#: The model of each top-level file, by its path under ``playbooks/``; folders map their files.
FILE_MODELS: dict[str, type[Document]] = {
    "health-model.yml": HealthModel,
    "segments.yml": SegmentsFile,
    "roles.yml": Roles,
    "stages.yml": Stages,
    "metrics": Metric,
    "library": Playbook,
}


@dataclass
class Positions:
    """Where each value and key of one YAML file starts, by key path (``("steps", 2, "owner")``).

    Lines and columns count from 1. ``flow`` holds the paths of ``{…}`` mappings, where a
    comma inside unquoted text silently starts a new key.
    """

    values: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    flow: set[tuple[Any, ...]] = field(default_factory=set)

    def at(self, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
        """The position of ``path`` (its key with ``key=True``), or of its nearest ancestor."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


@dataclass
class Library:
    """The whole validated library. Paths are relative to the repository root."""

    health: HealthModel
    segments: SegmentsFile
    roles: dict[str, Role]
    stages: Stages
    metrics: dict[str, Metric]
    playbooks: dict[str, Playbook]
    health_path: str = "playbooks/health-model.yml"
    segments_path: str = "playbooks/segments.yml"
    roles_path: str = "playbooks/roles.yml"
    stages_path: str = "playbooks/stages.yml"
    metric_paths: dict[str, str] = field(default_factory=dict)
    playbook_paths: dict[str, str] = field(default_factory=dict)
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
        }
