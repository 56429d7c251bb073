"""The summary report, as Markdown or as a self-contained HTML page.

The report is built as a list of plain-text blocks (headings, paragraphs, tables, bar
charts) and then rendered; every piece of text, including anything that came from the input
file (account names, cell values), is escaped by the renderer: HTML-escaped in the HTML page
and its inline SVG charts, Markdown- and HTML-escaped in the Markdown file. Charts are inline
SVG bars in HTML and fixed-width text bars in Markdown. Money is shown rounded to whole
units, percentages to one decimal; the numbers themselves are never rounded.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import run
from .parse import quarter_label
from .summary import Backtest, Totals

REPORT_SUFFIXES = (".md", ".markdown", ".html", ".htm")


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
    return f"{value:,}"


def _share(part: float, whole: float) -> float | None:
    return part * 100 / whole if whole else None


# Building -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the report says about the run itself."""

    input_name: str
    command: str
    csm_cost: float
    notes: tuple[str, ...] = ()
    outputs: tuple[tuple[str, str], ...] = ()


def build(totals: Totals, context: Context, result: Backtest | None = None) -> list[Block]:
    """The report's blocks for a ``score`` or ``backtest`` run."""
    blocks: list[Block] = [Heading(f"{'Backtest' if context.command == 'backtest' else 'Book of business'}: {context.input_name}", 1)]
    blocks += _rows(totals, context)
    blocks += _distribution(totals)
    if context.command == "score":
        blocks += _renewals(totals)
        blocks += _at_risk(totals)
        blocks += _coverage(totals, context.csm_cost)
        blocks += _transitions(totals)
    if result is not None and result.with_outcome:
        blocks += backtest_blocks(result)
    blocks += _errors(totals)
    return blocks


def _rows(totals: Totals, context: Context) -> list[Block]:
    balance = "✓" if totals.rows_in == totals.scored + totals.rejected else "✗"
    items = [
        f"Rows in: {count(totals.rows_in)} = scored {count(totals.scored)} + rejected {count(totals.rejected)} {balance}",
        f"Health weights: {totals.model.model_name()}; missing components: {totals.model.policy} "
        f"(below {totals.model.min_coverage:g} % coverage: insufficient data)",
    ]
    if totals.blank:
        items.append(f"Blank rows skipped (not counted as rows): {count(totals.blank)}")
    if totals.rejected:
        items.append(f"Problems found in rejected rows: {count(totals.problems)} (one line each in the errors file)")
    items += [f"{label}: {value}" for label, value in context.outputs]
    items += [f"Note: {note}" for note in context.notes]
    return [Heading("Rows"), Bullets(items)]


def _distribution(totals: Totals) -> list[Block]:
    model = totals.model
    scored = totals.scored
    total_arr = totals.total_arr()
    rows, labels, accounts, colours = [], [], [], []
    for code, band_id in enumerate(model.band_ids.tolist()):
        group = totals.bands.get(code)
        n = 0 if group is None else group.accounts + group.unscored_accounts
        if code == model.insufficient and not n:
            continue
        arr = 0.0 if group is None else group.arr.value + group.unscored_arr.value
        label = str(model.band_labels[code])
        labels.append(label)
        accounts.append(float(n))
        colours.append("#9e9e9e" if code == model.insufficient else _BAND_COLOURS[min(code, len(_BAND_COLOURS) - 1)])
        probability = "—" if code == model.insufficient else f"{model.band_probability[code]:g} %"
        rows.append([label, count(n), pct(_share(n, scored)), money(arr), pct(_share(arr, total_arr)), probability, str(band_id)])
    return [
        Heading("Health distribution"),
        Table(["Band", "Accounts", "Share", "ARR", "ARR share", "Renewal probability", "Id"], rows, frozenset({1, 2, 3, 4, 5})),
        Chart("Accounts per health band", labels, [("Accounts", accounts)], count_fmt, colours),
    ]


#: Band colours from the healthiest to the least healthy; insufficient data is grey.
_BAND_COLOURS = ("#2e7d32", "#7cb342", "#f9a825", "#ef6c00", "#c62828", "#8e0000")


def count_fmt(value: float) -> str:
    return f"{value:,.0f}"


