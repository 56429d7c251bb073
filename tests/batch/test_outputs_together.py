"""Every file a batch run writes is committed with the others or not at all (the "Hostile input" issue):
``backtest``'s errors file and report, ``plays``'s worklist, errors file, report and ``--ics-dir``
calendars. A failure injected between the writes, or during the renames, leaves no new file and
puts the old ones back; a symbolic link planted at an output or partial path is never written through.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cslibrary.batch import cli, plays_cli
from cslibrary.batch.cli import main
from tests.batch.triage_config import config_with_rules

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = str(ROOT / "playbooks")
BACKTEST = "account,arr,health,outcome\nH1,10000,95,renewed\nH2,10000,85,churned\nBad,-5,40,churned\nL1,10000,30,churned\n"
PLAYS = ROOT / "tests" / "fixtures" / "batch" / "plays.csv"
AS_OF = "2026-12-07"


@pytest.fixture(autouse=True)
def test_rules(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Both commands read the test configuration (tests/batch/triage_config.py), whatever the library holds."""
    config = config_with_rules()
    monkeypatch.setattr(plays_cli, "library_config", lambda library: config)
    monkeypatch.setattr(cli, "library_config", lambda library: config)
    yield


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links as ``-> target``), by relative path."""
    files = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            files[name] = f"-> {os.readlink(path)}"
        elif path.is_file():
            files[name] = path.read_text(encoding="utf-8")
        else:
            files[name + "/"] = ""
    return files


def fail_rename_to(monkeypatch: pytest.MonkeyPatch, target: Callable[[Path], bool]) -> None:
    """``os.replace`` fails the first time it would move a partial file to a path ``target`` accepts."""
    real = os.replace
    failed: list[Path] = []

    def replace(src: Any, dst: Any) -> None:
        if not failed and Path(src).name.endswith(".partial") and target(Path(dst)):
            failed.append(Path(dst))
            raise OSError("no space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def broken(*_: object) -> str:
    raise OSError("disk full while writing the report")


# backtest ----------------------------------------------------------------------------------------------


def backtest(tmp_path: Path, *extra: str | Path) -> int:
    source = tmp_path / "in.csv"
    if not source.exists():
        source.write_text(BACKTEST, encoding="utf-8")
    args = ["backtest", str(source), "--library", LIBRARY, "--allow-errors", "--min-sample", "1"]
    return main([*args, "--errors", str(tmp_path / "errors.csv"), "--report", str(tmp_path / "report.md"), *map(str, extra)])


def test_backtest_writes_its_errors_file_and_report(tmp_path: Path) -> None:
    assert backtest(tmp_path) == 0
    files = tree(tmp_path)
    assert sorted(files) == ["errors.csv", "in.csv", "report.md"]
    assert "Bad" in files["errors.csv"] and "errors.csv" in files["report.md"]


def test_a_backtest_report_that_fails_leaves_no_errors_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "render", broken)  # after the errors file is written, before the report is
    assert backtest(tmp_path) == 2
    assert "disk full" in capsys.readouterr().err
    assert sorted(tree(tmp_path)) == ["in.csv"]


def test_a_backtest_with_nothing_to_backtest_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in.csv").write_text("account,arr,health,outcome\nA,1000,80,\nBad,-5,40,\n", encoding="utf-8")
    assert backtest(tmp_path) == 2
    assert "nothing to backtest" in capsys.readouterr().err
    assert sorted(tree(tmp_path)) == ["in.csv"]


def test_a_failed_rename_of_the_report_puts_the_old_errors_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "errors.csv").write_text("old errors\n", encoding="utf-8")
    fail_rename_to(monkeypatch, lambda dst: dst.name == "report.md")
    assert backtest(tmp_path) == 2
    assert "no space left" in capsys.readouterr().err
    assert tree(tmp_path) == {"errors.csv": "old errors\n", "in.csv": BACKTEST}


def test_backtest_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (tmp_path / "errors.csv").symlink_to(victim)
    for name in ("errors.csv.partial", ".errors.csv.partial", "report.md.partial", ".report.md.partial"):
        (tmp_path / name).symlink_to(victim)
    assert backtest(tmp_path) == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "errors.csv").is_symlink() and "Bad" in (tmp_path / "errors.csv").read_text(encoding="utf-8")
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith((".partial", ".previous")))
    assert left == [".errors.csv.partial", ".report.md.partial", "errors.csv.partial", "report.md.partial"]


# plays --ics-dir ----------------------------------------------------------------------------------------


def plays(tmp_path: Path, *extra: str | Path) -> int:
    args = ["plays", str(PLAYS), "--as-of", AS_OF, "--allow-errors", "--out", str(tmp_path / "plays.csv")]
    return main([*args, "--report", str(tmp_path / "report.md"), "--ics-dir", str(tmp_path / "calendars"), *map(str, extra)])


def test_plays_writes_the_worklist_report_and_calendars(tmp_path: Path) -> None:
    assert plays(tmp_path) == 0
    names = sorted(tree(tmp_path))
    assert {"plays.csv", "plays.errors.csv", "report.md", "calendars/", "calendars/csm.ics"} <= set(names)
    assert not [n for n in names if n.endswith((".partial", ".previous"))]


def test_a_plays_report_that_fails_leaves_no_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(plays_cli, "render", broken)  # after the calendars are written, before the report is
    assert plays(tmp_path) == 2
    assert "disk full" in capsys.readouterr().err
    assert tree(tmp_path) == {}  # not even the calendars folder made for the run


@pytest.mark.parametrize("failing", ["plays.csv", "report.md", "csm.ics"])
def test_a_failed_rename_puts_every_output_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], failing: str
) -> None:
    """Whichever rename fails (the worklist's, the report's or a calendar's), the earlier outputs go back as they were."""
    assert plays(tmp_path) == 0
    before = tree(tmp_path)
    fail_rename_to(monkeypatch, lambda dst: dst.name == failing)
    assert plays(tmp_path, "--as-of", "2027-01-15") == 2
    assert "no space left" in capsys.readouterr().err
    assert tree(tmp_path) == before


def test_a_failed_first_run_leaves_no_calendar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_rename_to(monkeypatch, lambda dst: dst.name == "report.md")  # the calendars are renamed after the report
    assert plays(tmp_path) == 2
    assert tree(tmp_path) == {}


def test_plays_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "csm.ics").symlink_to(victim)
    (folder / "csm.ics.partial").symlink_to(victim)
    (tmp_path / "plays.csv").symlink_to(victim)
    (tmp_path / "plays.csv.partial").symlink_to(victim)
    assert plays(tmp_path) == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (folder / "csm.ics").is_symlink() and "BEGIN:VCALENDAR" in (folder / "csm.ics").read_text(encoding="utf-8")
    assert not (tmp_path / "plays.csv").is_symlink()
