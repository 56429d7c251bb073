"""Playbook trigger rules: conditions over an account's signals, evaluated on a date.

A rule is plain data (``trigger.rule`` of a playbook in ``playbooks/library/``). Its
``when`` is one condition; a condition is a mapping whose keys say its kind:

* ``{"all": [...]}`` / ``{"any": [...]}`` — every / at least one of the conditions holds.
* ``{"metric": ID, "below": x, "at_least": y, "above": z, "at_most": w}`` — the metric's
  value is inside every bound given (``below`` and ``above`` exclusive, ``at_least`` and
  ``at_most`` inclusive, as the health bands are half-open ``[min, max)``). ``health_score``
  is the account's health score.
* ``{"change": ID, "drops_by": x}`` / ``{"change": ID, "rises_by": x}`` — the metric's percent
  change over its window fell by x % or more (change ≤ −x) / rose by x % or more.
* ``{"event": ID, "within_days": n, "where": {ATTR: {bounds}}}`` — the event happened in the
  last n days (the as-of day included), with attributes inside their bounds; a run of the
  playbook on or after the event (``dates.last_<playbook>``) means it was handled.
* ``{"date": NAME, "days_before": n}`` / ``{"date": NAME, "days_after": n}`` — the as-of date
  is on or after the account date minus / plus n days (T-120 is ``days_before: 120`` of
  ``renewal_date``), unless the playbook has run since then. A date rule never stops firing
  while the play has not run.
* ``{"every_days": n}`` / ``{"every_months": n}``, optional ``"since": NAME`` — a schedule:
  due n days / months after the playbook's last run (``dates.last_<playbook>``); never run:
  due from the ``since`` date, or now.
* ``{"stage": [IDS]}``, ``{"arr": {bounds}}`` — scope: the account's journey stage is one of
  these; its ARR is inside the bounds. A scope condition without the value does not hold.

:func:`evaluate` returns a :class:`Match`: whether the condition holds, the sentences that
say why (naming the signal and the rule) and the day the play starts.

>>> signals = Signals(as_of=datetime.date(2026, 12, 7), values={"health_score": 35.0},
...                   labels={"health_score": "Health score"})
>>> m = evaluate({"metric": "health_score", "below": 40}, signals, "at-risk")
>>> m.fired, m.reasons, m.starts
(True, ['Health score 35 is below 40'], datetime.date(2026, 12, 7))
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BOUNDS", "Match", "Signals", "bounds_text", "describe", "evaluate", "within"]

#: Bound keys and how each reads; ``below``/``above`` exclude their value.
BOUNDS = {"below": "below", "at_most": "at most", "above": "above", "at_least": "at least"}


@dataclass(frozen=True)
class Signals:
    """What is known about one account on one day."""

    as_of: datetime.date
    values: Mapping[str, float] = field(default_factory=dict)
    changes: Mapping[str, float] = field(default_factory=dict)
    events: Sequence[Mapping[str, Any]] = ()
    dates: Mapping[str, datetime.date] = field(default_factory=dict)
    stage: str | None = None
    arr: float | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    #: Read every event and date rule as if its playbook had never run: does the play's
    #: situation still hold (a play in progress keeps replacing the plays it suppresses)?
    ignore_runs: bool = False


@dataclass(frozen=True)
class Match:
    """The outcome of a condition: ``fired``, the ``reasons`` that say why, and when the play ``starts``."""

    fired: bool
    reasons: list[str] = field(default_factory=list)
    starts: datetime.date | None = None


def _num(x: float) -> str:
    return f"{x:,.1f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"


def within(value: float, bounds: Mapping[str, Any]) -> bool:
    """True when ``value`` is inside every bound of ``bounds``.

    >>> within(40, {"at_least": 40, "below": 60}), within(60, {"at_least": 40, "below": 60})
    (True, False)
    """
    checks = {
        "below": lambda b: value < b,
        "at_most": lambda b: value <= b,
        "above": lambda b: value > b,
        "at_least": lambda b: value >= b,
    }
    return all(checks[key](bound) for key, bound in bounds.items() if key in checks)


def bounds_text(bounds: Mapping[str, Any]) -> str:
    """The bounds in words: ``from 40 to under 60``, ``below 40``.

    >>> bounds_text({"at_least": 40, "below": 60}), bounds_text({"below": 40}), bounds_text({"at_most": 6})
    ('from 40 to under 60', 'below 40', 'at most 6')
    """
    keys = [k for k in BOUNDS if k in bounds]
    if "at_least" in bounds and "below" in bounds and len(keys) == 2:
        return f"from {_num(bounds['at_least'])} to under {_num(bounds['below'])}"
    return " and ".join(f"{BOUNDS[k]} {_num(bounds[k])}" for k in keys)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _ran_since(signals: Signals, playbook: str, day: datetime.date) -> datetime.date | None:
    if signals.ignore_runs:
        return None
    last = signals.dates.get(f"last_{playbook.replace('-', '_')}")
    return last if last is not None and last >= day else None


def _label(signals: Signals, key: str) -> str:
    return signals.labels.get(key) or key.replace("_", " ").capitalize()


def _metric(cond: Mapping[str, Any], s: Signals) -> Match:
    key = cond["metric"]
    value = s.values.get(key)
    if value is None:
        return Match(False, [f"{_label(s, key)} is not known"])
    if not within(value, cond):
        return Match(False)
    return Match(True, [f"{_label(s, key)} {_num(value)} is {bounds_text(cond)}"], s.as_of)


def _change(cond: Mapping[str, Any], s: Signals) -> Match:
    key = cond["change"]
    value = s.changes.get(key)
    if value is None:
        return Match(False, [f"the change in {_label(s, key)} is not known"])
    if "drops_by" in cond and value <= -cond["drops_by"]:
        return Match(True, [f"{_label(s, key)} fell {_num(-value)} % (the rule: a fall of {_num(cond['drops_by'])} % or more)"], s.as_of)
    if "rises_by" in cond and value >= cond["rises_by"]:
        return Match(True, [f"{_label(s, key)} rose {_num(value)} % (the rule: a rise of {_num(cond['rises_by'])} % or more)"], s.as_of)
    return Match(False)


def _event(cond: Mapping[str, Any], s: Signals, playbook: str) -> Match:
    first = s.as_of - datetime.timedelta(days=cond.get("within_days", 0))
    hits = []
    for event in s.events:
        day = event["date"]
        if event["event"] != cond["event"] or not first <= day <= s.as_of:
            continue
        where = cond.get("where", {})
        if all(isinstance(event.get(attr), int | float) and within(event[attr], b) for attr, b in where.items()):
            hits.append(event)
    if not hits:
        return Match(False)
    latest = max(hits, key=lambda e: e["date"])
    if _ran_since(s, playbook, latest["date"]):
        return Match(False, [f"{_label(s, cond['event'])} on {latest['date']} was handled (the play ran since)"])
    detail = ", ".join(f"{attr} {_num(latest[attr])}" for attr in cond.get("where", {}))
    return Match(True, [f"{_label(s, cond['event'])}{f' ({detail})' if detail else ''} on {latest['date'].isoformat()}"], latest["date"])


def _date(cond: Mapping[str, Any], s: Signals, playbook: str) -> Match:
    key = cond["date"]
    anchor = s.dates.get(key)
    if anchor is None:
        return Match(False, [f"{_label(s, key)} is not known"])
    before = "days_before" in cond
    days = cond["days_before"] if before else cond.get("days_after", 0)
    trigger = anchor - datetime.timedelta(days=days) if before else anchor + datetime.timedelta(days=days)
    if s.as_of < trigger or _ran_since(s, playbook, trigger):
        return Match(False)
    where = f"{days} days before" if before else f"{days} days after"
    return Match(True, [f"{_label(s, key)} is {anchor.isoformat()}: the play starts {where} it, on {trigger.isoformat()}"], trigger)


def _every(cond: Mapping[str, Any]) -> str:
    """``every 3 months``, ``every month``, ``every 7 days``."""
    count, unit = (cond["every_days"], "day") if "every_days" in cond else (cond["every_months"], "month")
    return f"every {unit}" if count == 1 else f"every {count} {unit}s"


def _schedule(cond: Mapping[str, Any], s: Signals, playbook: str) -> Match:
    last = s.dates.get(f"last_{playbook.replace('-', '_')}")
    every = _every(cond)
    if last is None:
        since = s.dates.get(cond["since"]) if "since" in cond else None
        if since is None:
            return Match(True, [f"it has not run yet and runs {every}"], s.as_of)
        last = since
    due = last + datetime.timedelta(days=cond["every_days"]) if "every_days" in cond else _add_months(last, cond["every_months"])
    if s.as_of < due:
        return Match(False)
    return Match(True, [f"it runs {every} and is due since {due.isoformat()} (counted from {last.isoformat()})"], due)


def _scope(cond: Mapping[str, Any], s: Signals) -> Match:
    if "stage" in cond:
        ok = s.stage is not None and s.stage in cond["stage"]
        return Match(ok, [f"the journey stage is {_label(s, s.stage)}"] if ok and s.stage else [])
    ok = s.arr is not None and within(s.arr, cond["arr"])
    return Match(ok, [f"ARR {_num(s.arr)} is {bounds_text(cond['arr'])}"] if ok and s.arr is not None else [])


def evaluate(cond: Mapping[str, Any], signals: Signals, playbook: str) -> Match:
    """Evaluate one condition of ``playbook``'s rule on ``signals``."""
    if "all" in cond:
        parts = [evaluate(c, signals, playbook) for c in cond["all"]]
        if not all(p.fired for p in parts):
            return Match(False, [r for p in parts if not p.fired for r in p.reasons])
        starts = [p.starts for p in parts if p.starts is not None]
        return Match(True, [r for p in parts for r in p.reasons], max(starts) if starts else signals.as_of)
    if "any" in cond:
        parts = [evaluate(c, signals, playbook) for c in cond["any"]]
        fired = [p for p in parts if p.fired]
        if not fired:
            return Match(False, [r for p in parts for r in p.reasons])
        return Match(True, fired[0].reasons, fired[0].starts)
    if "metric" in cond:
        return _metric(cond, signals)
    if "change" in cond:
        return _change(cond, signals)
    if "event" in cond:
        return _event(cond, signals, playbook)
    if "date" in cond:
        return _date(cond, signals, playbook)
    if "every_days" in cond or "every_months" in cond:
        return _schedule(cond, signals, playbook)
    if "stage" in cond or "arr" in cond:
        return _scope(cond, signals)
    raise ValueError(f"{playbook}: a rule condition has no known kind (keys: {', '.join(cond)})")


