"""The report's blocks rendered as Markdown, as a self-contained HTML page (charts as inline
SVG, no script, no external resources) or as plain text (the terminal, ``.txt`` reports).

Every piece of text is escaped by the renderer: HTML-escaped in the page and its SVG,
Markdown- and HTML-escaped in the Markdown file (:func:`md_escape`). Markdown charts are
fixed-width text bars in a fenced code block.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from .blocks import Block, Bullets, Chart, Heading, Paragraph, Table

#: The file names a report may be written to: Markdown, HTML or plain text.
REPORT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")


def render(blocks: Sequence[Block], path: str | Path) -> str:
    """The report text for ``path``'s extension (``.md``/``.markdown``, ``.html``/``.htm`` or ``.txt``)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".txt":
        return render_text(blocks)
    return render_html(blocks) if suffix in (".html", ".htm") else render_markdown(blocks)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LEADING = re.compile(r"^([#+\-=])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def md_escape(text: str) -> str:
    """Text made inert in Markdown: emphasis, code, link and table characters are
    backslash-escaped, ``<``, ``>`` and ``&`` become entities, a leading block marker is escaped.

    >>> print(md_escape("<script>|*x* [a](b)"))
    &lt;script&gt;\\|\\*x\\* \\[a\\](b)
    >>> print(md_escape("# not a heading"), md_escape("1. not a list"))
    \\# not a heading 1\\. not a list
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    escaped = _MD_NUMBERED.sub(r"\1\\\2", _MD_LEADING.sub(r"\\\1", escaped))
    return html.escape(escaped, quote=False)


def render_markdown(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {md_escape(block.text)}\n")
        elif isinstance(block, Paragraph):
            out.append(md_escape(block.text) + "\n")
        elif isinstance(block, Bullets):
            out.append("\n".join(f"- {md_escape(item)}" for item in block.items) + "\n")
        elif isinstance(block, Table):
            out.append(_md_table(block))
        else:
            out.append(_text_chart(block))
    return "\n".join(out)


def _md_table(table: Table) -> str:
    head = "| " + " | ".join(md_escape(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---:" if i in table.numeric else "---" for i in range(len(table.columns))) + "|"
    body = ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in table.rows]
    return "\n".join([head, rule, *body]) + "\n"


def _text_chart(chart: Chart, width: int = 40) -> str:
    """A bar chart in a fenced code block: the same numbers as the SVG, in characters."""
    top = max((v for _, values in chart.series for v in values), default=0.0)
    names = [f"{label} · {name}" if len(chart.series) > 1 else label for label in chart.labels for name, _ in chart.series]
    pad = max((len(n) for n in names), default=0)
    lines = [chart.title]
    for i, label in enumerate(chart.labels):
        for name, values in chart.series:
            value = values[i]
            bar = "█" * (round(value / top * width) if top > 0 else 0)
            text = f"{label} · {name}" if len(chart.series) > 1 else label
            lines.append(f"{text.ljust(pad)}  {bar} {chart.fmt(value)}")
    body = "\n".join(line.replace("`", "'") for line in lines)
    return f"```text\n{body}\n```\n"


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2328}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f8fa}figure{margin:0 0 1.5rem}
figcaption{font-weight:600;margin-bottom:.3rem}svg text{font-size:12px;fill:#1f2328}
"""

_COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#c62828", "#6a1b9a", "#546e7a")


def render_html(blocks: Sequence[Block]) -> str:
    e = html.escape
    title = next((b.text for b in blocks if isinstance(b, Heading)), "Report")
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
    ]
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{e(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{e(block.text)}</p>")
        elif isinstance(block, Bullets):
            out.append("<ul>" + "".join(f"<li>{e(item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, Table):
            out.append(_html_table(block))
        else:
            out.append(svg_chart(block))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_table(table: Table) -> str:
    def cls(i: int) -> str:
        return ' class="n"' if i in table.numeric else ""

    head = "".join(f"<th{cls(i)}>{html.escape(c)}</th>" for i, c in enumerate(table.columns))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{html.escape(cell)}</td>" for i, cell in enumerate(row)) + "</tr>" for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def svg_chart(chart: Chart) -> str:
    """An inline SVG horizontal bar chart (no script, no external resources)."""
    e = html.escape
    bar, gap, label_width, plot_width, value_width = 16, 10, 190, 380, 110
    groups = len(chart.labels)
    per_group = bar * len(chart.series) + gap
    legend = 22 if len(chart.series) > 1 else 0
    height = legend + groups * per_group + gap
    width = label_width + plot_width + value_width
    top = max((v for _, values in chart.series for v in values), default=0.0)
    parts = [
        f"<figure><figcaption>{e(chart.title)}</figcaption>",
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{e(chart.title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
    ]
    if legend:
        x = label_width
        for s, (name, _) in enumerate(chart.series):
            parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{_COLOURS[s % len(_COLOURS)]}"/>')
            parts.append(f'<text x="{x + 16}" y="14">{e(name)}</text>')
            x += 24 + 8 * len(name)
    for g, label in enumerate(chart.labels):
        y0 = legend + g * per_group + gap
        parts.append(f'<text x="{label_width - 8}" y="{y0 + bar * len(chart.series) / 2 + 4:g}" text-anchor="end">{e(label)}</text>')
        for s, (name, values) in enumerate(chart.series):
            value = values[g]
            length = value / top * plot_width if top > 0 and value > 0 else 0.0
            y = y0 + s * bar
            colour = chart.colours[g] if chart.colours and len(chart.series) == 1 else _COLOURS[s % len(_COLOURS)]
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar - 2}" fill="{colour}">'
                f"<title>{e(label)} · {e(name)}: {e(chart.fmt(value))}</title></rect>"
            )
            parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 5}">{e(chart.fmt(value))}</text>')
    parts.append("</svg></figure>")
    return "".join(parts)


# Plain text (the backtest's printout) ---------------------------------------------------------


def text_table(columns: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[int] = frozenset()) -> str:
    """A fixed-width table for the terminal.

    >>> print(text_table(["Band", "n"], [["Healthy", "12"]], frozenset({1})))
    Band      n
    Healthy  12
    """
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in numeric else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(columns), *(line(r) for r in rows)])


def render_text(blocks: Sequence[Block]) -> str:
    """Blocks as plain text for the terminal (charts are left out)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(("" if block.level == 1 else "\n") + block.text + "\n" + ("=" if block.level == 1 else "-") * len(block.text))
        elif isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out.extend(f"  • {item}" for item in block.items)
        elif isinstance(block, Table):
            out.append(text_table(block.columns, block.rows, block.numeric))
    return "\n".join(out) + "\n"
