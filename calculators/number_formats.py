"""Reading numbers with their format in mind: decimal ``.`` or ``,``, thousands groups or none.

``Beta;30.000;35`` in a ``;``-separated export means ARR 30 000, not 30: a number must never be
read silently wrong. One set of rules for every place that reads numbers from a file: the
page's CSV paste and upload (:mod:`calculators.csv_import`, in the browser) and the batch
commands (``python -m calculators score|backtest|plays``). Standard library only.

* The separator of a file is the one its first line uses most (``,`` on a tie, or when it
  has none): :func:`delimiter`.
* A ``,``-separated CSV or an XLSX file is read as before (decimal ``.``, no thousands groups;
  the page also drops ``,`` thousands groups such as ``1,250.5``), unless ``--decimal`` /
  ``--thousands`` say otherwise (:func:`forced`).
* A ``;``- or tab-separated CSV (:func:`reads_marks`) decides each number column's decimal mark
  from the column's own cells: ``120.000,50`` or ``0,5`` or ``1.234.567`` say decimal ``,``;
  ``72.5``, ``0.500`` or ``1,234.5`` say decimal ``.`` (:func:`evidence`). A column with no
  evidence of its own takes the file's (the other number columns'), if all of it points one way.
* A cell that reads two ways (``1.234``: 1234 with decimal ``,``, 1.234 with decimal ``.``;
  :func:`ambiguous`, :func:`readings`) in a column with no evidence either way refuses the whole
  file with its row, column and both readings (:class:`AmbiguousNumber`); so does a column whose
  cells contradict each other (:class:`MixedColumn`). ``--decimal`` settles it in the batch.
* Thousands groups are exactly 3 digits, separated by the mark that is not the decimal one, a
  space or a no-break space (``--thousands`` names the only one allowed, or ``none``).
* A cell read with a decimal comma is handed on as plain ``120000.5`` (:meth:`NumberFormat.read`);
  a cell that does not fit the column's format is marked so that it is rejected with the
  reason, never read another way.

Deciding a file's formats, as both readers do it:

>>> cells = [("arr", 1, "120.000"), ("arr", 2, "50.000,00"), ("health", 1, "85")]
>>> marks = Evidence()
>>> for column, row, cell in cells:
...     marks.see(column, cell, row)
>>> formats = marks.formats({"arr": "ARR", "health": "Health"})
>>> formats["arr"].read("120.000"), formats["health"].read("85")
('120000', '85')
>>> marks = Evidence()
>>> marks.see("arr", "1.234", 1)
>>> marks.formats({"arr": "ARR"})
Traceback (most recent call last):
  ...
calculators.number_formats.AmbiguousNumber: column 'ARR', row 1: '1.234' is ambiguous: 1.234 with decimal '.' or 1234 with decimal ',' (no other number of the file shows its decimal mark)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = [
    "THOUSANDS",
    "AmbiguousNumber",
    "Evidence",
    "MixedColumn",
    "NumberFormat",
    "NumberFormatError",
    "ambiguous",
    "delimiter",
    "evidence",
    "fallback",
    "forced",
    "readings",
    "reads_marks",
]

#: ``--thousands`` choices and the separator each means (``none``: no thousands groups).
THOUSANDS = {".": ".", ",": ",", "space": " ", "none": ""}

_SPACES = " \u00a0\u202f"
_SIGN = r"[+-]?"

_AMBIGUOUS = {
    ".": re.compile(rf"{_SIGN}[1-9]\d{{0,2}}\.\d{{3}}"),
    ",": re.compile(rf"{_SIGN}[1-9]\d{{0,2}},\d{{3}}"),
}
#: Cells that show a decimal mark (the key) beyond doubt.
_EVIDENCE = {
    ".": [
        re.compile(rf"{_SIGN}\d*\.(\d{{1,2}}|\d{{4,}})"),  # 72.5, .25, 1.2345
        re.compile(rf"{_SIGN}(0|\d{{4,}})\.\d+"),  # 0.500, 1234.567
        re.compile(rf"{_SIGN}\d{{1,3}}(,\d{{3}})+\.\d*"),  # 1,234.5
        re.compile(rf"{_SIGN}\d{{1,3}}(,\d{{3}}){{2,}}"),  # 1,234,567
    ],
    ",": [
        re.compile(rf"{_SIGN}\d*,(\d{{1,2}}|\d{{4,}})"),
        re.compile(rf"{_SIGN}(0|\d{{4,}}),\d+"),
        re.compile(rf"{_SIGN}\d{{1,3}}(\.\d{{3}})+,\d*"),  # 120.000,50
        re.compile(rf"{_SIGN}\d{{1,3}}(\.\d{{3}}){{2,}}"),  # 1.234.567
    ],
}


def delimiter(text: str) -> str:
    """The separator of a CSV: the one of ``,``, ``;`` and tab its first line uses most (``,`` on a tie).

    >>> delimiter("account;arr;health\\nAcme;120.000,50;80"), delimiter("a,b;c,d"), delimiter("account")
    (';', ',', ',')
    """
    line = text.split("\n", 1)[0]
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def reads_marks(separator: str) -> bool:
    """Whether a CSV with this separator may write decimal commas, so that its columns are read for evidence.

    >>> reads_marks(";"), reads_marks("\\t"), reads_marks(",")
    (True, True, False)
    """
    return separator in (";", "\t")


def evidence(cell: str) -> str | None:
    """The decimal mark a cell shows beyond doubt, or ``None``.

    >>> [evidence(c) for c in ("120.000,50", "72.5", "1.234", "1.234.567", "0,5", "35", "x")]
    [',', '.', None, ',', ',', None, None]
    """
    text = _squeeze(cell)
    for mark, patterns in _EVIDENCE.items():
        if any(p.fullmatch(text) for p in patterns):
            return mark
    return None


def ambiguous(cell: str) -> bool:
    """Whether a cell reads as two numbers depending on the decimal mark (``1.234``, ``12,500``).

    >>> [ambiguous(c) for c in ("1.234", "12,500", "0.500", "1.2345", "120.000,50", "35")]
    [True, True, False, False, False, False]
    """
    text = _squeeze(cell)
    return any(p.fullmatch(text) for p in _AMBIGUOUS.values())


def _squeeze(cell: str) -> str:
    """The cell without spaces used as thousands separators (``1 234,5`` → ``1234,5``)."""
    text = cell.strip()
    return re.sub(rf"(?<=\d)[{_SPACES}](?=\d{{3}}(\D|$))", "", text)


@dataclass(frozen=True)
class NumberFormat:
    """How a column writes its numbers: the decimal mark and the thousands separators allowed."""

    decimal: str
    thousands: str  # the separators allowed, "" for none

    @classmethod
    def of(cls, decimal: str, thousands: str | None) -> NumberFormat:
        """The format of ``--decimal``/``--thousands``: without ``--thousands``, the other mark or a space."""
        if thousands is None:
            return cls(decimal, ("," if decimal == "." else ".") + _SPACES)
        separator = THOUSANDS[thousands]
        return cls(decimal, separator + (_SPACES if separator == " " else ""))

    def pattern(self) -> re.Pattern[str]:
        """The regular expression of a number in this format (compile once, pass to :meth:`read`)."""
        decimal = re.escape(self.decimal)
        fraction = rf"(?:{decimal}(\d+))?"
        if not self.thousands:
            return re.compile(rf"([+-]?)(\d+){fraction}|([+-]?){decimal}(\d+)")
        groups = rf"\d{{1,3}}(?:[{re.escape(self.thousands)}]\d{{3}})+"
        return re.compile(rf"([+-]?)({groups}|\d+){fraction}|([+-]?){decimal}(\d+)")

    def read(self, cell: str, pattern: re.Pattern[str] | None = None) -> str:
        """A cell as plain text ``float()`` reads; a cell that does not fit is marked so it is rejected.

        >>> euro = NumberFormat.of(",", None)
        >>> [euro.read(c) for c in ("120.000,50", "-0,5", "35", "", "1 234", "N/A")]
        ['120000.50', '-0.5', '35', '', '1234', 'N/A']
        >>> euro.read("72.5")
        "72.5 (not a number written with decimal ',')"
        """
        text = cell.strip()
        if not any(ch.isdigit() for ch in text) or not re.fullmatch(rf"[+-]?[\d.,{_SPACES}]+", text):
            return cell  # missing, text, 1e3 …: parsed (or rejected) as before
        match = (pattern or self.pattern()).fullmatch(text)
        if match is None:
            return f"{text} {self.misfit()}"
        sign, whole, fraction, sign2, fraction2 = match.groups()
        if whole is None:
            return f"{sign2}0.{fraction2}"
        digits = re.sub(r"\D", "", whole)
        return f"{sign}{digits}.{fraction}" if fraction is not None else f"{sign}{digits}"

    def misfit(self) -> str:
        """The mark :meth:`read` appends to a cell that does not fit: ``(not a number written with decimal ',')``."""
        return f"(not a number written with decimal {self.decimal!r})"


def readings(cell: str) -> tuple[str, str]:
    """The two numbers an ambiguous cell can be: with decimal ``.`` and with decimal ``,``.

    >>> readings("30.000"), readings("12,500")
    (('30', '30000'), ('12500', '12.5'))
    """
    text = _squeeze(cell)
    with_dot = text.replace(",", "")
    with_comma = text.replace(".", "").replace(",", ".")
    return f"{float(with_dot):g}", f"{float(with_comma):g}"


def fallback(cell: str) -> str:
    """The decimal mark an ambiguous cell means when the other mark may not group thousands.

    >>> fallback("1.234"), fallback("12,500")
    ('.', ',')
    """
    return "." if "." in cell else ","


def forced(decimal: str | None, thousands: str | None) -> NumberFormat | None:
    """The format ``--decimal``/``--thousands`` impose on every number column, or ``None`` to read the file for it.

    ``--thousands .`` alone means decimal ``,`` (and the other way round).

    >>> forced(",", None) == NumberFormat.of(",", None), forced(None, "."), forced(None, None)
    (True, NumberFormat(decimal=',', thousands='.'), None)
    """
    if decimal is None and thousands in (".", ","):
        decimal = "," if thousands == "." else "."
    return None if decimal is None else NumberFormat.of(decimal, thousands)


class NumberFormatError(ValueError):
    """The numbers of a column cannot be read without a guess. Its message is one line for a person;
    :meth:`describe` words it with the reader's own names for rows."""

    column: str

    def describe(self, row: Callable[[int], str]) -> str:
        """The message, with each row number shown as ``row(number)`` (``"sheet row 3"``, ``"Row 2"``)."""
        raise NotImplementedError


