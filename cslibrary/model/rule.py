"""The model of a playbook's ``trigger.rule``: when the play runs, as conditions over an account's signals.

The rule language is :mod:`calculators.rules`'s (its docstring is the reference; the triage
calculator evaluates it). A rule is ``when`` (one condition), a ``priority`` from 1 (first)
to 9, an optional exclusive ``group``, the ``segments`` it runs for (by default the
playbook's), the playbooks it ``suppresses`` when it runs and those it deliberately
``runs_with`` when both fire on the same signal (a declaration for the overlap check of
:mod:`cslibrary.model.checks`; the triage calculator ignores it). A condition is a mapping whose
keys say its kind, and it is exactly one kind:

=================  ==========================================================================
kind               keys
=================  ==========================================================================
all / any          ``all: [conditions]`` / ``any: [conditions]``
metric             ``metric: ID`` and one or more of ``below``, ``at_least``, ``above``, ``at_most``
change             ``change: ID`` and ``drops_by`` and/or ``rises_by`` (percent)
event              ``event: ID``, ``within_days: n``, optional ``where: {ATTR: {bounds}}``
date               ``date: NAME`` and ``days_before: n`` or ``days_after: n``
schedule           ``every_days: n`` or ``every_months: n``, optional ``since: NAME``
stage              ``stage: [journey stage ids]``
arr                ``arr: {bounds}``
=================  ==========================================================================

Unknown keys are refused, so ``belo: 40`` is reported at its own line. Which ids a rule may
name (metrics, events, dates, stages, segments, playbooks) is checked across files by
:mod:`cslibrary.model.checks`.

Each kind is its own model; a condition is their union, chosen by the kind key before
validation (the union's tags are written ``[kind]`` so that the loader can tell them from the
keys of the file when it turns an error's location into a field path).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Union

from pydantic import BaseModel, BeforeValidator, Discriminator, Field, Tag, model_validator

from .base import Number, Ref, SnakeId, Strict

__all__ = [
    "BOUND_KEYS",
    "KIND_KEYS",
    "AllCondition",
    "AnyCondition",
    "ArrCondition",
    "Bounds",
    "ChangeCondition",
    "Condition",
    "DateCondition",
    "EventCondition",
    "MetricCondition",
    "Rule",
    "ScheduleCondition",
    "StageCondition",
    "walk",
]

#: The bound keys, lower bounds first; ``below`` and ``above`` exclude their value.
BOUND_KEYS = ("at_least", "above", "below", "at_most")
#: The key that names each kind of condition.
KIND_KEYS = {
    "all": "all",
    "any": "any",
    "metric": "metric",
    "change": "change",
    "event": "event",
    "date": "date",
    "every_days": "schedule",
    "every_months": "schedule",
    "stage": "stage",
    "arr": "arr",
}
_WORDS = {"at_least": "at least", "above": "above", "below": "below", "at_most": "at most"}


def _check_bounds(obj: BaseModel) -> None:
    """At least one bound, and some value satisfies them all."""
    given = {k: getattr(obj, k) for k in BOUND_KEYS if getattr(obj, k) is not None}
    if not given:
        raise ValueError("needs at least one bound: at_least, above, below or at_most")
    lows = [(v, k) for k, v in given.items() if k in ("at_least", "above")]
    highs = [(v, k) for k, v in given.items() if k in ("below", "at_most")]
    if lows and highs:
        low, low_key = max(lows, key=lambda x: (x[0], x[1] == "above"))
        high, high_key = min(highs, key=lambda x: (x[0], x[1] == "at_most"))
        if low > high or (low == high and (low_key == "above" or high_key == "below")):
            raise ValueError(f"no value is both {_WORDS[low_key]} {low:g} and {_WORDS[high_key]} {high:g}")


class Bounds(Strict):
    """Bounds on a number: ``below`` and ``above`` exclude their value, ``at_least`` and ``at_most`` include it."""

    model_config = Strict.model_config | {"json_schema_extra": {"minProperties": 1}}

    at_least: Number | None = None
    above: Number | None = None
    below: Number | None = None
    at_most: Number | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Bounds:
        _check_bounds(self)
        return self


class MetricCondition(Strict):
    """The metric's current value is inside every bound given (``health_score`` is the account's health score)."""

    model_config = Strict.model_config | {"json_schema_extra": {"minProperties": 2}}

    metric: Ref = Field(description="A metric id (playbooks/metrics/) or health_score.")
    at_least: Number | None = None
    above: Number | None = None
    below: Number | None = None
    at_most: Number | None = None

    @model_validator(mode="after")
    def _bounds(self) -> MetricCondition:
        _check_bounds(self)
        return self


class ChangeCondition(Strict):
    """The metric's percent change over its window fell (``drops_by``) or rose (``rises_by``) by this much or more."""

    model_config = Strict.model_config | {"json_schema_extra": {"minProperties": 2}}

    change: Ref = Field(description="A metric id (playbooks/metrics/).")
    drops_by: Number | None = Field(default=None, gt=0, description="A fall of this many percent or more.")
    rises_by: Number | None = Field(default=None, gt=0, description="A rise of this many percent or more.")

    @model_validator(mode="after")
    def _amount(self) -> ChangeCondition:
        if self.drops_by is None and self.rises_by is None:
            raise ValueError("needs drops_by or rises_by (a percent change)")
        return self


