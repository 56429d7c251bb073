"""The worklist rows and the calendar steps of triaged accounts (:func:`.plays.triage`).

One row per play, in the account's order, and one row with an empty ``playbook`` for an
account that needs none. The columns with few distinct values (playbook, title, owner, days)
are categoricals, so the writer neutralises and quotes each value once.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

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
#: The columns of :func:`steps_frame`: a play's step, with the play's own fields.
STEP_COLUMNS = ("entry", "step", "account", "playbook", "title", "owner", "priority", "reason", "date", "offset", "action", "step_owner")


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


def steps_frame(book: Book, result: Triage, rules: Rulebook, accounts: ObjectArray) -> pd.DataFrame:
    """Each play's first steps, one row per step: what the calendar files hold."""
    parts = []
    for p, steps in enumerate(rules.steps):
        entries = np.flatnonzero(result.playbook == p)
        if not entries.size:
            continue
        anchor = steps.anchors(book, result.row[entries], result.starts[entries])
        for i, (days, offset, action, owner) in enumerate(zip(steps.shifts, steps.offsets, steps.actions, steps.owners, strict=True)):
            parts.append(
                pd.DataFrame(
                    {
                        "entry": entries,
                        "step": i + 1,
                        "account": accounts[result.row[entries]],
                        "playbook": rules.ids[p],
                        "title": rules.titles[p],
                        "owner": rules.owners[p],
                        "priority": result.position[entries],
                        "reason": result.reason[entries],
                        "date": anchor + days,
                        "offset": offset,
                        "action": action,
                        "step_owner": owner,
                    }
                )
            )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in STEP_COLUMNS})
    return pd.concat(parts, ignore_index=True).sort_values(["entry", "step"], kind="stable", ignore_index=True)
