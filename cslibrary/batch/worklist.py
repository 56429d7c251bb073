"""A chunk of accounts through the plays command, and the running totals of a whole run.

:func:`plays_chunk` reads and checks a chunk (:mod:`.signals`), triages the accepted rows
(:mod:`.plays`) and returns the worklist rows, the errors and what the report adds up.
:class:`WorkTotals` adds chunks up with memory that does not grow with the file: counts per
playbook, per owner and per (week, owner).

Conventions: ``rows in = rows with plays + rows needing none + rejected``; blank rows are
skipped and counted. A play's *week* is the Monday of the week it starts.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .columns import Plan
from .outputs import Entries, play_entries, worklist
from .parse import BoolArray, IntArray
from .plays import Rulebook, triage
from .signals import read_book
from .summary import group_counts


@dataclass
class PlaysChunk:
    """One chunk's results: ``output`` (the worklist rows), ``errors``, the facts the report counts
    (each play's ``playbook`` and ``starts``, the plays ``suppressed`` per playbook) and, for the
    calendars, the plays' ``entries``."""

    rows_in: int
    blank: int
    rejected: int
    accepted: int
    with_plays: int
    output: pd.DataFrame
    errors: pd.DataFrame
    playbook: IntArray
    starts: IntArray
    suppressed: IntArray
    entries: Entries | None


def _blank(frame: pd.DataFrame) -> BoolArray:
    blank = np.ones(len(frame), dtype=np.bool_)
    for position in range(frame.shape[1]):
        blank &= np.asarray(frame.iloc[:, position].to_numpy(dtype=object) == "", dtype=np.bool_)
    return blank


def plays_chunk(
    frame: pd.DataFrame, plan: Plan, rules: Rulebook, as_of: datetime.date, first_row: int = 1, *, with_steps: bool = False
) -> PlaysChunk:
    """Check and triage ``frame`` (text cells, columns numbered as in ``plan.headers``) on ``as_of``.

    ``first_row`` is the 1-based data-row number of the frame's first row; ``with_steps`` also
    lists each play's first steps (for the calendar files).
    """
    n = len(frame)
    blank = _blank(frame)
    book, problems = read_book(frame, plan, rules.columns, rules.model, as_of)
    rejected = problems.rejected() & ~blank
    keep = np.flatnonzero(~rejected & ~blank)
    problems.items = [(r[~blank[r]], h, why, c) for r, h, why, c in problems.items if (~blank[r]).any()]
    accounts = np.asarray(frame.iloc[:, plan.roles["account"]].to_numpy(dtype=object), dtype=object)
    errors = problems.frame(accounts, first_row)
    if keep.size < n:
        book = book.take(keep)
    result = triage(book, rules)
    kept_accounts = accounts[keep]
    output = worklist(book, result, rules, kept_accounts, book.values["health_score"], keep + first_row + 1)
    return PlaysChunk(
        rows_in=int(n - blank.sum()),
        blank=int(blank.sum()),
        rejected=int(rejected.sum()),
        accepted=int(keep.size),
        with_plays=int(np.unique(result.row).size),
        output=output,
        errors=errors,
        playbook=result.playbook,
        starts=result.starts,
        suppressed=result.suppressed,
        entries=play_entries(book, result, rules, kept_accounts) if with_steps else None,
    )


@dataclass
class WorkTotals:
    """The counts of a plays run, added up chunk by chunk."""

    rules: Rulebook
    as_of: datetime.date
    rows_in: int = 0
    blank: int = 0
    rejected: int = 0
    problems: int = 0
    accepted: int = 0
    with_plays: int = 0
    plays: Counter[int] = field(default_factory=Counter)
    suppressed: Counter[int] = field(default_factory=Counter)
    weeks: Counter[tuple[int, str]] = field(default_factory=Counter)
    error_kinds: Counter[tuple[str, str]] = field(default_factory=Counter)
    error_examples: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)

    @property
    def play_count(self) -> int:
        return sum(self.plays.values())

    def add(self, chunk: PlaysChunk) -> None:
        self.rows_in += chunk.rows_in
        self.blank += chunk.blank
        self.rejected += chunk.rejected
        self.problems += len(chunk.errors)
        self.accepted += chunk.accepted
        self.with_plays += chunk.with_plays
        self.plays.update(group_counts(chunk.playbook))
        self.suppressed.update({p: int(c) for p, c in enumerate(chunk.suppressed.tolist()) if c})
        if chunk.playbook.size:
            monday = chunk.starts - (chunk.starts - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
            owners = len(self.rules.ids)
            for code, count in group_counts(monday * owners + chunk.playbook).items():
                self.weeks[(code // owners, str(self.rules.owners[code % owners]))] += count
        for column, reason, row, value in zip(
            chunk.errors["column"].tolist(),
            chunk.errors["reason"].tolist(),
            chunk.errors["sheet_row"].tolist(),
            chunk.errors["value"].tolist(),
            strict=True,
        ):
            key = (str(column), str(reason))
            self.error_kinds[key] += 1
            self.error_examples.setdefault(key, (int(row), str(value)))

    def by_owner(self) -> dict[str, int]:
        """Plays per owner (an empty owner: no owner in the playbook), most first, then by name."""
        counts: Counter[str] = Counter()
        for p, count in self.plays.items():
            counts[str(self.rules.owners[p])] += count
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
