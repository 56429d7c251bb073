"""The ``plays --report``: the worklist by owner, by playbook and by week, and the rejected rows.

The same blocks as the ``score`` report (:mod:`.blocks`), rendered as HTML, Markdown or text
by :mod:`.formats`. A play starts on or before the as-of day, so the weeks are a backlog:
this week first, then each earlier week, the oldest ones added up in one row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .blocks import Block, Bullets, Chart, Heading, Paragraph, Table, count, count_fmt, pct, share
from .report import error_blocks, run_lines
from .worklist import WorkTotals

#: Weeks shown one by one (this week and the ones before); older plays are added up.
WEEKS = 12


@dataclass(frozen=True)
class PlaysContext:
    """What the report says about the run itself."""

    input_name: str
    notes: tuple[str, ...] = ()
    outputs: tuple[tuple[str, str], ...] = ()


def owner_name(owner: str) -> str:
    return owner or "(no owner)"


def plays_blocks(totals: WorkTotals, context: PlaysContext) -> list[Block]:
    """The report's blocks for a ``plays`` run."""
    return [
        Heading(f"Worklist: {context.input_name} (as of {totals.as_of.isoformat()})", 1),
        *_rows(totals, context),
        *_owners(totals),
        *_playbooks(totals),
        *_weeks(totals),
        *error_blocks(totals.error_kinds, totals.error_examples),
    ]


def _rows(totals: WorkTotals, context: PlaysContext) -> list[Block]:
    none = totals.accepted - totals.with_plays
    balance = "✓" if totals.rows_in == totals.with_plays + none + totals.rejected else "✗"
    items = [
        f"Rows in: {count(totals.rows_in)} = with plays {count(totals.with_plays)} + needing none {count(none)} "
        f"+ rejected {count(totals.rejected)} {balance}",
        f"Plays: {count(totals.play_count)}; suppressed by a competing play: {count(sum(totals.suppressed.values()))}",
        f"Playbooks with a trigger rule: {count(len(totals.rules.ids))}",
    ]
    return [Heading("Rows"), Bullets(items + run_lines(totals.blank, totals.rejected, totals.problems, context.outputs, context.notes))]


def _owners(totals: WorkTotals) -> list[Block]:
    owners = totals.by_owner()
    if not owners:
        return [Heading("Plays by owner"), Paragraph("No account needs a play.")]
    total = totals.play_count
    rows = [[owner_name(o), count(n), pct(share(n, total))] for o, n in owners.items()]
    return [
        Heading("Plays by owner"),
        Paragraph("The owner is the playbook's owner role (playbooks/library/*.yml)."),
        Table(["Owner", "Plays", "Share"], rows, frozenset({1, 2})),
        Chart("Plays per owner", [owner_name(o) for o in owners], [("Plays", [float(n) for n in owners.values()])], count_fmt),
    ]


def _playbooks(totals: WorkTotals) -> list[Block]:
    rules = totals.rules
    codes = sorted(set(totals.plays) | set(totals.suppressed), key=lambda p: (-totals.plays.get(p, 0), rules.ids[p]))
    if not codes:
        return []
    rows = [
        [
            str(rules.titles[p]),
            rules.ids[p],
            owner_name(str(rules.owners[p])),
            count(totals.plays.get(p, 0)),
            count(totals.suppressed.get(p, 0)),
        ]
        for p in codes
    ]
    return [
        Heading("Plays by playbook"),
        Paragraph("Suppressed: the rule held but a competing play ran instead (the same group, or a play that replaces it)."),
        Table(["Playbook", "Id", "Owner", "Plays", "Suppressed"], rows, frozenset({3, 4})),
    ]


def _weeks(totals: WorkTotals) -> list[Block]:
    if not totals.weeks:
        return []
    this_week = totals.as_of - datetime.timedelta(days=totals.as_of.weekday())
    owners = list(totals.by_owner())
    mondays = [(this_week - datetime.timedelta(weeks=k)).toordinal() for k in range(WEEKS)]
    counts: dict[int, dict[str, int]] = {m: dict.fromkeys(owners, 0) for m in [*mondays, 0]}
    for (monday, owner), n in totals.weeks.items():
        counts[monday if monday in counts else 0][owner] += n
    rows, labels, values = [], [], []
    for monday in [*mondays, 0]:
        by_owner = counts[monday]
        if monday == 0:
            if not any(by_owner.values()):
                continue
            label = f"Before {datetime.date.fromordinal(mondays[-1]).isoformat()}"
        else:
            label = datetime.date.fromordinal(monday).isoformat() + (" (this week)" if monday == mondays[0] else "")
        rows.append([label, *(count(by_owner[o]) for o in owners), count(sum(by_owner.values()))])
        labels.append(label)
        values.append(float(sum(by_owner.values())))
    return [
        Heading("Plays by week"),
        Paragraph(
            "The week (Monday to Sunday) of the day each play starts. Plays start on or before the as-of day, "
            "so earlier weeks are plays that have been due for longer."
        ),
        Table(["Week of", *(owner_name(o) for o in owners), "Total"], rows, frozenset(range(1, len(owners) + 2))),
        Chart("Plays per week they start", labels, [("Plays", values)], count_fmt),
    ]
