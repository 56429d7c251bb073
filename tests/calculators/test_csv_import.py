"""The page's CSV import reads numbers by the batch's rules (:mod:`calculators.number_formats`):
``;`` files with decimal commas load right, ambiguous numbers are refused with both readings."""

from __future__ import annotations

from typing import Any

import pytest

import calculators
from calculators.csv_import import csv_rows

#: The issue's European CSV: ARR 120 000 written ``€120.000``, and two rows that show the decimal comma.
EUROPEAN = "Account;ARR due;Health\nAcme;€120.000;85\nGlobex;€50.000,00;45\nInitech;25.000;72,5\n"


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return calculators.default_config()


def load(text: str, config: dict[str, Any]) -> dict[str, Any]:
    return csv_rows("renewal_forecast", "accounts", text, config)


def total_due(rows: list[dict[str, str]], config: dict[str, Any]) -> float:
    accounts = [{"name": r["name"], "arr": float(r["arr"]), "health": float(r["health"])} for r in rows]
    result = calculators.run("renewal_forecast", {"accounts": accounts}, config)
    return float(result["total_due"])


def test_a_european_csv_totals_195000(config: dict[str, Any]) -> None:
    out = load(EUROPEAN, config)
    assert out["ok"], out
    assert [(r["name"], r["arr"], r["health"]) for r in out["rows"]] == [
        ("Acme", "120000", "85"),
        ("Globex", "50000", "45"),
        ("Initech", "25000", "72.5"),
    ]
    assert total_due(out["rows"], config) == 195_000


@pytest.mark.parametrize("separator", [";", "\t"])
def test_decimal_commas_and_spaced_thousands(separator: str, config: dict[str, Any]) -> None:
    text = "\n".join(separator.join(cells) for cells in [("name", "arr", "health"), ("A", "1 234,50", "80"), ("B", "1.000.000", "0,5")])
    out = load(text, config)
    assert out["ok"], out
    assert [r["arr"] for r in out["rows"]] == ["1234.5", "1000000"]
    assert [r["health"] for r in out["rows"]] == ["80", "0.5"]


def test_the_file_settles_a_column_with_no_evidence_of_its_own(config: dict[str, Any]) -> None:
    out = load("name;arr;health\nAcme;30.000;80,5\nBeta;45000;35\n", config)
    assert out["ok"] and [r["arr"] for r in out["rows"]] == ["30000", "45000"]
    out = load("name;arr;health\nAcme;30.000;80.5\nBeta;45000;35\n", config)
    assert out["ok"] and [r["arr"] for r in out["rows"]] == ["30", "45000"]


def test_an_ambiguous_number_is_refused_with_both_readings(config: dict[str, Any]) -> None:
    out = load("Account;ARR due;Health\nAcme;45000;80\nBeta;1.234;35\n", config)
    assert not out["ok"]
    message = out["message"]
    assert message.startswith("Row 2, ARR due: '1.234' is ambiguous: 1.234 with decimal '.' or 1234 with decimal ','"), message
    assert "rows" not in out


def test_the_refusal_quotes_the_cell_as_written(config: dict[str, Any]) -> None:
    out = load('Account;ARR due;Health\nAcme;"$120,000";92\nGlobex;30000;35\n', config)
    assert not out["ok"]
    assert out["message"].startswith("Row 1, ARR due: '$120,000' is ambiguous: 120000 with decimal '.' or 120 with decimal ','")


def test_a_column_written_two_ways_is_refused(config: dict[str, Any]) -> None:
    out = load("name;arr;health\nAcme;120.000,50;80\nBeta;72.5;35\n", config)
    assert not out["ok"]
    assert out["message"].startswith("ARR due writes numbers two ways: '72.5' (row 2) has decimal '.', '120.000,50' (row 1) decimal ','")


def test_a_cell_that_does_not_fit_its_column_is_refused(config: dict[str, Any]) -> None:
    out = load("name;arr;health\nAcme;120.000,50;80\nBeta;1.2.3,4;35\n", config)
    assert not out["ok"]
    assert out["message"] == "Row 2, ARR due: '1.2.3,4' is not a number written with decimal ',', as the column's other numbers are."


def test_a_comma_file_reads_as_before(config: dict[str, Any]) -> None:
    out = load('name,arr,health\nAcme,"$1,250.5",80\nBeta,1.234,35\n', config)
    assert out["ok"], out
    assert [r["arr"] for r in out["rows"]] == ["1250.5", "1.234"]


def test_the_separator_is_the_one_the_first_line_uses_most(config: dict[str, Any]) -> None:
    out = load("Acme;120.000,50;80\nBeta;1.000,25;35\n", config)  # no header: the declared order
    assert out["ok"] and [r["arr"] for r in out["rows"]] == ["120000.5", "1000.25"]
