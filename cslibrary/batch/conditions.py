"""Playbook trigger rules evaluated for many accounts at once: the vectorised twin of :mod:`calculators.rules`.

A rule's ``when`` is compiled once into a tree of :class:`Node` objects. For a :class:`Book`
of accounts a node gives, as arrays, whether it holds for each account and the day its play
starts (:data:`NO_DAY` where the calculator's ``Match.starts`` is ``None``); the reasons are
written afterwards, only for the accounts whose play runs. The sentences, the order of the
reasons, the start days and the dispatch on a condition's keys are those of
:func:`calculators.rules.evaluate`, condition by condition; the parity tests compare the two
on random rules and accounts.

Days are date ordinals (``datetime.date.toordinal``); the values, texts and day arithmetic
the nodes share are in :mod:`.rule_values`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from calculators.rules import BOUNDS, bounds_text

from .parse import NO_DAY, BoolArray, FloatArray, IntArray, ObjectArray
from .rule_values import add_months, day_texts, label, last_run, number_text, number_texts, sentence, shift, within
from .signals import Book

__all__ = ["All", "Any_", "Arr", "Change", "Date", "Event", "Metric", "Node", "Schedule", "Stage", "compile_rule"]


class Node:
    """A compiled condition: :meth:`fired` (holds, start day) and :meth:`reasons` (where asked).

    ``empty`` says whether the node can hold without a reason (an ``all`` of nothing).
    """

    empty = False

    def fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        key = id(self)
        if key not in book.cache:
            book.cache[key] = self._fired(book)
        result: tuple[BoolArray, IntArray] = book.cache[key]
        return result

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        raise NotImplementedError

    def reasons(self, book: Book, need: BoolArray, first: bool = False) -> ObjectArray:
        """The reasons (joined with ``; ``) at the ``need`` rows, where the node holds; ``first``: as
        the start of a sentence (the first letter capitalised)."""
        out = np.full(len(book), "", dtype=object)
        rows = np.flatnonzero(need)
        if rows.size:
            out[rows] = self._reasons(book, rows, first)
        return out

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        raise NotImplementedError


def _nowhere(book: Book) -> tuple[BoolArray, IntArray]:
    return np.zeros(len(book), dtype=np.bool_), np.full(len(book), NO_DAY, dtype=np.int64)


def _today(book: Book, fired: BoolArray) -> tuple[BoolArray, IntArray]:
    return fired, np.full(len(book), book.as_of, dtype=np.int64)


class Metric(Node):
    def __init__(self, cond: Mapping[str, Any], labels: Mapping[str, str]) -> None:
        self.key, self.bounds = cond["metric"], {k: cond[k] for k in cond if k in BOUNDS}
        self.head, self.tail = f"{label(labels, self.key)} ", f" is {bounds_text(cond)}"

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        values = book.values.get(self.key)
        return _nowhere(book) if values is None else _today(book, within(values, self.bounds))

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        head = sentence(self.head) if first else self.head
        return [head + text + self.tail for text in number_texts(book.values[self.key][rows])]


class Change(Node):
    def __init__(self, cond: Mapping[str, Any], labels: Mapping[str, str]) -> None:
        self.key, self.drops, self.rises = cond["change"], cond.get("drops_by", 0), cond.get("rises_by", 0)
        self.has_drops, self.has_rises, self.name = "drops_by" in cond, "rises_by" in cond, label(labels, cond["change"])

    def _split(self, values: FloatArray) -> tuple[BoolArray, BoolArray]:
        with np.errstate(invalid="ignore"):
            drop = np.asarray(values <= -self.drops) if self.has_drops else np.zeros(len(values), dtype=np.bool_)
            rise = ~drop & np.asarray(values >= self.rises) if self.has_rises else np.zeros(len(values), dtype=np.bool_)
        return drop, rise

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        values = book.changes.get(self.key)
        if values is None:
            return _nowhere(book)
        drop, rise = self._split(values)
        return _today(book, drop | rise)

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        values = book.changes[self.key][rows]
        drop, _ = self._split(values)
        fell = f" % (the rule: a fall of {number_text(self.drops)} % or more)" if self.has_drops else ""
        rose = f" % (the rule: a rise of {number_text(self.rises)} % or more)" if self.has_rises else ""
        texts, negated = number_texts(values), number_texts(-values)
        name = sentence(self.name) if first else self.name
        return [
            f"{name} fell {minus}{fell}" if d else f"{name} rose {plus}{rose}"
            for d, plus, minus in zip(drop.tolist(), texts, negated, strict=True)
        ]


class Event(Node):
    def __init__(self, cond: Mapping[str, Any], labels: Mapping[str, str], playbook: str) -> None:
        self.key, self.days, self.where = cond["event"], cond.get("within_days", 0), dict(cond.get("where", {}))
        self.playbook, self.name = playbook, label(labels, cond["event"])

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        day = book.events.get(self.key)
        if day is None:
            return _nowhere(book)
        hit = (day >= book.as_of + shift(self.days, -1)) & (day <= book.as_of) & (day != NO_DAY)
        for attr, bounds in self.where.items():
            values = book.attributes.get((self.key, attr))
            hit &= np.zeros(len(book), dtype=np.bool_) if values is None else within(values, bounds)
        if book.ignore_runs:
            return hit, day
        last = last_run(book, self.playbook)
        return hit & ~((last != NO_DAY) & (last >= day)), day

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        parts = [[f"{attr} {t}" for t in number_texts(book.attributes[(self.key, attr)][rows])] for attr in self.where]
        details = [f" ({', '.join(p)})" for p in zip(*parts, strict=True)] if parts else [""] * len(rows)
        name = sentence(self.name) if first else self.name
        return [f"{name}{detail} on {day}" for detail, day in zip(details, day_texts(book.events[self.key][rows]), strict=True)]


class Date(Node):
    def __init__(self, cond: Mapping[str, Any], labels: Mapping[str, str], playbook: str) -> None:
        before = "days_before" in cond
        days = cond["days_before"] if before else cond.get("days_after", 0)
        self.key, self.playbook, self.shift = cond["date"], playbook, shift(days, -1 if before else 1)
        self.head, self.middle = (
            f"{label(labels, self.key)} is ",
            f": the play starts {days} days {'before' if before else 'after'} it, on ",
        )

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        anchor = book.dates.get(self.key)
        if anchor is None:
            return _nowhere(book)
        trigger = np.where(anchor != NO_DAY, anchor + self.shift, NO_DAY)
        fired = (anchor != NO_DAY) & (book.as_of >= trigger)
        if book.ignore_runs:
            return fired, trigger
        last = last_run(book, self.playbook)
        return fired & ~((last != NO_DAY) & (last >= trigger)), trigger

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        anchor = book.dates[self.key][rows]
        pairs = zip(day_texts(anchor), day_texts(anchor + self.shift), strict=True)
        head = sentence(self.head) if first else self.head
        return [head + a + self.middle + t for a, t in pairs]


class Schedule(Node):
    def __init__(self, cond: Mapping[str, Any], playbook: str) -> None:
        self.days, self.months, self.since, self.playbook = (
            cond.get("every_days", 0),
            cond.get("every_months", 0),
            cond.get("since"),
            playbook,
        )
        self.by_days = "every_days" in cond
        count, unit = (self.days, "day") if self.by_days else (self.months, "month")
        self.every = f"every {unit}" if count == 1 else f"every {count} {unit}s"

    def _base(self, book: Book) -> tuple[IntArray, IntArray]:
        last = last_run(book, self.playbook)
        since = book.dates.get(self.since) if self.since is not None else None
        base = last if since is None else np.where(last != NO_DAY, last, since)
        known = base != NO_DAY
        if self.by_days:
            due = np.where(known, base + shift(self.days), NO_DAY)
        else:
            due = np.full(len(base), NO_DAY, dtype=np.int64)
            due[known] = add_months(base[known], self.months)
        return base, due

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        base, due = self._base(book)
        never = base == NO_DAY
        return never | (book.as_of >= due), np.where(never, book.as_of, due)

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        base, due = (a[rows] for a in self._base(book))
        never = base == NO_DAY
        known = np.where(never, book.as_of, base)
        due = np.where(never, book.as_of, due)
        head = sentence("it") if first else "it"
        return [
            f"{head} has not run yet and runs {self.every}" if n else f"{head} runs {self.every} and is due since {d} (counted from {b})"
            for n, d, b in zip(never.tolist(), day_texts(due), day_texts(known), strict=True)
        ]


class Stage(Node):
    def __init__(self, allowed: Any, stages: Sequence[str], labels: Mapping[str, str]) -> None:
        self.codes = [code for code, sid in enumerate(stages) if sid in allowed]
        texts = [f"the journey stage is {label(labels, sid)}" for sid in stages] + [""]
        self.texts = {False: np.array(texts, dtype=object), True: np.array([sentence(t) for t in texts], dtype=object)}

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        return np.isin(book.stage, self.codes), np.full(len(book), NO_DAY, dtype=np.int64)

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        return list(self.texts[first][book.stage[rows]].tolist())


class Arr(Node):
    def __init__(self, bounds: Mapping[str, Any]) -> None:
        self.bounds, self.tail = bounds, f" is {bounds_text(bounds)}"

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        return within(book.arr, self.bounds), np.full(len(book), NO_DAY, dtype=np.int64)

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        return [f"ARR {text}{self.tail}" for text in number_texts(book.arr[rows])]


class All(Node):
    def __init__(self, parts: list[Node]) -> None:
        self.parts, self.empty = parts, all(p.empty for p in parts)

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        fired, starts = np.ones(len(book), dtype=np.bool_), np.full(len(book), NO_DAY, dtype=np.int64)
        for part in self.parts:
            part_fired, part_starts = part.fired(book)
            fired, starts = fired & part_fired, np.maximum(starts, part_starts)
        return fired, np.where(starts == NO_DAY, book.as_of, starts)

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        need = np.zeros(len(book), dtype=np.bool_)
        need[rows] = True
        if not self.parts:
            return [""] * len(rows)
        if not any(p.empty for p in self.parts):  # every part gives a reason: the first one starts the sentence
            parts = [part.reasons(book, need, first and i == 0)[rows].tolist() for i, part in enumerate(self.parts)]
            return list(map("; ".join, zip(*parts, strict=True)))
        parts = [part.reasons(book, need)[rows].tolist() for part in self.parts]
        joined = ["; ".join(t for t in texts if t) for texts in zip(*parts, strict=True)]
        return [sentence(t) for t in joined] if first else joined


class Any_(Node):
    def __init__(self, parts: list[Node]) -> None:
        self.parts, self.empty = parts, any(p.empty for p in parts)

    def _fired(self, book: Book) -> tuple[BoolArray, IntArray]:
        fired, starts = np.zeros(len(book), dtype=np.bool_), np.full(len(book), NO_DAY, dtype=np.int64)
        for part in self.parts:
            part_fired, part_starts = part.fired(book)
            starts = np.where(part_fired & ~fired, part_starts, starts)
            fired |= part_fired
        return fired, starts

    def _reasons(self, book: Book, rows: IntArray, first: bool) -> list[str]:
        out = np.full(len(book), "", dtype=object)
        taken = np.ones(len(book), dtype=np.bool_)
        taken[rows] = False
        for part in self.parts:
            part_fired, _ = part.fired(book)
            need = part_fired & ~taken
            out[need] = part.reasons(book, need, first)[need]
            taken |= need
        return list(out[rows].tolist())


def compile_rule(cond: Mapping[str, Any], playbook: str, labels: Mapping[str, str], stages: Sequence[str]) -> Node:
    """The :class:`Node` of a rule condition (the same dispatch on keys as :func:`calculators.rules.evaluate`)."""
    if "all" in cond:
        return All([compile_rule(c, playbook, labels, stages) for c in cond["all"]])
    if "any" in cond:
        return Any_([compile_rule(c, playbook, labels, stages) for c in cond["any"]])
    if "metric" in cond:
        return Metric(cond, labels)
    if "change" in cond:
        return Change(cond, labels)
    if "event" in cond:
        return Event(cond, labels, playbook)
    if "date" in cond:
        return Date(cond, labels, playbook)
    if "every_days" in cond or "every_months" in cond:
        return Schedule(cond, playbook)
    if "stage" in cond:
        return Stage(cond["stage"], stages, labels)
    if "arr" in cond:
        return Arr(cond["arr"])
    raise ValueError(f"{playbook}: a rule condition has no known kind (keys: {', '.join(cond)})")
