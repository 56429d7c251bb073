"""Charts as SVG strings, each with a text equivalent.

The same functions draw the worked example when the site is built and the live result in
the reader's browser (through Pyodide), so the two can never disagree. Every text that
reaches the markup is escaped. Colours are not set here: elements carry classes
(``cs-tone-good`` …) that the site's stylesheet colours for the light, dark and print
schemes. Each chart is a ``<figure>``: the SVG has ``role="img"`` and a short label, the
caption says what it shows, and a table holds the numbers.

>>> html = bar_chart("Points", [Bar("Usage <b>", 21.6, "21.6", tone="good", track=30)], caption="Points per component")
>>> "Usage &lt;b&gt;" in html and "<b>" not in html
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
ROW = 30
FONT = 13


def esc(text: object) -> str:
    """HTML-escape any value's text (quotes included)."""
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """A compact SVG coordinate."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart.

    ``track`` draws a faint full-length bar behind the value (the most it could be, e.g. a
    component's weight, or the ARR due behind the expected amount). ``target`` shades a
    range (e.g. a cost-to-serve target).
    """

    label: str
    value: float
    text: str
    tone: str = "neutral"
    track: float | None = None
    track_text: str = ""
    target: tuple[float | None, float | None] | None = None


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        '<details class="cs-chart__data"><summary>Chart data</summary>'
        f'<table class="cs-table cs-table--data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>'
    )


def _figure(svg: str, caption: str, table: str, kind: str) -> str:
    return f'<figure class="cs-chart cs-chart--{esc(kind)}">{svg}<figcaption>{esc(caption)}</figcaption>{table}</figure>'


def _svg(height: float, label: str, body: str) -> str:
    return (
        f'<svg class="cs-chart__svg" viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" '
        f'aria-label="{esc(label)}" preserveAspectRatio="xMinYMin meet" focusable="false">{body}</svg>'
    )


def bar_chart(title: str, bars: Sequence[Bar], *, caption: str, headers: Sequence[str] = ("Item", "Value")) -> str:
    """Horizontal bars, one per row, with the value written after each bar."""
    label_w, value_w, pad = 190.0, 150.0, 6.0
    plot_w = WIDTH - label_w - value_w
    top = max(
        [b.value for b in bars] + [b.track or 0.0 for b in bars] + [t for b in bars if b.target for t in b.target if t is not None] + [0.0]
    )
    top = top or 1.0
    parts: list[str] = []
    for i, bar in enumerate(bars):
        y = pad + i * ROW
        mid = y + ROW / 2
        parts.append(
            f'<text class="cs-chart__label" x="{_n(label_w - 8)}" y="{_n(mid)}" text-anchor="end" dominant-baseline="middle">{esc(_clip(bar.label, 26))}</text>'
        )
        if bar.target is not None:
            low = bar.target[0] or 0.0
            high = bar.target[1] if bar.target[1] is not None else top
            parts.append(
                f'<rect class="cs-chart__target" x="{_n(label_w + plot_w * low / top)}" y="{_n(y + 2)}" '
                f'width="{_n(max(plot_w * (high - low) / top, 1))}" height="{_n(ROW - 4)}"/>'
            )
        if bar.track is not None:
            parts.append(
                f'<rect class="cs-chart__track" x="{_n(label_w)}" y="{_n(y + 7)}" width="{_n(plot_w * max(bar.track, 0) / top)}" height="{_n(ROW - 14)}" rx="2"/>'
            )
        width = plot_w * max(bar.value, 0) / top
        parts.append(
            f'<rect class="cs-chart__bar cs-tone-{esc(bar.tone)}" x="{_n(label_w)}" y="{_n(y + 7)}" width="{_n(width)}" height="{_n(ROW - 14)}" rx="2"/>'
        )
        target_end = (bar.target[1] if bar.target[1] is not None else top) if bar.target is not None else 0.0
        end = max(width, plot_w * (bar.track or 0) / top, plot_w * target_end / top)
        parts.append(
            f'<text class="cs-chart__value" x="{_n(label_w + end + 6)}" y="{_n(mid)}" dominant-baseline="middle">{esc(bar.text)}</text>'
        )
    height = pad * 2 + ROW * len(bars)
    rows = [[b.label, b.text] + ([b.track_text] if len(headers) > 2 else []) for b in bars]
    return _figure(_svg(height, title, "".join(parts)), caption, _table(headers, rows), "bars")


@dataclass(frozen=True)
class Step:
    """One column of a waterfall: from ``start`` to ``end`` (a total when ``start`` is 0)."""

    label: str
    start: float
    end: float
    text: str
    tone: str = "neutral"


def waterfall(title: str, steps: Sequence[Step], *, caption: str) -> str:
    """Floating columns from a starting total through each change to the ending total."""
    left, right, top_pad, bottom = 10.0, 10.0, 26.0, 40.0
    height = 260.0
    plot_h = height - top_pad - bottom
    high = max([max(s.start, s.end) for s in steps] + [0.0]) or 1.0
    slot = (WIDTH - left - right) / max(len(steps), 1)
    col = slot * 0.56

    def y_of(v: float) -> float:
        return top_pad + plot_h * (1 - v / high)

    parts = [f'<line class="cs-chart__axis" x1="{_n(left)}" x2="{_n(WIDTH - right)}" y1="{_n(y_of(0))}" y2="{_n(y_of(0))}"/>']
    for i, step in enumerate(steps):
        x = left + i * slot + (slot - col) / 2
        y1, y2 = y_of(max(step.start, step.end)), y_of(min(step.start, step.end))
        parts.append(
            f'<rect class="cs-chart__bar cs-tone-{esc(step.tone)}" x="{_n(x)}" y="{_n(y1)}" width="{_n(col)}" height="{_n(max(y2 - y1, 1))}" rx="2"/>'
        )
        parts.append(f'<text class="cs-chart__value" x="{_n(x + col / 2)}" y="{_n(y1 - 7)}" text-anchor="middle">{esc(step.text)}</text>')
        parts.append(
            f'<text class="cs-chart__label" x="{_n(x + col / 2)}" y="{_n(height - bottom + 18)}" text-anchor="middle">{esc(_clip(step.label, 16))}</text>'
        )
        if i + 1 < len(steps):
            parts.append(
                f'<line class="cs-chart__link" x1="{_n(x + col)}" x2="{_n(x + slot)}" y1="{_n(y_of(step.end))}" y2="{_n(y_of(step.end))}"/>'
            )
    rows = [[s.label, s.text] for s in steps]
    return _figure(_svg(height, title, "".join(parts)), caption, _table(("Step", "Amount"), rows), "waterfall")


