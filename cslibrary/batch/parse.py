"""Parsing text cells into numbers, dates and choices, a whole column at a time.

Conventions:

* A cell is *missing* when, once stripped, it is empty or one of :data:`MISSING_TOKENS`
  (``NA``, ``N/A``, ``null``, ``none``, ``nan``, ``-``, ``#N/A``; any case).
* A number is whatever Python's ``float()`` accepts (``1e3``, `` 72 ``); anything else is
  *bad* and the row is rejected. Infinities parse and are rejected by the range checks.
  ``-0`` is read as ``0``. Decimal commas and thousands separators are turned into this plain
  form by the reader before a cell gets here (:mod:`.numbers`).
* A date is ISO 8601: ``YYYY-MM-DD``, optionally followed by a time (``2025-03-31 00:00``,
  ``2025-03-31T12:00:00+02:00``). Its calendar quarter is kept as ``year * 4 + quarter - 1``.
* Each parser has a vectorised fast path for clean columns and falls back to a per-cell
  loop only for columns that contain odd cells, so its answer never depends on the path;
  dates are parsed once per distinct cell.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

#: Cells that mean "no value", compared after stripping and lower-casing.
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "#n/a"})


def is_missing(cell: object) -> bool:
    """Whether a single cell counts as missing.

    >>> [is_missing(c) for c in ("", " N/A ", "null", "0", "x")]
    [True, True, True, False, False]
    """
    return str(cell).strip().lower() in MISSING_TOKENS


def parse_number(cell: object) -> float | None:
    """One cell as a number, ``None`` when missing; raises ``ValueError`` when it is not a number.

    >>> parse_number(" 72.5 "), parse_number("N/A"), parse_number("-0")
    (72.5, None, 0.0)
    """
    if is_missing(cell):
        return None
    value = float(str(cell))
    if math.isnan(value):
        return None
    return value + 0.0


def numbers(cells: ObjectArray) -> tuple[FloatArray, BoolArray]:
    """A column as numbers: ``(values, bad)``; ``values`` is NaN where missing or bad.

    >>> values, bad = numbers(np.array(["72", "", "1e3", " 5 ", "N/A", "x"], dtype=object))
    >>> values.tolist(), bad.tolist()
    ([72.0, nan, 1000.0, 5.0, nan, nan], [False, False, False, False, False, True])
    """
    missing = np.asarray(cells == "", dtype=np.bool_)
    filled = cells.copy()
    filled[missing] = "nan"
    try:  # clean columns (numbers and empty cells) convert in one go; anything else goes cell by cell
        values = np.asarray(filled.astype(np.float64), dtype=np.float64)
    except (ValueError, TypeError):
        return _numbers_slow(cells)
    values = values + 0.0
    return values, np.zeros(len(cells), dtype=np.bool_)


def _numbers_slow(cells: ObjectArray) -> tuple[FloatArray, BoolArray]:
    values = np.full(len(cells), np.nan, dtype=np.float64)
    bad = np.zeros(len(cells), dtype=np.bool_)
    for i, cell in enumerate(cells.tolist()):
        try:
            number = parse_number(cell)
        except (ValueError, TypeError):
            bad[i] = True
            continue
        if number is not None:
            values[i] = number
    return values, bad


def parse_date(cell: object) -> datetime.date | None:
    """One cell as a date, ``None`` when missing; raises ``ValueError`` when it is not a date.

    >>> parse_date("2025-03-31"), parse_date("2025-03-31T09:00:00+02:00"), parse_date("")
    (datetime.date(2025, 3, 31), datetime.date(2025, 3, 31), None)
    """
    if is_missing(cell):
        return None
    text = str(cell).strip()
    if len(text) < 10 or text[4] != "-":
        raise ValueError(text)
    return datetime.datetime.fromisoformat(text).date()


#: The ordinal (``datetime.date.toordinal``) of 1970-01-01: numpy's day 0.
EPOCH = datetime.date(1970, 1, 1).toordinal()
#: The day of a missing date in the arrays of :func:`days` (far below every real day, and safe to subtract from).
NO_DAY = -(1 << 40)


def days(cells: ObjectArray) -> tuple[IntArray, BoolArray]:
    """A column of dates as day ordinals (:data:`NO_DAY` when missing) and a ``bad`` mask.

    >>> ordinals, bad = days(np.array(["2025-03-31", "N/A", "2025-11-02T09:00", "31/03/2025"], dtype=object))
    >>> [datetime.date.fromordinal(d).isoformat() if d != NO_DAY else None for d in ordinals.tolist()], bad.tolist()
    (['2025-03-31', None, '2025-11-02', None], [False, False, False, True])
    """
    codes, uniques = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=False)
    table = np.full(len(uniques), NO_DAY, dtype=np.int64)
    flags = np.zeros(len(uniques), dtype=np.bool_)
    for i, value in enumerate(uniques.tolist()):  # a date column repeats its days: each is parsed once
        try:
            day = parse_date(value)
        except (ValueError, TypeError):
            flags[i] = True
            continue
        if day is not None:
            table[i] = day.toordinal()
    return table[codes], flags[codes]


def quarters(cells: ObjectArray) -> tuple[IntArray, BoolArray]:
    """A column of dates as calendar-quarter keys (``-1`` when missing) and a ``bad`` mask.

    >>> keys, bad = quarters(np.array(["2025-03-31", "N/A", "2025-11-02T09:00", "31/03/2025"], dtype=object))
    >>> [quarter_label(k) if k >= 0 else None for k in keys.tolist()], bad.tolist()
    (['2025-Q1', None, '2025-Q4', None], [False, False, False, True])
    """
    ordinals, bad = days(cells)
    known = ordinals != NO_DAY
    months = np.where(known, ordinals - EPOCH, 0).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    keys = (1970 + months // 12) * 4 + (months % 12) // 3
    return np.where(known, keys, -1), bad


def quarter_label(key: int) -> str:
    """``2025-Q1`` for a quarter key.

    >>> quarter_label(2025 * 4 + 2)
    '2025-Q3'
    """
    return f"{key // 4}-Q{key % 4 + 1}"


def choices(cells: ObjectArray, lookup: Callable[[str], int | None]) -> tuple[IntArray, BoolArray]:
    """Map a low-cardinality column through ``lookup`` (normalised text → code).

    Returns codes (``-1`` where the cell is missing) and a ``bad`` mask where ``lookup`` gives
    ``None``. ``lookup`` runs once per distinct value.

    >>> cells = np.array(["Enterprise", "smb", "", "SMB", "mid"], dtype=object)
    >>> codes, bad = choices(cells, normalised_lookup({"enterprise": 0, "SMB": 1}))
    >>> codes.tolist(), bad.tolist()
    ([0, 1, -1, 1, -1], [False, False, False, False, True])
    """
    codes, uniques = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=np.int64)
    flags = np.zeros(len(uniques) + 1, dtype=np.bool_)
    table[-1] = -1
    for i, value in enumerate(uniques.tolist()):
        if is_missing(value):
            table[i] = -1
            continue
        code = lookup(str(value))
        table[i] = -1 if code is None else code
        flags[i] = code is None
    return table[codes], flags[codes]


def normalised_lookup(names: Mapping[str, int]) -> Callable[[str], int | None]:
    """A ``lookup`` for :func:`choices` that ignores case, spaces, hyphens and underscores."""
    from .columns import normalise

    table = {normalise(k): v for k, v in names.items()}

    def lookup(text: str) -> int | None:
        return table.get(normalise(text))

    return lookup
