"""Reading a CSV or XLSX export as chunks of text cells.

Conventions:

* Every cell is read as text, exactly as written (``007`` stays ``007``); the scorer parses
  the columns it uses and copies every column to the output unchanged. An empty cell is ``""``.
* CSV: UTF-8 (a byte-order mark is fine; UTF-16 with a byte-order mark, Excel's "Unicode text",
  is recognised; ``--encoding`` for anything else), decoded before it is checked for binary
  data; the header record is read whole, however long (up to :data:`MAX_HEADER`). The delimiter is
  ``,`` unless the header line has more ``;`` or tabs (a ``;``- or tab-separated file may write
  decimal commas: :meth:`Table.read_numbers`, :mod:`calculators.number_formats`). With ``chunksize`` the file is streamed
  ``chunksize`` rows at a time, so memory stays bounded whatever the file size.
* XLSX: the only visible worksheet (or ``sheet``; hidden sheets are never guessed, several
  visible ones are named and refused), header in row 1, read whole with openpyxl (an XLSX
  file cannot be streamed by rows cheaply). Before any cell is loaded the zip directory must
  unpack to at most :data:`MAX_UNPACKED` bytes with no large part compressed more than
  :data:`MAX_RATIO` times, and the sheet's declared dimension (and then its actual cells) must
  span at most :data:`MAX_CELLS` cells. Cells become text the way a CSV export would write
  them: whole numbers without ``.0``, dates as ``YYYY-MM-DD``, ``TRUE``/``FALSE``; formulas
  give their cached value; a percent-formatted number in a ``percent`` column (health,
  components, percent changes) is the percentage shown (0.72 shown as 72 % is ``72``).
* Rows are numbered from 1 after the header, counting blank rows, so ``data_row + 1`` is
  the row a spreadsheet shows. A blank row (every cell empty) is skipped and counted.
* Anything wrong with the file as a whole (not CSV/XLSX, empty, unreadable, malformed)
  raises :class:`BatchInputError` with one line for a person: the CLI prints it and exits 2.
"""

from __future__ import annotations

import csv
import datetime
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from calculators.number_formats import AmbiguousNumber, Evidence, MixedColumn, NumberFormat, forced, reads_marks
from calculators.number_formats import delimiter as _delimiter

CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class BatchInputError(Exception):
    """The input as a whole can't be used. The message is one line, meant for a person."""


