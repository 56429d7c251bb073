"""``python -m calculators plays``: the worklist file, the errors file, calendars, report, exit codes."""

from __future__ import annotations

import csv
import datetime
import filecmp
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from calculators import run
from cslibrary.batch import plays_cli
from cslibrary.batch.cli import main
from cslibrary.batch.outputs import PLAY_COLUMNS
from tests.batch.triage_config import config_with_rules

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "batch" / "plays.csv"
CONFIG = config_with_rules()
AS_OF = "2026-12-07"


@pytest.fixture(autouse=True)
def test_rules(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The commands read the test configuration (tests/batch/triage_config.py), whatever the library ships."""
    monkeypatch.setattr(plays_cli, "library_config", lambda library: CONFIG)
    yield


def plays(*args: str | Path) -> int:
    return main(["plays", *(str(a) for a in args)])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


# Reconciliation ------------------------------------------------------------------------------------


def test_every_row_is_in_the_worklist_or_the_errors_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, errors = tmp_path / "plays.csv", tmp_path / "errors.csv"
    assert plays(FIXTURE, "--as-of", AS_OF, "--out", out, "--errors", errors) == 1
    assert [tuple(r.values()) for r in read_csv(errors)] == [
        ("6", "5", "Hooli", "Segment", "platinum", "is not a known segment (known: high_touch, low_touch, tech_touch)"),
        ("7", "6", "Stark", "ARR", "-5", "must be at least 0"),
        ("7", "6", "Stark", "Health", "130", "must be at most 100"),
        ("7", "6", "Stark", "renewal_date", "2027-02-30", "must be a date written YYYY-MM-DD"),
        ("7", "6", "Stark", "nps_response_score", "11", "must be at most 10"),
        ("8", "7", "", "Account", "", "is required"),
        ("10", "9", "Wonka", "Stage", "churned", "is not a known stage (known: onboarding, adoption, renewal)"),
        ("10", "9", "Wonka", "license_utilization", "abc", "must be a number"),
        ("10", "9", "Wonka", "nps_response_score", "7.5", "must be a whole number"),
        ("13", "12", "Cyberdyne", "nps_response_score", "6", "is given without a date in column nps_response"),
    ]
    worklist = read_csv(out)
    assert list(worklist[0]) == list(PLAY_COLUMNS)
    accounts = {r["sheet_row"]: r["account"] for r in worklist}
    assert accounts == {"2": "Acme Corp", "3": "Globex", "4": "Initech", "5": "Umbrella", "11": '\'=HYPERLINK("http://x")', "12": "Tyrell"}
    rejected = {r["sheet_row"] for r in read_csv(errors)}
    assert len(accounts) + len(rejected) == 11  # 12 data rows, one of them blank
    captured = capsys.readouterr()
    assert "11 rows in = 5 with plays + 1 needing none + 5 rejected (1 blank rows skipped)" in captured.out
    assert "17 plays; 1 suppressed by a competing play" in captured.out
    assert "5 of 11 rows rejected" in captured.err and "--allow-errors" in captured.err


def test_one_row_per_play_in_order_and_one_row_for_an_account_that_needs_none(tmp_path: Path) -> None:
    out = tmp_path / "plays.csv"
    assert plays(FIXTURE, "--as-of", AS_OF, "--out", out, "--allow-errors") == 0
    rows = read_csv(out)
    initech = [r for r in rows if r["account"] == "Initech"]
    assert [(r["priority"], r["playbook"], r["starts"], r["owner"]) for r in initech] == [
        ("1", "champion-departure", "2026-11-20", "csm"),
        ("2", "intervention-workshop", "2026-12-07", "csm"),
        ("3", "renewal", "2026-11-01", "csm"),
        ("4", "low-license-utilization", "2026-12-07", ""),
        ("5", "low-engagement-after-onboarding", "2026-12-07", "csm"),
    ]
    assert initech[2]["reason"] == "Renewal date is 2027-03-01: the play starts 120 days before it, on 2026-11-01"
    assert initech[2]["first_step_date"] == "2026-11-01" and initech[0]["segment"] == "low_touch" and initech[0]["health_score"] == "55.0"
    globex = [r for r in rows if r["account"] == "Globex"]
    assert globex == [
        {**dict.fromkeys(PLAY_COLUMNS, ""), "account": "Globex", "segment": "low_touch", "health_score": "72.0", "sheet_row": "3"}
    ]


def test_the_worklist_is_the_triage_calculator(tmp_path: Path) -> None:
    out = tmp_path / "plays.csv"
    assert plays(FIXTURE, "--as-of", AS_OF, "--out", out, "--allow-errors") == 0
    acme = [r for r in read_csv(out) if r["account"] == "Acme Corp"]
    inputs = {
        "as_of": AS_OF,
        "segment": "high_touch",
        "arr": 250000,
        "stage": "adoption",
        "health": 35,
        "metrics": {"license_utilization": 95},
        "changes": {"dau_mau": -30},
        "dates": {"renewal_date": "2027-02-01", "onboarding_complete": "2026-01-10"},
        "events": [{"event": "nps_response", "date": "2026-12-01", "score": 4}],
    }
    expected = run("triage", inputs, CONFIG)
    assert [(r["playbook"], r["title"], r["reason"], r["starts"], r["owner"]) for r in acme] == [
        (p["playbook"], p["title"], p["reason"], p["starts"], p["owner"] or "") for p in expected["plays"]
    ]


@pytest.mark.parametrize(("extra", "code"), [((), 1), (("--allow-errors",), 0)])
def test_exit_code_when_rows_are_rejected(tmp_path: Path, extra: tuple[str, ...], code: int) -> None:
    assert plays(FIXTURE, "--as-of", AS_OF, "--out", tmp_path / "o.csv", *extra) == code
    assert (tmp_path / "o.errors.csv").is_file() and not list(tmp_path.glob("*.partial"))


def test_as_of_defaults_to_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    today = datetime.date.today().isoformat()
    assert plays(FIXTURE, "--out", tmp_path / "a.csv", "--allow-errors") == 0
    assert f"as of:         {today}" in capsys.readouterr().out
    assert plays(FIXTURE, "--as-of", today, "--out", tmp_path / "b.csv", "--allow-errors") == 0
    assert filecmp.cmp(tmp_path / "a.csv", tmp_path / "b.csv", shallow=False)


def test_chunks_and_xlsx_give_the_same_worklist(tmp_path: Path) -> None:
    whole, chunked, book = tmp_path / "whole.csv", tmp_path / "chunked.csv", tmp_path / "book.csv"
    assert plays(FIXTURE, "--as-of", AS_OF, "--out", whole, "--allow-errors") == 0
    assert plays(FIXTURE, "--as-of", AS_OF, "--out", chunked, "--allow-errors", "--chunksize", "2") == 0
    assert filecmp.cmp(whole, chunked, shallow=False)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    with FIXTURE.open(encoding="utf-8", newline="") as fh:
        for record in csv.reader(fh):
            sheet.append([int(c) if c.isdigit() else (c or None) for c in record])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, as a CRM export holds it, not a formula
    workbook.save(tmp_path / "accounts.xlsx")
    assert plays(tmp_path / "accounts.xlsx", "--as-of", AS_OF, "--out", book, "--allow-errors") == 0
    assert filecmp.cmp(whole, book, shallow=False)


def test_a_crm_export_with_a_map(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "crm.csv",
        [["Company", "Tier", "Health Index", "Contract end", "Last QBR"], ["Acme", "High touch", "85", "2027-09-01", "2026-11-01"]],
    )
    (tmp_path / "map.yml").write_text("Company: account\nTier: segment\nHealth Index: health\nLast QBR: last_qbr\n", encoding="utf-8")
    out = tmp_path / "plays.csv"
    assert plays(source, "--as-of", AS_OF, "--out", out, "--map", tmp_path / "map.yml") == 0
    assert [(r["account"], r["playbook"]) for r in read_csv(out)] == [("Acme", "advocacy"), ("Acme", "ebr")]


# Files the command refuses: one line, exit 2, nothing written ----------------------------------------


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("name,segment\na,high_touch\n", (), "missing required column account"),
        ("account,health\na,50\n", (), "missing required column segment (or arr, to assign it)"),
        (
            "account,segment,nps_response_score\na,high_touch,5\n",
            (),
            "column 'nps_response_score' needs the event's date column 'nps_response'",
        ),
        ("account,segment\n", (), "has a header but no data rows"),
        ("account,segment\na,high_touch\n", ("--as-of", "2026-13-01"), "--as-of: must be a date written YYYY-MM-DD"),
        ("account,segment\na,high_touch\n", ("--as-of", "1800-01-01"), "--as-of: must be a date from 1900-01-01 to 2199-12-31"),
        ("account,segment\na,high_touch\n", ("--report", "r.pdf"), "--report r.pdf: must end in .md or .markdown or .html or .htm or .txt"),
        ("account,segment\na,high_touch\n", ("--ics-dir", "no/such/dir"), "--ics-dir no/such/dir: folder no/such does not exist"),
    ],
)
def test_unusable_input_gives_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, args: tuple[str, ...], message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        try:
            code = plays(source, "--out", tmp_path / "out.csv", *args)
        except SystemExit as exc:  # argparse refuses a bad option value itself
            code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2 and message in err, err
    assert "Traceback" not in err and not list(tmp_path.glob("out*"))


def test_the_reject_policy_needs_every_weighed_component_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_with_rules()
    config["health"]["missing_data"]["policy"] = "reject"
    monkeypatch.setattr(plays_cli, "library_config", lambda library: config)
    source = write_csv(tmp_path / "in.csv", [["account", "segment", "product_usage"], ["a", "high_touch", "50"]])
    assert plays(source, "--as-of", AS_OF, "--out", tmp_path / "out.csv") == 2


def test_the_command_is_registered_as_an_entry_point(tmp_path: Path) -> None:
    """``python -m calculators plays`` reaches the batch package (the shipped library's rules, whatever they are)."""
    proc = subprocess.run(
        [sys.executable, "-m", "calculators", "plays", str(FIXTURE), "--as-of", AS_OF, "--out", str(tmp_path / "p.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "rows in =" in proc.stdout
    assert list(read_csv(tmp_path / "p.csv")[0]) == list(PLAY_COLUMNS)
    help_text = subprocess.run(
        [sys.executable, "-m", "calculators", "plays", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "--ics-dir" in help_text.stdout and "<event>_score" in help_text.stdout


# Calendars ---------------------------------------------------------------------------------------------


def _events(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    events: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in unfolded.split("\r\n"):
        key, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
        else:
            current[key] = value
    return events


def test_one_calendar_per_owner_with_each_plays_first_steps(tmp_path: Path) -> None:
    folder = tmp_path / "calendars"
    assert plays(FIXTURE, "--as-of", AS_OF, "--out", tmp_path / "p.csv", "--allow-errors", "--ics-dir", folder) == 0
    owners = {p.get("owner") or "unassigned" for p in CONFIG["playbooks"].values() if p.get("rule")}
    assert {p.name for p in folder.iterdir()} == {f"{o}.ics" for o in owners}
    assert _events(folder / "support.ics") == []  # an owner without plays gets an empty calendar
    leader = _events(folder / "cs_leader.ics")
    assert [(e["DTSTART;VALUE=DATE"], e["DTEND;VALUE=DATE"]) for e in leader] == [("20261103", "20261104")] * 3
    action = CONFIG["playbooks"]["at-risk-renewal-escalation"]["steps"][0]["action"]
    assert leader[0]["SUMMARY"] == "Acme Corp: " + action.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    assert "Why: Health score 35 is below 40\\; Renewal date is 2027-02-01" in leader[0]["DESCRIPTION"]
    csm = _events(folder / "csm.ics")
    worklist = [r for r in read_csv(tmp_path / "p.csv") if r["owner"] == "csm"]
    assert len(csm) == 3 * len(worklist)  # every playbook of the test rules has at least three steps
    assert len({e["UID"] for e in csm}) == len(csm)
    injected = [e for e in _events(folder / "csm.ics") if "HYPERLINK" in e["SUMMARY"]]
    assert injected and injected[0]["SUMMARY"].startswith('=HYPERLINK("http://x")')  # calendars are not spreadsheets
    again = tmp_path / "again"
    assert plays(FIXTURE, "--as-of", AS_OF, "--out", tmp_path / "q.csv", "--allow-errors", "--ics-dir", again) == 0
    assert all(filecmp.cmp(folder / p.name, again / p.name, shallow=False) for p in folder.iterdir())


# Report ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".md", ".html", ".txt"])
def test_the_report_has_the_worklist_by_owner_and_by_week(tmp_path: Path, suffix: str) -> None:
    report = tmp_path / f"report{suffix}"
    assert plays(FIXTURE, "--as-of", AS_OF, "--out", tmp_path / "p.csv", "--allow-errors", "--report", report) == 0
    text = report.read_text(encoding="utf-8")
    for heading in ("Worklist: plays.csv (as of 2026-12-07)", "Plays by owner", "Plays by playbook", "Plays by week", "Rejected rows"):
        assert heading in text, heading
    assert "Rows in: 11 = with plays 5 + needing none 1 + rejected 5 ✓" in text
    assert "2026-12-07 (this week)" in text and "2026-11-30" in text
    if suffix == ".html":
        assert "<svg" in text and "<script" not in text


# CSV injection, for score too ------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd"]


def test_cells_a_spreadsheet_would_run_are_neutralised_in_every_csv(tmp_path: Path) -> None:
    """Account names, copied columns (tabs and carriage returns too), headers and the errors file's values."""
    header = ["account", "arr", "health", "segment", "=note"]
    notes = ["\tx", "\rx", "=x", "@x"]
    rows = [[name, "20000", "50", "low_touch", note] for name, note in zip(DANGEROUS, notes, strict=True)]
    rows += [["-5", "20000", "50", "low_touch", "-5"], ["=bad", "=1", "50", "low_touch", "x"]]
    source = write_csv(tmp_path / "in.csv", [header, *rows])
    scored, played = tmp_path / "scored.csv", tmp_path / "plays.csv"
    assert main(["score", str(source), "--out", str(scored), "--allow-errors", "--library", str(ROOT / "playbooks")]) == 0
    assert plays(source, "--as-of", AS_OF, "--out", played, "--allow-errors") == 0
    accounts = [f"'{name}" for name in DANGEROUS] + ["-5"]
    with scored.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    assert records[0][4] == "'=note"
    assert [r[0] for r in records[1:]] == accounts and [r[4] for r in records[1:]] == [f"'{n}" for n in notes] + ["-5"]
    assert [r["account"] for r in read_csv(played)] == accounts
    for errors in (tmp_path / "scored.errors.csv", tmp_path / "plays.errors.csv"):
        assert [(r["account"], r["value"]) for r in read_csv(errors)] == [("'=bad", "'=1")]


def test_an_account_name_that_could_forge_a_line_is_refused(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [["account", "segment"], ["a\nb", "low_touch"], ["c\u202ed", "low_touch"], ["ok", "low_touch"]])
    assert plays(source, "--as-of", AS_OF, "--out", tmp_path / "p.csv") == 1
    assert [(r["sheet_row"], r["reason"]) for r in read_csv(tmp_path / "p.errors.csv")] == [
        ("2", "must not contain a control character"),
        ("3", "must not contain a direction override"),
    ]
