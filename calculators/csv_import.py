"""Rows of a calculator's table from a pasted or uploaded CSV, as the form's cell texts.

Nothing leaves the browser: the page reads the file with ``FileReader`` and passes its text.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from . import CALCULATORS
from .declarations import Field
from .form_values import Config, text_of, to_number

#: Rows a pasted or uploaded CSV may hold.
MAX_CSV_ROWS = 5000
_PLAIN_INTEGER = re.compile(r"[0-9]{1,15}")
_MONEY_NOISE = re.compile(r"[\s$€£¥%_]")


def row_limit(spec: Field) -> int:
    """The rows table ``spec`` takes on the page: its ``max_items``, and no more than a CSV may hold.

    One number for the CSV import, "Add a row" and a restored link; the page states it where
    the CSV paste is offered.

    >>> from calculators import CALCULATORS
    >>> row_limit(CALCULATORS["renewal_forecast"].inputs[0])
    5000
    """
    return max(0, min(spec.max_items, MAX_CSV_ROWS))


def table_row_limit(name: str, field: str) -> int | None:
    """:func:`row_limit` of table ``field`` of calculator ``name``; ``None`` when there is no such table."""
    spec = next((s for s in CALCULATORS[name].inputs if s.name == field and s.type == "table"), None)
    return None if spec is None else row_limit(spec)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def csv_rows(name: str, field: str, text: str, config: Config) -> dict[str, Any]:
    """Rows for table ``field`` from CSV text, as the form's cell texts.

    The first line is a header when one of its cells names a column (by key or label, any
    case); otherwise the columns are taken in their declared order. Commas, semicolons and
    tabs all work as separators. Money like ``$100,000`` becomes ``100000``. Nothing leaves
    the browser: the page reads the file with ``FileReader`` and passes its text here.
    """
    spec = next((s for s in CALCULATORS[name].inputs if s.name == field and s.type == "table"), None)
    if spec is None:
        return {"ok": False, "message": f"{field!r} is not a table of {name}"}
    text = text.lstrip("\ufeff")
    if not text.strip():
        return {"ok": False, "message": "The CSV is empty."}
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    limit = row_limit(spec)
    lines: list[list[str]] = []
    for line in csv.reader(io.StringIO(text), dialect):
        if any(cell.strip() for cell in line):
            lines.append(line)
            if len(lines) > limit + 1:  # a header and one row too many: no need to read on
                break
    columns = list(spec.columns)
    names = {_norm(c.name): c.name for c in columns} | {_norm(c.label): c.name for c in columns}
    order: list[str | None]
    header = [_norm(cell) for cell in lines[0]] if lines else []
    if any(h in names for h in header):
        order = [names.get(h) for h in header]
        lines = lines[1:]
        missing = [c.label for c in columns if c.required and c.name not in order]
        if missing:
            return {
                "ok": False,
                "message": f"The CSV has no column for: {', '.join(missing)} (columns: {', '.join(c.name for c in columns)}).",
            }
    else:
        order = [c.name for c in columns]
    if len(lines) > limit:
        return {"ok": False, "message": f"The CSV has more than {limit:,} rows: this table takes up to {limit:,}."}
    specs = {c.name: c for c in columns}
    rows = []
    for number, line in enumerate(lines, start=1):
        row: dict[str, str] = {}
        for key, cell in zip(order, line, strict=False):
            if key is None:
                continue
            value = cell.strip()
            if specs[key].type in ("number", "integer") and value:
                if _PLAIN_INTEGER.fullmatch(value):  # most cells: the text is the number
                    row[key] = value.lstrip("0") or "0"
                    continue
                parsed = to_number(_MONEY_NOISE.sub("", value))
                if isinstance(parsed, str):
                    return {"ok": False, "message": f"Row {number}, {specs[key].label}: {value!r} is not a number."}
                value = text_of(parsed)
            row[key] = value
        rows.append(row)
    if not rows:
        return {"ok": False, "message": "The CSV has a header but no rows."}
    return {"ok": True, "rows": rows, "columns": [c.name for c in columns]}
