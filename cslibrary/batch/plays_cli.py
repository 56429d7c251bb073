"""``python -m calculators plays ACCOUNTS --as-of DATE --out PLAYS.csv``: the worklist of a whole book.

Like ``score``: the same reader, header matching (``--map``), errors file, progress bar,
chunked streaming (``--chunksize``), outputs written under ``NAME.partial`` and renamed when
complete, and exit codes (0; 1 when rows were rejected, unless ``--allow-errors``; 2 when the
input can't be used). Every non-blank row is in the worklist (one row per play, or one row
with an empty playbook) or in the errors file: rows in = with plays + needing none + rejected.
``--ics-dir`` adds one calendar file per owner, ``--report`` the worklist by owner and week.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from .columns import ERROR_COLUMNS, Plan, load_map, percent_columns, resolve
from .formats import REPORT_SUFFIXES, render
from .ics import Calendars, calendar_folder, calendars
from .numbers import number_columns
from .outputs import PLAY_COLUMNS
from .plays import Rulebook
from .plays_report import PlaysContext, plays_blocks
from .progress import Progress
from .reader import CSV_SUFFIXES, BatchInputError, Table, open_table
from .runs import exit_code, library_config
from .signals import check_plan
from .targets import Partial, check_distinct, partials, target_path
from .worklist import WorkTotals, plays_chunk

#: Rows triaged at a time: a whole-file chunk is cut into slices this long, so memory stays bounded.
SLICE = 100_000


def plays_command(args: argparse.Namespace) -> int:
    out = target_path(args.out, CSV_SUFFIXES, "--out")
    assert out is not None
    errors_path = target_path(args.errors, CSV_SUFFIXES, "--errors") or out.with_name(f"{out.stem}.errors.csv")
    report_path = target_path(args.report, REPORT_SUFFIXES, "--report")
    check_distinct(Path(args.input), out, errors_path, report_path)
    folder = calendar_folder(args.ics_dir)
    as_of: datetime.date = args.as_of or datetime.date.today()
    mapping = load_map(args.map) if args.map else None
    rules = Rulebook.from_config(library_config(args.library))
    percent = percent_columns(rules.model.components, mapping)
    table = open_table(args.input, chunksize=args.chunksize, sheet=args.sheet, encoding=args.encoding, percent=percent)
    plan = resolve(table.headers, rules.model.components, mapping, need_score=False, extra=rules.columns.names(), source=str(args.input))
    check_plan(plan, rules.columns, rules.model, str(args.input))
    table.read_numbers(number_columns(plan.roles, table.headers), args.decimal, args.thousands)
    notes = list(plan.notes)
    if not rules.ids:
        notes.append("no playbook of the configuration has a trigger rule, so no account needs a play")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    progress = Progress("plays", enabled=True if args.progress else None)
    with partials(out, errors_path, report_path) as opened:  # worklist, errors, report and calendars: all renamed together, or none
        output, errors, report = opened
        files = calendars(folder, rules, as_of, opened)
        totals = _run(table, plan, rules, as_of, progress, (output, errors, files))
        outputs = [("Worklist", str(out)), ("Rejected rows", str(errors_path))]
        if folder is not None and files is not None:
            files.finish()
            outputs.append(("Calendars", f"{folder} ({len(files.files)} files)"))
        if report is not None and report_path is not None:  # rendered before anything is renamed: all files or none
            report.handle.write(
                render(plays_blocks(totals, PlaysContext(Path(args.input).name, tuple(notes), tuple(outputs))), report_path)
            )
    _print_summary(args.input, totals, outputs, report_path)
    return exit_code(totals.rejected, totals.rows_in, args.allow_errors, errors_path, "the other rows")


def _run(
    table: Table,
    plan: Plan,
    rules: Rulebook,
    as_of: datetime.date,
    progress: Progress,
    targets: tuple[Partial | None, Partial | None, Calendars | None],
) -> WorkTotals:
    """Triage every chunk, write the outputs as they come, add up the totals."""
    output, errors, files = targets
    totals = WorkTotals(rules, as_of)
    first_row, done_before = 1, 0.0
    for frame in table.chunks():
        done_after = table.progress() if table.kind == "csv" else (first_row - 1 + len(frame)) / max(table.row_count(), 1)
        for start in range(0, max(len(frame), 1), SLICE):
            part = frame.iloc[start : start + SLICE]
            chunk = plays_chunk(part, plan, rules, as_of, first_row + start, with_steps=files is not None)
            if output is not None:
                output.write_frame(chunk.output, PLAY_COLUMNS)
            if errors is not None:
                errors.write_frame(chunk.errors, ERROR_COLUMNS)
            if files is not None and chunk.entries is not None:
                files.write(chunk.entries)
            totals.add(chunk)
            share = min(start + SLICE, len(frame)) / len(frame) if len(frame) else 1.0
            progress.update(done_before + (done_after - done_before) * share, totals.rows_in)
        first_row += len(frame)
        done_before = done_after
    progress.close(totals.rows_in)
    if totals.rows_in == 0:
        what = "only blank rows" if totals.blank else "a header but no data rows"
        raise BatchInputError(f"{table.path}: has {what}")
    return totals


def _print_summary(source: str, totals: WorkTotals, outputs: list[tuple[str, str]], report: Path | None) -> None:
    none = totals.accepted - totals.with_plays
    print(
        f"{source}: {totals.rows_in:,} rows in = {totals.with_plays:,} with plays + {none:,} needing none + {totals.rejected:,} rejected",
        end="",
    )
    print(f" ({totals.blank:,} blank rows skipped)" if totals.blank else "")
    suppressed = sum(totals.suppressed.values())
    print(f"  as of:         {totals.as_of.isoformat()}")
    print(f"  worklist:      {outputs[0][1]} ({totals.play_count:,} plays; {suppressed:,} suppressed by a competing play)")
    problems = f" ({totals.problems:,} problems in {totals.rejected:,} rows)" if totals.rejected else " (none)"
    print(f"  rejected rows: {outputs[1][1]}{problems}")
    for label, value in outputs[2:]:
        print(f"  {label.lower() + ':':<14} {value}")
    if report is not None:
        print(f"  report:        {report}")
    owners = ", ".join(f"{owner or '(no owner)'} {n:,}" for owner, n in totals.by_owner().items())
    if owners:
        print(f"  by owner:      {owners}")
