"""The ``plays`` command's input: the columns it reads, and a chunk of rows read into signal arrays.

The columns follow the triage calculator's declaration under the configuration (so a new
metric, event or date in the YAML is a new column, with no change here):

* ``account`` (required); ``segment`` (a tier id or label, or a ratio-table row such as
  ``Enterprise``) or, when it is empty, the tier whose ARR range holds ``arr`` (or ``mrr`` × 12);
  ``stage`` (a journey stage id or label); ``health`` or the health component columns (the
  components win when both are present, as in ``score``; they are weighed with the segment's
  weight model, as the calculator does).
* One column per metric id (its current value) and ``<metric>_change`` (percent change).
* One date column per account date (``renewal_date``, ``onboarding_complete`` …, and
  ``last_<playbook>``: the playbook id with ``_`` for ``-``).
* One date column per event id (the latest occurrence) and ``<event>_<attribute>`` for the
  event's attributes (``nps_response_score``).

A cell is checked as the calculator's declaration says (the same bounds and wording); a
date must also lie between 1900-01-01 and 2199-12-31, so that no rule's arithmetic leaves the
calendar. An attribute without its event's date, an unknown segment or stage, and a row with
neither a segment nor an ARR to assign one are refused too. Every problem is one line of the
errors file, as for ``score``.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from calculators.declarations import Field
from calculators.triage import TRIAGE

from .columns import Plan, normalise
from .exact import band_codes
from .model import Model
from .parse import NO_DAY, BoolArray, FloatArray, IntArray, ObjectArray, choices, days, normalised_lookup, numbers
from .problems import Problems, account_checks, range_checks
from .reader import BatchInputError
from .scoring import component_scores

#: The days a date cell may hold.
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)
_FIELDS = {f.name: f for f in TRIAGE.inputs}


_EVENT = next(c for c in _FIELDS["events"].columns if c.name == "event")


def labels(config: Mapping[str, Any]) -> dict[str, str]:
    """What the triage calculator calls each signal in its reasons (metrics, events, dates, stages)."""
    out = {mid: m.get("label", mid) for mid, m in config["assessments"].items()}
    out["health_score"] = "Health score"
    out.update(_EVENT.choices(config))
    out.update(_FIELDS["dates"].choices(config))
    out.update(_FIELDS["stage"].choices(config))
    return out


@dataclass(frozen=True)
class Columns:
    """The signal columns the configuration gives: metric, change, date, event and attribute columns."""

    metrics: tuple[str, ...]
    dates: tuple[str, ...]
    events: tuple[str, ...]
    attributes: tuple[Field, ...]
    stages: tuple[str, ...]
    stage_names: dict[str, int]
    takes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Mapping[str, Any], components: tuple[str, ...]) -> Columns:
        stages = _FIELDS["stage"].choices(config)
        columns = cls(
            metrics=tuple(m for m, _ in _FIELDS["metrics"].choices(config)),
            dates=tuple(d for d, _ in _FIELDS["dates"].choices(config)),
            events=tuple(e for e, _ in _EVENT.choices(config)),
            attributes=tuple(c for c in _FIELDS["events"].columns if c.name not in ("event", "date")),
            takes={eid: tuple(e["attributes"]) for eid, e in config.get("events", {}).items() if isinstance(e.get("attributes"), dict)},
            stages=tuple(s for s, _ in stages),
            stage_names={name: i for i, (sid, label) in enumerate(stages) for name in (sid, label)},
        )
        seen: dict[str, str] = {normalise(c): c for c in ("account", "arr", "mrr", "segment", "stage", "health", *components)}
        for name in columns.names():
            if normalise(name) in seen and seen[normalise(name)] != name:
                raise BatchInputError(f"configuration: the columns {seen[normalise(name)]!r} and {name!r} can't be told apart; rename one")
            seen[normalise(name)] = name
        return columns

    def event_attributes(self) -> list[tuple[str, Field]]:
        """(event, attribute) pairs that have a column: the attributes the event's configuration lists
        (every declared attribute when it lists none)."""
        return [(e, a) for e in self.events for a in self.attributes if e not in self.takes or a.name in self.takes[e]]

    def names(self) -> list[str]:
        """Every signal column, as the header matching knows them (besides the score columns)."""
        changes = [f"{m}_change" for m in self.metrics]
        attributes = [f"{e}_{a.name}" for e, a in self.event_attributes()]
        return list(dict.fromkeys(["stage", *self.metrics, *changes, *self.dates, *self.events, *attributes]))


@dataclass
class Book:
    """The signals of many accounts on one day, as arrays (NaN or :data:`NO_DAY` where unknown)."""

    as_of: int
    segment: IntArray
    arr: FloatArray
    stage: IntArray
    values: dict[str, FloatArray]
    changes: dict[str, FloatArray]
    dates: dict[str, IntArray]
    events: dict[str, IntArray]
    attributes: dict[tuple[str, str], FloatArray]
    cache: dict[int, Any] = field(default_factory=dict)
    #: Read event and date rules as if their playbooks had never run (is a play's situation still there?).
    ignore_runs: bool = False

    def __len__(self) -> int:
        return len(self.segment)

    def ignoring_runs(self) -> Book:
        """The same accounts, read as if no playbook had run (the same arrays, a cache of its own)."""
        return dataclasses.replace(self, cache={}, ignore_runs=True)

    def take(self, rows: IntArray) -> Book:
        def pick(arrays: Mapping[Any, Any]) -> dict[Any, Any]:
            return {key: array[rows] for key, array in arrays.items()}

        return Book(
            self.as_of,
            self.segment[rows],
            self.arr[rows],
            self.stage[rows],
            pick(self.values),
            pick(self.changes),
            pick(self.dates),
            pick(self.events),
            pick(self.attributes),
        )


def read_book(frame: pd.DataFrame, plan: Plan, columns: Columns, model: Model, as_of: datetime.date) -> tuple[Book, Problems]:
    """The signals of every row of ``frame`` and the problems found in its cells."""
    n = len(frame)
    cells = {role: np.asarray(frame.iloc[:, position].to_numpy(dtype=object), dtype=object) for role, position in plan.roles.items()}
    problems = Problems(n, {header: i for i, header in reversed(list(enumerate(plan.headers)))})
    account_checks(problems, cells["account"], plan.header("account"))

    def number(role: str, spec: Field) -> FloatArray:
        values, bad = numbers(cells[role])
        ok = range_checks(problems, values, bad, spec, plan.header(role), cells[role])
        return np.where(ok, values, np.nan)

    arr_role = next((r for r in ("arr", "mrr") if r in plan.roles), None)
    arr, arr_bad = np.full(n, np.nan), np.zeros(n, dtype=np.bool_)
    if arr_role is not None:
        values, bad = numbers(cells[arr_role])
        with np.errstate(over="ignore"):
            values = values * 12 if arr_role == "mrr" else values
        arr_ok = range_checks(problems, values, bad, _FIELDS["arr"], plan.header(arr_role), cells[arr_role])
        arr, arr_bad = np.where(arr_ok, values, np.nan), ~arr_ok
    segment = _segment(cells, plan, model, arr, arr_bad, arr_role, problems)
    stage = np.full(n, -1, dtype=np.int64)
    if "stage" in plan.roles:
        stage, bad = choices(cells["stage"], normalised_lookup(columns.stage_names))
        known = ", ".join(columns.stages) or "none are configured"
        problems.add(bad, plan.header("stage"), f"is not a known stage (known: {known})", cells["stage"])
    values_by = {m: number(m, _FIELDS["metrics"]) for m in columns.metrics if m in plan.roles}
    values_by["health_score"] = _health(cells, plan, model, segment, problems)
    changes = {m: number(f"{m}_change", _FIELDS["changes"]) for m in columns.metrics if f"{m}_change" in plan.roles}
    read = {role: _days(cells, plan, role, problems) for role in dict.fromkeys((*columns.dates, *columns.events)) if role in plan.roles}
    dates = {d: read[d] for d in columns.dates if d in read}
    events = {e: read[e] for e in columns.events if e in read}
    attributes: dict[tuple[str, str], FloatArray] = {}
    for event, spec in columns.event_attributes():
        role = f"{event}_{spec.name}"
        if role not in plan.roles:
            continue
        attributes[(event, spec.name)] = value = number(role, spec)
        orphan = ~np.isnan(value) & (events[event] == NO_DAY)
        problems.add(orphan, plan.header(role), f"is given without a date in column {plan.header(event)}", cells[role])
    book = Book(as_of.toordinal(), segment, arr, stage, values_by, changes, dates, events, attributes)
    return book, problems


def check_plan(plan: Plan, columns: Columns, model: Model, source: str) -> None:
    """Refuse a file the plays command can't use: no segment nor ARR, an attribute column without its
    event, or (missing-data policy ``reject``) component columns without one a weight model needs."""
    if not {"segment", "arr", "mrr"} & set(plan.roles):
        raise BatchInputError(f"{source}: missing required column segment (or arr, to assign it); see --map")
    if plan.components and model.policy == "reject":
        weights = model.config["health"]["weights"]
        keys = {tier if tier in weights else "default" for tier in model.tier_ids}
        needed = sorted({c for key in keys for c in weights[key]} - set(plan.components))
        if needed:
            raise BatchInputError(f"{source}: missing column(s) {', '.join(needed)}, required by the missing-data policy 'reject'")
    for event, spec in columns.event_attributes():
        role = f"{event}_{spec.name}"
        if role in plan.roles and event not in plan.roles:
            raise BatchInputError(f"{source}: column {plan.header(role)!r} needs the event's date column {event!r}")


def _segment(
    cells: Mapping[str, ObjectArray],
    plan: Plan,
    model: Model,
    arr: FloatArray,
    arr_bad: BoolArray,
    arr_role: str | None,
    problems: Problems,
) -> IntArray:
    n = len(arr)
    segment, bad = np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.bool_)
    if "segment" in plan.roles:
        segment, bad = choices(cells["segment"], normalised_lookup(model.segment_names))
        problems.add(bad, plan.header("segment"), f"is not a known segment (known: {', '.join(model.tier_ids)})", cells["segment"])
    assigned = band_codes(model.tier_bands, arr)
    missing = (segment < 0) & ~bad & ~arr_bad & (assigned < 0)
    if arr_role is not None:
        problems.add(missing & ~np.isnan(arr), plan.header(arr_role), "is outside every segment's ARR range", cells[arr_role])
    role = "segment" if "segment" in plan.roles else arr_role
    assert role is not None  # check_plan: a file has one of them
    reason = "is required (or an arr to assign it)" if role == "segment" else "is required to assign a segment (there is no segment)"
    problems.add(missing & np.isnan(arr), plan.header(role), reason, cells[role])
    return np.where(segment >= 0, segment, assigned)


def _health(cells: Mapping[str, ObjectArray], plan: Plan, model: Model, segment: IntArray, problems: Problems) -> FloatArray:
    """The health score: the ``health`` column, or the components under the segment's weight model (NaN: unknown)."""
    n = len(segment)
    if plan.use_health:
        if "health" not in plan.roles:
            return np.full(n, np.nan)
        values, bad = numbers(cells["health"])
        return np.where(range_checks(problems, values, bad, _FIELDS["health"], plan.header("health"), cells["health"]), values, np.nan)
    default = model.model_keys.index("default")
    own = model.tier_model[np.maximum(segment, 0)]
    model_index = np.where((segment >= 0) & (own >= 0), own, default)
    score, insufficient = component_scores(cells, plan, model, model_index, problems, none_is_unknown=True)
    outside = ~np.isnan(score) & (band_codes(model.bands, score) < 0)
    if outside.any():
        header = ", ".join(plan.header(c) for c in plan.components)
        problems.add(outside, header, "the score is outside every health band", np.array([repr(v) for v in score.tolist()], dtype=object))
    return np.where(insufficient, np.nan, score)


def _days(cells: Mapping[str, ObjectArray], plan: Plan, role: str, problems: Problems) -> IntArray:
    ordinals, bad = days(cells[role])
    problems.add(bad, plan.header(role), "must be a date written YYYY-MM-DD", cells[role])
    outside = (ordinals != NO_DAY) & ((ordinals < FIRST_DAY.toordinal()) | (ordinals > LAST_DAY.toordinal()))
    problems.add(outside, plan.header(role), f"must be a date from {FIRST_DAY} to {LAST_DAY}", cells[role])
    return np.where(outside, NO_DAY, ordinals)