class EventCondition(Strict):
    """The event happened in the last ``within_days`` days (today included) with its attributes inside ``where``; a run of the playbook since handles it."""

    event: Ref = Field(description="An event id of playbooks/events.yml.")
    within_days: int = Field(ge=0, description="How many days back an event still counts (0: today only).")
    where: dict[Ref, Bounds] = Field(default={}, description="Bounds on the event's attributes, by attribute id.")


class DateCondition(Strict):
    """From ``days_before`` days before (or ``days_after`` days after) the account date, until the playbook has run."""

    model_config = Strict.model_config | {"json_schema_extra": {"oneOf": [{"required": ["days_before"]}, {"required": ["days_after"]}]}}

    date: Ref = Field(description="An account date of playbooks/events.yml, or last_<playbook id with _>.")
    days_before: int | None = Field(default=None, ge=0)
    days_after: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_offset(self) -> DateCondition:
        if (self.days_before is None) == (self.days_after is None):
            raise ValueError("needs exactly one of days_before and days_after")
        return self


class ScheduleCondition(Strict):
    """Due ``every_days`` days or ``every_months`` months after the playbook's last run; never run: from ``since``, or now."""

    model_config = Strict.model_config | {"json_schema_extra": {"oneOf": [{"required": ["every_days"]}, {"required": ["every_months"]}]}}

    every_days: int | None = Field(default=None, ge=1)
    every_months: int | None = Field(default=None, ge=1)
    since: Ref | None = Field(default=None, description="The account date the first run counts from.")

    @model_validator(mode="after")
    def _one_period(self) -> ScheduleCondition:
        if (self.every_days is None) == (self.every_months is None):
            raise ValueError("needs exactly one of every_days and every_months")
        return self


class StageCondition(Strict):
    """The account's journey stage is one of these."""

    stage: list[Ref] = Field(min_length=1, description="Journey stage ids of playbooks/stages.yml.")


class ArrCondition(Strict):
    """The account's ARR is inside the bounds."""

    arr: Bounds


class AllCondition(Strict):
    """Every condition of the list holds."""

    all: list[Condition] = Field(min_length=1)


class AnyCondition(Strict):
    """At least one condition of the list holds."""

    any: list[Condition] = Field(min_length=1)


