"""Writing CSV rows fast, column by column.

Conventions (the CSV dialect of Python's ``csv`` module with its defaults): comma
delimiter, ``"\\n"`` line ends, a field is quoted only when it holds a comma, a double quote
or a line break, and a double quote inside a quoted field is doubled. Text cells are written
as read, except that every text cell — headers, copied input cells, account names, reasons,
the errors file's values — is neutralised against CSV injection (:func:`neutralise`): one
that a spreadsheet would run as a formula gets a leading apostrophe. Floats are written with
``repr`` — the shortest text that reads back as the same float, so no digit is lost — and
NaN as an empty cell.

Why not ``DataFrame.to_csv``: it formats floats and checks every text cell for NA one by
one; here a column that needs no quoting (the usual case) is joined as it is, and floats are
formatted once. The result is byte-for-byte what ``csv.writer(lineterminator="\\n")``
writes, except that a cell holding a carriage return is quoted (``csv.writer`` leaves a
lone ``\\r`` bare, which no reader reads back).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from typing import IO

import numpy as np
import numpy.typing as npt
import pandas as pd

_SPECIAL = (",", '"', "\n", "\r")

#: What a text cell starts with when a spreadsheet would run it as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_FIRST = operator.itemgetter(slice(0, 1))
#: A column whose first rows repeat their values (half as many distinct values as rows) is written value by value.
_SAMPLE = 2048


def _text(cells: list[str]) -> list[str]:
    if all(type(c) is str for c in cells[:64]) and all(map(str.__instancecheck__, cells)):
        return cells
    return ["" if c is None else str(c) for c in cells]


def neutralise(cells: list[str]) -> list[str]:
    """Text cells made safe to open in a spreadsheet (CSV injection): a cell starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so the
    spreadsheet shows it as text instead of running it. A plain number (``-5``, ``+1.5``,
    ``-2e3``) is left alone: a spreadsheet reads it as that number, not as a formula.

    >>> neutralise(["=SUM(A1:A9)", "-5", "-1+2", "@cmd", "Acme", "+", ""])
    ["'=SUM(A1:A9)", '-5', "'-1+2", "'@cmd", 'Acme', "'+", '']
    """
    cells = _text(cells)
    if set(map(_FIRST, cells)).isdisjoint(FORMULA_STARTS):
        return cells
    return ["'" + c if c[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(c) else c for c in cells]


def cell_texts(values: npt.ArrayLike) -> list[str]:
    """A column as the text of its cells; text cells are neutralised (:func:`neutralise`), numbers are not.

    >>> import numpy as np
    >>> cell_texts(np.array([79.0, 0.1 + 0.2, np.nan, -1.5]))
    ['79.0', '0.30000000000000004', '', '-1.5']
    >>> cell_texts(np.array(["=1+1", "Acme"], dtype=object))
    ["'=1+1", 'Acme']
    """
    array = np.asarray(values)
    if array.dtype.kind == "f":
        return ["" if v != v else repr(v) for v in array.tolist()]
    if array.dtype.kind in "iub":
        return [str(v) for v in array.tolist()]
    return neutralise(list(array.tolist()))


def quote_column(cells: list[str]) -> list[str]:
    """Quote the cells that need it (all of them are checked in one pass over the joined text).

    >>> quote_column(["plain", 'a"b', "a,b"])
    ['plain', '"a""b"', '"a,b"']
    """
    cells = _text(cells)
    joined = "\x00".join(cells)
    if not any(ch in joined for ch in _SPECIAL):
        return cells
    return [f'"{c.replace(chr(34), chr(34) * 2)}"' if ("," in c or '"' in c or "\n" in c or "\r" in c) else c for c in cells]


def column_texts(values: pd.Series | npt.ArrayLike) -> list[str]:
    """A column as the cells written to the file: :func:`cell_texts`, then :func:`quote_column`.

    A categorical column, and a column that repeats its values (a band, a day, an account and
    its score on each of its plays' rows), is written value by value, each distinct value once.

    >>> column_texts(pd.Series(pd.Categorical(["=x", "a,b", "=x", None])))
    ["'=x", '"a,b"', "'=x", '']
    """
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        names = quote_column(cell_texts(np.asarray(values.cat.categories, dtype=object)))
        return list(np.array([*names, ""], dtype=object)[values.cat.codes.to_numpy()].tolist())
    array = np.asarray(values)
    negative_zero = array.dtype.kind == "f" and bool((np.signbit(array) & (array == 0)).any())  # -0.0 and 0.0 are one value to pandas
    if array.dtype.kind in "fO" and not negative_zero and len(array) > _SAMPLE and len(pd.unique(array[:_SAMPLE])) * 2 <= _SAMPLE:
        codes, uniques = pd.factorize(array, use_na_sentinel=array.dtype.kind == "f")
        if len(uniques) * 2 <= len(array):
            texts = quote_column(cell_texts(np.asarray(uniques, dtype=array.dtype)))
            return list(np.array([*texts, ""], dtype=object)[codes].tolist())
    return quote_column(cell_texts(array))


def _write_quoted(handle: IO[str], quoted: Sequence[list[str]]) -> None:
    if not quoted or not quoted[0]:
        return
    if len(quoted) == 1:
        handle.write("\n".join(c if c else '""' for c in quoted[0]) + "\n")
        return
    handle.write("\n".join(map(",".join, zip(*quoted, strict=True))) + "\n")


def _header(handle: IO[str], header: Sequence[str] | None) -> None:
    if header is not None:
        handle.write(",".join(quote_column(neutralise([str(h) for h in header]))) + "\n")


def write_columns(handle: IO[str], columns: Sequence[list[str]], header: Sequence[str] | None = None) -> None:
    """Write rows given as columns of text (all the same length), after an optional header."""
    _header(handle, header)
    _write_quoted(handle, [quote_column(c) for c in columns])


def write_frame(handle: IO[str], frame: pd.DataFrame, header: Sequence[str] | None = None) -> None:
    """Write ``frame``'s rows (no index): every column through :func:`column_texts`, after an optional header."""
    _header(handle, header)
    _write_quoted(handle, [column_texts(frame.iloc[:, i]) for i in range(frame.shape[1])])
