"""Which trigger rules can fire on the same signal: the approximation the overlap check uses.

:func:`shared_signals` answers it for two rules; :mod:`cslibrary.model.checks.overlapping_rules`
reports the pairs that neither a group, a suppression nor a ``runs_with`` settles (its
docstring states the rule in words). Everything here is pure: conditions in, findings out.

A rule's ``when`` is expanded into **alternatives**, each a list of plain conditions that
must all hold: an ``any`` contributes one alternative per branch, an ``all`` combines one
alternative of each of its parts (so ``all`` adds constraints, ``any`` adds alternatives).

>>> from .rule import Rule
>>> rule = Rule.model_validate({"when": {"all": [{"date": "renewal_date", "days_before": 90},
...     {"any": [{"metric": "health_score", "below": 60}, {"event": "cancellation_request", "within_days": 90}]}]}, "priority": 1})
>>> [[type(c).__name__ for _, c in alt] for alt in alternatives(rule.when)]
[['DateCondition', 'MetricCondition'], ['DateCondition', 'EventCondition']]
>>> band = Rule.model_validate({"when": {"metric": "health_score", "at_least": 40, "below": 60}, "priority": 3})
>>> [s.text for s in shared_signals(rule, band)]
['health_score from 40 to under 60']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from calculators.rules import bounds_text

from . import rule as r

__all__ = ["MAX_ALTERNATIVES", "Interval", "Shared", "alternatives", "shared_signals"]

#: Past this many alternatives a rule is not expanded further (no shipped rule comes near).
MAX_ALTERNATIVES = 256

Path = tuple[Any, ...]
Alternative = list[tuple[Path, BaseModel]]


@dataclass(frozen=True)
class Interval:
    """A range of numbers; each end is included or not, ``±inf`` for none."""

    lo: float = -math.inf
    lo_in: bool = False
    hi: float = math.inf
    hi_in: bool = False

    @classmethod
    def of(cls, bounds: Any) -> Interval:
        """The range that ``at_least``/``above``/``below``/``at_most`` of ``bounds`` leave (a condition or a :class:`~.rule.Bounds`)."""
        out = cls()
        for key, inclusive in (("at_least", True), ("above", False)):
            if getattr(bounds, key, None) is not None:
                out = out & cls(lo=getattr(bounds, key), lo_in=inclusive)
        for key, inclusive in (("at_most", True), ("below", False)):
            if getattr(bounds, key, None) is not None:
                out = out & cls(hi=getattr(bounds, key), hi_in=inclusive)
        return out

    def __and__(self, other: Interval) -> Interval:
        lo, lo_in = max((self.lo, not self.lo_in), (other.lo, not other.lo_in))
        hi, hi_in = min((self.hi, self.hi_in), (other.hi, other.hi_in))
        return Interval(lo, not lo_in, hi, hi_in)

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_in and self.hi_in))

    def text(self) -> str:
        """The range in the rules' words: ``from 40 to under 60``, ``below 20``; ``any value`` without bounds."""
        if self.lo == self.hi and self.lo_in and self.hi_in:
            return f"exactly {self.lo:g}"
        bounds: dict[str, float] = {}
        if self.lo != -math.inf:
            bounds["at_least" if self.lo_in else "above"] = self.lo
        if self.hi != math.inf:
            bounds["at_most" if self.hi_in else "below"] = self.hi
        return bounds_text(bounds) if bounds else "any value"


@dataclass(frozen=True)
class Shared:
    """A signal two rules both fire on: where it is in each rule, and what it is in words."""

    path: Path
    other_path: Path
    text: str


def alternatives(cond: BaseModel, path: Path = ()) -> list[Alternative]:
    """The alternatives of ``cond`` (see the module docstring), each condition with its path below ``path``."""
    if isinstance(cond, r.AnyCondition):
        out: list[Alternative] = []
        for i, sub in enumerate(cond.any):
            out += alternatives(sub, (*path, "any", i))
        return out[:MAX_ALTERNATIVES]
    if isinstance(cond, r.AllCondition):
        combined: list[Alternative] = [[]]
        for i, sub in enumerate(cond.all):
            combined = [a + b for a in combined for b in alternatives(sub, (*path, "all", i))][:MAX_ALTERNATIVES]
        return combined
    return [[(path, cond)]]


