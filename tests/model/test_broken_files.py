"""Broken libraries: every mistake is reported with its file, line and field, never a traceback.

Each case under ``tests/fixtures/broken/<case>/`` holds the files that replace those of the
minimal valid library in ``tests/fixtures/minimal/`` and an ``expect.json`` naming the
problem that must be reported: ``file``, ``line`` (0: the file has no position, e.g. it
is missing), ``field`` and a piece of the ``message``; ``delete`` lists files to remove.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cslibrary import cli
from cslibrary.model.loader import LibraryError, Problem, load_library, read_library

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal"
CASES = sorted(p.name for p in (FIXTURES / "broken").iterdir() if (p / "expect.json").is_file())
ROOT = Path(__file__).resolve().parents[2]


def build(tmp_path: Path, *cases: str) -> tuple[Path, list[dict[str, Any]]]:
    """A copy of the minimal library with the files of ``cases`` laid over it."""
    root = tmp_path / "lib"
    shutil.copytree(MINIMAL, root)
    expects = []
    for case in cases:
        src = FIXTURES / "broken" / case
        expect = json.loads((src / "expect.json").read_text(encoding="utf-8"))
        for rel in expect.get("delete", []):
            (root / rel).unlink()
        for file in src.rglob("*"):
            if file.is_file() and file.name != "expect.json":
                target = root / file.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
        expects.append(expect)
    return root, expects


def matches(problem: Problem, expect: dict[str, Any]) -> bool:
    return (
        problem.path == expect["file"]
        and problem.line == expect["line"]
        and problem.field == expect["field"]
        and expect["message"] in problem.message
    )


def run_cli(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | env
    return subprocess.run(
        [sys.executable, "-m", "cslibrary", "validate", "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=environ,
        timeout=60,
    )


def test_enough_cases() -> None:
    assert len(CASES) >= 30


def test_minimal_library_is_valid() -> None:
    lib = load_library(MINIMAL)
    assert set(lib.playbooks) == {"at-risk", "adoption"}
    assert lib.playbooks["at-risk"].source == "playbooks/library/at-risk.yml"


@pytest.mark.parametrize("case", CASES)
def test_broken_case(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, (expect,) = build(tmp_path, case)
    _, problems = read_library(root)
    assert any(matches(p, expect) for p in problems), "\n".join(map(str, problems))
    # The same problem, as the command prints it.
    assert cli.main(["validate", "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    where = f"{expect['file']}:{expect['line']}:" if expect["line"] else f"{expect['file']}: "
    line = next((x for x in out.splitlines() if x.startswith(where) and expect["message"] in x), None)
    assert line is not None, out
    assert f": {expect['field']}: " in line if expect["field"] else True
    assert "Traceback" not in out + err
    assert err.startswith("FAILED: ")


@pytest.mark.parametrize("case", CASES[::3])
def test_broken_case_through_the_command(case: str, tmp_path: Path) -> None:
    root, (expect,) = build(tmp_path, case)
    proc = run_cli(root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    where = f"{expect['file']}:{expect['line']}:" if expect["line"] else expect["file"]
    assert any(x.startswith(where) and expect["field"] in x and expect["message"] in x for x in proc.stdout.splitlines()), proc.stdout


def test_every_problem_of_every_file_in_one_pass(tmp_path: Path) -> None:
    cases = [
        "dangling_step_role",
        "weights_sum_90",
        "comma_in_flow_mapping",
        "metric_bands_gap",
        "duplicate_list_entry",
        "dangling_journey_owner",
    ]
    root, expects = build(tmp_path, *cases)
    with pytest.raises(LibraryError) as info:
        load_library(root)
    for expect in expects:
        assert any(matches(p, expect) for p in info.value.problems), expect
    assert info.value.problems == sorted(info.value.problems)


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    root, _ = build(tmp_path, "alias_bomb")
    start = time.perf_counter()
    _, problems = read_library(root)
    assert time.perf_counter() - start < 1.0
    assert any("aliases" in p.message for p in problems)
    start = time.perf_counter()
    proc = run_cli(root)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert elapsed < 5  # start-up included; the validation itself is timed above


def test_ten_megabyte_file_is_refused_unread(tmp_path: Path) -> None:
    root, _ = build(tmp_path)
    big = root / "playbooks" / "library" / "huge.yml"
    big.write_text("id: huge\nnotes: |\n" + ("  " + "x" * 98 + "\n") * 100_000, encoding="utf-8")
    assert big.stat().st_size > 10_000_000
    start = time.perf_counter()
    _, problems = read_library(root)
    assert time.perf_counter() - start < 1.0
    assert [str(p) for p in problems if p.path.endswith("huge.yml")] == [
        f"playbooks/library/huge.yml:1:1: the file is {big.stat().st_size:,} bytes; files larger than 1,000,000 bytes are refused unread"
    ]


def test_github_actions_annotations(tmp_path: Path) -> None:
    root, (expect,) = build(tmp_path, "dangling_step_role")
    proc = run_cli(root, GITHUB_ACTIONS="true")
    assert proc.returncode == 1
    assert f"::error file={expect['file']},line={expect['line']},col=5::steps[1].owner: 'CSMM' is not a known role" in proc.stdout
    assert "::error" not in run_cli(root).stdout


def test_ok_summary(tmp_path: Path) -> None:
    proc = run_cli(MINIMAL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("OK: 2 playbooks, 3 metrics, 4 roles, 2 segments") and " ms" in proc.stdout


def test_internal_error_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated")

    monkeypatch.setattr(cli, "read_library", boom)
    assert cli.main(["validate", "--root", str(MINIMAL)]) == 2
    out, err = capsys.readouterr()
    assert err == "internal error (RuntimeError): simulated\n" and out == ""


def test_missing_folder(tmp_path: Path) -> None:
    proc = run_cli(tmp_path)
    assert proc.returncode == 1 and "no playbooks/ folder" in proc.stdout and "Traceback" not in proc.stderr


def test_whole_shipped_library_with_a_bomb_and_a_huge_file_is_fast(tmp_path: Path) -> None:
    root = tmp_path / "shipped"
    shutil.copytree(ROOT / "playbooks", root / "playbooks")
    shutil.copyfile(
        FIXTURES / "broken" / "alias_bomb" / "playbooks" / "library" / "at-risk.yml", root / "playbooks" / "library" / "at-risk.yml"
    )
    (root / "playbooks" / "library" / "huge.yml").write_bytes(b"id: huge\n" + b"# padding\n" * 1_100_000)
    start = time.perf_counter()
    _, problems = read_library(root)
    assert time.perf_counter() - start < 1.0
    assert {p.path for p in problems} == {"playbooks/library/at-risk.yml", "playbooks/library/huge.yml"}, problems
