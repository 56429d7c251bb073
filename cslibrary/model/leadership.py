"""The models of the three files the leadership calculators read (``calculators/leadership.py``).

* ``playbooks/relationship-strength.yml`` (:class:`RelationshipScale`) — the 1–5 levels with
  their definitions and indicators, the four criteria (``contact``, ``sentiment``, ``access``,
  ``expansion``: the calculator's inputs) whose answers each allow a level, the playbooks that
  gate on the score, and the page's example.
* ``playbooks/compensation.yml`` (:class:`Compensation`) — the renewal incentive: the weight of
  each metric of a CSM's book (adding up to 100), the attainment cap and the example.
* ``playbooks/tech-stack.yml`` (:class:`TechStack`) — the CS tech budget's categories (each
  share's range and planning figure; the planning figures add up to 100), when a CS platform
  is due, and the example.

Each rule that involves more than one field is checked here, with a message naming the field
to change; references to playbooks, roles and metrics are checked with the library
(:mod:`cslibrary.model.checks.leadership`).
"""

# ruff: noqa: RUF012  (pydantic copies each default; ruff cannot tell Strict is a BaseModel from here)

from __future__ import annotations

from pydantic import Field, model_validator

from .base import Document, Number, Percent, Ref, SnakeId, Strict, Text, Title
from .source import Source

#: The criteria of the relationship scale: the relationship_strength calculator's inputs.
CRITERIA = ("contact", "sentiment", "access", "expansion")
#: How far a sum of percentages may be from 100 (floating-point addition).
EPS = 1e-9


def _once_each(field: str, ids: list[str]) -> None:
    """Refuses a list whose items share an id, naming the first such id."""
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"{field}: the id {twice[0]!r} is used twice")


def _hundred(what: str, total: float) -> None:
    """Refuses percentages that do not add up to 100."""
    if abs(total - 100) > EPS:
        raise ValueError(f"{what} add up to {total:g}, not 100")


# --- relationship-strength.yml ----------------------------------------------------------


class StrengthLevel(Strict):
    """One level of the scale: its score (1 is the weakest), name, definition and indicators."""

    score: int = Field(ge=1, le=10)
    id: SnakeId
    label: Title
    definition: Text
    indicators: list[Title] = Field(min_length=1)


class Answer(Strict):
    """One answer to a criterion; ``allows`` is the highest score it is compatible with."""

    id: SnakeId
    label: Title
    allows: int = Field(ge=1, le=10, description="The highest score this answer allows (a level's score).")


class Criterion(Strict):
    label: Title
    question: Title
    answers: list[Answer] = Field(min_length=2, description="From the strongest answer to the weakest.")

    @model_validator(mode="after")
    def _strongest_first(self) -> Criterion:
        _once_each("answers", [a.id for a in self.answers])
        allows = [a.allows for a in self.answers]
        if allows != sorted(allows, reverse=True):
            raise ValueError(f"answers must run from the strongest to the weakest (allows {allows})")
        return self


class Criteria(Strict):
    """The four criteria; each is one input of the calculator."""

    contact: Criterion
    sentiment: Criterion
    access: Criterion
    expansion: Criterion