def _renewals(totals: Totals) -> list[Block]:
    rows, labels, due, forecast = [], [], [], []
    for key in sorted(totals.quarters):
        group = totals.quarters[key]
        label = "No renewal date" if key < 0 else quarter_label(key)
        due_value, forecast_value = group.arr.value, group.expected.value
        rows.append(
            [
                label,
                count(group.accounts),
                money(due_value),
                money(forecast_value),
                pct(_share(forecast_value, due_value)),
                money(due_value - forecast_value),
                count(group.unscored_accounts),
                money(group.unscored_arr.value),
            ]
        )
        if key >= 0:
            labels.append(label)
            due.append(due_value)
            forecast.append(forecast_value)
    total_due, total_forecast = totals.due(), totals.forecast()
    rows.append(
        [
            "Total",
            count(sum(g.accounts for g in totals.quarters.values())),
            money(total_due),
            money(total_forecast),
            pct(_share(total_forecast, total_due)),
            money(total_due - total_forecast),
            count(sum(g.unscored_accounts for g in totals.quarters.values())),
            money(math.fsum(g.unscored_arr.value for g in totals.quarters.values())),
        ]
    )
    blocks: list[Block] = [
        Heading("Renewals and forecast by quarter"),
        Paragraph(
            "Calendar quarters of renewal_date. Forecast = Σ ARR × the renewal probability of the account's health band "
            "(the renewal forecast calculator); accounts with insufficient data have no probability and are listed as unscored."
        ),
        Table(
            ["Quarter", "Accounts due", "ARR due", "Forecast", "Forecast %", "Expected loss", "Unscored", "Unscored ARR"],
            rows,
            frozenset(range(1, 8)),
        ),
    ]
    if labels:
        blocks.append(Chart("Renewals due and forecast per quarter", labels, [("Due", due), ("Forecast", forecast)], money))
    return blocks


def _at_risk(totals: Totals) -> list[Block]:
    model = totals.model
    at_risk, total = totals.at_risk_arr(), totals.total_arr()
    risky = [str(model.band_labels[c]) for c in range(model.insufficient) if model.band_risk[c]]
    rows, labels, values = [], [], []
    for code in range(model.insufficient):
        if not model.band_risk[code]:
            continue
        group = totals.bands.get(code)
        arr = 0.0 if group is None else group.arr.value
        rows.append([str(model.band_labels[code]), count(0 if group is None else group.accounts), money(arr), pct(_share(arr, total))])
        labels.append(str(model.band_labels[code]))
        values.append(arr)
    blocks: list[Block] = [
        Heading("At-risk ARR"),
        Paragraph(
            f"{money(at_risk)} of {money(total)} ARR ({pct(_share(at_risk, total))}) sits in the at-risk bands ({', '.join(risky)})."
        ),
        Table(["Band", "Accounts", "ARR", "Share of all ARR"], rows, frozenset({1, 2, 3})),
        Chart("At-risk ARR per band", labels, [("ARR", values)], money),
    ]
    top = totals.largest_at_risk()
    if top:
        blocks += [
            Heading("Largest at-risk accounts", 3),
            Table(
                ["Account", "ARR", "Band", "Score"],
                [[name, money(arr), band, f"{score:.1f}"] for name, arr, band, score in top],
                frozenset({1, 3}),
            ),
        ]
    return blocks


def coverage_result(totals: Totals, csm_cost: float) -> dict[str, Any] | None:
    """``calculators.run("coverage", …)`` for the scored accounts per segment, planning ratios."""
    segments = []
    for code in sorted(totals.segments):
        group = totals.segments[code]
        accounts = group.accounts + group.unscored_accounts
        arr = group.arr.value + group.unscored_arr.value
        if accounts and arr > 0:
            segments.append({"segment": totals.model.tier_ids[code], "accounts": accounts, "arr": arr})
    if not segments:
        return None
    return run("coverage", {"segments": segments, "csm_cost": csm_cost}, totals.model.config)


def _coverage(totals: Totals, csm_cost: float) -> list[Block]:
    result = coverage_result(totals, csm_cost)
    if result is None:
        return []
    rows = []
    for seg in result["segments"]:
        target = "—"
        if seg["target_min"] is not None or seg["target_max"] is not None:
            low = "" if seg["target_min"] is None else f"{seg['target_min']:g}"
            high = "" if seg["target_max"] is None else f"{seg['target_max']:g}"
            target = f"{low}–{high} % ({seg['target_status']})" if low and high else (f"≤ {high} %" if high else f"≥ {low} %")
            if not (low and high):
                target += f" ({seg['target_status']})"
        rows.append(
            [
                seg["label"],
                count(seg["accounts"]),
                money(seg["arr"]),
                f"1:{seg['ratio']:g}",
                f"{seg['csms']:.2f}",
                count(seg["csms_rounded"]),
                pct(seg["cost_to_serve_pct"]),
                target,
            ]
        )
    rows.append(
        [
            "Total",
            count(result["total_accounts"]),
            money(result["total_arr"]),
            "",
            f"{result['total_csms']:.2f}",
            count(result["headcount"]),
            pct(result["total_cost_to_serve_pct"]),
            "",
        ]
    )
    return [
        Heading("CSMs needed per segment"),
        Paragraph(
            f"The coverage calculator with each segment's planning ratio (accounts per CSM) and a fully loaded CSM cost of "
            f"{money(csm_cost)} a year. Segments are as given in the file or assigned by ARR."
        ),
        Table(["Segment", "Accounts", "ARR", "Ratio", "CSMs", "Headcount", "Cost-to-serve", "Target"], rows, frozenset(range(1, 7))),
        Chart(
            "CSMs needed per segment",
            [s["label"] for s in result["segments"]],
            [("CSMs", [s["csms"] for s in result["segments"]])],
            lambda v: f"{v:.1f}",
        ),
    ]


