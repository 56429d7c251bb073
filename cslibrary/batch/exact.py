"""Vectorised arithmetic that gives bit-for-bit the answers of the scalar calculators.

* :func:`exact_sum` adds a few columns row by row and returns what :func:`math.fsum` returns
  for each row: the correctly rounded sum. It uses error-free transformations (Knuth's
  TwoSum): the running sum plus the exact rounding errors equals the true sum; when the
  errors themselves add up exactly, one final addition rounds the true sum once, as ``fsum``
  does. The rare rows where that is not certain are summed with ``math.fsum`` itself.
  Rows holding an infinity are left as IEEE arithmetic gives them (the scorer rejects them).
* :func:`band_codes` finds the band of many values with the conventions of
  :func:`calculators.bands.find_band` (``min`` included, ``max`` excluded unless the band says
  otherwise, values compared after rounding to 9 decimals). Values within 1e-8 of a band
  edge, the only ones the rounding can move, are looked up with ``find_band`` itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from calculators.bands import find_band

from .parse import BoolArray, FloatArray, IntArray

#: Values closer than this to a band edge are looked up by the scalar code.
EDGE = 1e-8


def _two_sum(a: FloatArray, b: FloatArray) -> tuple[FloatArray, FloatArray]:
    total = a + b
    b_part = total - a
    a_part = total - b_part
    return total, (a - a_part) + (b - b_part)


def exact_sum(terms: Sequence[FloatArray]) -> FloatArray:
    """Σ terms row by row, correctly rounded (equal to ``math.fsum`` of each row).

    >>> import numpy as np
    >>> columns = [np.array([0.1, 1e16]), np.array([0.2, 1.0]), np.array([0.3, -1e16])]
    >>> (columns[0] + columns[1] + columns[2]).tolist()  # plain addition, rounded at each step
    [0.6000000000000001, 0.0]
    >>> exact_sum(columns).tolist()  # like math.fsum
    [0.6, 1.0]
    """
    if not terms:
        raise ValueError("exact_sum needs at least one column")
    with np.errstate(all="ignore"):
        running = np.array(terms[0], dtype=np.float64, copy=True)
        errors: list[FloatArray] = []
        for term in terms[1:]:
            running, error = _two_sum(running, term)
            errors.append(error)
        if not errors:
            return running
        tail = errors[0]
        unsure: BoolArray = np.zeros(len(running), dtype=np.bool_)
        for error in errors[1:]:
            tail, lost = _two_sum(tail, error)
            unsure |= lost != 0
        total = running + tail
    rows = np.flatnonzero(unsure & np.isfinite(total))
    if rows.size:
        stacked = np.stack([np.asarray(t, dtype=np.float64)[rows] for t in terms], axis=1)
        total[rows] = [math.fsum(row) for row in stacked.tolist()]
    return total


def _inside(band: Mapping[str, Any], values: FloatArray) -> BoolArray:
    inside = np.isfinite(values)
    low, high = band.get("min"), band.get("max")
    if low is not None:
        inside &= values > low if band.get("min_inclusive", True) is False else values >= low
    if high is not None:
        inside &= values <= high if band.get("max_inclusive", False) else values < high
    return inside


def band_codes(bands: Sequence[Mapping[str, Any]], values: FloatArray) -> IntArray:
    """The index of the first band holding each value, ``-1`` for none (NaN gives ``-1``).

    >>> import numpy as np
    >>> bands = [{"min": 80, "max": 100, "max_inclusive": True}, {"min": 60, "max": 80}]
    >>> band_codes(bands, np.array([100.0, 79.9999999999, 80.0, 59.0, np.nan])).tolist()
    [0, 0, 0, -1, -1]
    """
    codes = np.full(len(values), -1, dtype=np.int64)
    with np.errstate(all="ignore"):
        free = np.ones(len(values), dtype=np.bool_)
        for i, band in enumerate(bands):
            hit = free & _inside(band, values)
            codes[hit] = i
            free &= ~hit
        near = np.zeros(len(values), dtype=np.bool_)
        for edge in {float(b[k]) for b in bands for k in ("min", "max") if b.get(k) is not None}:
            near |= np.abs(values - edge) <= EDGE
    for row in np.flatnonzero(near):
        found = find_band(bands, float(values[row]))
        codes[row] = -1 if found is None else next(i for i, b in enumerate(bands) if b is found)
    return codes


def at_least(values: FloatArray, threshold: float) -> BoolArray:
    """``round(value, 9) >= threshold`` for each value, the comparison ``find_band`` makes.

    >>> import numpy as np
    >>> at_least(np.array([14999.9999999999, 14999.99, 15000.0]), 15000).tolist()
    [True, False, True]
    """
    with np.errstate(all="ignore"):
        result = np.asarray(values >= threshold, dtype=np.bool_)
        near = np.flatnonzero(np.abs(values - threshold) <= EDGE)
    for row in near:
        result[row] = round(float(values[row]), 9) >= threshold
    return result
