"""``python -m calculators score``: files in, files out, exit codes, and nothing lost."""

from __future__ import annotations

import csv
import datetime
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cslibrary.batch.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "batch"
LIBRARY = str(ROOT / "playbooks")
RESULT = ["score", "band", "playbook", "renewal_probability", "expected_renewal", "segment", "segment_source", "transition"]
KNOWN = "is not a known segment (known: high_touch, low_touch, tech_touch)"


def score(*args: str | Path) -> int:
    return main(["score", *(str(a) for a in args), "--library", LIBRARY])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calculators", *(str(a) for a in args)], cwd=cwd, capture_output=True, text=True, check=False
    )


# Reconciliation -------------------------------------------------------------------------------


def test_every_row_is_scored_or_rejected_with_row_column_and_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, errors = tmp_path / "out.csv", tmp_path / "errors.csv"
    assert score(FIXTURES / "bad_rows.csv", "--out", out, "--errors", errors) == 1
    rejected = [tuple(r.values()) for r in read_csv(errors)]
    assert rejected == [
        ("3", "2", "Globex", "arr", "twelve thousand", "must be a number"),
        ("4", "3", "Initech", "arr", "-5000", "must be greater than 0"),
        ("5", "4", "Umbrella", "health", "130", "must be at most 100"),
        ("6", "5", "Hooli", "segment", "platinum", KNOWN),
        ("7", "6", "Stark", "renewal_date", "2025-02-30", "must be a date written YYYY-MM-DD"),
        ("8", "7", "", "account", "", "is required"),
        ("11", "10", "Wonka", "arr", "-1", "must be greater than 0"),
        ("11", "10", "Wonka", "segment", "mega", KNOWN),
        ("11", "10", "Wonka", "health", "abc", "must be a number"),
        ("11", "10", "Wonka", "renewal_date", "soon", "must be a date written YYYY-MM-DD"),
        ("11", "10", "Wonka", "outcome", "maybe", "must be renewed or churned"),
    ]
    assert list(read_csv(errors)[0]) == ["sheet_row", "data_row", "account", "column", "value", "reason"]
    scored = read_csv(out)
    assert [r["account"] for r in scored] == ["Acme Corp", "Wayne", "Tyrell, Inc."]
    rows_in = 10  # 11 data rows, one of them blank
    rejected_rows = {r[1] for r in rejected}
    assert rows_in == len(scored) + len(rejected_rows)
    captured = capsys.readouterr()
    assert "10 rows in = 3 scored + 7 rejected (1 blank rows skipped)" in captured.out
    assert "7 of 10 rows rejected" in captured.err


def test_output_keeps_every_input_column_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert score(FIXTURES / "bad_rows.csv", "--out", out, "--allow-errors") == 0
    with (FIXTURES / "bad_rows.csv").open(encoding="utf-8", newline="") as fh:
        source = {r[0]: r for r in csv.reader(fh)}
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert header == ["account", "arr", "segment_input", "health", "renewal_date", "outcome", "owner", *RESULT]
    for row in rows[1:]:
        assert row[:7] == source[row[0]]
    tyrell = dict(zip(header, rows[3], strict=True))
    assert tyrell | {} == {
        **tyrell,
        "score": "79.99",
        "band": "stable",
        "renewal_probability": "85",
        "expected_renewal": "80750.0",
        "segment": "low_touch",
        "segment_source": "assigned",
        "transition": "",
    }