def _transitions(totals: Totals) -> list[Block]:
    if not totals.transitions:
        return [Heading("Segment transitions"), Paragraph("No account's ARR has crossed its given segment's threshold.")]
    actions = {(t["from"], t["to"]): t.get("action", "") for t in totals.model.config["segments"].get("transitions", [])}
    rows = []
    for path in sorted(totals.transitions, key=lambda p: -totals.transitions[p].accounts):
        group = totals.transitions[path]
        steps = path.split("→")
        action = "; ".join(a for a in (actions.get((x, y), "") for x, y in itertools.pairwise(steps)) if a)
        rows.append([path, count(group.accounts), money(group.arr.value), action])
    return [
        Heading("Segment transitions"),
        Paragraph("Accounts whose ARR has crossed a threshold of the segment given in the file (segments.yml transitions)."),
        Table(["Transition", "Accounts", "ARR", "Action"], rows, frozenset({1, 2})),
    ]


def _errors(totals: Totals) -> list[Block]:
    if not totals.error_kinds:
        return []
    rows = []
    for (column, reason), n in totals.error_kinds.most_common(20):
        row, value = totals.error_examples[(column, reason)]
        rows.append([column, reason, count(n), f"row {row}: {value!r}"])
    blocks: list[Block] = [
        Heading("Rejected rows"),
        Table(["Column", "Reason", "Cells", "First example (sheet row)"], rows, frozenset({2})),
    ]
    if len(totals.error_kinds) > 20:
        blocks.append(Paragraph(f"… and {len(totals.error_kinds) - 20} more kinds of problem; see the errors file."))
    return blocks


def backtest_blocks(result: Backtest) -> list[Block]:
    """The backtest section: churn per band, precision and recall, suggested probabilities."""
    rows, labels, churn, observed, configured = [], [], [], [], []
    for band in result.bands:
        interval = band.interval()
        rows.append(
            [
                band.label,
                "yes" if band.risk else "",
                count(band.accounts),
                count(band.churned),
                pct(band.churn_rate),
                pct(band.observed),
                "—" if interval is None else f"{interval[0]:.0f}–{interval[1]:.0f} %",
                "—" if band.probability is None else f"{band.probability:g} %",
            ]
        )
        if band.probability is not None:
            labels.append(band.label)
            churn.append(band.churn_rate or 0.0)
            observed.append(band.observed or 0.0)
            configured.append(band.probability)
    suggestions = []
    for band in result.bands:
        value, note = result.suggestion(band)
        if band.probability is None:
            continue
        suggestions.append([band.label, f"{band.probability:g} %", pct(band.observed), "—" if value is None else f"{value:g} %", note])
    flagged = result.true_positive + result.false_positive
    churned = result.true_positive + result.false_negative
    return [
        Heading("Backtest: does the health score predict churn?"),
        Paragraph(
            f"{count(result.with_outcome)} accounts have an outcome (overall churn {pct(result.churn_rate)}); "
            f"{count(result.without_outcome)} scored accounts without one are left out."
        ),
        Table(
            ["Band", "At risk", "Accounts", "Churned", "Churn rate", "Observed renewal", "95 % interval", "Configured probability"],
            rows,
            frozenset({2, 3, 4, 5, 6, 7}),
        ),
        Chart(
            "Renewal rate per band: observed vs configured",
            labels,
            [("Observed", observed), ("Configured", configured)],
            lambda v: f"{v:.0f} %",
        ),
        Heading("At-risk bands as a churn prediction", 3),
        Bullets(
            [
                f"Precision: {pct(result.precision)} ({count(result.true_positive)} of {count(flagged)} accounts in the at-risk bands churned)",
                f"Recall: {pct(result.recall)} ({count(result.true_positive)} of {count(churned)} churned accounts were in the at-risk bands)",
            ]
        ),
        Heading("Suggested renewal probabilities", 3),
        Paragraph(
            f"The observed renewal rate per band, rounded, where a band has at least {result.min_sample} outcomes. "
            "To adopt them, edit probability in playbooks/health-model.yml through a pull request."
        ),
        Table(["Band", "Configured", "Observed", "Suggested", "Note"], suggestions, frozenset({1, 2, 3})),
    ]


# Rendering ----------------------------------------------------------------------------------


def render(blocks: Sequence[Block], path: str | Path) -> str:
    """The report text for ``path``'s extension (``.md``/``.markdown`` or ``.html``/``.htm``)."""
    suffix = Path(path).suffix.lower()
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
