"""The plays each account needs: the triage calculator's answer for many accounts at once.

For every account, every playbook whose trigger rule holds (see :mod:`.conditions`) within the
segments the rule names is a play. As in :func:`calculators.triage.triage`, plays are ordered
by the rule's ``priority``, then the day they start, then the playbook id; a rule's ``group``
runs one play (the first), and a play that runs removes the plays its ``suppresses`` lists
(from the plays after it). The order and the suppressions are resolved position by position
over all accounts at once; ``priority`` in the output is the play's position (1, 2, …), and
``reason`` is the rule's reasons joined with ``; `` as one sentence (its first letter capitalised).

Each row of the output equals a play of ``calculators.run("triage", …)`` for that account
(``tests/batch/test_plays_parity.py`` checks it on random rules and accounts); an account that
needs nothing has one row with an empty ``playbook``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from calculators.planner import offset_label

from .conditions import Node, compile_rule
from .model import Model
from .parse import NO_DAY, BoolArray, FloatArray, IntArray, ObjectArray
from .reader import BatchInputError
from .rule_values import day_texts, shift
from .signals import Book, Columns, labels

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
    "first_step",
    "sheet_row",
)
#: The columns of :func:`steps_frame`: a play's step, with the play's own fields.
STEP_COLUMNS = ("entry", "step", "account", "playbook", "title", "owner", "priority", "reason", "date", "offset", "action", "step_owner")
#: The steps listed per play (the triage calculator's ``FIRST_STEPS``).
FIRST_STEPS = 3


@dataclass(frozen=True)
class Steps:
    """A playbook's first steps: day shifts from the anchor, offset labels, actions and owners."""

    from_renewal: bool
    lead: int
    shifts: tuple[int, ...]
    offsets: tuple[str, ...]
    actions: tuple[str, ...]
    owners: tuple[str, ...]

    @classmethod
    def of(cls, playbook: Mapping[str, Any]) -> Steps:
        unit, steps = playbook["offset_unit"], playbook.get("steps", [])[:FIRST_STEPS]
        shifts = tuple(shift((s["at"] - 1) * 7 if unit == "week" else s["at"]) for s in steps)
        return cls(
            from_renewal=unit == "t_minus_day",
            lead=shifts[0] if shifts else 0,
            shifts=shifts,
            offsets=tuple(offset_label(s["at"], unit) for s in steps),
            actions=tuple(s["action"] for s in steps),
            owners=tuple(s.get("owner") or "" for s in steps),
        )

    def anchors(self, book: Book, rows: IntArray, starts: IntArray) -> IntArray:
        """The day the steps count from: the renewal date (T-minus playbooks) or the day the first step falls on the start."""
        renewal = book.dates.get("renewal_date")
        if self.from_renewal and renewal is not None:
            return np.where(renewal[rows] != NO_DAY, renewal[rows], starts - self.lead)
        return starts - self.lead


@dataclass(frozen=True)
class Rulebook:
    """The playbooks that have a trigger rule, compiled for vectorised triage."""

    model: Model
    columns: Columns
    ids: tuple[str, ...]
    titles: ObjectArray
    owners: ObjectArray
    nodes: tuple[Node, ...]
    eligible: BoolArray
    priority: FloatArray
    rank: IntArray
    group: IntArray
    groups: tuple[str, ...]
    suppresses: tuple[tuple[int, ...], ...]
    steps: tuple[Steps, ...]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Rulebook:
        model = Model.from_config(config, segment_model=True)
        columns = Columns.from_config(config, model.components)
        names = labels(config)
        ruled = [(pid, p) for pid, p in config["playbooks"].items() if p.get("rule")]
        ids = tuple(pid for pid, _ in ruled)
        groups = tuple(dict.fromkeys(p["rule"]["group"] for _, p in ruled if p["rule"].get("group")))
        nodes = []
        for pid, playbook in ruled:
            try:
                nodes.append(compile_rule(playbook["rule"]["when"], pid, names, columns.stages))
            except (KeyError, TypeError, ValueError) as exc:
                raise BatchInputError(
                    f"configuration: the trigger rule of playbook {pid} can't be read ({type(exc).__name__}: {exc})"
                ) from None
        eligible = np.zeros((len(ids), len(model.tier_ids)), dtype=np.bool_)
        for i, (_, playbook) in enumerate(ruled):
            scope = playbook["rule"].get("segments") or playbook.get("segments", [])
            eligible[i] = [tier in scope for tier in model.tier_ids]
        return cls(
            model=model,
            columns=columns,
            ids=ids,
            titles=np.array([p["title"] for _, p in ruled], dtype=object),
            owners=np.array([p.get("owner") or "" for _, p in ruled], dtype=object),
            nodes=tuple(nodes),
            eligible=eligible,
            priority=np.array([float(p["rule"].get("priority", 9)) for _, p in ruled], dtype=np.float64),
            rank=np.argsort(np.argsort(np.array(ids, dtype=object))).astype(np.int64),
            group=np.array([groups.index(p["rule"]["group"]) if p["rule"].get("group") else len(groups) for _, p in ruled], dtype=np.int64),
            groups=groups,
            suppresses=tuple(tuple(ids.index(s) for s in p["rule"].get("suppresses", []) if s in ids) for _, p in ruled),
            steps=tuple(Steps.of(p) for _, p in ruled),
        )


