"""Reading a CSV or XLSX export as chunks of text cells.

Conventions:

* Every cell is read as text, exactly as written (``007`` stays ``007``); the scorer parses
  the columns it uses and copies every column to the output unchanged. An empty cell is ``""``.
* CSV: UTF-8 (a byte-order mark is fine; ``--encoding`` for anything else). The delimiter is
  ``,`` unless the header line has more ``;`` or tabs. With ``chunksize`` the file is streamed
  ``chunksize`` rows at a time, so memory stays bounded whatever the file size.
* XLSX: the first worksheet (or ``sheet``), header in row 1, read whole with openpyxl (an
  XLSX file cannot be streamed by rows cheaply; Excel caps a sheet at 1,048,576 rows anyway).
  Cells become text the way a CSV export would write them: whole numbers without ``.0``,
  dates as ``YYYY-MM-DD``, ``TRUE``/``FALSE``; formulas give their cached value.
* Rows are numbered from 1 after the header, counting blank rows, so ``data_row + 1`` is
  the row a spreadsheet shows. A blank row (every cell empty) is skipped and counted.
* Anything wrong with the file as a whole (not CSV/XLSX, empty, unreadable, malformed)
  raises :class:`BatchInputError` with one line for a person: the CLI prints it and exits 2.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd

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

    def chunks(self) -> Iterator[pd.DataFrame]:
        """The data rows as DataFrames of ``str`` cells, columns numbered from 0."""
        if self.kind == "xlsx":
            yield from self._xlsx_chunks()
        else:
            yield from self._csv_chunks()

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

    def _csv_chunks(self) -> Iterator[pd.DataFrame]:
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
            try:
                if self.chunksize is None:
                    with warnings.catch_warnings():
                        warnings.simplefilter("error", pd.errors.ParserWarning)
                        frame = pd.read_csv(handle, **options)
                    yield frame
                else:
                    with pd.read_csv(handle, chunksize=self.chunksize, **options) as reader:
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


def open_table(path: str | Path, *, chunksize: int | None = None, sheet: str | None = None, encoding: str = "utf-8-sig") -> Table:
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
        return _open_xlsx(source, head, size, chunksize, sheet)
    if b"\x00" in head:
        raise BatchInputError(f"{source}: is not a text CSV file (it contains binary data)")
    if head.startswith(b"PK\x03\x04"):
        raise BatchInputError(f"{source}: looks like an Excel workbook, not a CSV; name it .xlsx")
    try:
        text = head.decode(encoding, errors="strict") if len(head) < 65536 else head.decode(encoding, errors="ignore")
    except (UnicodeDecodeError, LookupError) as exc:
        if isinstance(exc, LookupError):
            raise BatchInputError(f"--encoding {encoding}: unknown encoding") from None
        raise BatchInputError(f"{source}: is not {encoding.removesuffix('-sig')} text; save it as 'CSV UTF-8' or give --encoding") from None
    delimiter = _delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except (StopIteration, csv.Error):
        raise BatchInputError(f"{source}: has no header line") from None
    headers = [h.strip() for h in header]
    if not any(headers):
        raise BatchInputError(f"{source}: the first line is not a header (it is blank)")
    return Table(source, "csv", headers, size, chunksize, encoding=encoding, delimiter=delimiter)


def _delimiter(text: str) -> str:
    line = text.split("\n", 1)[0]
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _open_xlsx(source: Path, head: bytes, size: int, chunksize: int | None, sheet: str | None) -> Table:
    if not head.startswith(b"PK\x03\x04"):
        raise BatchInputError(f"{source}: is not a valid XLSX file (not an Office Open XML workbook)")
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(source, read_only=True, data_only=True)
            try:
                if sheet is not None and sheet not in book.sheetnames:
                    raise BatchInputError(f"{source}: has no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
                ws = book[sheet] if sheet is not None else book.worksheets[0]
                rows = [tuple(_cell_text(v) for v in row) for row in ws.iter_rows(values_only=True)]
            finally:
                book.close()
    except BatchInputError:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, IndexError) as exc:
        raise BatchInputError(f"{source}: is not a valid XLSX file ({type(exc).__name__})") from None
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise BatchInputError(f"{source}: is empty")
    width = max(len(r) for r in rows)
    headers = [h.strip() for h in rows[0]] + [""] * (width - len(rows[0]))
    if not any(headers):
        raise BatchInputError(f"{source}: row 1 is not a header (it is blank)")
    data = [r + ("",) * (width - len(r)) for r in rows[1:]]
    frame = pd.DataFrame.from_records(data, columns=list(range(width))) if data else pd.DataFrame(columns=list(range(width)))
    frame = frame.astype(object)
    table = Table(source, "xlsx", headers, size, chunksize, sheet=sheet)
    table._rows = frame
    return table


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