def describe(cond: Mapping[str, Any], labels: Mapping[str, str], *, top: bool = True) -> str:
    """A condition in plain words, as a playbook page shows it under "Starts when".

    >>> labels = {"health_score": "health score", "nps_response": "an NPS response", "renewal_date": "the renewal date"}
    >>> describe({"any": [{"metric": "health_score", "at_least": 20, "below": 40},
    ...                   {"event": "nps_response", "within_days": 30, "where": {"score": {"at_most": 6}}}]}, labels)
    'health score from 20 to under 40, or an NPS response (score at most 6) in the last 30 days'
    >>> describe({"all": [{"date": "renewal_date", "days_before": 90}, {"every_months": 3}]}, labels)
    'from 90 days before the renewal date, and every 3 months'
    """

    def word(key: str) -> str:
        return labels.get(key) or key.replace("_", " ")

    if "all" in cond or "any" in cond:
        joiner = ", and " if "all" in cond else ", or "
        parts = [describe(c, labels, top=False) for c in cond["all" if "all" in cond else "any"]]
        text = joiner.join(parts)
        return text if top else f"({text})"
    if "metric" in cond:
        return f"{word(cond['metric'])} {bounds_text(cond)}"
    if "change" in cond:
        if "drops_by" in cond:
            return f"{word(cond['change'])} falls by {_num(cond['drops_by'])} % or more"
        return f"{word(cond['change'])} rises by {_num(cond['rises_by'])} % or more"
    if "event" in cond:
        where = "; ".join(f"{attr} {bounds_text(b)}" for attr, b in cond.get("where", {}).items())
        days = cond.get("within_days", 0)
        return f"{word(cond['event'])}{f' ({where})' if where else ''} {'in the last ' + str(days) + ' days' if days else 'today'}"
    if "date" in cond:
        side = f"{cond['days_before']} days before" if "days_before" in cond else f"{cond.get('days_after', 0)} days after"
        return f"from {side} {word(cond['date'])}"
    if "every_days" in cond or "every_months" in cond:
        return _every(cond) + (f" (the first time counted from {word(cond['since'])})" if "since" in cond else "")
    if "stage" in cond:
        stages = [word(s) for s in cond["stage"]]
        return "journey stage " + (stages[0] if len(stages) == 1 else ", ".join(stages[:-1]) + " or " + stages[-1])
    if "arr" in cond:
        return f"ARR {bounds_text(cond['arr'])}"
    raise ValueError(f"a rule condition has no known kind (keys: {', '.join(cond)})")
