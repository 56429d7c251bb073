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
from .number_formats import AmbiguousNumber, Evidence, MixedColumn, NumberFormat, NumberFormatError, delimiter, reads_marks

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


def _row(number: int) -> str:
    return f"Row {number}"


def _format_message(exc: NumberFormatError, lines: list[list[str]], order: list[str | None], specs: dict[str, Field]) -> str:
    """A refusal of :mod:`calculators.number_formats` for the page: rows as numbered here, cells quoted as written."""

    def written(row: int) -> str:
        index = next(i for i, key in enumerate(order) if key is not None and specs[key].label == exc.column)
        return lines[row - 1][index].strip()

    if isinstance(exc, AmbiguousNumber):
        return (
            f"Row {exc.row}, {exc.column}: {written(exc.row)!r} is ambiguous: {exc.dot} with decimal '.' or {exc.comma} "
            f"with decimal ',' ({exc.reason}). Write it without a thousands separator, or with its decimals "
            "(such as 1.234,00 or 1,234.00)."
        )
    assert isinstance(exc, MixedColumn)
    (row_a, _), (row_b, _) = exc.dot, exc.comma
    return (
        f"{exc.column} writes numbers two ways: {written(row_a)!r} (row {row_a}) has decimal '.', {written(row_b)!r} "
        f"(row {row_b}) decimal ','. Write the column's numbers one way."
    )


def _number_formats(lines: list[list[str]], order: list[str | None], specs: dict[str, Field]) -> dict[str, NumberFormat]:
    """The format of each number column of a ``;``- or tab-separated CSV, by the rules of :mod:`calculators.number_formats`.

    Raises :class:`~calculators.number_formats.AmbiguousNumber` or :class:`~calculators.number_formats.MixedColumn`.
    """
    numbers = {key: specs[key].label for key in order if key is not None and specs[key].type in ("number", "integer")}
    found: Evidence[str] = Evidence()
    for number, line in enumerate(lines, start=1):
        for key, cell in zip(order, line, strict=False):
            if key in numbers:
                found.see(key, _MONEY_NOISE.sub("", cell), number)
    return found.formats(numbers)


def csv_rows(name: str, field: str, text: str, config: Config) -> dict[str, Any]:
    """Rows for table ``field`` from CSV text, as the form's cell texts.

    The first line is a header when one of its cells names a column (by key or label, any
    case); otherwise the columns are taken in their declared order. Commas, semicolons and
    tabs all work as separators (the one the first line uses most). Money like ``$100,000``
    becomes ``100000``. Numbers are read by the rules of :mod:`calculators.number_formats`, as
    the batch commands read them: a ``;``- or tab-separated CSV may write decimal commas
    (``€120.000,50``), and a number that reads two ways (``1.234``) in a column and file that
    show no decimal mark is refused with its row, the column's label and both readings.
    Nothing leaves the browser: the page reads the file with ``FileReader`` and passes its text here.

    >>> from calculators import default_config
    >>> euro = "Account;ARR due;Health\\nAcme;€120.000;85\\nGlobex;€50.000,00;45\\nInitech;25.000;72,5\\n"
    >>> [row["arr"] for row in csv_rows("renewal_forecast", "accounts", euro, default_config())["rows"]]
    ['120000', '50000', '25000']
    >>> print(csv_rows("renewal_forecast", "accounts", "name;arr;health\\nAcme;1.234;80\\n", default_config())["message"])
    Row 1, ARR due: '1.234' is ambiguous: 1.234 with decimal '.' or 1234 with decimal ',' (no other number of the file shows its decimal mark). Write it without a thousands separator, or with its decimals (such as 1.234,00 or 1,234.00).
    """
    spec = next((s for s in CALCULATORS[name].inputs if s.name == field and s.type == "table"), None)
    if spec is None:
        return {"ok": False, "message": f"{field!r} is not a table of {name}"}
    text = text.lstrip("\ufeff")
    if not text.strip():
        return {"ok": False, "message": "The CSV is empty."}
    separator = delimiter(text)
    limit = row_limit(spec)
    lines: list[list[str]] = []
    for line in csv.reader(io.StringIO(text), delimiter=separator):
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
    try:
        formats = _number_formats(lines, order, specs) if reads_marks(separator) else {}
    except NumberFormatError as exc:
        return {"ok": False, "message": _format_message(exc, lines, order, specs)}
    patterns = {key: fmt.pattern() for key, fmt in formats.items()}
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
                plain = _MONEY_NOISE.sub("", value)
                if key in formats:
                    plain = formats[key].read(plain, patterns[key])
                    if plain.endswith(formats[key].misfit()):
                        return {
                            "ok": False,
                            "message": f"{_row(number)}, {specs[key].label}: {value!r} is not a number written with decimal {formats[key].decimal!r}, as the column's other numbers are.",
                        }
                parsed = to_number(plain, decimal=".")  # the column's format is settled: plain text now
                if isinstance(parsed, str):
                    return {"ok": False, "message": f"{_row(number)}, {specs[key].label}: {value!r} is not a number."}
                value = text_of(parsed)
            row[key] = value
        rows.append(row)
    if not rows:
        return {"ok": False, "message": "The CSV has a header but no rows."}
    return {"ok": True, "rows": rows, "columns": [c.name for c in columns]}
