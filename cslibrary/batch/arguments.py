"""The batch commands' arguments: ``score`` and ``backtest``, their options and their help."""

from __future__ import annotations

import argparse

from .calibration import MIN_SAMPLE
from .columns import RESULT_COLUMNS

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
