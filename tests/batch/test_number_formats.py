"""Numbers read with their format in mind: ``;`` files, decimal commas, and no silent wrong number."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from calculators.number_formats import NumberFormat, ambiguous, evidence, readings
from cslibrary.batch import plays_cli
from cslibrary.batch.cli import main
from tests.batch.triage_config import config_with_rules

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = str(ROOT / "playbooks")


@pytest.fixture(autouse=True)
def test_rules(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(plays_cli, "library_config", lambda library: config_with_rules())
    yield


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def scored(tmp_path: Path, text: str, *options: str) -> tuple[int, dict[str, float]]:
    source = write(tmp_path / "in.csv", text)
    out = tmp_path / "out.csv"
    code = main(["score", str(source), "--out", str(out), "--library", LIBRARY, *options])
    if not out.exists():
        return code, {}
    with out.open(encoding="utf-8", newline="") as fh:
        return code, {row["account"]: float(row["arr"]) for row in csv.DictReader(fh)}


def test_beta_reads_30000_when_the_file_shows_thousands_dots_elsewhere(tmp_path: Path) -> None:
    code, arr = scored(tmp_path, "account;arr;health\nAcme;1.250.000;80\nBeta;30.000;35\n")
    assert code == 0 and arr == {"Acme": 1250000.0, "Beta": 30000.0}
    code, arr = scored(tmp_path, "account;arr;health\nAcme;45000;80,5\nBeta;30.000;35\n")  # a decimal comma in another column
    assert code == 0 and arr == {"Acme": 45000.0, "Beta": 30000.0}


def test_beta_is_refused_with_both_readings_when_nothing_else_tells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, arr = scored(tmp_path, "account;arr;health\nAcme;45000;80\nBeta;30.000;35\n")
    assert code == 2 and arr == {}
    err = capsys.readouterr().err
    assert "column 'arr', sheet row 3: '30.000' is ambiguous: 30 with decimal '.' or 30000 with decimal ','" in err
    assert "--decimal" in err
    assert scored(tmp_path, "account;arr;health\nAcme;45000;80\nBeta;30.000;35\n", "--decimal", ",")[1]["Beta"] == 30000.0
    assert scored(tmp_path, "account;arr;health\nAcme;45000;80\nBeta;30.000;35\n", "--decimal", ".")[1]["Beta"] == 30.0


def test_a_dot_decimal_in_the_column_settles_it(tmp_path: Path) -> None:
    code, arr = scored(tmp_path, "account;arr;health\nAcme;45000.50;80\nBeta;30.000;35\n")
    assert code == 0 and arr == {"Acme": 45000.5, "Beta": 30.0}


def test_a_column_written_two_ways_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert scored(tmp_path, "account;arr;health\nAcme;120.000,50;80\nBeta;72.5;35\n")[0] == 2
    assert "column 'arr' writes numbers two ways" in capsys.readouterr().err


def test_a_european_file(tmp_path: Path) -> None:
    code, arr = scored(tmp_path, "account;arr;health\nAcme;120.000,50;80\nBeta;30.000;35\n")
    assert code == 0 and arr == {"Acme": 120000.5, "Beta": 30000.0}


def test_a_european_file_said_outright(tmp_path: Path) -> None:
    text = "account;arr;health\nAcme;120.000,50;80\nBeta;30.000;35\nGamma;72.5;40\n"
    code, arr = scored(tmp_path, text, "--decimal", ",", "--thousands", ".", "--allow-errors")
    assert code == 0 and arr == {"Acme": 120000.5, "Beta": 30000.0}  # 72.5 does not fit: rejected, never read as 72.5
    with (tmp_path / "out.errors.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["account"], row["column"], row["value"]) == ("Gamma", "arr", "72.5 (not a number written with decimal ',')")


def test_an_ordinary_comma_csv_is_unchanged(tmp_path: Path) -> None:
    code, arr = scored(tmp_path, 'account,arr,health\nAcme,120000.5,80\nBeta,30.000,35\nGamma,"1,5",40\n', "--allow-errors")
    assert code == 0 and arr == {"Acme": 120000.5, "Beta": 30.0}  # as before: "1,5" is rejected as not a number


def test_a_plain_dot_decimal_file_is_unchanged(tmp_path: Path) -> None:
    code, arr = scored(tmp_path, "account;arr;health\nAcme;120000.5;80.5\nBeta;30000;35\n")
    assert code == 0 and arr == {"Acme": 120000.5, "Beta": 30000.0}
    code, arr = scored(tmp_path, "account\tarr\thealth\nAcme\t120000.5\t80\nBeta\t30000\t35\n")
    assert code == 0 and arr == {"Acme": 120000.5, "Beta": 30000.0}


def test_backtest_and_plays_read_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "in.csv", "account;arr;health;outcome\nAcme;45000;80;renewed\nBeta;30.000;35;churned\n")
    assert main(["backtest", str(source), "--library", LIBRARY]) == 2
    assert "30 with decimal '.' or 30000 with decimal ','" in capsys.readouterr().err
    assert main(["backtest", str(source), "--library", LIBRARY, "--decimal", ","]) == 0
    out = tmp_path / "plays.csv"
    assert main(["plays", str(source), "--out", str(out), "--as-of", "2026-12-07"]) == 2
    assert "30 with decimal '.' or 30000 with decimal ','" in capsys.readouterr().err
    assert main(["plays", str(source), "--out", str(out), "--as-of", "2026-12-07", "--thousands", "."]) == 0


def test_cells() -> None:
    assert [evidence(c) for c in ("120.000,50", "1 234,5", "0.500", "1,234.5", "30.000", "2025-03-31")] == [",", ",", ".", ".", None, None]
    assert ambiguous("30.000") and ambiguous("-12,500") and not ambiguous("0.500") and not ambiguous("1234.567")
    assert readings("1.234") == ("1.234", "1234")
    plain = NumberFormat.of(".", "none")
    assert [plain.read(c) for c in ("1.5", "1,500", "1e3")] == ["1.5", "1,500 (not a number written with decimal '.')", "1e3"]
