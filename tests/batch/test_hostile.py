"""Hostile input (the issue of that name): each case reproduced, with the behaviour it now gets."""

from __future__ import annotations

import csv
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cslibrary.batch import reader
from cslibrary.batch.cli import main

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = str(ROOT / "playbooks")


def score(*args: str | Path) -> int:
    return main(["score", *(str(a) for a in args), "--library", LIBRARY])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _book(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def _rewrite(source: Path, target: Path, part: str, edit: Any) -> Path:
    """A copy of the workbook ``source`` with its ``part`` replaced by ``edit(old bytes)`` (bytes, or chunks to stream)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename != part:
                new.writestr(info, data)
                continue
            with new.open(info.filename, "w") as fh:
                for chunk in edit(data):
                    fh.write(chunk)
    return target


def _refused(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    start = time.perf_counter()
    assert score(path, "--out", tmp_path / "o.csv", *extra) == 2
    assert time.perf_counter() - start < 20
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()
    return err


# 1. XLSX within limits ---------------------------------------------------------------------------------


def test_one_stray_cell_at_the_last_cell_of_a_sheet_is_refused_before_loading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws["A1"] = "account"
    ws["XFD1048576"] = 1
    book.save(tmp_path / "stray.xlsx")
    assert (tmp_path / "stray.xlsx").stat().st_size < 10_000
    err = _refused(tmp_path / "stray.xlsx", tmp_path, capsys)
    assert "1,048,576 rows × 16,384 columns" in err and "chunksize" not in err.split("(")[0]


def test_a_stray_cell_without_a_declared_dimension_is_refused_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws["A1"] = "account"
    ws["XFD1048576"] = 1
    book.save(tmp_path / "stray.xlsx")

    def undeclared(xml: bytes) -> list[bytes]:
        start = xml.index(b"<dimension")
        return [xml[:start] + xml[xml.index(b"/>", start) + 2 :]]

    hostile = _rewrite(tmp_path / "stray.xlsx", tmp_path / "undeclared.xlsx", "xl/worksheets/sheet1.xml", undeclared)
    assert "16,384 columns" in _refused(hostile, tmp_path, capsys)


def test_a_deflate_bomb_is_refused_from_the_zip_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _book(tmp_path / "small.xlsx", [["account", "arr", "health"], ["Acme", 1000, 50]])

    def padded(xml: bytes) -> list[bytes]:
        end = xml.index(b"</worksheet>")
        return [xml[:end], *([b" " * (1 << 20)] * 8), xml[end:]]  # 8 MB of blanks: well-formed XML, 1000:1 on disk

    bomb = _rewrite(source, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", padded)
    assert bomb.stat().st_size < 100_000
    err = _refused(bomb, tmp_path, capsys)
    assert "part xl/worksheets/sheet1.xml unpacks" in err and "times its size" in err


def test_a_workbook_over_the_unpacked_cap_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _book(tmp_path / "small.xlsx", [["account", "arr", "health"], ["Acme", 1000, 50]])
    monkeypatch.setattr(reader, "MAX_UNPACKED", 2000)
    assert "over the 0 MB an XLSX file may hold" in _refused(source, tmp_path, capsys)


# 2. Which sheet ----------------------------------------------------------------------------------------


def _two_sheets(path: Path, *, hide_first: bool) -> Path:
    book = openpyxl.Workbook()
    stale = book.active
    assert stale is not None
    stale.title = "Old"
    stale.append(["account", "arr", "health"])
    stale.append(["Stale", 1000, 10])
    current = book.create_sheet("Accounts")
    current.append(["account", "arr", "health"])
    current.append(["Acme", 50000, 85])
    if hide_first:
        stale.sheet_state = "hidden"
        book.active = 1
    book.save(path)
    return path


def test_a_hidden_stale_first_sheet_is_not_scored(tmp_path: Path) -> None:
    source = _two_sheets(tmp_path / "hidden.xlsx", hide_first=True)
    assert score(source, "--out", tmp_path / "o.csv") == 0
    assert [r["account"] for r in read_csv(tmp_path / "o.csv")] == ["Acme"]


def test_several_visible_sheets_are_named_not_guessed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _two_sheets(tmp_path / "two.xlsx", hide_first=False)
    err = _refused(source, tmp_path, capsys)
    assert "has 2 visible sheets ('Old', 'Accounts'); say which with --sheet NAME" in err
    assert score(source, "--out", tmp_path / "o.csv", "--sheet", "Accounts") == 0
    assert [r["account"] for r in read_csv(tmp_path / "o.csv")] == ["Acme"]


# 3. Percent cells --------------------------------------------------------------------------------------


def test_percent_formatted_health_is_read_as_the_percentage_shown(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["account", "arr", "health", "discount"])
    ws.append(["Acme", 50000, 0.72, 0.1])
    ws.append(["Globex", 50000, 0.29, 0.2])
    for row in (2, 3):
        ws.cell(row, 3).number_format = "0%"
        ws.cell(row, 4).number_format = "0.0%"  # not a percent-unit column: kept as stored
    book.save(tmp_path / "pct.xlsx")
    assert score(tmp_path / "pct.xlsx", "--out", tmp_path / "o.csv") == 0
    rows = read_csv(tmp_path / "o.csv")
    assert [(r["health"], r["score"], r["discount"]) for r in rows] == [("72", "72.0", "0.1"), ("29", "29.0", "0.2")]


# 4. Encodings and headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [(), ("--encoding", "utf-16")])
def test_excel_unicode_text_is_read(tmp_path: Path, extra: tuple[str, ...]) -> None:
    source = tmp_path / "unicode.csv"
    source.write_bytes("account\tarr\thealth\r\nZürich AG\t50000\t85\r\n".encode("utf-16"))  # BOM, then UTF-16LE
    assert score(source, "--out", tmp_path / "o.csv", *extra) == 0
    assert [(r["account"], r["band"]) for r in read_csv(tmp_path / "o.csv")] == [("Zürich AG", "healthy")]


def test_binary_data_is_still_refused_once_decoded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "binary.csv"
    source.write_bytes(b"account,arr\x00\x01\x02,health\nAcme,1,2\n")
    assert "contains binary data" in _refused(source, tmp_path, capsys)
    source.write_bytes("account,arr\x00,health\n".encode("utf-16"))
    assert "contains binary data" in _refused(source, tmp_path, capsys, "--encoding", "utf-16")


def test_a_header_over_64_kb_is_read_whole(tmp_path: Path) -> None:
    long_header = "notes " + "x" * 100_000
    source = tmp_path / "long.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([[long_header, "account", "arr", "health"], ["n", "Acme", "50000", "85"]])
    assert score(source, "--out", tmp_path / "o.csv") == 0
    rows = read_csv(tmp_path / "o.csv")
    assert list(rows[0])[:4] == [long_header, "account", "arr", "health"] and rows[0]["band"] == "healthy"


# 5. Output files created exclusively ------------------------------------------------------------------


def _accounts(path: Path) -> Path:
    path.write_text("account,arr,health\nAcme,50000,85\n", encoding="utf-8")
    return path


def test_a_planted_partial_symlink_is_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out.csv"
    for name in ("out.csv.partial", "out.errors.csv.partial", "report.md.partial"):
        (tmp_path / name).symlink_to(victim)
    assert score(_accounts(tmp_path / "in.csv"), "--out", out, "--report", tmp_path / "report.md") == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert read_csv(out)[0]["band"] == "healthy" and (tmp_path / "report.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith((".partial", ".previous"))) == [
        "out.csv.partial",
        "out.errors.csv.partial",
        "report.md.partial",
    ]


def test_a_failing_report_leaves_no_output(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from cslibrary.batch import cli

    def broken(*_: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(cli, "render", broken)
    _refused(_accounts(tmp_path / "in.csv"), tmp_path, capsys, "--report", str(tmp_path / "report.md"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_failing_rename_puts_the_earlier_outputs_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    out, errors = tmp_path / "o.csv", tmp_path / "o.errors.csv"
    out.write_text("old output\n", encoding="utf-8")
    real = os.replace

    def fail_on_errors_file(src: Any, dst: Any) -> None:
        if Path(dst) == errors:
            raise OSError("no space left")
        real(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_errors_file)
    assert score(_accounts(tmp_path / "in.csv"), "--out", out) == 2
    assert "no space left" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "old output\n" and not errors.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "o.csv"]
