"""Cell problems found while scoring a chunk: which rows, which column, why.

Number columns are checked as the calculators' input declarations say (the same bounds and
the same wording), so a rejected row reads as the calculator would have refused it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calculators.declarations import Field

from .columns import ERROR_COLUMNS
from .parse import BoolArray, FloatArray, IntArray, ObjectArray


@dataclass
class Problems:
    """Cell problems found in a chunk: which rows, which column, why.

    The errors file lists them by row, and within a row in the file's column order.
    """

    size: int
    positions: dict[str, int] = field(default_factory=dict)
    items: list[tuple[IntArray, str, str, ObjectArray]] = field(default_factory=list)

    def add(self, mask: BoolArray, header: str, reason: str, cells: ObjectArray) -> None:
        rows = np.flatnonzero(mask)
        if rows.size:
            self.items.append((rows, header, reason, cells))

    def rejected(self) -> BoolArray:
        out = np.zeros(self.size, dtype=np.bool_)
        for rows, *_ in self.items:
            out[rows] = True
        return out

    def frame(self, accounts: ObjectArray, first_row: int) -> pd.DataFrame:
        if not self.items:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ERROR_COLUMNS})
        rows = np.concatenate([r for r, *_ in self.items])
        columns = np.concatenate([np.full(len(r), h, dtype=object) for r, h, _, _ in self.items])
        reasons = np.concatenate([np.full(len(r), why, dtype=object) for r, _, why, _ in self.items])
        values = np.concatenate([c[r] for r, _, _, c in self.items])
        where = np.concatenate([np.full(len(r), self.positions.get(h, len(self.positions)), dtype=np.int64) for r, h, _, _ in self.items])
        order = np.lexsort((where, rows))
        rows = rows[order]
        return pd.DataFrame(
            {
                "sheet_row": rows + first_row + 1,
                "data_row": rows + first_row,
                "account": accounts[rows],
                "column": columns[order],
                "value": [_clip(v) for v in values[order].tolist()],
                "reason": reasons[order],
            }
        )


def _clip(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def range_checks(problems: Problems, values: FloatArray, bad: BoolArray, spec: Field, header: str, cells: ObjectArray) -> BoolArray:
    """Add the problems of a parsed number column (as ``spec`` declares it); return the good cells."""
    ok = ~bad
    problems.add(bad, header, "must be a number", cells)
    if spec.required:
        absent = ok & np.isnan(values)
        problems.add(absent, header, "is required", cells)
        ok &= ~absent
    with np.errstate(invalid="ignore"):
        infinite = ok & np.isinf(values)
        problems.add(infinite, header, "must be a finite number", cells)
        ok &= ~infinite
        if spec.type == "integer":
            fraction = ok & np.isfinite(values) & (values != np.floor(values))
            problems.add(fraction, header, "must be a whole number", cells)
            ok &= ~fraction
        if spec.minimum is not None:
            if spec.exclusive_minimum:
                low, why = values <= spec.minimum, f"must be greater than {spec.minimum:g}"
            else:
                low, why = values < spec.minimum, f"must be at least {spec.minimum:g}"
            problems.add(ok & low, header, why, cells)
            ok &= ~low
        if spec.maximum is not None:
            high = values > spec.maximum
            problems.add(ok & high, header, f"must be at most {spec.maximum:g}", cells)
            ok &= ~high
    return ok


def problems_mask(problems: Problems, n: int, header: str) -> BoolArray:
    """Rows that already have a problem in column ``header``."""
    out = np.zeros(n, dtype=np.bool_)
    for rows, name, _, _ in problems.items:
        if name == header:
            out[rows] = True
    return out
