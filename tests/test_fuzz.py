"""Fuzzing: hostile input never leaks a traceback, never hangs and never gets a lying answer.

One section per command that reads outside input; each states the contract it holds the
command to and draws its inputs from the shared strategies (``tests/strategies.py``, the
"Hostile input" section). Keep each section fast (the whole file runs in ``make test`` in a
few seconds): modest ``max_examples``, few subprocesses.

* ``calculators.run`` — for every calculator of ``calculators.names()``, built on its
  declaration (``calculators.describe``) so that every field is attacked: the answer is a dict
  that ``json.dumps(..., allow_nan=False)`` accepts, or an :class:`calculators.InputError` whose
  ``field`` is a non-empty path and whose message is one printable line. Nothing else.
* ``python -m calculators NAME`` — exit 0 with valid JSON (UTF-8, no ``NaN``) on standard
  output, or exit 2 with exactly one line on standard error and nothing on standard output;
  never a traceback.
* ``python -m cslibrary validate`` — a hostile YAML document (``hostile_yaml``: deep nesting,
  alias bombs, huge scalars, binary junk, tabs, duplicate keys, odd tags, non-UTF-8…) written
  as a library file into a copy of ``tests/fixtures/minimal``: exit 0 with one ``OK: …`` line,
  or exit 1 with every standard-output line a problem, ``file:line:col: field: message`` or
  ``file: message`` naming a file of the library, and one ``FAILED: …`` line on standard
  error; never a traceback, never a line that repeats more than a key's worth
  (``MAX_KEY``) of the file's text, never a file written (nor one read outside the copy).

* ``python -m calculators score`` — a hostile CSV or XLSX file (``hostile_sheet``: formula-like
  cells, numbers past a float, ``;`` files with decimal commas and ambiguous numbers, odd encodings,
  empty, huge and hostile headers; and the canned ``HOSTILE_SHEETS``), run in-process from an empty
  working folder: exit 0 or 1 with the scored rows and the errors file, every data row in exactly
  one of them, no cell of either that a spreadsheet would run as a formula, and every ARR written
  from a known value read back exactly; or exit 2 with one ``error:`` line and no file written;
  never a traceback, never a file written outside the output folder.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calculators
from cslibrary import cli as cslibrary_cli
from cslibrary.model.yaml_reader import MAX_KEY
from tests.strategies import (
    HOSTILE_DATES,
    HOSTILE_NUMBERS,
    HOSTILE_SHEETS,
    HOSTILE_STRINGS,
    HOSTILE_YAML,
    HOSTILE_YAML_NUMBERS,
    YAML_CANARY,
    HostileSheet,
    hostile_request,
    hostile_sheet,
    hostile_stdin,
    hostile_yaml,
    nested,
)

NAMES = calculators.names()


def _strict_json(text: str) -> Any:
    """``text`` parsed as strict JSON: ``NaN`` and ``Infinity`` are errors."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


# --- calculators.run ----------------------------------------------------------------------


def holds_the_contract(name: str, request: Any, config: dict[str, Any]) -> None:
    """``calculators.run(name, request)`` answers with valid JSON or an InputError naming a field."""
    try:
        result = calculators.run(name, request, config)
    except calculators.InputError as err:
        message = str(err)
        assert isinstance(err.field, str) and err.field, f"{name}: an InputError without a field: {message!r}"
        assert message.startswith(f"{err.field}: "), message
        assert message.isprintable(), f"{name}: the message is not one printable line: {message!r}"
        assert len(message) < 2_000, f"{name}: a message of {len(message)} characters"
        return
    assert isinstance(result, dict)
    _strict_json(json.dumps(result, allow_nan=False))


#: Every field's canonical attacks: the hostile numbers, strings and shapes, and deep nesting.
CANONICAL = (*HOSTILE_NUMBERS, *HOSTILE_STRINGS, None, True, [], {}, [1], {"x": 1}, [{}], [[1]], nested(200))