@dataclass
class Table:
    """An opened input: its headers and a way to read its rows as text cells."""

    path: Path
    kind: str
    headers: list[str]
    size: int
    chunksize: int | None
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    sheet: str | None = None
    _handle: IO[bytes] | None = field(default=None, repr=False)
    _rows: pd.DataFrame | None = field(default=None, repr=False)
    number_formats: dict[int, NumberFormat] = field(default_factory=dict)

    def chunks(self) -> Iterator[pd.DataFrame]:
        """The data rows as DataFrames of ``str`` cells, columns numbered from 0.

        Cells of the number columns (:meth:`read_numbers`) come as plain numbers ``float()`` reads.
        """
        frames = self._xlsx_chunks() if self.kind == "xlsx" else self._csv_chunks()
        for frame in frames:
            if self.number_formats:
                frame = frame.copy()
                for column, fmt in self.number_formats.items():
                    pattern = fmt.pattern()
                    codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)
                    table = np.array([fmt.read(str(u), pattern) for u in uniques.tolist()] + [""], dtype=object)
                    frame[column] = table[codes]
            yield frame

    def read_numbers(self, columns: Mapping[int, str], decimal: str | None = None, thousands: str | None = None) -> None:
        """Decide how the number ``columns`` (position → header) write their numbers; see :mod:`calculators.number_formats`.

        With ``decimal`` (``--decimal``) every column reads that way. Otherwise a ``,``-separated CSV
        or an XLSX file reads as before, and a ``;``- or tab-separated CSV is read through once to
        find each column's decimal mark; a cell that reads two ways in a column (and file) with no
        evidence either way raises :class:`BatchInputError` naming both readings.
        """
        self.number_formats = {}
        if not columns:
            return
        imposed = forced(decimal, thousands)
        if imposed is not None:
            self.number_formats = dict.fromkeys(columns, imposed)
            return
        if thousands is None and (self.kind == "xlsx" or not reads_marks(self.delimiter)):
            return
        found: Evidence[int] = Evidence()
        first_row = 1
        for frame in self._xlsx_chunks() if self.kind == "xlsx" else self._csv_chunks(usecols=sorted(columns)):
            for column in columns:
                codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)
                for code, value in enumerate(uniques.tolist()):  # in the order of their first row
                    found.see(column, str(value), partial(_first_row, codes, code, first_row))
            first_row += len(frame)
        try:
            self.number_formats = found.formats(columns, thousands)
        except MixedColumn as exc:
            raise BatchInputError(
                f"{self.path}: {exc.describe(_sheet_row)}; correct the file, or give --decimal to reject the others"
            ) from None
        except AmbiguousNumber as exc:
            raise BatchInputError(f"{self.path}: {exc.describe(_sheet_row)}; say which with --decimal . or --decimal ,") from None

    def row_count(self) -> int:
        """Data rows of an XLSX sheet (known once read); 0 for a CSV, which is streamed."""
        return 0 if self._rows is None else len(self._rows)

    def progress(self) -> float:
        """How far reading has got, 0–1 (bytes for CSV)."""
        if self._handle is not None and self.size:
            try:
                return min(1.0, self._handle.tell() / self.size)
            except (OSError, ValueError):
                return 0.0
        return 0.0

    def _csv_chunks(self, usecols: list[int] | None = None) -> Iterator[pd.DataFrame]:
        chunksize = self.chunksize if usecols is None else 100_000
        names = list(range(len(self.headers)))
        with self.path.open("rb") as handle:
            self._handle = handle
            options: dict[str, Any] = {
                "sep": self.delimiter,
                "header": 0,
                "names": names,
                "dtype": object,
                "na_filter": False,
                "keep_default_na": False,
                "skip_blank_lines": False,
                "encoding": self.encoding,
                "engine": "c",
                "index_col": False,
            }
            if usecols is not None:
                options["usecols"] = usecols
            try:
                if chunksize is None:
                    with warnings.catch_warnings():
                        warnings.simplefilter("error", pd.errors.ParserWarning)
                        frame = pd.read_csv(handle, **options)
                    yield frame
                else:
                    with pd.read_csv(handle, chunksize=chunksize, **options) as reader:
                        while True:
                            with warnings.catch_warnings():
                                warnings.simplefilter("error", pd.errors.ParserWarning)
                                chunk = next(reader, None)
                            if chunk is None:
                                break
                            yield chunk
            except UnicodeDecodeError as exc:
                raise BatchInputError(
                    f"{self.path}: is not {self.encoding.removesuffix('-sig')} text (byte 0x{exc.object[exc.start]:02x}); "
                    "save it as 'CSV UTF-8' or give --encoding"
                ) from None
            except pd.errors.ParserError as exc:
                raise BatchInputError(f"{self.path}: is not a well-formed CSV ({_parser_message(exc)})") from None
            except pd.errors.ParserWarning:
                raise BatchInputError(f"{self.path}: is not a well-formed CSV ({self._long_row()})") from None
            finally:
                self._handle = None

    def _long_row(self) -> str:
        """Where the first row with more fields than the header is (the slow path, for the message)."""
        try:
            with self.path.open(encoding=self.encoding, newline="") as fh:
                reader = csv.reader(fh, delimiter=self.delimiter)
                for record in reader:
                    if len(record) > len(self.headers):
                        return f"line {reader.line_num} has {len(record)} fields, the header has {len(self.headers)}"
        except (OSError, UnicodeDecodeError, csv.Error):
            pass
        return f"a row has more fields than the header's {len(self.headers)}"

    def _xlsx_chunks(self) -> Iterator[pd.DataFrame]:
        frame = self._rows if self._rows is not None else pd.DataFrame(dtype=object)
        step = self.chunksize or max(len(frame), 1)
        for start in range(0, len(frame), step):
            yield frame.iloc[start : start + step]


def _parser_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"^Error tokenizing data\. C error: ", "", text)
    return text.rstrip(".")


