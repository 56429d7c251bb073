"""A calculator's form and worked example, as HTML, from its input declaration.

:func:`calculator_html` writes the block that replaces a ``<!-- calculator: NAME -->``
marker: a ``<form data-calculator="NAME">`` whose controls are generated from
``calculators.describe(NAME, config)`` and filled with the example inputs, followed by the
worked example: the same Python computes the result when the site is built, and
:func:`calculators.display.present` lays it out in elements ``data-output="KEY"``. The page
script later recomputes those elements in the browser with the very same functions.

Control names follow :mod:`calculators.browser`: ``starting_mrr``, ``components.support``,
``accounts[0].arr``. Every text is escaped. Controls that only work with JavaScript (row
buttons, sliders, CSV import, downloads) are written ``hidden`` and shown by the script.
No MkDocs imports here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import calculators
from calculators import browser
from calculators.csv_import import table_row_limit
from calculators.display import Output, present
from calculators.exports import EXPORTS

from .escape import html_text as esc

__all__ = ["calculator_html", "field_id"]

#: Input units as the label shows them.
UNIT_TEXT = {"currency": "currency", "currency/year": "currency per year", "points": "0–100", "accounts/CSM": "accounts per CSM"}


def field_id(instance: str, path: str) -> str:
    """The element id of control ``path`` in calculator ``instance``.

    >>> field_id("renewal_forecast", "accounts[2].arr")
    'cs-renewal_forecast-accounts-2-arr'
    """
    return f"cs-{instance}-" + re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")


def _unit(spec: Mapping[str, Any]) -> str:
    unit = str(spec.get("unit") or "")
    return UNIT_TEXT.get(unit, unit)


def _label_text(spec: Mapping[str, Any]) -> str:
    unit = _unit(spec)
    return f"{spec['label']} ({unit})" if unit else str(spec["label"])


def _label_html(spec: Mapping[str, Any], for_id: str, *, tag: str = "label") -> str:
    unit = _unit(spec)
    unit_html = f' <span class="cs-unit">({esc(unit)})</span>' if unit else ""
    optional = ' <span class="cs-optional">optional</span>' if not spec.get("required", True) else ""
    attr = f' for="{esc(for_id)}"' if tag == "label" else ""
    return f'<{tag} class="cs-label"{attr}>{esc(spec["label"])}{unit_html}{optional}</{tag}>'


def _bounds(spec: Mapping[str, Any]) -> str:
    out = ""
    if spec.get("minimum") is not None:
        out += f' min="{spec["minimum"]:g}"'
    if spec.get("maximum") is not None:
        out += f' max="{spec["maximum"]:g}"'
    out += ' step="1" inputmode="numeric"' if spec["type"] == "integer" else ' step="any" inputmode="decimal"'
    return out


def _control(
    spec: Mapping[str, Any], name: str, value: str, control_id: str, *, describedby: str = "", aria_label: str = "", extra: str = ""
) -> str:
    """One ``input``/``select``/``textarea`` for a scalar spec."""
    attrs = f'id="{esc(control_id)}" name="{esc(name)}"'
    if describedby:
        attrs += f' aria-describedby="{esc(describedby)}"'
    if aria_label:
        attrs += f' aria-label="{esc(aria_label)}"'
    if spec.get("required", True):
        attrs += " required"
    attrs += extra
    kind = spec["type"]
    if kind == "select":
        options = "".join(
            f'<option value="{esc(o["value"])}"{" selected" if str(o["value"]) == value else ""}>{esc(o["label"])}</option>'
            for o in spec.get("options", [])
        )
        return f"<select {attrs}>{options}</select>"
    if kind == "numbers":
        return f'<textarea {attrs} rows="3" spellcheck="false">{esc(value)}</textarea>'
    if kind in ("number", "integer"):
        return f'<input type="number" {attrs}{_bounds(spec)} value="{esc(value)}">'
    if kind == "date":
        return f'<input type="date" {attrs} value="{esc(value)}">'
    return f'<input type="text" {attrs} maxlength="200" value="{esc(value)}">'


def _error(instance: str, path: str) -> str:
    return f'<p class="cs-error" id="{field_id(instance, path)}-error" data-error-for="{esc(path)}" hidden></p>'


def _help(instance: str, path: str, text: str) -> str:
    return f'<p class="cs-help" id="{field_id(instance, path)}-help">{esc(text)}</p>' if text else ""


def _describedby(instance: str, path: str, has_help: bool) -> str:
    ids = [f"{field_id(instance, path)}-help"] if has_help else []
    return " ".join([*ids, f"{field_id(instance, path)}-error"])


def _scalar_field(instance: str, spec: Mapping[str, Any], values: Mapping[str, str]) -> str:
    path = str(spec["name"])
    cid = field_id(instance, path)
    help_text = str(spec.get("help") or "")
    if spec["type"] == "numbers":
        help_text = (help_text + " " if help_text else "") + "Separate the numbers with commas, spaces or new lines."
    control = _control(spec, path, values.get(path, ""), cid, describedby=_describedby(instance, path, bool(help_text)))
    return f'<div class="cs-field cs-field--{esc(spec["type"])}">{_label_html(spec, cid)}{control}{_help(instance, path, help_text)}{_error(instance, path)}</div>'


#: A mapping with more names than this shows its first names and those with a value; the rest fold away.
FOLD_MAPPING_OVER = 8
#: How many of a folded mapping's first names stay in view.
SHOW_FIRST = 5


def _mapping_field(instance: str, spec: Mapping[str, Any], values: Mapping[str, str]) -> str:
    """One control per name: a number (with a slider when the range is bounded) or a date."""
    path = str(spec["name"])
    help_text = str(spec.get("help") or "")
    dates = spec.get("item_type") == "date"
    item_spec = {**spec, "type": "date" if dates else "number", "required": False}
    sliders = not dates and spec.get("minimum") is not None and spec.get("maximum") is not None
    rows: list[tuple[bool, str]] = []
    options = spec.get("options", [])
    for position, option in enumerate(options):
        sub = f"{path}.{option['value']}"
        cid = field_id(instance, sub)
        item = {**item_spec, "label": option["label"]}
        control = _control(item, sub, values.get(sub, ""), cid, describedby=_describedby(instance, path, bool(help_text)) + f" {cid}-error")
        if sliders:
            low, high = spec["minimum"], spec["maximum"]
            current = values.get(sub, "") or f"{low:g}"
            control = (
                f'<input type="range" class="cs-slider{"" if values.get(sub) else " cs-slider--empty"}" data-pair="{esc(cid)}" '
                f'min="{low:g}" max="{high:g}" step="1" value="{esc(current)}" '
                f'aria-label="{esc(option["label"])} (slider)" aria-controls="{esc(cid)}" hidden data-js-only>'
            ) + control
        shown = len(options) <= FOLD_MAPPING_OVER or position < SHOW_FIRST or bool(values.get(sub))
        rows.append(
            (
                shown,
                f'<div class="cs-mapping__row"><label class="cs-label" for="{esc(cid)}">{esc(option["label"])}</label>'
                f'<div class="cs-mapping__controls">{control}</div>{_error(instance, sub)}</div>',
            )
        )
    legend = _label_html(spec, "", tag="legend")
    body = f'<div class="cs-mapping">{"".join(html for shown, html in rows if shown)}</div>'
    folded = [html for shown, html in rows if not shown]
    if folded:
        body += (
            f'<details class="cs-mapping-fold"><summary>{len(folded)} more</summary>'
            f'<div class="cs-mapping">{"".join(folded)}</div></details>'
        )
    return (
        f'<fieldset class="cs-field cs-field--mapping" data-field="{esc(path)}">{legend}{_help(instance, path, help_text)}'
        f"{body}{_error(instance, path)}</fieldset>"
    )


def _table_row(instance: str, spec: Mapping[str, Any], index: int | None, values: Mapping[str, str], rows_total: int) -> str:
    """Row ``index`` (from 0) of an input table; ``None``: the row template, whose names and ids
    hold ``__i__`` for the index and whose labels hold ``__n__`` for the row's number (the index + 1)."""
    path = str(spec["name"])
    cells = []
    row: int | str = "__i__" if index is None else index
    number: int | str = "__n__" if index is None else index + 1
    for column in spec.get("columns", []):
        sub = f"{path}[{row}].{column['name']}"
        cid = field_id(instance, sub)
        label = f"{_label_text(column)}, row {number}"
        control = _control(
            {**column, "required": column.get("required", True)},
            sub,
            values.get(sub, ""),
            cid,
            aria_label=label,
            describedby=f"{field_id(instance, path)}-error",
            extra=f' data-col="{esc(column["name"])}" data-label="{esc(_label_text(column))}"'
            + (' placeholder="planning ratio"' if column["name"] == "ratio" and not column.get("required", True) else ""),
        )
        # data-label: the column's name over its field where a phone shows each row as a card (calculators.css).
        cells.append(f'<td data-label="{esc(_label_text(column))}">{control}</td>')
    remove = f'<td class="cs-row-actions"><button type="button" class="cs-button cs-button--icon" data-action="remove-row" aria-label="Remove row {number}" title="Remove row" hidden data-js-only>✕</button></td>'
    return f'<tr data-row="{row}">{"".join(cells)}{remove}</tr>'