def _canonical_cases(config: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """For every calculator and every field (and every column of a table and name of a mapping),
    the example with that one value replaced by each canonical attack."""
    cases = []
    for name in NAMES:
        example = calculators.example(name, config)
        for spec in calculators.describe(name, config)["inputs"]:
            key = spec["name"]
            for attack in CANONICAL:
                cases.append((name, {**example, key: attack}))
            if spec["type"] == "table":
                row = dict(example[key][0]) if example.get(key) else {}
                for column in spec["columns"]:
                    for attack in CANONICAL:
                        cases.append((name, {**example, key: [{**row, column["name"]: attack}]}))
            if spec["type"] == "mapping":
                for option in spec["options"][:3]:
                    for attack in CANONICAL:
                        cases.append((name, {**example, key: {option["value"]: attack}}))
            if spec["type"] == "numbers":
                for attack in CANONICAL:
                    cases.append((name, {**example, key: [1, attack]}))
    return cases


def test_every_field_of_every_calculator_survives_the_canonical_attacks(config: dict[str, Any]) -> None:
    cases = _canonical_cases(config)
    assert len(cases) > 2_000
    for name, request in cases:
        holds_the_contract(name, request, config)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_calculators_run_answers_hostile_requests_with_json_or_an_input_error(
    name: str, data: st.DataObject, config: dict[str, Any]
) -> None:
    declaration = calculators.describe(name, config)
    request = data.draw(hostile_request(declaration, calculators.example(name, config)), label="request")
    holds_the_contract(name, request, config)


@pytest.mark.parametrize(
    ("name", "request_", "field"),
    [
        ("nrr_grr", {"starting_mrr": 1e-300, "expansion": 1e15, "contraction": 0, "churn": 0}, "starting_mrr"),
        ("rate", {"metric": "renewal_rate", "numerator": 1e15, "denominator": 1e-300}, "denominator"),
        ("roi", {"investment": 1e-300, "revenue_increase": 1e15}, "investment"),
        ("coverage", {"segments": [{"segment": "smb", "accounts": 1, "arr": 1e-200, "ratio": 1e-201}], "csm_cost": 1}, "segments[0].ratio"),
    ],
)
def test_a_result_that_leaves_the_float_range_names_the_input_that_made_it(
    name: str, request_: dict[str, Any], field: str, config: dict[str, Any]
) -> None:
    """Inputs within bounds whose quotient overflows: the error names the extreme input, never ``inf``."""
    with pytest.raises(calculators.InputError) as err:
        calculators.run(name, request_, config)
    assert err.value.field == field
    assert "finite" in err.value.rule or "cannot be computed" in err.value.rule


def test_the_date_attacks_cover_both_ends_of_the_calendar() -> None:
    assert {"1899-12-31", "2200-01-01"} <= set(HOSTILE_DATES)


# --- python -m calculators NAME -----------------------------------------------------------


def cli(name: str, stdin: bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "calculators", name], input=stdin, capture_output=True, cwd=cwd, timeout=60, check=False)