def open_table(
    path: str | Path,
    *,
    chunksize: int | None = None,
    sheet: str | None = None,
    encoding: str = "utf-8-sig",
    percent: Callable[[str], bool] | None = None,
) -> Table:
    """Open ``path`` (CSV or XLSX) and read its header; raise :class:`BatchInputError` if unusable."""
    source = Path(path)
    if not source.exists():
        raise BatchInputError(f"{source}: no such file")
    if source.is_dir():
        raise BatchInputError(f"{source}: is a folder, not a CSV or XLSX file")
    suffix = source.suffix.lower()
    try:
        size = source.stat().st_size
        with source.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise BatchInputError(f"{source}: cannot read it ({exc.strerror or exc})") from None
    if suffix == ".xls":
        raise BatchInputError(f"{source}: old Excel .xls files are not supported; save it as .xlsx or CSV")
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        raise BatchInputError(f"{source}: not a CSV or XLSX file (expected a .csv or .xlsx name)")
    if not head.strip().removeprefix(b"\xef\xbb\xbf").strip():
        raise BatchInputError(f"{source}: is empty")
    if suffix in XLSX_SUFFIXES:
        return _open_xlsx(source, head, size, chunksize, sheet, percent)
    if head.startswith(b"PK\x03\x04"):
        raise BatchInputError(f"{source}: looks like an Excel workbook, not a CSV; name it .xlsx")
    if encoding.replace("_", "-").lower() in ("utf-8-sig", "utf8-sig") and head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # Excel's "Unicode text": UTF-16 with a byte-order mark
    try:
        text = head.decode(encoding, errors="strict") if len(head) < 65536 else head.decode(encoding, errors="ignore")
    except (UnicodeDecodeError, LookupError) as exc:
        if isinstance(exc, LookupError):
            raise BatchInputError(f"--encoding {encoding}: unknown encoding") from None
        if b"\x00" in head:
            raise BatchInputError(f"{source}: is not a text CSV file (it contains binary data)") from None
        raise BatchInputError(f"{source}: is not {encoding.removesuffix('-sig')} text; save it as 'CSV UTF-8' or give --encoding") from None
    if "\x00" in text:  # checked once decoded: UTF-16 text is full of zero bytes
        raise BatchInputError(f"{source}: is not a text CSV file (it contains binary data)")
    headers, delimiter = _csv_header(source, encoding)
    return Table(source, "csv", headers, size, chunksize, encoding=encoding, delimiter=delimiter)


#: The longest header line read (a header is read whole, however long, up to this).
MAX_HEADER = 16 * 1024 * 1024


def _csv_header(source: Path, encoding: str) -> tuple[list[str], str]:
    """The header record (read whole, quoted line breaks and all) and the delimiter its first line suggests."""
    try:
        with source.open(encoding=encoding, errors="replace", newline="") as fh:
            line = fh.readline(MAX_HEADER)
            if len(line) >= MAX_HEADER and not line.endswith(("\n", "\r")):
                raise BatchInputError(f"{source}: the header line is longer than {MAX_HEADER // 1024 // 1024} MB")
            delimiter = _delimiter(line)
            fh.seek(0)
            limit = csv.field_size_limit()
            csv.field_size_limit(MAX_HEADER)
            try:
                header = next(csv.reader(fh, delimiter=delimiter))
            finally:
                csv.field_size_limit(limit)
    except (StopIteration, csv.Error):
        raise BatchInputError(f"{source}: has no header line") from None
    except OSError as exc:
        raise BatchInputError(f"{source}: cannot read it ({exc.strerror or exc})") from None
    headers = [h.strip().lstrip("\ufeff") for h in header]
    if not any(headers):
        raise BatchInputError(f"{source}: the first line is not a header (it is blank)")
    return headers, delimiter


def _first_row(codes: np.ndarray[Any, Any], code: int, start: int) -> int:
    """The data row where value ``code`` of a factorized chunk (starting at row ``start``) first appears."""
    return start + int(np.argmax(codes == code))


def _sheet_row(row: int) -> str:
    """A data row as the spreadsheet shows it (the header is row 1)."""
    return f"sheet row {row + 1}"


#: Limits an XLSX file must keep before it is read (checked from the zip directory and the
#: sheet's declared dimension, before any cell is loaded): an XLSX file is read whole.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_CELLS = 30_000_000


