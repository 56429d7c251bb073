"""The batch commands' arguments: ``score``, ``backtest`` and ``plays``, their options and their help."""

from __future__ import annotations

import argparse
import datetime

from calculators.number_formats import THOUSANDS

from .calibration import MIN_SAMPLE
from .columns import RESULT_COLUMNS
from .outputs import PLAY_COLUMNS
from .signals import FIRST_DAY, LAST_DAY

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

numbers: a ;- or tab-separated CSV may write 120.000,50 (decimal comma); each column's decimal mark
is read from its cells, and a cell that reads two ways (1.234) is refused unless --decimal says.

input files: CSV (UTF-8; delimiter , ; or tab, from the header line) or XLSX (the only visible
sheet, or --sheet; header in row 1; at most 200 MB unpacked). --chunksize streams a CSV in chunks of N rows so memory stays
bounded; an XLSX file is always read whole (--chunksize then only splits the scoring).
"""


_PLAYS_HELP = """\
columns (matched ignoring case, spaces, hyphens and underscores; rename others with --map):
  account                      required; the account's name or id
  segment | arr | mrr          a segment (tier id or label, or a ratio-table row), or the ARR
                               to assign one from; at least one of the columns is required
  stage                        optional; a journey stage id or label
  health | the component columns
                               optional; a health score 0–100, or the component scores 0–100
                               (weighed with the segment's model)
  <metric>, <metric>_change    optional; a metric's value and its percent change (nps, nps_change …)
  renewal_date, onboarding_complete, last_<playbook>
                               optional dates, YYYY-MM-DD (last_qbr: the last time qbr ran)
  <event>, <event>_score       optional; the day of the event's latest occurrence and its score
                               (nps_response, nps_response_score 0–10)
The metrics, dates and events are those of the configuration (playbooks/); see the guide.
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


def _day(text: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD (got {text!r})") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"must be a date from {FIRST_DAY} to {LAST_DAY} (got {text})")
    return day


def _common(parser: argparse.ArgumentParser, *, segment_model: bool = True) -> None:
    parser.add_argument("input", metavar="INPUT", help="the accounts: a .csv or .xlsx file")
    parser.add_argument("--report", metavar="FILE", help="also write a summary report: .md (Markdown), .html or .txt")
    parser.add_argument(
        "--errors",
        metavar="FILE",
        help="write rejected rows here (.csv): sheet_row, data_row, account, column, value, reason (default: OUTPUT.errors.csv)",
    )
    parser.add_argument("--map", metavar="MAP.yml", help="YAML mapping of 'file header: column' renames for a CRM's export")
    parser.add_argument("--chunksize", metavar="N", type=_positive_int, help="stream a CSV N rows at a time (XLSX is read whole)")
    parser.add_argument("--allow-errors", action="store_true", help="exit 0 even when rows were rejected")
    if segment_model:
        parser.add_argument(
            "--segment-model", action="store_true", help="weigh components with each row's segment model (default: the default model)"
        )
    parser.add_argument("--library", metavar="DIR", help="the playbooks/ folder to read the configuration from (default: ./playbooks)")
    parser.add_argument("--sheet", metavar="NAME", help="XLSX: the worksheet to read (default: the only visible one)")
    parser.add_argument("--encoding", default="utf-8-sig", help="CSV text encoding (default: UTF-8, with or without a byte-order mark)")
    parser.add_argument(
        "--decimal",
        choices=(".", ","),
        help="the decimal mark of the file's numbers (default: '.' for a ,-separated CSV or XLSX; "
        "a ;- or tab-separated CSV is read per column from its numbers, and refused where one could read two ways)",
    )
    parser.add_argument(
        "--thousands",
        choices=tuple(THOUSANDS),
        help="the only thousands separator allowed, groups of exactly 3 digits (default: the mark that is not the decimal one, or a space)",
    )
    parser.add_argument("--progress", action="store_true", help="show a progress bar even when standard error is not a terminal")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m calculators", description="Score, backtest or triage a whole book of accounts.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{score,backtest,plays}")
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
    plays = commands.add_parser(
        "plays",
        help="list the plays every account needs on a day (the triage calculator, for a whole book)",
        description="Run every playbook's trigger rule on every account: one output row per account and play, in order, "
        "with the reason; an account that needs none appears once with an empty playbook. Every row ends up in the output "
        "or in the errors file.",
        epilog=_PLAYS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(plays, segment_model=False)
    plays.add_argument("--out", metavar="PLAYS.csv", required=True, help="the worklist: " + ", ".join(PLAY_COLUMNS))
    plays.add_argument("--as-of", type=_day, metavar="DATE", help="the day to triage for, YYYY-MM-DD (default: today)")
    plays.add_argument("--ics-dir", metavar="DIR", help="also write one iCalendar file per owner, each play's first steps as events")
    return parser
