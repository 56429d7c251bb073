"""Bands drawn for the reader: where a value falls on its band scale, and the band table.

Tones colour the bands: the health bands from ``good`` (the first) to ``worse``, a 0–100
score by its value; other scales mark the active band.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..bands import describe_range
from . import charts
from .charts import Segment, esc
from .widgets import Config, html_table

HEALTH_TONES = ("good", "ok", "warn", "bad", "worse")


def health_tone(band_id: str, config: Config) -> str:
    """The tone of a health band: by its place in the health model, ``neutral`` when unknown."""
    ids = [b["id"] for b in config["health"]["bands"]]
    if band_id not in ids:
        return "neutral"
    return HEALTH_TONES[min(ids.index(band_id), len(HEALTH_TONES) - 1)]


def score_tone(score: float) -> str:
    """The tone of a 0–100 score: good from 80, ok from 60, warn from 40, else bad."""
    return "good" if score >= 80 else "ok" if score >= 60 else "warn" if score >= 40 else "bad"


def _domain(bands: Sequence[Mapping[str, Any]], value: float) -> tuple[float, float]:
    edges = [float(b[k]) for b in bands for k in ("min", "max") if b.get(k) is not None]
    if not edges:
        return (min(0.0, value), max(1.0, value))
    low, high = min(edges), max(edges)
    span = (high - low) or max(abs(high), 1.0)
    if any(b.get("min") is None for b in bands):
        low -= span * 0.25
    if any(b.get("max") is None for b in bands):
        high += span * 0.25
    if value < low:
        low = value - span * 0.05
    if value > high:
        high = value + span * 0.05
    return (low, high)


def band_scale(
    title: str,
    bands: Sequence[Mapping[str, Any]],
    value: float,
    value_text: str,
    active: str | None,
    *,
    unit: str = "",
    tone: Callable[[str], str] | None = None,
) -> str:
    """The bands as a scale with ``value`` marked; ``tone`` colours each band (default: the active one)."""
    low, high = _domain(bands, value)
    segments = [
        Segment(
            label=str(b.get("label", b["id"])),
            low=float(b["min"]) if b.get("min") is not None else low,
            high=float(b["max"]) if b.get("max") is not None else high,
            tone=tone(str(b["id"])) if tone else ("accent" if b["id"] == active else "muted"),
            active=b["id"] == active,
            range_text=describe_range(b, unit),
        )
        for b in bands
    ]
    active_label = next((s.label for s in segments if s.active), "no band")
    caption = f"{title}: {value_text}, in the {active_label} band."
    ticks = [float(b[k]) for b in bands for k in ("min", "max") if b.get(k) is not None]
    return charts.band_scale(title, segments, value, value_text, low=low, high=high, caption=caption, ticks=ticks)


def band_table(title: str, bands: Sequence[Mapping[str, Any]], active: str | None, unit: str) -> str:
    """The bands as a table (band, range, meaning), the active one marked ◀."""
    rows = []
    for band in bands:
        here = band["id"] == active
        label = f"<strong>{esc(band.get('label', band['id']))}</strong> ◀" if here else esc(band.get("label", band["id"]))
        rows.append([label, esc(describe_range(band, unit)), esc(band.get("meaning", ""))])
    return html_table(("Band", "Range", "Meaning"), rows, caption=title, cls="cs-bands")