class MixedColumn(NumberFormatError):
    """A column whose cells show both decimal marks (``120.000,50`` and ``72.5``)."""

    def __init__(self, column: str, dot: tuple[int, str], comma: tuple[int, str]) -> None:
        self.column, self.dot, self.comma = column, dot, comma
        super().__init__(self.describe(lambda n: f"row {n}"))

    def describe(self, row: Callable[[int], str]) -> str:
        (row_a, a), (row_b, b) = self.dot, self.comma
        return f"column {self.column!r} writes numbers two ways: {a!r} ({row(row_a)}) has decimal '.', {b!r} ({row(row_b)}) decimal ','"


class AmbiguousNumber(NumberFormatError):
    """A cell that reads as two numbers, in a column (and file) that shows no decimal mark either way."""

    def __init__(self, column: str, row: int, cell: str, others_disagree: bool) -> None:
        self.column, self.row, self.cell, self.others_disagree = column, row, cell, others_disagree
        self.dot, self.comma = readings(cell)
        super().__init__(self.describe(lambda n: f"row {n}"))

    @property
    def reason(self) -> str:
        """Why the file cannot settle it."""
        return "the file's other columns disagree" if self.others_disagree else "no other number of the file shows its decimal mark"

    def describe(self, row: Callable[[int], str]) -> str:
        return f"column {self.column!r}, {row(self.row)}: {self.readings_text()} ({self.reason})"

    def readings_text(self) -> str:
        """``'30.000' is ambiguous: 30 with decimal '.' or 30000 with decimal ','``."""
        return f"{self.cell!r} is ambiguous: {self.dot} with decimal '.' or {self.comma} with decimal ','"