class Gate(Strict):
    """A playbook that gates on the score: it fits when the score lies from ``min`` to ``max`` (both included)."""

    playbook: Ref
    min: int | None = Field(default=None, ge=1)
    max: int | None = Field(default=None, ge=1)
    text: Title
    note: Text | None = Field(default=None, description="Where the gate is the library's choice rather than the source's, and why.")

    @model_validator(mode="after")
    def _bounded(self) -> Gate:
        if self.min is None and self.max is None:
            raise ValueError("a gate needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class RelationshipScale(Document):
    """``playbooks/relationship-strength.yml``."""

    sources: list[Source] = Field(min_length=1, description="The seed sections the scale comes from.")
    levels: list[StrengthLevel] = Field(min_length=2, description="From the strongest level to the weakest.")
    criteria: Criteria
    gates: list[Gate] = []
    example: dict[str, SnakeId] = Field(description="The page's worked example: an answer id for each criterion.")

    @model_validator(mode="after")
    def _consistent(self) -> RelationshipScale:
        scores = [level.score for level in self.levels]
        if scores != list(range(len(scores), 0, -1)):
            raise ValueError(f"levels must score {len(scores)} down to 1, each once, strongest first (got {scores})")
        top = len(scores)
        for name in CRITERIA:
            criterion: Criterion = getattr(self.criteria, name)
            for answer in criterion.answers:
                if answer.allows > top:
                    raise ValueError(f"criteria.{name}: answer {answer.id!r} allows {answer.allows}, above the top score {top}")
            if criterion.answers[0].allows != top:
                raise ValueError(f"criteria.{name}: its strongest answer must allow the top score {top}, or no one could score {top}")
        for gate in self.gates:
            for bound in (gate.min, gate.max):
                if bound is not None and bound > top:
                    raise ValueError(f"gates: {gate.playbook!r} names score {bound}, above the top score {top}")
        missing = [name for name in CRITERIA if name not in self.example]
        if missing:
            raise ValueError(f"example: needs an answer for {', '.join(missing)}")
        for name, chosen in self.example.items():
            if name not in CRITERIA:
                raise ValueError(f"example: {name!r} is not a criterion (criteria: {', '.join(CRITERIA)})")
            known = [a.id for a in getattr(self.criteria, name).answers]
            if chosen not in known:
                raise ValueError(f"example.{name}: {chosen!r} is not one of its answers ({', '.join(known)})")
        return self


# --- compensation.yml -------------------------------------------------------------------


class IncentiveWeight(Strict):
    id: SnakeId
    label: Title
    weight: Number = Field(gt=0, le=100, description="Percent of the target variable pay.")
    metric: Ref | None = Field(default=None, description="The library's metric this weight pays on, when it has one.")


class IncentiveExample(Strict):
    target_variable: Number = Field(gt=0)
    attainment: dict[SnakeId, Number]


class RenewalIncentive(Strict):
    source: Source
    role: Ref = Field(description="The role paid on this plan (a role id).")
    weights: list[IncentiveWeight] = Field(min_length=1)
    cap: Number = Field(gt=0, le=300, description="Attainment counts up to this percent; 100 means no accelerator.")
    note: Text | None = None

    @model_validator(mode="after")
    def _adds_up(self) -> RenewalIncentive:
        _once_each("weights", [w.id for w in self.weights])
        _hundred("weights", sum(w.weight for w in self.weights))
        return self


class Compensation(Document):
    """``playbooks/compensation.yml``."""

    renewal_incentive: RenewalIncentive
    example: IncentiveExample

    @model_validator(mode="after")
    def _example_names_the_weights(self) -> Compensation:
        ids = [w.id for w in self.renewal_incentive.weights]
        given = self.example.attainment
        unknown = [k for k in given if k not in ids]
        missing = [k for k in ids if k not in given]
        if unknown or missing:
            raise ValueError(f"example.attainment must give one value per weight ({', '.join(ids)})")
        if any(v < 0 or v > 300 for v in given.values()):
            raise ValueError("example.attainment: each value must be from 0 to 300")
        return self


# --- tech-stack.yml ---------------------------------------------------------------------


class Share(Strict):
    """A share of the budget: the source's range and the figure the calculator plans with."""

    min: Percent
    max: Percent
    planning: Percent


class BudgetCategory(Strict):
    id: SnakeId
    label: Title
    share: Share

    @model_validator(mode="after")
    def _inside(self) -> BudgetCategory:
        if self.share.min > self.share.max:
            raise ValueError(f"share: min {self.share.min:g} is above max {self.share.max:g}")
        if not self.share.min <= self.share.planning <= self.share.max:
            raise ValueError(f"share: planning {self.share.planning:g} lies outside {self.share.min:g}–{self.share.max:g}")
        return self


class Budget(Strict):
    source: Source
    categories: list[BudgetCategory] = Field(min_length=1)
    note: Text | None = None

    @model_validator(mode="after")
    def _adds_up(self) -> Budget:
        _once_each("categories", [c.id for c in self.categories])
        _hundred("the planning shares", sum(c.share.planning for c in self.categories))
        return self


class PlatformDue(Strict):
    """When a CS platform is due: at about ``customers`` customers or ``csms`` CSMs."""

    source: Source
    customers: int = Field(ge=1)
    csms: int = Field(ge=1)


class BudgetExample(Strict):
    seats: int = Field(ge=1, le=10_000)
    per_seat_cost: Number = Field(gt=0)
    customers: int | None = Field(default=None, ge=0)


class TechStack(Document):
    """``playbooks/tech-stack.yml``."""

    budget: Budget
    platform_due: PlatformDue
    example: BudgetExample
