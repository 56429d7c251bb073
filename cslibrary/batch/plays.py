"""The plays each account needs: the triage calculator's answer for many accounts at once.

For every account, every playbook whose trigger rule holds (see :mod:`.conditions`) within the
segments the rule names is a play. As in :func:`calculators.triage.triage`, plays are ordered
by the rule's ``priority``, then the day they start, then the playbook id; a rule's ``group``
runs one play (the first), and a play that runs removes the plays its ``suppresses`` lists
(from the plays after it), as does a play in progress (it ran, and its rule would still hold had
it not run). The order and the suppressions are resolved position by position
over all accounts at once; ``priority`` in the output is the play's position (1, 2, …), and
``reason`` is the rule's reasons joined with ``; `` as one sentence (its first letter capitalised).

Each play equals one of ``calculators.run("triage", …)`` for that account
(``tests/batch/test_plays_parity.py`` checks it on random rules and accounts); the worklist's
rows are written by :mod:`.outputs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from calculators.planner import offset_label

from .conditions import Node, compile_rule
from .model import Model
from .parse import NO_DAY, BoolArray, FloatArray, IntArray, ObjectArray
from .reader import BatchInputError
from .rule_values import last_run, shift
from .signals import Book, Columns, labels

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
    running = np.full((n, count), -1, dtype=np.int64) if any(rules.suppresses) else None
    ignoring = book.ignoring_runs()
    for p, node in enumerate(rules.nodes):
        fired, start = node.fired(book)
        eligible = rules.eligible[p, np.maximum(book.segment, 0)]
        hit = np.flatnonzero(fired & eligible)
        if running is not None and rules.suppresses[p]:
            _in_progress(p, node, ignoring, eligible & ~fired, rules, running)
        rows.append(hit)
        pbs.append(np.full(hit.size, p, dtype=np.int64))
        starts.append(np.where(start[hit] == NO_DAY, book.as_of, start[hit]))
    row, pb, start = (np.concatenate(a) if a else np.zeros(0, dtype=np.int64) for a in (rows, pbs, starts))
    order = np.lexsort((rules.rank[pb], start, rules.priority[pb], row))
    row, pb, start = row[order], pb[order], start[order]
    kept = _resolve(row, pb, rules, n, running)
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
            reason[entries] = node.reasons(book, need, first=True)[row[entries]]
    return Triage(row, pb, position, start, reason, suppressed)


def _in_progress(p: int, node: Node, ignoring: Book, idle: BoolArray, rules: Rulebook, running: IntArray) -> None:
    """Mark the plays that playbook ``p`` replaces while it is in progress: it ran, does not fire now,
    and its rule would still hold had it never run. The first such playbook (configuration order) counts."""
    last = last_run(ignoring, rules.ids[p])
    candidates = idle & (last != NO_DAY)
    if not candidates.any():
        return
    holds, _ = node.fired(ignoring)
    who = np.flatnonzero(candidates & holds)
    for s in rules.suppresses[p]:
        running[who, s] = np.where(running[who, s] < 0, p, running[who, s])


def _resolve(row: IntArray, pb: IntArray, rules: Rulebook, n: int, running: IntArray | None) -> BoolArray:
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
        if running is not None:
            by = np.where(by >= 0, by, running[accounts, p])
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