@dataclass
class Triage:
    """The plays of a book of accounts: one entry per play that runs, by account, then position."""

    row: IntArray
    playbook: IntArray
    position: IntArray
    starts: IntArray
    reason: ObjectArray
    suppressed: IntArray


def triage(book: Book, rules: Rulebook) -> Triage:
    """Evaluate every rule on every account; order, group and suppress the plays; write their reasons."""
    n, count = len(book), len(rules.ids)
    rows, pbs, starts = [], [], []
    for p, node in enumerate(rules.nodes):
        fired, start = node.fired(book)
        hit = np.flatnonzero(fired & rules.eligible[p, np.maximum(book.segment, 0)])
        rows.append(hit)
        pbs.append(np.full(hit.size, p, dtype=np.int64))
        starts.append(np.where(start[hit] == NO_DAY, book.as_of, start[hit]))
    row, pb, start = (np.concatenate(a) if a else np.zeros(0, dtype=np.int64) for a in (rows, pbs, starts))
    order = np.lexsort((rules.rank[pb], start, rules.priority[pb], row))
    row, pb, start = row[order], pb[order], start[order]
    kept = _resolve(row, pb, rules, n)
    suppressed = np.bincount(pb[~kept], minlength=count)
    row, pb, start = row[kept], pb[kept], start[kept]
    per_row = np.bincount(row, minlength=n)
    position = np.arange(row.size) - (np.cumsum(per_row) - per_row)[row] + 1
    reason = np.full(row.size, "", dtype=object)
    for p, node in enumerate(rules.nodes):
        entries = np.flatnonzero(pb == p)
        if entries.size:
            need = np.zeros(n, dtype=np.bool_)
            need[row[entries]] = True
            reason[entries] = [text[:1].upper() + text[1:] for text in node.reasons(book, need)[row[entries]].tolist()]
    return Triage(row, pb, position, start, reason, suppressed)


def _resolve(row: IntArray, pb: IntArray, rules: Rulebook, n: int) -> BoolArray:
    """Which of the ordered candidate plays run: position by position, as the calculator walks them."""
    kept = np.zeros(row.size, dtype=np.bool_)
    if not row.size:
        return kept
    per_row = np.bincount(row, minlength=n)
    first = np.cumsum(per_row) - per_row
    taken = np.full((n, len(rules.groups) + 1), -1, dtype=np.int32)
    replaced = np.full((n, len(rules.ids)), -1, dtype=np.int32)
    for k in range(int(per_row.max())):
        accounts = np.flatnonzero(per_row > k)
        index = first[accounts] + k
        p = pb[index]
        group = rules.group[p]
        by = taken[accounts, group]
        by = np.where(by >= 0, by, replaced[accounts, p])
        runs = by < 0
        kept[index[runs]] = True
        grouped = runs & (group < len(rules.groups))
        taken[accounts[grouped], group[grouped]] = p[grouped]
        for q in np.unique(p[runs]).tolist():
            if rules.suppresses[q]:
                who = accounts[runs & (p == q)]
                for s in rules.suppresses[q]:
                    replaced[who, s] = np.where(replaced[who, s] < 0, q, replaced[who, s])
    return kept


def worklist(book: Book, result: Triage, rules: Rulebook, accounts: ObjectArray, health: FloatArray, sheet_rows: IntArray) -> pd.DataFrame:
    """The output rows: one per play, and one with an empty playbook for an account that needs none."""
    n = len(book)
    idle = np.flatnonzero(np.bincount(result.row, minlength=n) == 0)
    row = np.concatenate([result.row, idle])
    order = np.lexsort((np.concatenate([result.position, np.zeros(idle.size, dtype=np.int64)]), row))
    plays = result.row.size

    def play_text(values: ObjectArray) -> ObjectArray:
        return np.concatenate([values, np.full(idle.size, "", dtype=object)])[order]

    step_day = np.full(plays, NO_DAY, dtype=np.int64)
    step_action = np.full(plays, "", dtype=object)
    for p, steps in enumerate(rules.steps):
        entries = np.flatnonzero(result.playbook == p)
        if entries.size and steps.shifts:
            step_day[entries] = steps.anchors(book, result.row[entries], result.starts[entries]) + steps.shifts[0]
            step_action[entries] = steps.actions[0]
    step_dates = np.full(plays, "", dtype=object)
    dated = step_day != NO_DAY
    step_dates[dated] = day_texts(step_day[dated])
    row = row[order]
    tier_ids = np.array(rules.model.tier_ids, dtype=object)
    columns = {
        "account": accounts[row],
        "playbook": play_text(np.array(rules.ids, dtype=object)[result.playbook]),
        "title": play_text(rules.titles[result.playbook]),
        "priority": play_text(np.array([str(k) for k in result.position.tolist()], dtype=object)),
        "reason": play_text(result.reason),
        "starts": play_text(np.array(day_texts(result.starts), dtype=object)),
        "owner": play_text(rules.owners[result.playbook]),
        "segment": tier_ids[book.segment[row]],
        "health_score": health[row],
        "first_step_date": play_text(step_dates),
        "first_step": play_text(step_action),
        "sheet_row": sheet_rows[row],
    }
    return pd.DataFrame({k: pd.Series(v, dtype=v.dtype, copy=False) for k, v in columns.items()}, copy=False)


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
