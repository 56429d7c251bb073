"""The summary report, as Markdown or as a self-contained HTML page.

The report is built as a list of plain-text blocks (headings, paragraphs, tables, bar
charts) and then rendered; every piece of text, including anything that came from the input
file (account names, cell values), is escaped by the renderer: HTML-escaped in the HTML page
and its inline SVG charts, Markdown- and HTML-escaped in the Markdown file. Charts are inline
SVG bars in HTML and fixed-width text bars in Markdown. Money is shown rounded to whole
units, percentages to one decimal; the numbers themselves are never rounded.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .blocks import Block, Bullets, Chart, Heading, Paragraph, Table, count, count_fmt, money, pct, share
from .calibration import Backtest, backtest_blocks
from .formats import REPORT_SUFFIXES, md_escape, render, render_html, render_markdown, render_text, svg_chart, text_table
from .parse import quarter_label
from .segments import coverage_blocks, coverage_result, transition_blocks
from .summary import Totals

__all__ = [
    "REPORT_SUFFIXES",
    "Block",
    "Bullets",
    "Chart",
    "Context",
    "Heading",
    "Paragraph",
    "Table",
    "backtest_blocks",
    "build",
    "count",
    "count_fmt",
    "coverage_result",
    "error_blocks",
    "md_escape",
    "money",
    "pct",
    "render",
    "render_html",
    "render_markdown",
    "render_text",
    "svg_chart",
    "text_table",
]


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
        blocks += coverage_blocks(totals, context.csm_cost)
        blocks += transition_blocks(totals)
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
    return [Heading("Rows"), Bullets(items + run_lines(totals.blank, totals.rejected, totals.problems, context.outputs, context.notes))]


def run_lines(blank: int, rejected: int, problems: int, outputs: Sequence[tuple[str, str]], notes: Sequence[str]) -> list[str]:
    """The lines every run's "Rows" section ends with: blank rows, problems, the files written, notes."""
    items: list[str] = []
    if blank:
        items.append(f"Blank rows skipped (not counted as rows): {count(blank)}")
    if rejected:
        items.append(f"Problems found in rejected rows: {count(problems)} (one line each in the errors file)")
    items += [f"{label}: {value}" for label, value in outputs]
    items += [f"Note: {note}" for note in notes]
    return items


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
        rows.append([label, count(n), pct(share(n, scored)), money(arr), pct(share(arr, total_arr)), probability, str(band_id)])
    return [
        Heading("Health distribution"),
        Table(["Band", "Accounts", "Share", "ARR", "ARR share", "Renewal probability", "Id"], rows, frozenset({1, 2, 3, 4, 5})),
        Chart("Accounts per health band", labels, [("Accounts", accounts)], count_fmt, colours),
    ]


#: Band colours from the healthiest to the least healthy; insufficient data is grey.
_BAND_COLOURS = ("#2e7d32", "#7cb342", "#f9a825", "#ef6c00", "#c62828", "#8e0000")


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
                pct(share(forecast_value, due_value)),
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
            pct(share(total_forecast, total_due)),
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
        rows.append([str(model.band_labels[code]), count(0 if group is None else group.accounts), money(arr), pct(share(arr, total))])
        labels.append(str(model.band_labels[code]))
        values.append(arr)
    blocks: list[Block] = [
        Heading("At-risk ARR"),
        Paragraph(f"{money(at_risk)} of {money(total)} ARR ({pct(share(at_risk, total))}) sits in the at-risk bands ({', '.join(risky)})."),
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


def _errors(totals: Totals) -> list[Block]:
    return error_blocks(totals.error_kinds, totals.error_examples)


def error_blocks(kinds: Counter[tuple[str, str]], examples: Mapping[tuple[str, str], tuple[int, str]]) -> list[Block]:
    """The rejected rows' problems by (column, reason), the most frequent 20, with a first example."""
    if not kinds:
        return []
    rows = []
    for (column, reason), n in kinds.most_common(20):
        row, value = examples[(column, reason)]
        rows.append([column, reason, count(n), f"row {row}: {value!r}"])
    blocks: list[Block] = [
        Heading("Rejected rows"),
        Table(["Column", "Reason", "Cells", "First example (sheet row)"], rows, frozenset({2})),
    ]
    if len(kinds) > 20:
        blocks.append(Paragraph(f"… and {len(kinds) - 20} more kinds of problem; see the errors file."))
    return blocks
