"""``python -m calculators score|backtest|plays``: the batch commands' command line.

``score`` and ``backtest`` are here, ``plays`` in :mod:`.plays_cli`. Exit codes: 0 when every
row was scored (or ``--allow-errors`` was given); 1 when rows were rejected (they are in the
errors file, the scored rows are still written); 2 when the input can't be used at all (not
CSV/XLSX, empty, a required column missing, a bad option), with one line on standard error
and no traceback.

Outputs (the report included) are written to new, exclusively created ``.NAME.*.partial``
files beside the targets and renamed together when all are complete, so a failed run never
leaves a half-written file under a real name, nor some outputs of this run beside others of
an older one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .arguments import build_parser
from .columns import ERROR_COLUMNS, RESULT_COLUMNS, Plan, load_map, percent_columns, resolve
from .formats import render
from .numbers import number_columns
from .plays_cli import plays_command
from .progress import Progress
from .reader import CSV_SUFFIXES, XLSX_SUFFIXES, BatchInputError, Table, open_table
from .report import REPORT_SUFFIXES, Context, backtest_blocks, build, money, pct, render_text
from .runs import EXIT_BAD_INPUT, EXIT_OK, EXIT_REJECTED, exit_code, library_config
from .scoring import Model, score_chunk
from .summary import Totals, backtest
from .targets import Partial, check_distinct, partials, target_path

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_REJECTED", "WRITE_SLICE", "backtest_command", "build_parser", "main", "score_command"]

WRITE_SLICE = 100_000


def main(argv: Sequence[str]) -> int:
    """Run ``score``, ``backtest`` or ``plays`` with ``argv`` (starting with the command name)."""
    args = build_parser().parse_args(list(argv))
    try:
        if args.command == "score":
            return score_command(args)
        if args.command == "plays":
            return plays_command(args)
        return backtest_command(args)
    except BatchInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("\ninterrupted; no output was written", file=sys.stderr)
        return 130
    except MemoryError:
        hint = "save it as CSV and use --chunksize 100000" if str(args.input).lower().endswith(XLSX_SUFFIXES) else "try --chunksize 100000"
        print(f"error: {args.input}: out of memory; {hint}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # no traceback reaches a person; CALCULATORS_DEBUG=1 shows it
        if os.environ.get("CALCULATORS_DEBUG"):
            raise
        print(
            f"error: {args.input}: could not be processed ({type(exc).__name__}: {exc}); CALCULATORS_DEBUG=1 shows details", file=sys.stderr
        )
        return EXIT_BAD_INPUT


def _check_policy(plan: Plan, model: Model, source: str) -> None:
    if plan.use_health or model.policy != "reject":
        return
    keys = [k for k in model.model_keys if k != "default"] if model.segment_model else ["default"]
    needed = sorted({c for key in keys for c in model.config["health"]["weights"][key]} - set(plan.components))
    if needed:
        raise BatchInputError(f"{source}: missing column(s) {', '.join(needed)}, required by the missing-data policy 'reject'")


def _prepare(args: argparse.Namespace, *, need_outcome: bool) -> tuple[Model, Table, Plan]:
    mapping = load_map(args.map) if args.map else None
    config = library_config(args.library)
    model = Model.from_config(config, segment_model=args.segment_model)
    percent = percent_columns(model.components, mapping)
    table = open_table(args.input, chunksize=args.chunksize, sheet=args.sheet, encoding=args.encoding, percent=percent)
    plan = resolve(table.headers, model.components, mapping, need_outcome=need_outcome, source=str(args.input))
    _check_policy(plan, model, str(args.input))
    table.read_numbers(number_columns(plan.roles, table.headers), args.decimal, args.thousands)
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    if plan.use_health and args.segment_model:
        print("note: --segment-model has no effect with a health column (the weights only apply to components)", file=sys.stderr)
    return model, table, plan


def _run(
    table: Table, plan: Plan, model: Model, progress: Progress, output: Partial | None, errors: Partial | None
) -> tuple[Totals, list[pd.DataFrame]]:
    """Score every chunk, write outputs as they come, add up the totals."""
    totals = Totals(model)
    kept_errors: list[pd.DataFrame] = []
    header = [*plan.output_headers, *RESULT_COLUMNS]
    first_row, done_before = 1, 0.0
    for frame in table.chunks():
        chunk = score_chunk(frame, plan, model, first_row)
        first_row += len(frame)
        done_after = table.progress() if table.kind == "csv" else (first_row - 1) / max(table.row_count(), 1)
        if output is not None:
            rows = len(chunk.output)
            for start in range(0, max(rows, 1), WRITE_SLICE):
                output.write_frame(chunk.output.iloc[start : start + WRITE_SLICE], header)
                share = min(start + WRITE_SLICE, rows) / rows if rows else 1.0
                progress.update(done_before + (done_after - done_before) * share, totals.rows_in + chunk.rows_in)
        if errors is not None:
            errors.write_frame(chunk.errors, ERROR_COLUMNS)
        elif len(chunk.errors) and sum(len(e) for e in kept_errors) < 10:
            kept_errors.append(chunk.errors.head(10))
        totals.add(chunk)
        done_before = done_after
        progress.update(done_after, totals.rows_in)
    progress.close(totals.rows_in)
    if totals.rows_in == 0:
        what = "only blank rows" if totals.blank else "a header but no data rows"
        raise BatchInputError(f"{table.path}: has {what}")
    return totals, kept_errors


def score_command(args: argparse.Namespace) -> int:
    out = target_path(args.out, CSV_SUFFIXES, "--out")
    assert out is not None
    errors_path = target_path(args.errors, CSV_SUFFIXES, "--errors") or out.with_name(f"{out.stem}.errors.csv")
    report_path = target_path(args.report, REPORT_SUFFIXES, "--report")
    check_distinct(Path(args.input), out, errors_path, report_path)
    model, table, plan = _prepare(args, need_outcome=False)
    csm_cost = args.csm_cost if args.csm_cost is not None else float(model.config["segments"]["example_organisation"]["csm_cost"])
    progress = Progress("scoring", enabled=True if args.progress else None)
    outputs = [("Scored rows", str(out)), ("Rejected rows", str(errors_path))]
    with partials(out, errors_path, report_path) as (output, errors, report):
        totals, _ = _run(table, plan, model, progress, output, errors)
        if report is not None and report_path is not None:  # rendered before anything is renamed: all files or none
            context = Context(Path(args.input).name, "score", csm_cost, plan.notes, tuple(outputs))
            result = backtest(totals) if "outcome" in plan.roles else None
            report.handle.write(render(build(totals, context, result), report_path))
    _print_summary(args.input, totals, out, errors_path, report_path)
    return exit_code(totals.rejected, totals.rows_in, args.allow_errors, errors_path)


def backtest_command(args: argparse.Namespace) -> int:
    errors_path = target_path(args.errors, CSV_SUFFIXES, "--errors")
    report_path = target_path(args.report, REPORT_SUFFIXES, "--report")
    check_distinct(Path(args.input), errors_path, report_path)
    model, table, plan = _prepare(args, need_outcome=True)
    progress = Progress("backtest", enabled=True if args.progress else None)
    with partials(errors_path, report_path) as (errors, report):  # the errors file and the report: renamed together, or neither
        totals, examples = _run(table, plan, model, progress, None, errors)
        result = backtest(totals, args.min_sample)
        if not result.with_outcome:
            raise BatchInputError(f"{args.input}: no scored row has an outcome (renewed or churned); nothing to backtest")
        csm_cost = float(model.config["segments"]["example_organisation"]["csm_cost"])
        outputs = [("Rejected rows", str(errors_path))] if errors_path else []
        context = Context(Path(args.input).name, "backtest", csm_cost, plan.notes, tuple(outputs))
        blocks = build(totals, context, result)
        if report is not None and report_path is not None:  # rendered before anything is renamed
            report.handle.write(render(blocks, report_path))
    print(render_text(blocks[:3] + backtest_blocks(result)), end="")
    if report_path is not None:
        print(f"\nreport: {report_path}")
    if totals.rejected and errors_path is None:
        shown = pd.concat(examples).head(10) if examples else pd.DataFrame(columns=list(ERROR_COLUMNS))
        for row in shown.itertuples(index=False):
            print(f"rejected: sheet row {row.sheet_row}: {row.column}: {row.reason} (got {row.value!r})", file=sys.stderr)
        if totals.problems > len(shown):
            print(f"… {totals.problems - len(shown):,} more; --errors FILE writes them all", file=sys.stderr)
    return exit_code(totals.rejected, totals.rows_in, args.allow_errors, errors_path)


def _print_summary(source: str, totals: Totals, out: Path, errors: Path, report: Path | None) -> None:
    print(f"{source}: {totals.rows_in:,} rows in = {totals.scored:,} scored + {totals.rejected:,} rejected", end="")
    print(f" ({totals.blank:,} blank rows skipped)" if totals.blank else "")
    print(f"  scored rows:   {out}")
    problems = f" ({totals.problems:,} problems in {totals.rejected:,} rows)" if totals.rejected else " (none)"
    print(f"  rejected rows: {errors}{problems}")
    if report is not None:
        print(f"  report:        {report}")
    due, forecast = totals.due(), totals.forecast()
    share = forecast * 100 / due if due else None
    print(f"  forecast:      {money(forecast)} of {money(due)} ARR ({pct(share)}); at-risk ARR {money(totals.at_risk_arr())}")