def _check_zip(source: Path) -> None:
    """Refuse a workbook whose parts would unpack to more than :data:`MAX_UNPACKED` bytes, or compress suspiciously well."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BatchInputError(f"{source}: is not a valid XLSX file ({type(exc).__name__})") from None
    total = sum(m.file_size for m in members)
    worst = max(members, key=lambda m: m.file_size / max(m.compress_size, 1), default=None)
    if total > MAX_UNPACKED:
        raise BatchInputError(
            f"{source}: unpacks to {total / 1024 / 1024:,.0f} MB, over the {MAX_UNPACKED // 1024 // 1024} MB an XLSX file may hold; "
            "save it as CSV (--chunksize streams a CSV of any size)"
        )
    if worst is not None and worst.file_size > 1024 * 1024 and worst.file_size / max(worst.compress_size, 1) > MAX_RATIO:
        raise BatchInputError(
            f"{source}: part {worst.filename} unpacks {worst.file_size / max(worst.compress_size, 1):,.0f} times its size "
            f"(over {MAX_RATIO}); not a workbook a spreadsheet wrote; save it as CSV"
        )


def _too_big(source: Path, rows: int, columns: int) -> BatchInputError:
    return BatchInputError(
        f"{source}: the sheet spans {rows:,} rows × {columns:,} columns, over the {MAX_CELLS:,} cells an XLSX file may hold "
        "(delete the stray cells far from the table, or save it as CSV: --chunksize streams a CSV of any size)"
    )


def _choose_sheet(source: Path, book: Any, sheet: str | None) -> Any:
    """The worksheet to read: ``sheet`` if given, else the only visible one (hidden sheets are never guessed)."""
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise BatchInputError(f"{source}: has no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        return book[sheet]
    visible = [ws for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not visible:
        raise BatchInputError(f"{source}: has no visible worksheet; give --sheet NAME")
    if len(visible) > 1:
        names = ", ".join(repr(ws.title) for ws in visible)
        raise BatchInputError(f"{source}: has {len(visible)} visible sheets ({names}); say which with --sheet NAME")
    return visible[0]


def _is_percent(number_format: object) -> bool:
    """Whether a cell's number format shows its value as a percentage (``0%``, ``0.0 %``; not a quoted ``"%"``)."""
    text = re.sub(r'"[^"]*"|\\.', "", str(number_format or ""))
    return "%" in text


def _percent_text(value: object) -> object:
    """A percent-formatted number as the percentage shown (0.72 → 72)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return float(f"{value * 100:.12g}")


def _open_xlsx(
    source: Path, head: bytes, size: int, chunksize: int | None, sheet: str | None, percent: Callable[[str], bool] | None
) -> Table:
    if not head.startswith(b"PK\x03\x04"):
        raise BatchInputError(f"{source}: is not a valid XLSX file (not an Office Open XML workbook)")
    _check_zip(source)
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(source, read_only=True, data_only=True)
            try:
                ws = _choose_sheet(source, book, sheet)
                declared_rows, declared_columns = ws.max_row or 0, ws.max_column or 0
                if declared_rows * declared_columns > MAX_CELLS:
                    raise _too_big(source, declared_rows, declared_columns)
                ws.reset_dimensions()  # a dimension that lies (or is missing) must not pad rows: read the cells there are
                rows = _sheet_rows(source, ws, percent)
            finally:
                book.close()
    except BatchInputError:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, IndexError, EOFError, zlib.error) as exc:
        raise BatchInputError(f"{source}: is not a valid XLSX file ({type(exc).__name__})") from None
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise BatchInputError(f"{source}: is empty")
    width = max(len(r) for r in rows)
    if width * len(rows) > MAX_CELLS:
        raise _too_big(source, len(rows), width)
    headers = [h.strip() for h in rows[0]] + [""] * (width - len(rows[0]))
    if not any(headers):
        raise BatchInputError(f"{source}: row 1 is not a header (it is blank)")
    data = [r + ("",) * (width - len(r)) for r in rows[1:]]
    frame = pd.DataFrame.from_records(data, columns=list(range(width))) if data else pd.DataFrame(columns=list(range(width)))
    frame = frame.astype(object)
    table = Table(source, "xlsx", headers, size, chunksize, sheet=sheet)
    table._rows = frame
    return table


def _sheet_rows(source: Path, ws: Any, percent: Callable[[str], bool] | None) -> list[tuple[str, ...]]:
    """The sheet's rows as text cells; percent-formatted numbers of ``percent`` columns as the percentage shown."""
    rows: list[tuple[str, ...]] = []
    scaled: set[int] = set()
    cells = width = 0
    for number, row in enumerate(ws.iter_rows(), start=1):
        width = max(width, len(row))
        cells += len(row)
        if max(cells, number * width) > MAX_CELLS:
            raise _too_big(source, number, width)
        if number == 1 and percent is not None:
            scaled = {i for i, cell in enumerate(row) if percent(_cell_text(cell.value))}
        rows.append(
            tuple(
                _cell_text(_percent_text(c.value) if i in scaled and _is_percent(getattr(c, "number_format", None)) else c.value)
                for i, c in enumerate(row)
            )
        )
    return rows


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would hold.

    >>> [_cell_text(v) for v in (None, 72.0, 72.5, 3, True, datetime.datetime(2025, 3, 1))]
    ['', '72', '72.5', '3', 'TRUE', '2025-03-01']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
