"""``python -m calculators score|backtest``: the batch scorer's command line.

Exit codes: 0 when every row was scored (or ``--allow-errors`` was given); 1 when rows were
rejected (they are in the errors file, the scored rows are still written); 2 when the input
can't be used at all (not CSV/XLSX, empty, a required column missing, a bad option), with one
line on standard error and no traceback.

Outputs are written to ``NAME.partial`` beside the target and renamed when complete, so a
failed run never leaves a half-written file under the real name.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

from .columns import ERROR_COLUMNS, RESULT_COLUMNS, Plan, load_map, resolve
from .progress import Progress
from .reader import CSV_SUFFIXES, BatchInputError, Table, open_table
from .report import REPORT_SUFFIXES, Context, backtest_blocks, build, money, pct, render, render_text
from .scoring import Model, score_chunk
from .summary import MIN_SAMPLE, Totals, backtest
from .writer import write_frame

EXIT_OK, EXIT_REJECTED, EXIT_BAD_INPUT = 0, 1, 2
WRITE_SLICE = 100_000

_COLUMNS_HELP = """\
columns (matched ignoring case, spaces, hyphens and underscores; rename others with --map):
  account                      required; the account's name or id
  arr | mrr                    required; annual recurring revenue (mrr is multiplied by 12), > 0
  segment                      optional; high_touch / low_touch / tech_touch, a tier label or a
                               ratio-table row (Enterprise, SMB …); empty: assigned by ARR
  health | product_usage, engagement, relationship, support, growth, financial
                               a health score 0–100, or the component scores 0–100 (a missing
                               component follows the health model's missing-data policy)
  renewal_date                 optional; YYYY-MM-DD (calendar quarters in the report)
  outcome                      optional (required by backtest); renewed or churned
Empty cells and NA, N/A, null, none, nan, - and #N/A count as missing.

input files: CSV (UTF-8; delimiter , ; or tab, from the header line) or XLSX (the first
sheet, header in row 1). --chunksize streams a CSV in chunks of N rows so memory stays
bounded; an XLSX file is always read whole (--chunksize then only splits the scoring).
"""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number (got {text!r})") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number greater than 0 (got {text})")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="INPUT", help="the accounts: a .csv or .xlsx file")
    parser.add_argument("--report", metavar="FILE", help="also write a summary report: .md (Markdown) or .html")
    parser.add_argument(
        "--errors",
        metavar="FILE",
        help="write rejected rows here (.csv): sheet_row, data_row, account, column, value, reason (score: default OUTPUT.errors.csv)",
    )
    parser.add_argument("--map", metavar="MAP.yml", help="YAML mapping of 'file header: column' renames for a CRM's export")
    parser.add_argument("--chunksize", metavar="N", type=_positive_int, help="stream a CSV N rows at a time (XLSX is read whole)")
    parser.add_argument("--allow-errors", action="store_true", help="exit 0 even when rows were rejected")
    parser.add_argument(
        "--segment-model", action="store_true", help="weigh components with each row's segment model (default: the default model)"
    )
    parser.add_argument("--library", metavar="DIR", help="the playbooks/ folder to read the configuration from (default: ./playbooks)")
    parser.add_argument("--sheet", metavar="NAME", help="XLSX: the worksheet to read (default: the first)")
    parser.add_argument("--encoding", default="utf-8-sig", help="CSV text encoding (default: UTF-8, with or without a byte-order mark)")
    parser.add_argument("--progress", action="store_true", help="show a progress bar even when standard error is not a terminal")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m calculators", description="Score or backtest a whole book of accounts.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{score,backtest}")
    score = commands.add_parser(
        "score",
        help="score every account of a CSV/XLSX export",
        description="Score every account: health score, band, playbook, renewal probability, expected renewal, segment. "
        "Every row ends up in the output or in the errors file; rows in = scored + rejected.",
        epilog=_COLUMNS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(score)
    score.add_argument(
        "--out", metavar="OUTPUT.csv", required=True, help="the scored rows: every input column plus " + ", ".join(RESULT_COLUMNS)
    )
    score.add_argument(
        "--csm-cost",
        type=_positive_float,
        metavar="AMOUNT",
        help="fully loaded CSM cost a year for the coverage table (default: segments.yml)",
    )
    test = commands.add_parser(
        "backtest",
        help="check how well the health bands predicted renewals and churn",
        description="Score the accounts and compare each band with the outcome column: churn rate, precision and recall of the "
        "at-risk bands, observed renewal rate next to the configured probability, and suggested probabilities.",
        epilog=_COLUMNS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(test)
    test.add_argument(
        "--min-sample",
        type=_positive_int,
        default=MIN_SAMPLE,
        metavar="N",
        help=f"outcomes a band needs before its probability is re-suggested (default {MIN_SAMPLE})",
    )
    return parser


def main(argv: Sequence[str]) -> int:
    """Run ``score`` or ``backtest`` with ``argv`` (starting with the command name)."""
    args = build_parser().parse_args(list(argv))
    try:
        if args.command == "score":
            return score_command(args)
        return backtest_command(args)
    except BatchInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("\ninterrupted; no output was written", file=sys.stderr)
        return 130
    except MemoryError:
        print(f"error: {args.input}: out of memory; try --chunksize 100000", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # no traceback reaches a person; CALCULATORS_DEBUG=1 shows it
        if os.environ.get("CALCULATORS_DEBUG"):
            raise
        print(
            f"error: {args.input}: could not be processed ({type(exc).__name__}: {exc}); CALCULATORS_DEBUG=1 shows details", file=sys.stderr
        )
        return EXIT_BAD_INPUT


def _config(library: str | None) -> dict[str, Any]:
    from ..cli import load_config

    if library is not None and not Path(library, "health-model.yml").is_file():
        raise BatchInputError(f"--library {library}: no health-model.yml there")
    try:
        return load_config(library)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        where = library or "playbooks"
        raise BatchInputError(f"--library {where}: cannot read the configuration ({type(exc).__name__}: {exc})") from None


def _suffix(path: str | None, allowed: tuple[str, ...], option: str) -> Path | None:
    if path is None:
        return None
    target = Path(path)
    if target.suffix.lower() not in allowed:
        raise BatchInputError(f"{option} {path}: must end in {' or '.join(allowed)}")
    if target.is_dir():
        raise BatchInputError(f"{option} {path}: is a folder")
    if not target.parent.is_dir():
        raise BatchInputError(f"{option} {path}: folder {target.parent} does not exist")
    return target


def _check_distinct(source: Path, *targets: Path | None) -> None:
    seen: set[Path] = {source.resolve()}
    for target in targets:
        if target is None:
            continue
        if target.resolve() in seen:
            raise BatchInputError(f"{target}: would overwrite the input or another output; choose another name")
        seen.add(target.resolve())


def _check_policy(plan: Plan, model: Model, source: str) -> None:
    if plan.use_health or model.policy != "reject":
        return
    keys = [k for k in model.model_keys if k != "default"] if model.segment_model else ["default"]
    needed = sorted({c for key in keys for c in model.config["health"]["weights"][key]} - set(plan.components))
    if needed:
        raise BatchInputError(f"{source}: missing column(s) {', '.join(needed)}, required by the missing-data policy 'reject'")


class _Partial:
    """A file written under ``NAME.partial`` and renamed to ``NAME`` on :meth:`commit`."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.partial = target.with_name(target.name + ".partial")
        try:
            self.handle: IO[str] = self.partial.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise BatchInputError(f"{target}: cannot write it ({exc.strerror or exc})") from None
        self.started = False

    def write_frame(self, frame: pd.DataFrame, header: Sequence[str]) -> None:
        write_frame(self.handle, frame, None if self.started else header)
        self.started = True

    def commit(self) -> None:
        self.handle.close()
        os.replace(self.partial, self.target)

    def discard(self) -> None:
        self.handle.close()
        with contextlib.suppress(OSError):
            self.partial.unlink()


@contextlib.contextmanager
def _partials(*targets: Path | None) -> Iterator[list[_Partial | None]]:
    opened: list[_Partial | None] = []
    try:
        for target in targets:
            opened.append(None if target is None else _Partial(target))
        yield opened
    except BaseException:
        for item in opened:
            if item is not None:
                item.discard()
        raise
    for item in opened:
        if item is not None:
            item.commit()


def _prepare(args: argparse.Namespace, *, need_outcome: bool) -> tuple[Model, Table, Plan]:
    mapping = load_map(args.map) if args.map else None
    table = open_table(args.input, chunksize=args.chunksize, sheet=args.sheet, encoding=args.encoding)
    config = _config(args.library)
    model = Model.from_config(config, segment_model=args.segment_model)
    plan = resolve(table.headers, model.components, mapping, need_outcome=need_outcome, source=str(args.input))
    _check_policy(plan, model, str(args.input))
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    if plan.use_health and args.segment_model:
        print("note: --segment-model has no effect with a health column (the weights only apply to components)", file=sys.stderr)
    return model, table, plan


def _run(
    table: Table, plan: Plan, model: Model, progress: Progress, output: _Partial | None, errors: _Partial | None
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
    out = _suffix(args.out, CSV_SUFFIXES, "--out")
    assert out is not None
    errors_path = _suffix(args.errors, CSV_SUFFIXES, "--errors") or out.with_name(f"{out.stem}.errors.csv")
    report_path = _suffix(args.report, REPORT_SUFFIXES, "--report")
    _check_distinct(Path(args.input), out, errors_path, report_path)
    model, table, plan = _prepare(args, need_outcome=False)
    csm_cost = args.csm_cost if args.csm_cost is not None else float(model.config["segments"]["example_organisation"]["csm_cost"])
    progress = Progress("scoring", enabled=True if args.progress else None)
    with _partials(out, errors_path) as (output, errors):
        totals, _ = _run(table, plan, model, progress, output, errors)
    outputs = [("Scored rows", str(out)), ("Rejected rows", str(errors_path))]
    if report_path is not None:
        context = Context(Path(args.input).name, "score", csm_cost, plan.notes, tuple(outputs))
        result = backtest(totals) if "outcome" in plan.roles else None
        _write_report(report_path, build(totals, context, result))
    _print_summary(args.input, totals, out, errors_path, report_path)
    return _exit(totals, args.allow_errors, errors_path)


def backtest_command(args: argparse.Namespace) -> int:
    errors_path = _suffix(args.errors, CSV_SUFFIXES, "--errors")
    report_path = _suffix(args.report, REPORT_SUFFIXES, "--report")
    _check_distinct(Path(args.input), errors_path, report_path)
    model, table, plan = _prepare(args, need_outcome=True)
    progress = Progress("backtest", enabled=True if args.progress else None)
    with _partials(errors_path) as (errors,):
        totals, examples = _run(table, plan, model, progress, None, errors)
    result = backtest(totals, args.min_sample)
    if not result.with_outcome:
        raise BatchInputError(f"{args.input}: no scored row has an outcome (renewed or churned); nothing to backtest")
    csm_cost = float(model.config["segments"]["example_organisation"]["csm_cost"])
    outputs = [("Rejected rows", str(errors_path))] if errors_path else []
    context = Context(Path(args.input).name, "backtest", csm_cost, plan.notes, tuple(outputs))
    blocks = build(totals, context, result)
    if report_path is not None:
        _write_report(report_path, blocks)
    print(render_text(blocks[:3] + backtest_blocks(result)), end="")
    if report_path is not None:
        print(f"\nreport: {report_path}")
    if totals.rejected and errors_path is None:
        shown = pd.concat(examples).head(10) if examples else pd.DataFrame(columns=list(ERROR_COLUMNS))
        for row in shown.itertuples(index=False):
            print(f"rejected: sheet row {row.sheet_row}: {row.column}: {row.reason} (got {row.value!r})", file=sys.stderr)
        if totals.problems > len(shown):
            print(f"… {totals.problems - len(shown):,} more; --errors FILE writes them all", file=sys.stderr)
    return _exit(totals, args.allow_errors, errors_path)


def _write_report(path: Path, blocks: Sequence[Any]) -> None:
    with _partials(path) as (partial,):
        assert partial is not None
        partial.handle.write(render(blocks, path))


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


def _exit(totals: Totals, allow_errors: bool, errors: Path | None) -> int:
    if totals.rejected and not allow_errors:
        where = f"; see {errors}" if errors is not None else ""
        print(
            f"error: {totals.rejected:,} of {totals.rows_in:,} rows rejected{where} (--allow-errors accepts the scored rows)",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    return EXIT_OK
