"""The values, texts and day arithmetic of the vectorised rules (:mod:`.conditions`), written as
:mod:`calculators.rules` writes them.

Days are date ordinals (``datetime.date.toordinal``). A rule's day counts are turned into a
shift once, by the same ``datetime`` arithmetic the calculator does, so that even a
fractional count moves a date as ``date ± timedelta(days=…)`` does.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .parse import NO_DAY, BoolArray, FloatArray, IntArray
from .signals import Book

_REF = datetime.date(2000, 1, 1)
_CHECKS: dict[str, Callable[[FloatArray, Any], BoolArray]] = {
    "below": lambda v, b: np.asarray(v < b),
    "at_most": lambda v, b: np.asarray(v <= b),
    "above": lambda v, b: np.asarray(v > b),
    "at_least": lambda v, b: np.asarray(v >= b),
}


def number_text(x: float) -> str:
    """A number as the rules write it: ``1,250``, ``35.5``; one decimal at most.

    >>> number_text(35.0), number_text(1250.25), number_text(-30.0)
    ('35', '1,250.2', '-30')
    """
    return f"{x:,.1f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"


def number_texts(values: FloatArray) -> list[str]:
    """:func:`number_text` of each value (each distinct value formatted once)."""
    if len(values) < 64:
        return [number_text(v) for v in values.tolist()]
    unique, inverse = np.unique(values, return_inverse=True)
    texts = np.array([number_text(v) for v in unique.tolist()], dtype=object)
    return list(texts[inverse].tolist())


def day_texts(ordinals: IntArray) -> list[str]:
    """Day ordinals as ``YYYY-MM-DD`` (each distinct day written once).

    >>> day_texts(np.array([739957, 739957, 739958]))
    ['2026-12-07', '2026-12-07', '2026-12-08']
    """
    codes, uniques = pd.factorize(np.asarray(ordinals, dtype=np.int64))
    texts = np.array([datetime.date.fromordinal(d).isoformat() for d in uniques.tolist()], dtype=object)
    return list(texts[codes].tolist())


def within(values: FloatArray, bounds: Mapping[str, Any]) -> BoolArray:
    """:func:`calculators.rules.within` for many values (NaN, the unknown value, is never within)."""
    ok = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        for key, bound in bounds.items():
            if key in _CHECKS:
                ok &= _CHECKS[key](values, bound)
    return ok


def shift(days: Any, sign: int = 1) -> int:
    """The days ``date + sign × timedelta(days=days)`` moves a date by (as ``datetime`` counts them)."""
    delta = datetime.timedelta(days=days)
    return ((_REF + delta) if sign > 0 else (_REF - delta)).toordinal() - _REF.toordinal()


def add_months(ordinals: IntArray, months: int) -> IntArray:
    """``months`` calendar months after each day; a day past the month's end becomes its last day."""
    unique, inverse = np.unique(ordinals, return_inverse=True)
    moved = []
    for ordinal in unique.tolist():
        day = datetime.date.fromordinal(ordinal)
        month = day.month - 1 + months
        year, month = day.year + month // 12, month % 12 + 1
        moved.append(datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1])).toordinal())
    return np.asarray(np.array(moved, dtype=np.int64)[inverse], dtype=np.int64).reshape(ordinals.shape)


def label(labels: Mapping[str, str], key: str) -> str:
    return labels.get(key) or key.replace("_", " ").capitalize()


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised, as the calculator writes a play's reason."""
    return text[:1].upper() + text[1:]


def last_run(book: Book, playbook: str) -> IntArray:
    """``dates.last_<playbook>`` of each account (:data:`NO_DAY` when it never ran)."""
    key = f"last_{playbook.replace('-', '_')}"
    return book.dates[key] if key in book.dates else np.full(len(book), NO_DAY, dtype=np.int64)