_MODELS: dict[str, type[BaseModel]] = {
    "all": AllCondition,
    "any": AnyCondition,
    "metric": MetricCondition,
    "change": ChangeCondition,
    "event": EventCondition,
    "date": DateCondition,
    "schedule": ScheduleCondition,
    "stage": StageCondition,
    "arr": ArrCondition,
}


def _kinds(value: dict[Any, Any]) -> list[str]:
    return sorted({KIND_KEYS[k] for k in value if k in KIND_KEYS})


def _tag(value: Any) -> str | None:
    if isinstance(value, dict):
        kinds = _kinds(value)
        return f"[{kinds[0]}]" if len(kinds) == 1 else None
    kind = next((k for k, cls in _MODELS.items() if isinstance(value, cls)), None)
    return f"[{kind}]" if kind else None


def _one_kind(value: Any) -> Any:
    """Refuse a mapping that is no condition or two at once, saying which keys it needs."""
    if not isinstance(value, dict):
        return value  # the union reports the wrong type
    kinds = _kinds(value)
    if not kinds:
        keys = ", ".join(map(str, value)) or "none"
        raise ValueError(f"is not a condition: it needs one of the keys {', '.join(KIND_KEYS)} (it has: {keys})")
    if len(kinds) > 1:
        keys = ", ".join(k for k in value if k in KIND_KEYS)
        raise ValueError(f"is {len(kinds)} conditions at once ({keys}): a condition is exactly one kind; put each under all: or any:")
    return value


Condition = Annotated[
    Union[  # noqa: UP007  (the tagged members need the Union form)
        Annotated[AllCondition, Tag("[all]")],
        Annotated[AnyCondition, Tag("[any]")],
        Annotated[MetricCondition, Tag("[metric]")],
        Annotated[ChangeCondition, Tag("[change]")],
        Annotated[EventCondition, Tag("[event]")],
        Annotated[DateCondition, Tag("[date]")],
        Annotated[ScheduleCondition, Tag("[schedule]")],
        Annotated[StageCondition, Tag("[stage]")],
        Annotated[ArrCondition, Tag("[arr]")],
    ],
    Discriminator(
        _tag,
        custom_error_type="condition_type",
        custom_error_message="expected a condition: a mapping such as {metric: health_score, below: 40}",
    ),
    BeforeValidator(_one_kind),
]


class Rule(Strict):
    """A machine-readable trigger: ``when`` it fires, its ``priority``, its exclusive ``group``, and what it replaces."""

    when: Condition
    priority: int = Field(ge=1, le=9, description="1 runs first, 9 last (see playbooks/README.md).")
    group: SnakeId | None = Field(default=None, description="Of the rules sharing a group only the first by priority runs.")
    segments: list[Ref] = Field(default=[], description="The segments the rule runs for; by default the playbook's segments.")
    suppresses: list[Ref] = Field(default=[], description="Playbooks this one replaces when it runs.")
    runs_with: list[Ref] = Field(
        default=[],
        description="Playbooks that can fire on the same signal as this one and deliberately run alongside it (say why in a comment).",
    )


AllCondition.model_rebuild()
AnyCondition.model_rebuild()
Rule.model_rebuild()


def walk(cond: BaseModel, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], BaseModel]]:
    """Every condition inside ``cond`` (itself first) with its path below ``path``.

    >>> rule = Rule.model_validate({"when": {"any": [{"metric": "nps", "below": 0}, {"stage": ["adoption"]}]}, "priority": 1})
    >>> [(p, type(c).__name__) for p, c in walk(rule.when, ("when",))]
    [(('when',), 'AnyCondition'), (('when', 'any', 0), 'MetricCondition'), (('when', 'any', 1), 'StageCondition')]
    """
    yield path, cond
    if isinstance(cond, AllCondition | AnyCondition):
        key = "all" if isinstance(cond, AllCondition) else "any"
        for i, sub in enumerate(cond.all if isinstance(cond, AllCondition) else cond.any):
            yield from walk(sub, (*path, key, i))