def _signal(cond: BaseModel) -> tuple[str, str] | None:
    """The signal a condition fires on (kind and id), or None for a scope or a cadence."""
    if isinstance(cond, r.MetricCondition):
        return "metric", cond.metric
    if isinstance(cond, r.ChangeCondition):
        return "change", cond.change
    if isinstance(cond, r.EventCondition):
        return "event", cond.event
    if isinstance(cond, r.DateCondition):
        return "date", cond.date
    return None


def _directions(cond: r.ChangeCondition) -> set[str]:
    return {d for d in ("drops_by", "rises_by") if getattr(cond, d) is not None}


def _common(a: BaseModel, b: BaseModel) -> str | None:
    """What two conditions on the same signal both accept, in words, or None when they accept nothing in common."""
    if isinstance(a, r.MetricCondition) and isinstance(b, r.MetricCondition):
        both = Interval.of(a) & Interval.of(b)
        return None if both.empty else f"{a.metric} {both.text()}"
    if isinstance(a, r.ChangeCondition) and isinstance(b, r.ChangeCondition):
        same = _directions(a) & _directions(b)
        return f"a {' or a '.join('fall' if d == 'drops_by' else 'rise' for d in sorted(same))} in {a.change}" if same else None
    if isinstance(a, r.EventCondition) and isinstance(b, r.EventCondition):
        parts = []
        for attr in sorted(set(a.where) & set(b.where)):
            both = Interval.of(a.where[attr]) & Interval.of(b.where[attr])
            if both.empty:
                return None
            parts.append(f"{attr} {both.text()}")
        return f"the event {a.event}" + (f" ({', '.join(parts)})" if parts else "")
    if isinstance(a, r.DateCondition) and isinstance(b, r.DateCondition):
        return f"the account date {a.date}"
    return None


def _possible(conds: Iterable[BaseModel]) -> bool:
    """Whether every condition of ``conds`` can hold at once, as far as their bounds tell.

    Ranges on one metric must meet, so must ARR ranges, stage lists must share a stage, and
    one change cannot be both a fall and a rise. Events are not compared: two conditions on
    one event may be met by two different occurrences.
    """
    metrics: dict[str, Interval] = {}
    changes: dict[str, set[str]] = {}
    arr = Interval()
    stages: set[str] | None = None
    for cond in conds:
        if isinstance(cond, r.MetricCondition):
            metrics[cond.metric] = metrics.get(cond.metric, Interval()) & Interval.of(cond)
        elif isinstance(cond, r.ChangeCondition):
            changes.setdefault(cond.change, set()).update(_directions(cond))
        elif isinstance(cond, r.ArrCondition):
            arr = arr & Interval.of(cond.arr)
        elif isinstance(cond, r.StageCondition):
            stages = set(cond.stage) if stages is None else stages & set(cond.stage)
    return (
        not any(i.empty for i in metrics.values())
        and not any(len(d) > 1 for d in changes.values())
        and not arr.empty
        and (stages is None or bool(stages))
    )


def _pairs(a: Alternative, b: Alternative) -> Iterator[Shared]:
    for path_a, cond_a in a:
        for path_b, cond_b in b:
            signal = _signal(cond_a)
            if signal is not None and signal == _signal(cond_b):
                text = _common(cond_a, cond_b)
                if text is not None:
                    yield Shared(path_a, path_b, text)


def shared_signals(rule: r.Rule, other: r.Rule, path: Path = (), other_path: Path = ()) -> list[Shared]:
    """The signals both rules can fire on at once (one per pair of conditions, first found first).

    Two rules share a signal when an alternative of each names the same metric with ranges
    that meet, the same change in the same direction, the same event with attribute bounds
    that meet, or the same account date, and the two alternatives together can hold (see
    :func:`_possible`). Segments, groups and suppressions are the caller's business.
    """
    found: dict[tuple[Path, Path], Shared] = {}
    for alt in alternatives(rule.when, path):
        for alt_other in alternatives(other.when, other_path):
            if not _possible(c for _, c in alt + alt_other):
                continue
            for shared in _pairs(alt, alt_other):
                found.setdefault((shared.path, shared.other_path), shared)
    return list(found.values())