def holds_the_cli_contract(proc: subprocess.CompletedProcess[bytes]) -> None:
    stderr = proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr, stderr
    assert proc.returncode in (0, 2), f"exit {proc.returncode}: {stderr}"
    if proc.returncode == 0:
        assert proc.stderr == b""
        assert isinstance(_strict_json(proc.stdout.decode("utf-8")), dict)
    else:
        assert proc.stdout == b""
        lines = stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), stderr


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_the_command_line_answers_hostile_stdin_with_json_or_one_line(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Run outside the repository (the generated defaults, no YAML to read): subprocesses are slow."""
    name = data.draw(st.sampled_from(NAMES), label="name")
    request = data.draw(hostile_request(calculators.describe(name), calculators.example(name)), label="request")
    stdin = data.draw(hostile_stdin(request), label="stdin")
    holds_the_cli_contract(cli(name, stdin, tmp_path_factory.getbasetemp()))


# --- python -m cslibrary validate ----------------------------------------------------------

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"
#: The library files an attack replaces (or adds: ``library/fuzz.yml``), by role.
TARGETS = ("playbooks/library/fuzz.yml", "playbooks/library/adoption.yml", "playbooks/metrics/nps.yml", "playbooks/roles.yml")
PROBLEM = re.compile(r"(?P<file>playbooks/[^\s:]+)(?::(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*))?: (?P<rest>\S.*)")


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folder``, with its size and modification time."""
    out = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            info = os.lstat(os.path.join(top, name))
            out[os.path.relpath(os.path.join(top, name), folder)] = (info.st_size, info.st_mtime_ns)
    return out


class Library:
    """A copy of the minimal library, where each attack writes one file and then puts it back."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / "lib"
        self.cwd = base / "cwd"  # the commands run here; it stays empty
        shutil.copytree(MINIMAL, self.root)
        self.cwd.mkdir()
        self.files = {t: ((self.root / t).read_bytes() if (self.root / t).exists() else None) for t in TARGETS}

    @contextlib.contextmanager
    def attacked(self, target: str, data: bytes) -> Iterator[set[str]]:
        """Write ``data`` at ``target`` for the ``with`` block, which gets the library's paths."""
        before = _snapshot(self.root)
        path = self.root / target
        path.write_bytes(data)
        after_write = _snapshot(self.root)
        try:
            yield set(after_write)
        finally:
            assert _snapshot(self.root) == after_write, "validate wrote into the library"
            assert os.listdir(self.cwd) == [], "validate wrote into its working folder"
            assert sorted(os.listdir(self.base)) == ["cwd", "lib"], "validate wrote next to the library"
            original = self.files[target]
            if original is None:
                path.unlink()
            else:
                path.write_bytes(original)
            assert set(_snapshot(self.root)) == set(before)


@pytest.fixture(scope="module")
def yaml_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library(tmp_path_factory.mktemp("yaml-fuzz"))


def _repeats(line: str, text: str, width: int) -> str | None:
    """A piece of ``line`` of ``width`` characters that ``text`` holds, if any."""
    return next((line[i : i + width] for i in range(len(line) - width + 1) if line[i : i + width] in text), None)


def holds_the_validate_contract(code: int, out: str, err: str, data: bytes, files: set[str]) -> None:
    assert "Traceback" not in out + err, out + err
    assert code in (0, 1), f"exit {code}: {err}"
    lines = out.splitlines()
    if code == 0:
        assert len(lines) == 1 and lines[0].startswith("OK: ") and err == "", out + err
        return
    assert len(err.splitlines()) == 1 and err.startswith("FAILED: "), err
    assert lines, "exit 1 without a problem"
    text = data.decode("utf-8", "replace")
    for line in lines:
        match = PROBLEM.fullmatch(line)
        assert match, f"not a problem line: {line!r}"
        assert match["file"].rstrip("/") in files, f"a problem about a file the library does not hold: {line!r}"
        assert line.isprintable() and len(line) < 1_200, line
        if len(text) <= 200_000:
            piece = _repeats(line, text, MAX_KEY + 1)
            assert piece is None, f"a problem repeats {piece!r} of the file: {line!r}"
        assert YAML_CANARY not in line, line


def validate_in_process(library: Library, target: str, data: bytes) -> None:
    out, err = io.StringIO(), io.StringIO()
    with (
        library.attacked(target, data) as files,
        contextlib.chdir(library.cwd),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        start = time.perf_counter()
        code = cslibrary_cli.main(["validate", "--root", str(library.root)])
        elapsed = time.perf_counter() - start
    holds_the_validate_contract(code, out.getvalue(), err.getvalue(), data, files)
    assert elapsed < 5, f"validate took {elapsed:.1f} s"


@pytest.mark.parametrize("index", range(len(HOSTILE_YAML)))
def test_validate_survives_each_canned_yaml_attack(index: int, yaml_library: Library) -> None:
    validate_in_process(yaml_library, TARGETS[index % len(TARGETS)], HOSTILE_YAML[index])


def _numeric_attacks() -> dict[str, bytes]:
    """Each hostile number once (at a different number of a playbook each time), and a number of
    400 digits at every number of the playbook: the checks compute with them."""
    valid = (MINIMAL / "playbooks" / "library" / "adoption.yml").read_bytes()
    spots = list(re.finditer(rb"(?<![\w.-])[0-9]+(?![\w.-])", valid))
    cases = [*enumerate(HOSTILE_YAML_NUMBERS), *((i, HOSTILE_YAML_NUMBERS[0]) for i in range(len(spots)))]
    attacks = {}
    for i, number in cases:
        spot = spots[i % len(spots)]
        line = valid.count(b"\n", 0, spot.start()) + 1
        attacks[f"line{line}-{number[:12].decode()}"] = valid[: spot.start()] + number + valid[spot.end() :]
    return attacks


NUMERIC_ATTACKS = _numeric_attacks()


@pytest.mark.parametrize("name", NUMERIC_ATTACKS)
def test_validate_survives_hostile_numbers_where_the_rules_compute(name: str, yaml_library: Library) -> None:
    validate_in_process(yaml_library, "playbooks/library/adoption.yml", NUMERIC_ATTACKS[name])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_validate_answers_hostile_yaml_with_problems_in_the_agreed_form(data: st.DataObject, yaml_library: Library) -> None:
    target = data.draw(st.sampled_from(TARGETS), label="target")
    valid = yaml_library.files[target] or yaml_library.files["playbooks/library/adoption.yml"]
    assert valid is not None
    validate_in_process(yaml_library, target, data.draw(hostile_yaml(valid), label="yaml"))


#: Through a subprocess (slow): the alias bomb, and a title of the canary 5,000 times.
SUBPROCESS_ATTACKS = (
    next(i for i, x in enumerate(HOSTILE_YAML) if x.startswith(b"l0:")),
    next(i for i, x in enumerate(HOSTILE_YAML) if x.startswith(b"title: '")),
)


@pytest.mark.parametrize("index", SUBPROCESS_ATTACKS)
def test_the_validate_command_survives_hostile_yaml(index: int, yaml_library: Library, tmp_path: Path) -> None:
    """The same, through ``python -m cslibrary validate``: no bytecode, home or temporary files written."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env |= {"HOME": str(home), "TMPDIR": str(home), "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    data = HOSTILE_YAML[index]
    with yaml_library.attacked("playbooks/library/fuzz.yml", data) as files:
        proc = subprocess.run(
            [sys.executable, "-m", "cslibrary", "validate", "--root", str(yaml_library.root)],
            capture_output=True,
            cwd=yaml_library.cwd,
            env=env,
            timeout=60,
            check=False,
        )
    holds_the_validate_contract(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"), data, files)
    assert os.listdir(home) == []


# --- python -m calculators score --------------------------------------------------------------

#: A text cell a spreadsheet would run as a formula: it starts with one of these and is not a plain number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _live_formula(cell: str) -> bool:
    return cell[:1] in FORMULA_START and not PLAIN_NUMBER.fullmatch(cell)


def _csv_records(path: Path) -> list[list[str]]:
    import csv

    limit = csv.field_size_limit()
    csv.field_size_limit(1 << 26)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))
    finally:
        csv.field_size_limit(limit)


def score_in_process(base: Path, suffix: str, data: bytes, *args: str) -> tuple[int, str, str, dict[str, Path]]:
    """``python -m calculators score`` (its ``main``, in this process) on ``data``, from an empty working folder.

    Returns the exit code, standard output and error, and the files the run left in its output
    folder. Asserts that nothing else was written: not beside the input, not in the working folder.
    """
    from calculators import cli as calculators_cli

    for name in ("in", "out", "cwd"):
        (base / name).mkdir()
    source = base / "in" / f"accounts{suffix}"
    source.write_bytes(data)
    out = base / "out" / "scored.csv"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(base / "cwd"), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = calculators_cli.main(["score", str(source), "--out", str(out), *args])
    assert sorted(os.listdir(base)) == ["cwd", "in", "out"], "score wrote beside its folders"
    assert os.listdir(base / "cwd") == [], "score wrote into its working folder"
    assert os.listdir(base / "in") == [source.name] and source.read_bytes() == data, "score wrote beside (or into) its input"
    return code, stdout.getvalue(), stderr.getvalue(), {p.name: p for p in (base / "out").iterdir()}


def holds_the_score_contract(code: int, out: str, err: str, files: dict[str, Path], rows: int | None = None) -> dict[str, list[list[str]]]:
    """Exit 0, 1 or 2, never a traceback; on 2 one ``error:`` line (after any ``note:`` lines) and no
    file; otherwise the scored rows and the errors file, no cell of which a spreadsheet would run as a
    formula, and (given the ``rows`` written, numbered by ``fuzz_row``) every row in exactly one of them.
    Returns the records of the files written."""
    assert "Traceback" not in out + err, out + err
    assert code in (0, 1, 2), f"exit {code}: {err}"
    lines = err.splitlines()
    if code == 2:
        assert lines and lines[-1].startswith("error: ") and all(line.startswith("note: ") for line in lines[:-1]), err
        assert files == {}, f"a refused run left {sorted(files)}"
        return {}
    assert set(files) == {"scored.csv", "scored.errors.csv"}, sorted(files)
    written = {name: _csv_records(path) for name, path in files.items()}
    for name, records in written.items():
        for record in records:
            live = [cell for cell in record if _live_formula(cell)]
            assert not live, f"{name} holds cells a spreadsheet would run: {live!r}"
    scored, errors = written["scored.csv"], written["scored.errors.csv"]
    assert errors[0] == ["sheet_row", "data_row", "account", "column", "value", "reason"]
    rejected = {int(r[0]) - 1 for r in errors[1:]}
    assert (code == 1) == bool(rejected), (code, err)
    if rows is not None:
        at = scored[0].index("fuzz_row")
        kept = [int(r[at]) for r in scored[1:]]
        assert len(kept) == len(set(kept)) and not set(kept) & rejected, "a row scored twice, or scored and rejected"
        assert set(kept) | rejected == set(range(1, rows + 1)), "a row is neither in the output nor in the errors file"
    return written


@pytest.mark.parametrize("name", sorted(HOSTILE_SHEETS))
def test_score_survives_each_canned_spreadsheet(name: str, tmp_path: Path) -> None:
    code, out, err, files = score_in_process(tmp_path, ".csv", HOSTILE_SHEETS[name])
    written = holds_the_score_contract(code, out, err, files)
    if name == "formula names":
        assert [r[0] for r in written["scored.csv"][1:]] == ['\'=HYPERLINK("http://x","y")', "'+cmd|' /C calc'!A0", "'@SUM(1+1)"]
    if name == "semicolon thousands dots":
        assert [r[1] for r in written["scored.csv"][1:]] == ["1250000", "30000"]
    if name == "semicolon ambiguous":
        assert code == 2 and "30 with decimal '.' or 30000 with decimal ','" in err


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheet=hostile_sheet())
def test_score_answers_hostile_spreadsheets_by_the_contract(sheet: HostileSheet, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every generated CSV or XLSX file: the contract above, and every scored ARR that was written from
    a known value (in the file's own number format) read back exactly: no silent wrong number."""
    base = tmp_path_factory.mktemp("score-fuzz")
    code, out, err, files = score_in_process(base, sheet.suffix, sheet.data, *sheet.args)
    written = holds_the_score_contract(code, out, err, files, sheet.rows)
    if written and sheet.arr:
        scored = written["scored.csv"]
        row_at, arr_at = scored[0].index("fuzz_row"), scored[0].index("arr")
        for record in scored[1:]:
            want = sheet.arr.get(int(record[row_at]))
            if want is not None:
                assert float(record[arr_at]) == pytest.approx(want, rel=1e-12), (sheet.note, record)


def test_the_score_command_answers_a_hostile_file_in_one_line(tmp_path: Path) -> None:
    """The same through ``python -m calculators score`` itself (a subprocess, so once): formula cells
    neutralised in a UTF-16 file, and an ambiguous ``;`` file refused in one line, exit 2."""
    for name in ("in", "out", "cwd"):
        (tmp_path / name).mkdir()
    source = tmp_path / "in" / "accounts.csv"
    out = tmp_path / "out" / "scored.csv"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    source.write_bytes('account\tarr\thealth\n=HYPERLINK("x")\t1000\t80\n'.encode("utf-16"))
    command = [sys.executable, "-m", "calculators", "score", str(source), "--out", str(out)]
    proc = subprocess.run(command, capture_output=True, cwd=tmp_path / "cwd", env=env, timeout=120, check=False)
    files = {p.name: p for p in (tmp_path / "out").iterdir()}
    written = holds_the_score_contract(proc.returncode, proc.stdout.decode(), proc.stderr.decode(), files)
    assert proc.returncode == 0 and written["scored.csv"][1][0] == '\'=HYPERLINK("x")'
    for path in files.values():
        path.unlink()
    source.write_bytes(b"account;arr;health\nAcme;45000;80\nBeta;30.000;35\n")
    proc = subprocess.run(command, capture_output=True, cwd=tmp_path / "cwd", env=env, timeout=120, check=False)
    holds_the_score_contract(proc.returncode, proc.stdout.decode(), proc.stderr.decode(), {p.name: p for p in (tmp_path / "out").iterdir()})
    assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1
    assert os.listdir(tmp_path / "cwd") == []
