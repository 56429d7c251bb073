"""Human labels for the model's ids and numbers: categories, channels, offsets, ranges."""

from __future__ import annotations

from ..model.base import CHANNEL_LABELS

CATEGORIES = {
    "lifecycle": "Lifecycle",
    "intervention": "Intervention",
    "operational": "Operational",
    "campaign": "Campaign",
    "success_play": "Success play",
}
TRIGGERS = {"metric": "Metric threshold", "event": "Event", "schedule": "Schedule", "date": "Date"}
CONDITIONS = {"below": "falls below", "above": "rises above", "drops_by": "drops by", "rises_by": "rises by"}
CHANNELS = CHANNEL_LABELS
METRIC_CATEGORIES = {
    "business_outcome": "Business outcome",
    "leading_indicator": "Leading indicator",
    "activity": "Activity",
    "operations": "Operations",
}
UNITS = {"percent": "%", "score": "points", "days": "days", "count": "", "currency": "", "ratio": ""}
DIRECTIONS = {"higher_is_better": "Higher is better", "lower_is_better": "Lower is better"}
OFFSET_UNITS = {"day": "Day", "week": "Week", "t_minus_day": "Days before renewal (T-minus)"}


def label(mapping: dict[str, str], key: str) -> str:
    """The label for ``key``, or the key made readable when the mapping lacks it."""
    return mapping.get(key, key.replace("_", " ").capitalize())


def offset(unit: str, at: int) -> str:
    """A step's time label: ``Day 3``, ``Day −14``, ``Week 2``, ``T-120``.

    >>> [offset("day", 3), offset("day", -14), offset("week", 2), offset("t_minus_day", -120), offset("t_minus_day", 0)]
    ['Day 3', 'Day −14', 'Week 2', 'T-120', 'T-0']
    """
    if unit == "t_minus_day":
        return f"T-{-at}" if at <= 0 else f"T+{at}"
    word = "Week" if unit == "week" else "Day"
    return f"{word} {at}" if at >= 0 else f"{word} −{-at}"


def number(value: float | int | None, digits: int = 1) -> str:
    """A number for display: thousands separators, at most ``digits`` decimals, no ``.0``.

    >>> [number(1000000), number(65.55), number(107.0), number(0.125, 3), number(None)]
    ['1,000,000', '65.5', '107', '0.125', '—']
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    text = f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def with_unit(value: float | int | None, unit: str) -> str:
    """``30 %``, ``14 days``, ``72 points``; money and counts stay bare numbers."""
    suffix = UNITS.get(unit, "")
    return f"{number(value)} {suffix}".rstrip() if value is not None else "—"


def value_range(low: float | None, high: float | None, unit: str = "", *, low_inclusive: bool = True, high_inclusive: bool = False) -> str:
    """A half-open range in words: ``90 to under 100 %``, ``under 90 %``, ``120 % or more``.

    >>> [value_range(90, 100, "percent"), value_range(None, 90, "percent"), value_range(120, None, "percent"), value_range(80, 100, high_inclusive=True)]
    ['90 to under 100 %', 'under 90 %', '120 % or more', '80 to 100']
    """
    suffix = f" {UNITS.get(unit, '')}".rstrip()
    if low is None and high is None:
        return "any value"
    if low is None:
        return f"{'up to' if high_inclusive else 'under'} {number(high)}{suffix}"
    if high is None:
        return f"{number(low)}{suffix} or more" if low_inclusive else f"over {number(low)}{suffix}"
    start = number(low) if low_inclusive else f"over {number(low)}"
    return f"{start} to {'' if high_inclusive else 'under '}{number(high)}{suffix}"


def money(value: float | int | None) -> str:
    return number(value, 0) if value is not None else "—"
