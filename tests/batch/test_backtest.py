"""``python -m calculators backtest`` on a small file whose numbers are worked out by hand.

tests/fixtures/batch/backtest.csv holds 16 accounts scored by a health column:

    band       healths                   outcomes                         churned / with outcome
    healthy    95 90 85 80               R R R C                          1 / 4
    stable     79.5 70 60 (75)           R R R (none)                     0 / 3
    at_risk    59 50 45 40               R R C C                          2 / 4
    critical   39 20                     C C                              2 / 2
    emergency  5 (15)                    C (none)                         1 / 1

14 accounts have an outcome, 6 churned (42.9 %). The at-risk bands (at_risk, critical,
emergency) hold 7 accounts with an outcome, 5 of which churned: precision 5/7 = 71.4 %.
Of the 6 churned accounts, 5 were in the at-risk bands: recall 5/6 = 83.3 %. Observed
renewal rates: 75 %, 100 %, 50 %, 0 %, 0 %.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from cslibrary.batch import Model, Totals, backtest, resolve, score_chunk
from cslibrary.batch.cli import main
from cslibrary.batch.summary import wilson

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "batch"
LIBRARY = str(ROOT / "playbooks")
SOURCE = FIXTURES / "backtest.csv"


def _totals(config: dict[str, Any]) -> Totals:
    frame = pd.read_csv(SOURCE, dtype=object, keep_default_na=False)
    model = Model.from_config(config)
    totals = Totals(model)
    totals.add(score_chunk(frame.set_axis(range(frame.shape[1]), axis=1), resolve(list(frame.columns), model.components), model))
    return totals


def test_backtest_numbers(config: dict[str, Any]) -> None:
    result = backtest(_totals(config), min_sample=3)
    by_band = {b.band: b for b in result.bands}
    assert [(b.band, b.accounts, b.renewed, b.churned) for b in result.bands] == [
        ("healthy", 4, 3, 1),
        ("stable", 3, 3, 0),
        ("at_risk", 4, 2, 2),
        ("critical", 2, 0, 2),
        ("emergency", 1, 0, 1),
    ]
    assert [by_band[b].churn_rate for b in ("healthy", "stable", "at_risk", "critical", "emergency")] == [25.0, 0.0, 50.0, 100.0, 100.0]
    assert [by_band[b].observed for b in ("healthy", "stable", "at_risk", "critical", "emergency")] == [75.0, 100.0, 50.0, 0.0, 0.0]
    assert (result.true_positive, result.false_positive, result.false_negative, result.true_negative) == (5, 2, 1, 6)
    assert result.precision == pytest.approx(500 / 7) and result.recall == pytest.approx(500 / 6)
    assert result.churn_rate == pytest.approx(600 / 14)
    assert (result.with_outcome, result.without_outcome) == (14, 2)
    probabilities = {b["id"]: b["probability"] for b in config["health"]["bands"]}
    assert [by_band[b].probability for b in by_band] == [probabilities[b] for b in by_band]
    suggested = {b.band: result.suggestion(b)[0] for b in result.bands}
    assert suggested == {
        "healthy": 75.0,
        "stable": 100.0,
        "at_risk": 50.0,
        "critical": probabilities["critical"],
        "emergency": probabilities["emergency"],
    }
    assert "small sample (n = 2 < 3)" in result.suggestion(by_band["critical"])[1]


def test_backtest_default_minimum_sample_keeps_every_configured_probability(config: dict[str, Any]) -> None:
    result = backtest(_totals(config))
    assert all(result.suggestion(b)[0] == b.probability for b in result.bands)


def test_wilson_interval() -> None:
    interval = wilson(3, 4)
    assert interval is not None and (round(interval[0], 1), round(interval[1], 1)) == (30.1, 95.4)
    assert wilson(0, 0) is None


def test_backtest_command_prints_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", str(SOURCE), "--min-sample", "3", "--report", str(tmp_path / "b.md"), "--library", LIBRARY]) == 0
    out = capsys.readouterr().out
    assert "14 accounts have an outcome (overall churn 42.9 %); 2 scored accounts without one are left out." in out
    assert "Precision: 71.4 % (5 of 7 accounts in the at-risk bands churned)" in out
    assert "Recall: 83.3 % (5 of 6 churned accounts were in the at-risk bands)" in out
    lines: dict[str, list[str]] = {}
    for line in out.splitlines():  # the first table: churn per band
        if line[:1].isupper() and "%" in line:
            lines.setdefault(line.split()[0], line.split())
    assert lines["Healthy"][1:] == ["4", "1", "25.0", "%", "75.0", "%", "30–95", "%", "95", "%"]
    assert lines["Critical"][1:4] == ["yes", "2", "2"]
    report = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert "Precision: 71.4 %" in report and "| Healthy | 95 % | 75.0 % | 75 % | observed over 4 accounts |" in report


def test_backtest_from_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    with SOURCE.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.reader(fh)):
            ws.append(row if i == 0 else [row[0], float(row[1]), float(row[2]), row[3] or None])
    book.save(tmp_path / "outcomes.xlsx")
    assert main(["backtest", str(tmp_path / "outcomes.xlsx"), "--library", LIBRARY]) == 0
    assert "Precision: 71.4 %" in capsys.readouterr().out


def test_backtest_needs_an_outcome_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in.csv").write_text("account,arr,health\na,1000,50\n", encoding="utf-8")
    assert main(["backtest", str(tmp_path / "in.csv"), "--library", LIBRARY]) == 2
    assert "missing required column outcome" in capsys.readouterr().err


def test_backtest_needs_some_outcomes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in.csv").write_text("account,arr,health,outcome\na,1000,50,\n", encoding="utf-8")
    assert main(["backtest", str(tmp_path / "in.csv"), "--library", LIBRARY]) == 2
    assert "nothing to backtest" in capsys.readouterr().err


def test_backtest_reports_rejected_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in.csv").write_text("account,arr,health,outcome\na,1000,50,renewed\nb,1000,50,lost\n", encoding="utf-8")
    assert main(["backtest", str(tmp_path / "in.csv"), "--library", LIBRARY]) == 1
    err = capsys.readouterr().err
    assert "rejected: sheet row 3: outcome: must be renewed or churned (got 'lost')" in err
    assert main(["backtest", str(tmp_path / "in.csv"), "--library", LIBRARY, "--allow-errors", "--errors", str(tmp_path / "e.csv")]) == 0
    assert (tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()[1] == "3,2,b,outcome,lost,must be renewed or churned"
