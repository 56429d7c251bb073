"""Finding the band a value falls in.

A band is a mapping with optional ``min`` and ``max``. ``min`` is included and ``max``
excluded unless the band says ``min_inclusive: false`` or ``max_inclusive: true``. A band
without ``min`` (or ``max``) is open on that side.

>>> bands = [{"id": "low", "max": 3}, {"id": "mid", "min": 3, "max": 5, "max_inclusive": True},
...          {"id": "high", "min": 5, "min_inclusive": False}]
>>> [find_band(bands, v)["id"] for v in (2.9, 3, 5, 5.01)]
['low', 'mid', 'mid', 'high']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Band = Mapping[str, Any]

#: Values are compared after rounding to this many decimals, so that 79.99999999999999
#: from floating-point addition lands in the same band as the exact 80 it stands for.
#: The returned score itself is never rounded.
BAND_PRECISION = 9


def contains(band: Band, value: float) -> bool:
    """Whether ``value`` lies in ``band`` under the inclusive/exclusive conventions."""
    low, high = band.get("min"), band.get("max")
    if low is not None and (value < low or (value == low and band.get("min_inclusive", True) is False)):
        return False
    return not (high is not None and (value > high or (value == high and not band.get("max_inclusive", False))))


def find_band(bands: Sequence[Band], value: float) -> Band | None:
    """The first band holding ``value``, or ``None`` when none does."""
    rounded = round(value, BAND_PRECISION)
    for band in bands:
        if contains(band, rounded):
            return band
    return None


def describe_range(band: Band, unit: str = "") -> str:
    """A band's range in interval notation, e.g. ``[60, 80)`` or ``< 90``.

    >>> describe_range({"min": 60, "max": 80})
    '[60, 80)'
    >>> describe_range({"max": 90}, "%")
    '< 90 %'
    """
    low, high = band.get("min"), band.get("max")
    suffix = f" {unit}" if unit else ""
    if low is None and high is not None:
        op = "≤" if band.get("max_inclusive") else "<"
        return f"{op} {high:g}{suffix}"
    if high is None and low is not None:
        op = "≥" if band.get("min_inclusive", True) else ">"
        return f"{op} {low:g}{suffix}"
    left = "[" if band.get("min_inclusive", True) else "("
    right = "]" if band.get("max_inclusive") else ")"
    return f"{left}{low:g}, {high:g}{right}{suffix}"


def band_summary(bands: Sequence[Band], value: float, unit: str = "") -> dict[str, Any]:
    """The ``band``, ``band_label`` and ``band_range`` keys for a value (``None`` if no band)."""
    band = find_band(bands, value)
    if band is None:
        return {"band": None, "band_label": None, "band_range": None}
    return {"band": band["id"], "band_label": band.get("label", band["id"]), "band_range": describe_range(band, unit)}