K = TypeVar("K", bound=Hashable)


class Evidence(Generic[K]):
    """What the cells of a file's number columns (keyed by ``K``: a position, a name) show about their decimal mark.

    Cells are shown with :meth:`see` in the order of their rows; :meth:`formats` then decides.
    """

    def __init__(self) -> None:
        #: column → decimal mark → the first (row, cell) that shows it
        self.marks: dict[K, dict[str, tuple[int, str]]] = {}
        #: column → the first ambiguous (row, cell)
        self.doubtful: dict[K, tuple[int, str]] = {}

    def see(self, column: K, cell: str, row: int | Callable[[], int]) -> None:
        """Note what one cell of ``column`` shows. ``row`` may be a function, called only when the row matters."""
        mark = evidence(cell)
        if mark is None:
            if column in self.doubtful or not ambiguous(cell):
                return
            self.doubtful[column] = (row() if callable(row) else row, cell)
        elif mark not in self.marks.setdefault(column, {}):
            self.marks[column][mark] = (row() if callable(row) else row, cell)

    def formats(self, columns: Mapping[K, str], thousands: str | None = None) -> dict[K, NumberFormat]:
        """Each number column's format (``columns``: key → the name shown in messages); a column with
        nothing to decide (whole numbers, empty cells, text) is left out.

        With ``thousands`` given (``--thousands``), an ambiguous cell reads with the other mark
        as its decimal. Raises :class:`MixedColumn` or :class:`AmbiguousNumber` (the first column
        in ``columns`` order that cannot be settled).
        """
        seen = {mark for column in columns for mark in self.marks.get(column, {})}
        decided: dict[K, NumberFormat] = {}
        for column, name in columns.items():
            found = self.marks.get(column, {})
            if len(found) > 1:
                raise MixedColumn(name, found["."], found[","])
            if found:
                mark = next(iter(found))
            elif len(seen) == 1:
                mark = next(iter(seen))
            elif column not in self.doubtful:
                continue  # nothing to decide: whole numbers, missing cells or text
            elif thousands is not None:
                mark = fallback(self.doubtful[column][1])
            else:
                row, cell = self.doubtful[column]
                raise AmbiguousNumber(name, row, cell, others_disagree=bool(seen))
            decided[column] = NumberFormat.of(mark, thousands)
        return decided
