"""The report's building blocks (headings, paragraphs, bullets, tables, bar charts) and its number formats.

Blocks hold plain text; :mod:`.formats` escapes and renders them. Money is shown rounded to
whole units, percentages to one decimal; the numbers themselves are never rounded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Chart:
    """Horizontal bars: one group per label, one bar per series."""

    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    fmt: Callable[[float], str] = field(default=lambda v: f"{v:,.0f}")
    colours: list[str] | None = None  # one per label, for a single series (e.g. band colours)


Block = Heading | Paragraph | Bullets | Table | Chart


def money(value: float) -> str:
    """Money for display: whole units with thousands separators.

    >>> money(147500.4)
    '147,500'
    """
    return f"{value:,.0f}"


def pct(value: float | None) -> str:
    """A percentage for display, ``—`` when undefined.

    >>> pct(65.5555), pct(None)
    ('65.6 %', '—')
    """
    return "—" if value is None else f"{value:.1f} %"


def count(value: int) -> str:
    """A count for display, with thousands separators."""
    return f"{value:,}"


def share(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole``; ``None`` when ``whole`` is 0."""
    return part * 100 / whole if whole else None


def count_fmt(value: float) -> str:
    """A count shown on a chart axis: whole numbers with thousands separators."""
    return f"{value:,.0f}"