def _table_field(instance: str, spec: Mapping[str, Any], values: Mapping[str, str], limit: int) -> str:
    """An input table: the rows of ``values``, a row template for the script, "Add a row" and the
    CSV import. ``limit`` is the most rows the table takes (the script keeps to it); it is
    stated where the CSV paste is offered, and "Add a row" refers to it."""
    path = str(spec["name"])
    indices = sorted({int(m.group(1)) for k in values if (m := re.match(rf"^{re.escape(path)}\[(\d+)\]\.", k))})
    head = "".join(f'<th scope="col">{_label_html(c, "", tag="span")}</th>' for c in spec.get("columns", []))
    body = "".join(_table_row(instance, spec, i, values, len(indices)) for i in indices)
    template = _table_row(instance, spec, None, {}, 0)
    columns = ", ".join(str(c["name"]) for c in spec.get("columns", []))
    cid = field_id(instance, path)
    csv = (
        f'<details class="cs-csv" hidden data-js-only data-table="{esc(path)}">'
        f'<summary>Paste or upload a CSV <span class="cs-csv__cap" id="{cid}-cap">(up to {limit:,} rows)</span></summary>'
        f'<p class="cs-help" id="{cid}-csv-help">Columns: {esc(columns)} (a header row is optional; commas, semicolons or tabs). '
        "The file is read in your browser and never uploaded.</p>"
        f'<label class="cs-label" for="{cid}-csv">CSV text</label>'
        f'<textarea id="{cid}-csv" rows="4" spellcheck="false" aria-describedby="{cid}-csv-help" data-csv-text></textarea>'
        f'<label class="cs-label" for="{cid}-file">Or choose a CSV file</label>'
        f'<input type="file" id="{cid}-file" accept=".csv,.tsv,.txt,text/csv,text/plain" data-csv-file>'
        '<div class="cs-actions"><button type="button" class="cs-button" data-action="csv-load">Replace the rows with this CSV</button></div>'
        '<p class="cs-help" data-csv-status role="status"></p></details>'
    )
    return (
        f'<fieldset class="cs-field cs-field--table" data-field="{esc(path)}" data-min-rows="{int(spec.get("min_items", 0))}" '
        f'data-max-rows="{limit}">'
        f"{_label_html(spec, '', tag='legend')}{_help(instance, path, str(spec.get('help') or ''))}"
        f'<div class="cs-table-wrap"><table class="cs-table cs-table--input"><thead><tr>{head}<th scope="col"><span class="cs-sr-only">Row actions</span></th></tr></thead>'
        f"<tbody data-rows>{body}</tbody></table></div>"
        f"<template data-row-template>{template}</template>"
        f'<div class="cs-actions"><button type="button" class="cs-button" data-action="add-row" aria-describedby="{cid}-cap" '
        "hidden data-js-only>Add a row</button></div>"
        f"{_error(instance, path)}{csv}</fieldset>"
    )


