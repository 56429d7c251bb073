"""Batch scoring and triage of a whole book of accounts from a CRM export (CSV or XLSX), with pandas.

    python -m calculators score accounts.csv --out scored.csv --report report.html
    python -m calculators backtest outcomes.xlsx --report backtest.md
    python -m calculators plays accounts.csv --as-of 2026-12-07 --out plays.csv --ics-dir calendars/

This package sits above :mod:`calculators` and calls their formulas through public names
only; it brings the third-party libraries the calculators do without (pandas, numpy,
openpyxl, PyYAML) and reads the YAML library's configuration through :mod:`cslibrary.model`.
``python -m calculators score|backtest|plays`` reach :func:`cslibrary.batch.cli.main` through the
``calculators.commands`` entry points (the ``batch`` extra), so ``calculators.run`` and the
browser bundle never load pandas.

Conventions, in one place:

* **Same numbers.** Each scored row equals ``calculators.run("health_score", …)`` and
  ``calculators.run("renewal_forecast", …)`` for that row, field by field and bit for bit
  (see :mod:`.scoring`; ``tests/batch/test_parity_with_calculators.py`` checks it on random
  rows). Each worklist row of ``plays`` equals a play of ``calculators.run("triage", …)`` for
  that account, the trigger rules evaluated for all accounts at once (:mod:`.conditions`,
  :mod:`.plays`; ``tests/batch/test_plays_parity.py``, on random rules too).
* **Nothing lost.** Every non-blank input row is either in the output (``score``: all its
  columns, as written, plus the result columns; ``plays``: a row per play, or one row with an
  empty playbook) or in the errors file (one line per bad cell, with
  ``sheet_row`` — the row number a spreadsheet shows, the header being row 1 — ``data_row``,
  column, value and reason). Rows in = scored + rejected, and the summary says so. Blank rows
  are skipped and counted.
* **Bands** are half-open, ``[min, max)``; the top band includes 100. Percentages are in
  percent units; money is in the file's currency; nothing is rounded except for display.
* **Spreadsheet-safe.** Every text cell of every CSV written (headers, copied cells, names,
  reasons, the errors file's values) that a spreadsheet would run as a formula gets a leading
  apostrophe (:func:`.writer.neutralise`); plain numbers are left alone.
* **Memory.** ``--chunksize N`` streams a CSV N rows at a time; the report is built from
  running totals, so memory does not grow with the file. XLSX is read whole.
"""

from __future__ import annotations

from .columns import ERROR_COLUMNS, RESULT_COLUMNS, Plan, resolve
from .reader import BatchInputError, open_table
from .scoring import Chunk, Model, score_chunk
from .summary import Totals, backtest

__all__ = [
    "ERROR_COLUMNS",
    "RESULT_COLUMNS",
    "BatchInputError",
    "Chunk",
    "Model",
    "Plan",
    "Totals",
    "backtest",
    "open_table",
    "resolve",
    "score_chunk",
]
