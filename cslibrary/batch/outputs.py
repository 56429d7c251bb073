"""The worklist rows and the calendar steps of triaged accounts (:func:`.plays.triage`).

One row per play, in the account's order, and one row with an empty ``playbook`` for an
account that needs none. The columns with few distinct values (playbook, title, owner, days)
are categoricals, so the writer neutralises and quotes each value once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .parse import NO_DAY, FloatArray, IntArray, ObjectArray
from .plays import Rulebook, Triage
from .signals import Book

#: The columns of the worklist, in this order.
PLAY_COLUMNS = (
    "account",
    "playbook",
    "title",
    "priority",
    "reason",
    "starts",
    "owner",
    "segment",
    "health_score",
    "first_step_date",
    "sheet_row",
)


def _labelled(codes: IntArray, names: Sequence[str]) -> pd.Categorical:
    """``names[code]`` for each code, ``""`` for -1, as a categorical column (the writer writes each name once)."""
    categories, inverse = np.unique(np.array([*names, ""], dtype=str), return_inverse=True)
    labelled: pd.Categorical = pd.Categorical.from_codes(inverse[np.where(codes < 0, len(names), codes)], pd.Index(categories.tolist()))
    return labelled


def _days(ordinals: IntArray) -> pd.Categorical:
    """Day ordinals as ``YYYY-MM-DD`` text (``""`` for :data:`NO_DAY`), as a categorical column."""
    codes, uniques = pd.factorize(ordinals)
    names = ["" if d == NO_DAY else datetime.date.fromordinal(d).isoformat() for d in uniques.tolist()]
    return _labelled(np.asarray(codes, dtype=np.int64), names)


def worklist(book: Book, result: Triage, rules: Rulebook, accounts: ObjectArray, health: FloatArray, sheet_rows: IntArray) -> pd.DataFrame:
    """The output rows: one per play, and one with an empty playbook for an account that needs none."""
    n = len(book)
    idle = np.flatnonzero(np.bincount(result.row, minlength=n) == 0)
    row = np.concatenate([result.row, idle])
    order = np.lexsort((np.concatenate([result.position, np.zeros(idle.size, dtype=np.int64)]), row))
    row = row[order]

    def per_play(values: IntArray, missing: int = -1) -> IntArray:
        return np.concatenate([values, np.full(idle.size, missing, dtype=np.int64)])[order]

    first_step = np.full(result.row.size, NO_DAY, dtype=np.int64)
    for p, steps in enumerate(rules.steps):
        entries = np.flatnonzero(result.playbook == p)
        if entries.size and steps.shifts:
            first_step[entries] = steps.anchors(book, result.row[entries], result.starts[entries]) + steps.shifts[0]
    playbook = per_play(result.playbook)
    owners = np.unique(rules.owners).tolist() if len(rules.ids) else []
    owner_codes = np.array([owners.index(o) for o in rules.owners.tolist()] + [-1], dtype=np.int64)
    top = int(result.position.max()) if result.position.size else 0
    columns = {
        "account": pd.Series(accounts[row], dtype=object, copy=False),
        "playbook": _labelled(playbook, rules.ids),
        "title": _labelled(playbook, rules.titles.tolist()),
        "priority": _labelled(per_play(result.position - 1), [str(k) for k in range(1, top + 1)]),
        "reason": pd.Series(np.concatenate([result.reason, np.full(idle.size, "", dtype=object)])[order], dtype=object, copy=False),
        "starts": _days(per_play(result.starts, NO_DAY)),
        "owner": _labelled(owner_codes[playbook], owners),
        "segment": _labelled(book.segment[row], rules.model.tier_ids),
        "health_score": pd.Series(health[row], copy=False),
        "first_step_date": _days(per_play(first_step, NO_DAY)),
        "sheet_row": pd.Series(sheet_rows[row], copy=False),
    }
    return pd.DataFrame(columns, copy=False)


@dataclass(frozen=True)
class Entries:
    """The plays of a chunk as the calendars need them: one entry per play, in the worklist's order."""

    account: ObjectArray
    playbook: IntArray
    position: IntArray
    reason: ObjectArray
    anchor: IntArray

    def steps(self, rules: Rulebook) -> Iterator[tuple[int, int, IntArray, IntArray]]:
        """``(playbook, step index, entries, days)``: each playbook's first steps, one step at a time."""
        for p, steps in enumerate(rules.steps):
            entries = np.flatnonzero(self.playbook == p)
            if entries.size:
                for i, days in enumerate(steps.shifts):
                    yield p, i, entries, self.anchor[entries] + days


def play_entries(book: Book, result: Triage, rules: Rulebook, accounts: ObjectArray) -> Entries:
    """The chunk's plays with the day each one's steps count from (:meth:`.plays.Steps.anchors`)."""
    anchor = np.full(result.row.size, NO_DAY, dtype=np.int64)
    for p, steps in enumerate(rules.steps):
        entries = np.flatnonzero(result.playbook == p)
        if entries.size:
            anchor[entries] = steps.anchors(book, result.row[entries], result.starts[entries])
    return Entries(accounts[result.row], result.playbook, result.position, result.reason, anchor)