def _outputs_html(instance: str, outputs: list[Output]) -> str:
    stats = "".join(
        f'<div class="cs-stat{" cs-stat--text" if len(re.sub(r"<[^>]+>", "", o.html)) > 16 and "cs-badge" not in o.html else ""}">'
        f'<dt data-output-label="{esc(o.key)}">{esc(o.label)}</dt>'
        f'<dd data-output="{esc(o.key)}"{_value_attr(o)}>{o.html}</dd></div>'
        for o in outputs
        if not o.wide
    )
    blocks = "".join(
        f'<div class="cs-block"><p class="cs-block__title" data-output-label="{esc(o.key)}">{esc(o.label)}</p>'
        f'<div class="cs-block__body" data-output="{esc(o.key)}"{_value_attr(o)}>{o.html}</div></div>'
        for o in outputs
        if o.wide
    )
    return f'<dl class="cs-stats">{stats}</dl>{blocks}'


def _value_attr(output: Output) -> str:
    return f' data-value="{esc(output.value)}"' if output.value is not None else ""


def calculator_html(
    name: str, config: Mapping[str, Any], *, base: str, instance: str | None = None, inputs: Mapping[str, Any] | None = None
) -> str:
    """The form and worked example for calculator ``name``.

    ``base`` is the site root relative to the page (``"../"``); ``instance`` names this
    block when a page holds the same calculator twice (ids must stay unique). ``inputs``
    (a marker's JSON) pre-fill the form instead of the calculator's example; keys they leave
    out keep the example's value. Inputs the calculator refuses raise
    :class:`calculators.InputError` naming the field.
    """
    instance = instance or name
    decl = calculators.describe(name, config)
    example = calculators.example(name, config)
    if inputs:
        example = {**example, **inputs}
    result = calculators.run(name, example, config)
    outputs = present(name, example, result, config, base)
    values = dict(browser.pairs_from_inputs(name, example, config))
    fields = []
    for spec in decl["inputs"]:
        if spec["type"] == "mapping":
            fields.append(_mapping_field(instance, spec, values))
        elif spec["type"] == "table":
            limit = table_row_limit(name, str(spec["name"]))
            assert limit is not None, (name, spec["name"])
            fields.append(_table_field(instance, spec, values, limit))
        else:
            fields.append(_scalar_field(instance, spec, values))
    downloads = ""
    if name in EXPORTS:  # the planner's tasks, triage's combined plan
        what = "the plan" if name == "triage" else "tasks"
        downloads = (
            '<button type="button" class="cs-button" data-action="download" data-format="ics">Download calendar (.ics)</button>'
            f'<button type="button" class="cs-button" data-action="download" data-format="csv">Download {what} (.csv)</button>'
        )
    title_id = f"cs-{instance}-title"
    return (
        f'<div class="cs-calc" id="cs-{esc(instance)}">'
        # data-search-exclude: search indexes a page's prose, not a form's labels and numbers.
        f'<form class="cs-calc__form" data-calculator="{esc(name)}" data-calculator-instance="{esc(instance)}" data-base="{esc(base)}" '
        "data-search-exclude "
        f'novalidate autocomplete="off" aria-labelledby="{title_id}">'
        f'<div class="cs-calc__head"><p class="cs-calc__title" id="{title_id}">{esc(decl["title"])}</p>'
        f'<p class="cs-calc__summary">{esc(decl["summary"])}</p></div>'
        '<div class="cs-calc__body">'
        f'<fieldset class="cs-calc__inputs"><legend class="cs-calc__legend">Inputs</legend>{"".join(fields)}'
        f'<p class="cs-error cs-error--form" data-error-for="" hidden></p></fieldset>'
        # Named "<title> Result": two calculators on a page are two distinct regions.
        f'<section class="cs-calc__results" aria-labelledby="{title_id} cs-{esc(instance)}-results">'
        f'<p class="cs-calc__legend" id="cs-{esc(instance)}-results">Result</p>'
        '<p class="cs-calc__status" data-calc-status data-state="static" role="status">'
        "Worked example, computed when this site was built from the inputs shown. "
        '<span class="cs-nojs">Turn on JavaScript to change the inputs and recompute.</span></p>'
        '<div class="cs-calc__toolbar" hidden data-js-only>'
        '<button type="button" class="cs-button" data-action="retry" hidden>Retry</button>'
        '<button type="button" class="cs-button" data-action="copy-link">Copy link to these inputs</button>'
        '<button type="button" class="cs-button" data-action="reset">Reset to the example</button>'
        f"{downloads}</div>"
        f'<div class="cs-calc__outputs">{_outputs_html(instance, outputs)}</div>'
        "</section></div></form></div>"
    )
