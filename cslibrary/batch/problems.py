"""Cell problems found while scoring a chunk: which rows, which column, why.

Number columns are checked as the calculators' input declarations say (the same bounds and
the same wording), so a rejected row reads as the calculator would have refused it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calculators.declarations import MAX_MAGNITUDE, Field, forbidden_kind

from .columns import ERROR_COLUMNS
from .parse import MISSING_TOKENS, BoolArray, FloatArray, IntArray, ObjectArray


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


#: What a name may not hold, as the calculators' text inputs say: C0 and C1 controls, line and
#: paragraph separators, bidirectional embeddings, overrides and isolates, lone surrogates.
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def account_checks(problems: Problems, cells: ObjectArray, header: str) -> None:
    """The account name: required, at most 200 characters, no control character, line separator,
    direction override or lone surrogate (a name that could forge a line of a report or reorder it).

    >>> p = Problems(4)
    >>> account_checks(p, np.array(["Acme", " N/A ", "a" + chr(9) + "b", "x" * 201], dtype=object), "account")
    >>> [(rows.tolist(), why) for rows, _, why, _ in p.items]
    [([1], 'is required'), ([3], 'must be at most 200 characters'), ([2], 'must not contain a control character')]
    """
    names = [str(name) for name in cells.tolist()]
    absent = pd.Series([name.strip().lower() for name in names], dtype=object).isin(MISSING_TOKENS).to_numpy()
    lengths = np.fromiter(map(len, names), dtype=np.int64, count=len(names))
    problems.add(absent, header, "is required", cells)
    problems.add(~absent & (lengths > 200), header, "must be at most 200 characters", cells)
    if not _FORBIDDEN.search("".join(names)):
        return
    kinds = np.array([forbidden_kind(m.group()) if (m := _FORBIDDEN.search(name)) else "" for name in names], dtype=object)
    for kind in sorted(set(kinds.tolist()) - {""}):
        problems.add(~absent & (lengths <= 200) & (kinds == kind), header, f"must not contain a {kind}", cells)


def _limit(x: float) -> str:
    """A bound as the calculators' messages write it: ``100``, ``0.5``, ``1e15``."""
    return f"{x:g}".replace("e+", "e")


def range_checks(problems: Problems, values: FloatArray, bad: BoolArray, spec: Field, header: str, cells: ObjectArray) -> BoolArray:
    """Add the problems of a parsed number column (as ``spec`` declares it); return the good cells.

    The checks and their order are the calculators' (:mod:`calculators.declarations`): every
    number lies within ± ``MAX_MAGNITUDE`` whatever the field's bounds (an infinity is out of
    range), then the field's own bounds, then a whole number for an integer field.
    """
    ok = ~bad
    problems.add(bad, header, "must be a number", cells)
    if spec.required:
        absent = ok & np.isnan(values)
        problems.add(absent, header, "is required", cells)
        ok &= ~absent
    low = -MAX_MAGNITUDE if spec.minimum is None else max(spec.minimum, -MAX_MAGNITUDE)
    high = MAX_MAGNITUDE if spec.maximum is None else min(spec.maximum, MAX_MAGNITUDE)
    with np.errstate(invalid="ignore"):
        checks = []
        if spec.exclusive_minimum and spec.minimum is not None:
            checks.append((values <= spec.minimum, f"must be greater than {_limit(spec.minimum)}"))
        checks += [(values < low, f"must be at least {_limit(low)}"), (values > high, f"must be at most {_limit(high)}")]
        if spec.type == "integer":
            checks.append((np.isfinite(values) & (values != np.floor(values)), "must be a whole number"))
        for wrong, why in checks:
            problems.add(ok & wrong, header, why, cells)
            ok &= ~wrong
    return ok


def problems_mask(problems: Problems, n: int, header: str) -> BoolArray:
    """Rows that already have a problem in column ``header``."""
    out = np.zeros(n, dtype=np.bool_)
    for rows, name, _, _ in problems.items:
        if name == header:
            out[rows] = True
    return out
