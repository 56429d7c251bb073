"""Reading numbers with their format in mind: decimal ``.`` or ``,``, thousands groups or none.

``Beta;30.000;35`` in a ``;``-separated export means ARR 30 000, not 30: a number must never be
read silently wrong. The rules:

* A ``,``-separated CSV or an XLSX file is read as before (decimal ``.``, no thousands groups),
  unless ``--decimal`` / ``--thousands`` say otherwise.
* A ``;``- or tab-separated CSV decides each number column's decimal mark from the column's own
  cells: ``120.000,50`` or ``0,5`` or ``1.234.567`` say decimal ``,``; ``72.5``, ``0.500`` or
  ``1,234.5`` say decimal ``.``. A column with no evidence of its own takes the file's (the other
  number columns'), if all of it points one way.
* A cell that reads two ways (``1.234``: 1234 with decimal ``,``, 1.234 with decimal ``.``) in a
  column with no evidence either way refuses the whole file (exit 2) with its row, column and
  both readings; so does a column whose cells contradict each other. ``--decimal`` settles it.
* Thousands groups are exactly 3 digits, separated by the mark that is not the decimal one, a
  space or a no-break space (``--thousands`` names the only one allowed, or ``none``).
* A cell read with a decimal comma is handed on as plain ``120000.5`` (and so written to the
  outputs that way); a cell that does not fit the column's format is marked so that it is
  rejected with the reason, never read another way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
    """Whether a cell reads as two numbers depending on the decimal mark (``1.234``, ``12,500``)."""
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
            return f"{text} (not a number written with decimal {self.decimal!r})"
        sign, whole, fraction, sign2, fraction2 = match.groups()
        if whole is None:
            return f"{sign2}0.{fraction2}"
        digits = re.sub(r"\D", "", whole)
        return f"{sign}{digits}.{fraction}" if fraction is not None else f"{sign}{digits}"


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
    """The decimal mark an ambiguous cell means when the other mark may not group thousands."""
    return "." if "." in cell else ","


#: Columns the commands read as text, a choice or a label, never as a number.
NOT_NUMBERS = frozenset({"account", "segment", "stage", "outcome"})


def number_columns(roles: Mapping[str, int], headers: Sequence[str]) -> dict[int, str]:
    """The columns a command may read numbers from (position → header); dates and labels never match a number."""
    return {position: headers[position] for role, position in roles.items() if role not in NOT_NUMBERS}