@dataclass(frozen=True)
class Segment:
    """One band of a scale, from ``low`` to ``high`` (already clipped to the scale)."""

    label: str
    low: float
    high: float
    tone: str = "neutral"
    active: bool = False
    range_text: str = ""


def band_scale(
    title: str,
    segments: Sequence[Segment],
    value: float,
    value_text: str,
    *,
    low: float,
    high: float,
    caption: str,
    ticks: Sequence[float] | None = None,
) -> str:
    """A strip of bands from ``low`` to ``high`` with a marker at ``value``; ``ticks`` label the band edges."""
    left, right, y0, bar_h = 12.0, 12.0, 30.0, 22.0
    span = (high - low) or 1.0
    plot_w = WIDTH - left - right

    def x_of(v: float) -> float:
        return left + plot_w * (min(max(v, low), high) - low) / span

    parts: list[str] = []
    for seg in segments:
        x1, x2 = x_of(seg.low), x_of(seg.high)
        cls = f"cs-chart__band cs-tone-{esc(seg.tone)}" + (" cs-chart__band--active" if seg.active else "")
        parts.append(f'<rect class="{cls}" x="{_n(x1)}" y="{_n(y0)}" width="{_n(max(x2 - x1, 0.5))}" height="{_n(bar_h)}"/>')
        if x2 - x1 > 46:
            parts.append(
                f'<text class="cs-chart__label cs-chart__label--small" x="{_n((x1 + x2) / 2)}" y="{_n(y0 + bar_h + 16)}" text-anchor="middle">{esc(_clip(seg.label, int((x2 - x1) / 7)))}</text>'
            )
    for edge in sorted(set(ticks) if ticks is not None else {s.low for s in segments} | {s.high for s in segments}):
        parts.append(
            f'<text class="cs-chart__tick" x="{_n(x_of(edge))}" y="{_n(y0 + bar_h + 30)}" text-anchor="middle">{esc(f"{edge:g}")}</text>'
        )
    mx = x_of(value)
    anchor = "start" if mx < left + 60 else "end" if mx > WIDTH - right - 60 else "middle"
    parts.append(f'<path class="cs-chart__marker" d="M{_n(mx - 7)} {_n(y0 - 10)} L{_n(mx + 7)} {_n(y0 - 10)} L{_n(mx)} {_n(y0 + 2)} Z"/>')
    parts.append(f'<line class="cs-chart__marker-line" x1="{_n(mx)}" x2="{_n(mx)}" y1="{_n(y0)}" y2="{_n(y0 + bar_h)}"/>')
    parts.append(f'<text class="cs-chart__value" x="{_n(mx)}" y="{_n(y0 - 14)}" text-anchor="{anchor}">{esc(value_text)}</text>')
    rows = [[s.label, s.range_text, "◀ here" if s.active else ""] for s in segments]
    return _figure(_svg(y0 + bar_h + 38, title, "".join(parts)), caption, _table(("Band", "Range", "Value"), rows), "scale")


def stacked_bar(title: str, parts_in: Sequence[Bar], *, caption: str) -> str:
    """One bar split into shares (values are shares of their sum)."""
    left, right, y0, bar_h = 12.0, 12.0, 8.0, 30.0
    total = sum(max(p.value, 0) for p in parts_in) or 1.0
    plot_w = WIDTH - left - right
    x = left
    parts: list[str] = []
    for part in parts_in:
        w = plot_w * max(part.value, 0) / total
        parts.append(
            f'<rect class="cs-chart__bar cs-tone-{esc(part.tone)}" x="{_n(x)}" y="{_n(y0)}" width="{_n(w)}" height="{_n(bar_h)}"/>'
        )
        if w > 70:
            parts.append(
                f'<text class="cs-chart__inbar" x="{_n(x + w / 2)}" y="{_n(y0 + bar_h / 2)}" text-anchor="middle" dominant-baseline="middle">{esc(part.text)}</text>'
            )
        x += w
    legend_y = y0 + bar_h + 22
    lx = left
    for part in parts_in:
        parts.append(
            f'<rect class="cs-chart__bar cs-tone-{esc(part.tone)}" x="{_n(lx)}" y="{_n(legend_y - 10)}" width="12" height="12" rx="2"/>'
        )
        label = f"{part.label} {part.text}"
        parts.append(f'<text class="cs-chart__label" x="{_n(lx + 18)}" y="{_n(legend_y)}">{esc(label)}</text>')
        lx += 36 + len(label) * 7.2
    rows = [[p.label, p.text] for p in parts_in]
    return _figure(_svg(legend_y + 10, title, "".join(parts)), caption, _table(("Part", "Share"), rows), "stacked")