def test_default_errors_file_sits_next_to_the_output(tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    assert score(FIXTURES / "bad_rows.csv", "--out", out) == 1
    assert len(read_csv(tmp_path / "scored.errors.csv")) == 11
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(("extra", "code"), [((), 1), (("--allow-errors",), 0)])
def test_exit_code_when_rows_are_rejected(tmp_path: Path, extra: tuple[str, ...], code: int) -> None:
    assert score(FIXTURES / "bad_rows.csv", "--out", tmp_path / "o.csv", *extra) == code


def test_exit_zero_and_empty_errors_file_when_all_rows_score(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    assert score(FIXTURES / "backtest.csv", "--out", out) == 0
    assert (tmp_path / "o.errors.csv").read_text(encoding="utf-8") == "sheet_row,data_row,account,column,value,reason\n"
    assert len(read_csv(out)) == 16


# Bad files: one line, exit 2, never a traceback ---------------------------------------------------


def _bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    def text(name: str, content: str | bytes) -> Path:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    header = "account,arr,health\n"
    return {
        "not csv": (text("accounts.txt", header + "a,1,50\n"), "not a CSV or XLSX file"),
        "old excel": (text("accounts.xls", b"\xd0\xcf\x11\xe0"), "old Excel .xls files are not supported"),
        "empty": (text("empty.csv", ""), "is empty"),
        "blank": (text("blank.csv", "\n\n  \n"), "is empty"),
        "header only": (text("header.csv", header), "has a header but no data rows"),
        "only blank rows": (text("blanks.csv", header + ",,\n,,\n"), "has only blank rows"),
        "no account": (text("noaccount.csv", "name,arr,health\na,1,50\n"), "missing required column account"),
        "no arr": (text("noarr.csv", "account,revenue,health\na,1,50\n"), "missing required column arr (or mrr)"),
        "no health": (text("nohealth.csv", "account,arr\na,1\n"), "missing required column health (or the component columns"),
        "binary": (text("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), "is not a text CSV file"),
        "zip as csv": (text("book.csv", b"PK\x03\x04rest"), "looks like an Excel workbook"),
        "broken xlsx": (text("broken.xlsx", b"PK\x03\x04not really a zip"), "is not a valid XLSX file"),
        "text as xlsx": (text("text.xlsx", header), "is not a valid XLSX file"),
        "latin-1": (text("latin.csv", (header + "Café,1,50\n").encode("latin-1")), "is not utf-8 text"),
        "ragged": (text("ragged.csv", header + "a,1,50\nb,2,60,extra\n"), "is not a well-formed CSV"),
        "ambiguous": (text("twice.csv", "account,Account Name,arr,health\na,b,1,50\n"), "both mean 'account'"),
        "missing": (folder / "nope.csv", "no such file"),
        "folder": (folder, "is a folder"),
    }


def test_bad_files_give_one_line_and_exit_2(tmp_path: Path) -> None:
    cases = _bad_files(tmp_path)
    running = {
        name: subprocess.Popen(
            [sys.executable, "-m", "calculators", "score", str(path), "--out", str(tmp_path / f"out-{i}.csv")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, (name, (path, _)) in enumerate(cases.items())
    }
    for name, proc in running.items():
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 2, (name, stdout, stderr)
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, (name, stderr)
        assert lines[0].startswith("error: ") and cases[name][1] in lines[0], (name, lines[0])
        assert "Traceback" not in stderr + stdout
    assert not list(tmp_path.glob("out-*")), "no output, not even a partial one, is left behind"


def test_bad_files_also_fail_cleanly_for_backtest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, (path, _) in _bad_files(tmp_path).items():
        assert main(["backtest", str(path), "--library", LIBRARY]) == 2, name
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), (name, err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "out.txt"], "--out out.txt: must end in .csv"),
        (["--out", "o.csv", "--report", "r.pdf"], "--report r.pdf: must end in .md or .markdown or .html or .htm or .txt"),
        (["--out", "no/such/folder/o.csv"], "does not exist"),
        (["--out", "o.csv", "--map", "missing.yml"], "--map missing.yml: cannot read it"),
        (["--out", "o.csv", "--library", "nowhere"], "--library nowhere: no health-model.yml there"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    source = write_csv(tmp_path / "in.csv", [["account", "arr", "health"], ["a", "1000", "50"]])
    proc = cli("score", source, *args, cwd=tmp_path)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_output_may_not_overwrite_the_input(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [["account", "arr", "health"], ["a", "1000", "50"]])
    proc = cli("score", source, "--out", source)
    assert proc.returncode == 2 and "would overwrite the input" in proc.stderr
    assert source.read_text(encoding="utf-8").startswith("account,arr,health")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[not, a, mapping]\n", "must be a YAML mapping"),
        ("Company: acount\n", "not a column the scorer reads"),
        ("a: [b\n", "is not valid YAML"),
    ],
)
def test_bad_map_files(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "map.yml").write_text(content, encoding="utf-8")
    proc = cli("score", FIXTURES / "crm_export.csv", "--map", tmp_path / "map.yml", "--out", tmp_path / "o.csv")
    assert proc.returncode == 2 and message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


# Columns -------------------------------------------------------------------------------------------


def test_headers_match_ignoring_case_spaces_hyphens_and_underscores(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        [
            [" ACCOUNT ", "A_R_R", "Product-Usage", "ENGAGEMENT", "relation ship", "Support", "growth_", "Renewal Date"],
            ["Acme", "50000", "80", "80", "80", "80", "80", "2025-01-31"],
        ],
    )
    out = tmp_path / "o.csv"
    assert score(source, "--out", out) == 0
    (row,) = read_csv(out)
    assert (row["score"], row["band"], row["segment"]) == ("80.0", "healthy", "low_touch")


def test_map_renames_a_crm_export(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    assert score(FIXTURES / "crm_export.csv", "--map", FIXTURES / "crm_map.yml", "--out", out) == 0
    rows = read_csv(out)
    assert [(r["Company"], r["band"], r["segment"], r["segment_source"]) for r in rows] == [
        ("Acme Corp", "healthy", "high_touch", "given"),
        ("Globex", "stable", "low_touch", "assigned"),
        ("Initech", "critical", "tech_touch", "given"),
    ]
    assert rows[0]["Notes"] == "multi-line\nnote" and rows[2]["Notes"] == "has, comma"


def test_mrr_is_annualised(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [["account", "MRR", "health"], ["a", "1000", "50"]])
    out = tmp_path / "o.csv"
    assert score(source, "--out", out) == 0
    (row,) = read_csv(out)
    assert (row["expected_renewal"], row["segment"]) == ("7200.0", "tech_touch")


def test_semicolon_csv_with_a_byte_order_mark(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("\ufeffaccount;arr;health\nAcme;20000;85\n".encode())
    out = tmp_path / "o.csv"
    assert score(source, "--out", out) == 0
    assert read_csv(out)[0]["band"] == "healthy"


def test_other_encodings_with_encoding_option(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("account,arr,health\nCafé,20000,85\n".encode("latin-1"))
    out = tmp_path / "o.csv"
    assert score(source, "--out", out, "--encoding", "latin-1") == 0
    assert read_csv(out)[0]["account"] == "Café"


# Segments and transitions -------------------------------------------------------------------------------


def test_segment_assignment_and_transition_flags(tmp_path: Path) -> None:
    cases = [
        ("a", "5000", "", "tech_touch", "assigned", ""),
        ("b", "15000", "", "low_touch", "assigned", ""),
        ("c", "14999.99", "", "tech_touch", "assigned", ""),
        ("d", "100000", "", "high_touch", "assigned", ""),
        ("e", "15000", "tech_touch", "tech_touch", "given", "tech_touch→low_touch"),
        ("f", "14999", "Tech Touch", "tech_touch", "given", ""),
        ("g", "250000", "tech-touch", "tech_touch", "given", "tech_touch→low_touch→high_touch"),
        ("h", "99999.99", "high_touch", "high_touch", "given", "high_touch→low_touch"),
        ("i", "14000", "low_touch", "low_touch", "given", "low_touch→tech_touch"),
        ("j", "300000", "Enterprise", "high_touch", "given", ""),
        ("k", "20000", "SMB", "tech_touch", "given", "tech_touch→low_touch"),
        ("l", "50000", "Mid-market", "low_touch", "given", ""),
    ]
    source = write_csv(tmp_path / "in.csv", [["account", "arr", "segment", "health"], *[[c[0], c[1], c[2], "70"] for c in cases]])
    out = tmp_path / "o.csv"
    assert score(source, "--out", out) == 0
    got = [(r["account"], r["segment"], r["segment_source"], r["transition"]) for r in read_csv(out)]
    assert got == [(c[0], c[3], c[4], c[5]) for c in cases]


def test_segment_model_uses_the_segments_weights(tmp_path: Path) -> None:
    header = ["account", "arr", "segment", "product_usage", "engagement", "relationship", "support", "growth", "financial"]
    source = write_csv(tmp_path / "in.csv", [header, ["a", "50000", "tech_touch", "100", "0", "0", "0", "0", "0"]])
    out = tmp_path / "o.csv"
    assert score(source, "--out", out) == 0
    assert read_csv(out)[0]["score"] == "30.0"  # default model: product usage weighs 30 %
    assert score(source, "--out", out, "--segment-model") == 0
    assert read_csv(out)[0]["score"] == "50.0"  # tech touch model: 50 %


# XLSX ----------------------------------------------------------------------------------------------------


def _workbook(path: Path, rows: list[list[Any]], sheet: str = "Accounts") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


XLSX_ROWS: list[list[Any]] = [
    ["Account", "ARR", "Segment", "Product usage", "Engagement", "Relationship", "Support", "Growth", "Renewal date", "Outcome"],
    ["Acme", 120000, "high_touch", 85, 70.5, 90, 80, 60, datetime.datetime(2025, 3, 31), "renewed"],
    ["Globex", 20000.5, None, 45, 50, 40, 60, 30, datetime.date(2025, 5, 1), "churned"],
    [None, None, None, None, None, None, None, None, None, None],
    ["Initech", "abc", None, 50, 50, 50, 50, 50, "2025-13-01", None],
    [7, 9000, "SMB", 10, 10, 10, 10, True, None, None],
]


def test_xlsx_round_trip_matches_csv(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "accounts.xlsx", XLSX_ROWS)
    as_csv = write_csv(
        tmp_path / "accounts.csv",
        [
            XLSX_ROWS[0],
            ["Acme", "120000", "high_touch", "85", "70.5", "90", "80", "60", "2025-03-31", "renewed"],
            ["Globex", "20000.5", "", "45", "50", "40", "60", "30", "2025-05-01", "churned"],
            [""] * 10,
            ["Initech", "abc", "", "50", "50", "50", "50", "50", "2025-13-01", ""],
            ["7", "9000", "SMB", "10", "10", "10", "10", "TRUE", "", ""],
        ],
    )
    for source in (book, as_csv):
        assert score(source, "--out", tmp_path / f"{source.suffix[1:]}.csv", "--errors", tmp_path / f"{source.suffix[1:]}-errors.csv") == 1
    assert (tmp_path / "xlsx.csv").read_text(encoding="utf-8") == (tmp_path / "csv.csv").read_text(encoding="utf-8")
    errors = read_csv(tmp_path / "xlsx-errors.csv")
    assert errors == read_csv(tmp_path / "csv-errors.csv")
    assert [(e["sheet_row"], e["column"], e["reason"]) for e in errors] == [
        ("5", "ARR", "must be a number"),
        ("5", "Renewal date", "must be a date written YYYY-MM-DD"),
        ("6", "Growth", "must be a number"),
    ]
    rows = read_csv(tmp_path / "xlsx.csv")
    assert [(r["Account"], r["segment"], r["segment_source"]) for r in rows] == [
        ("Acme", "high_touch", "given"),
        ("Globex", "low_touch", "assigned"),
    ]


def test_xlsx_sheet_option(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.append(["nothing", "here"])
    second = book.create_sheet("Book")
    second.append(["account", "arr", "health"])
    second.append(["Acme", 50000, 85])
    book.save(tmp_path / "two.xlsx")
    out = tmp_path / "o.csv"
    assert score(tmp_path / "two.xlsx", "--sheet", "Book", "--out", out) == 0
    assert read_csv(out)[0]["band"] == "healthy"
    proc = cli("score", tmp_path / "two.xlsx", "--sheet", "Nope", "--out", out)
    assert proc.returncode == 2 and "has no sheet 'Nope' (sheets: Sheet, Book)" in proc.stderr
    proc = cli("score", tmp_path / "two.xlsx", "--out", out)
    assert proc.returncode == 2 and "has 2 visible sheets ('Sheet', 'Book'); say which with --sheet NAME" in proc.stderr


def test_empty_xlsx(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    proc = cli("score", tmp_path / "empty.xlsx", "--out", tmp_path / "o.csv")
    assert proc.returncode == 2 and "is empty" in proc.stderr and "Traceback" not in proc.stderr


# Chunks, progress, help ----------------------------------------------------------------------------------------------


def test_chunked_output_equals_whole_file_output(tmp_path: Path) -> None:
    source = FIXTURES / "bad_rows.csv"
    assert score(source, "--out", tmp_path / "whole.csv", "--report", tmp_path / "whole.md") == 1
    for size in ("1", "3", "100"):
        assert score(source, "--out", tmp_path / "part.csv", "--chunksize", size, "--report", tmp_path / "part.md") == 1
        for name in ("{}.csv", "{}.errors.csv", "{}.md"):
            whole = (tmp_path / name.format("whole")).read_text(encoding="utf-8")
            part = (tmp_path / name.format("part")).read_text(encoding="utf-8")
            assert part == whole.replace("whole", "part"), (size, name)


def test_progress_bar_on_request(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "calculators", "score", str(FIXTURES / "backtest.csv"), "--out", str(tmp_path / "o.csv"), "--progress"]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, check=False)
    assert proc.returncode == 0
    assert b"\rscoring [" in proc.stderr and b"100%  16 rows" in proc.stderr and proc.stderr.endswith(b"\n")
    quiet = cli("score", FIXTURES / "backtest.csv", "--out", tmp_path / "o.csv")
    assert quiet.stderr == ""


def test_help_describes_columns_and_xlsx() -> None:
    proc = cli("score", "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "an XLSX file is always read whole" in text and "--chunksize" in text and "renewal_date" in text


def test_calculators_run_never_imports_pandas() -> None:
    code = (
        "import sys, calculators; calculators.run('health_score', {'components': {'product_usage': 50}});"
        "calculators.run('renewal_forecast', {'accounts': [{'name': 'a', 'arr': 1, 'health': 50}]});"
        "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules and 'cslibrary.batch' not in sys.modules"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
