"""Adding up scored chunks into the numbers the report and the backtest show.

Conventions:

* ``rows in = scored + rejected``. Blank rows (every cell empty) are not rows; they are
  counted separately and shown.
* Sums of money use :func:`math.fsum` within each chunk; chunk totals are then added with
  ``fsum`` too, so a file scored whole and in chunks differs at most in the last bits.
* Renewals are grouped by the calendar quarter of ``renewal_date`` (rows without a date form
  their own group). *Due* and *forecast* count accounts with a score, as the renewal forecast
  does; accounts with ``insufficient_data`` are counted apart as *unscored*.
* At-risk ARR is the ARR of accounts in the bands marked ``risk: true``.
* Outcomes are counted per band here; the backtest figures are in :mod:`.calibration`.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd

from .calibration import MIN_SAMPLE, Backtest, BandResult, backtest, wilson
from .model import Model, transition_text
from .parse import BoolArray, FloatArray, IntArray
from .scoring import Chunk

__all__ = [
    "MIN_SAMPLE",
    "TOP_AT_RISK",
    "Backtest",
    "BandResult",
    "Group",
    "Money",
    "Totals",
    "backtest",
    "group_counts",
    "group_sums",
    "wilson",
]

TOP_AT_RISK = 10


def group_counts(keys: IntArray) -> dict[int, int]:
    """How many times each distinct key occurs.

    >>> import numpy as np
    >>> group_counts(np.array([2, 1, 2]))
    {1: 1, 2: 2}
    """
    if not len(keys):
        return {}
    low = int(keys.min())
    counts = np.bincount(keys - low)
    return {int(k) + low: int(counts[k]) for k in np.flatnonzero(counts).tolist()}


def group_sums(keys: IntArray, values: FloatArray) -> dict[int, float]:
    """``math.fsum`` of ``values`` for each distinct key.

    >>> import numpy as np
    >>> group_sums(np.array([2, 1, 2]), np.array([0.1, 5.0, 0.2]))
    {1: 5.0, 2: 0.30000000000000004}
    """
    distinct = list(group_counts(keys))
    if len(distinct) == 1:
        return {distinct[0]: math.fsum(values.tolist())}
    if len(distinct) <= 64:
        return {k: math.fsum(values[keys == k].tolist()) for k in distinct}
    order = np.argsort(keys, kind="stable")
    sorted_keys, sorted_values = keys[order], values[order]
    unique, starts = np.unique(sorted_keys, return_index=True)
    ends = [*starts[1:].tolist(), len(sorted_keys)]
    return {int(k): math.fsum(sorted_values[s:e].tolist()) for k, s, e in zip(unique.tolist(), starts.tolist(), ends, strict=True)}


@dataclass
class Money:
    """A running total kept as per-chunk ``fsum`` partials."""

    parts: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.parts.append(value)

    @property
    def value(self) -> float:
        return math.fsum(self.parts)


@dataclass
class Group:
    accounts: int = 0
    arr: Money = field(default_factory=Money)
    expected: Money = field(default_factory=Money)
    unscored_accounts: int = 0
    unscored_arr: Money = field(default_factory=Money)


K = TypeVar("K")


def _tally(groups: dict[K, Group], keys: IntArray, arr: FloatArray, name: Callable[[int], K], *, unscored: bool = False) -> None:
    """Add the accounts and the ARR of each key to its group (``name(key)``, made when new),
    as scored accounts or, with ``unscored``, as accounts with insufficient data."""
    for key, count in group_counts(keys).items():
        group = groups.setdefault(name(key), Group())
        if unscored:
            group.unscored_accounts += count
        else:
            group.accounts += count
    for key, total in group_sums(keys, arr).items():
        group = groups[name(key)]
        (group.unscored_arr if unscored else group.arr).add(total)


@dataclass
class Totals:
    """Everything the report needs, added up chunk by chunk (memory does not grow with rows)."""

    model: Model
    rows_in: int = 0
    blank: int = 0
    rejected: int = 0
    problems: int = 0
    chunks: int = 0
    bands: dict[int, Group] = field(default_factory=dict)
    quarters: dict[int, Group] = field(default_factory=dict)
    segments: dict[int, Group] = field(default_factory=dict)
    given_segments: int = 0
    transitions: dict[str, Group] = field(default_factory=dict)
    error_kinds: Counter[tuple[str, str]] = field(default_factory=Counter)
    error_examples: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    outcomes: dict[int, list[int]] = field(default_factory=dict)
    top_at_risk: list[tuple[float, int, str, str, float]] = field(default_factory=list)
    _seen: int = 0

    @property
    def scored(self) -> int:
        return self.rows_in - self.rejected

    def add(self, chunk: Chunk) -> None:
        """Add one scored chunk."""
        self.chunks += 1
        self.rows_in += chunk.rows_in
        self.blank += chunk.blank
        self.rejected += chunk.rejected
        self.problems += len(chunk.errors)
        self._add_errors(chunk)
        facts = chunk.facts
        if facts.empty:
            return
        model = self.model
        band = facts["band"].to_numpy(dtype=np.int64)
        arr = facts["arr"].to_numpy(dtype=np.float64)
        expected = facts["expected"].to_numpy(dtype=np.float64)
        unscored = band == model.insufficient
        self._add_groups(self.bands, band, arr, expected, unscored)
        self._add_groups(self.quarters, facts["quarter"].to_numpy(dtype=np.int64), arr, expected, unscored)
        self._add_groups(self.segments, facts["segment"].to_numpy(dtype=np.int64), arr, None, unscored)
        self.given_segments += int(facts["given"].to_numpy(dtype=np.bool_).sum())
        path = facts["transition"].to_numpy(dtype=np.int64)
        moved = path > 0
        if moved.any():
            _tally(self.transitions, path[moved], arr[moved], lambda key: transition_text(model, key))
        outcome = facts["outcome"].to_numpy(dtype=np.int64)
        known = outcome >= 0
        for key, n in group_counts(band[known] * 2 + outcome[known]).items():
            self.outcomes.setdefault(key // 2, [0, 0])[key % 2] += n
        self._add_top(facts, band, arr)

    def _add_groups(
        self, groups: dict[int, Group], keys: IntArray, arr: FloatArray, expected: FloatArray | None, unscored: BoolArray
    ) -> None:
        scored = ~unscored
        if scored.any():
            keys_s = keys[scored]
            _tally(groups, keys_s, arr[scored], int)
            if expected is not None:
                for key, total in group_sums(keys_s, expected[scored]).items():
                    groups[key].expected.add(total)
        if unscored.any():
            _tally(groups, keys[unscored], arr[unscored], int, unscored=True)

    def _add_errors(self, chunk: Chunk) -> None:
        errors = chunk.errors
        if errors.empty:
            return
        for column, reason, row, value in zip(
            errors["column"].tolist(), errors["reason"].tolist(), errors["sheet_row"].tolist(), errors["value"].tolist(), strict=True
        ):
            key = (str(column), str(reason))
            self.error_kinds[key] += 1
            self.error_examples.setdefault(key, (int(row), str(value)))

    def _add_top(self, facts: pd.DataFrame, band: IntArray, arr: FloatArray) -> None:
        risky = np.flatnonzero(self.model.band_risk[band])
        if not risky.size:
            return
        if risky.size > TOP_AT_RISK:
            risky = risky[np.argpartition(-arr[risky], TOP_AT_RISK - 1)[:TOP_AT_RISK]]
        accounts = facts["account"].to_numpy(dtype=object)
        scores = facts["score"].to_numpy(dtype=np.float64)
        for i in risky.tolist():
            self._seen += 1
            item = (float(arr[i]), -self._seen, str(accounts[i]), str(self.model.band_ids[band[i]]), float(scores[i]))
            heapq.heappush(self.top_at_risk, item)
            if len(self.top_at_risk) > TOP_AT_RISK:
                heapq.heappop(self.top_at_risk)

    # Derived figures ---------------------------------------------------------------------

    def due(self) -> float:
        return math.fsum(g.arr.value for g in self.bands.values())

    def forecast(self) -> float:
        return math.fsum(g.expected.value for g in self.bands.values())

    def at_risk_arr(self) -> float:
        return math.fsum(g.arr.value for b, g in self.bands.items() if self.model.band_risk[b])

    def total_arr(self) -> float:
        return math.fsum(g.arr.value + g.unscored_arr.value for g in self.bands.values())

    def largest_at_risk(self) -> list[tuple[str, float, str, float]]:
        """The largest at-risk accounts: (account, ARR, band, score), biggest first."""
        return [(name, arr, band, score) for arr, _, name, band, score in sorted(self.top_at_risk, reverse=True)]
