"""The `python -m calculators` command line (DESIGN contracts)."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT


def cli(*args: str, stdin: str = "", cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calculators", *args], input=stdin, capture_output=True, text=True, cwd=cwd or ROOT, check=False
    )


def test_nrr_grr_done_when_example() -> None:
    """DESIGN worked example (seed 002, "Core CS Metrics"): NRR 107 and GRR 92."""
    proc = cli("nrr_grr", stdin='{"starting_mrr":1000000,"expansion":150000,"contraction":30000,"churn":50000}')
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["nrr"] == 107 and out["grr"] == 92


def test_bad_input_is_one_line_on_stderr_exit_2() -> None:
    proc = cli("nrr_grr", stdin='{"starting_mrr":0,"expansion":1,"contraction":0,"churn":0}')
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "starting_mrr" in lines[0]
    assert "Traceback" not in proc.stderr


def test_invalid_json_and_unknown_name() -> None:
    bad_json = cli("nps", stdin="{promoters: 5")
    assert bad_json.returncode == 2 and "not valid JSON" in bad_json.stderr and "Traceback" not in bad_json.stderr
    unknown = cli("nope", stdin="{}")
    assert unknown.returncode == 2 and "calculator" in unknown.stderr


def test_list_and_describe() -> None:
    listed = cli("--list")
    assert listed.returncode == 0
    names = [line.split("\t")[0] for line in listed.stdout.splitlines()]
    for required in ("nrr_grr", "health_score", "renewal_forecast", "coverage", "nps", "csat", "ces"):
        assert required in names
    described = json.loads(cli("--describe", "health_score").stdout)
    assert [f["name"] for f in described["inputs"]] == ["segment", "components"]
    assert {o["value"] for o in described["inputs"][1]["options"]} >= {"product_usage", "engagement", "financial"}


def test_cli_works_outside_the_repo_with_defaults(tmp_path: object) -> None:
    proc = cli("nps", stdin='{"promoters":50,"passives":30,"detractors":20}', cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["nps"] == 30


def test_batch_commands_arrive_through_entry_points_and_say_what_to_install_when_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The calculators import nothing of the project: `score` is whatever the `calculators.commands` entry point names."""
    from calculators import cli as calculators_cli

    seen: list[list[str]] = []

    def score(argv: list[str]) -> int:
        seen.append(argv)
        return 0

    monkeypatch.setattr(calculators_cli, "_plugin", lambda group, name: score if name == "score" else None)
    assert calculators_cli.main(["score", "book.csv"]) == 0 and seen == [["score", "book.csv"]]
    monkeypatch.setattr(calculators_cli, "_plugin", lambda group, name: None)
    assert calculators_cli.main(["backtest", "book.csv"]) == 2
    assert "pip install 'cs-playbook-library[batch]'" in capsys.readouterr().err


def test_the_installed_entry_points_name_the_batch_scorer_and_the_yaml_reader() -> None:
    from calculators.cli import COMMANDS_GROUP, CONFIG_GROUP, _plugin

    assert _plugin(COMMANDS_GROUP, "score").__module__ == "cslibrary.batch.cli"
    assert _plugin(CONFIG_GROUP, "library").__module__ == "cslibrary.model.config_files"


# --- Hostile input: nothing leaks, nothing hangs, nothing lies ------------------------------------

NRR_REQUEST = '{"starting_mrr":1000,"expansion":0,"contraction":0,"churn":0}'


def main_in_process(
    args: list[str], stdin: bytes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> tuple[int, bytes, str]:
    """Run ``calculators.cli.main`` on ``stdin`` outside the repository (the defaults; no YAML to read):
    the exit code, standard output's bytes and standard error."""
    from calculators import cli as calculators_cli

    out = io.BytesIO()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8", write_through=True))
    code = calculators_cli.main(args)
    return code, out.getvalue(), capsys.readouterr().err


HOSTILE_STDIN: list[tuple[str, str, bytes, str]] = [
    # (case, calculator, standard input, the one error line expected)
    (
        "1e308",
        "nrr_grr",
        b'{"starting_mrr":1e308,"expansion":1e308,"contraction":0,"churn":0}',
        "starting_mrr: must be at most 1e15 (got 1e+308)",
    ),
    (
        "1e400",
        "nrr_grr",
        b'{"starting_mrr":1e400,"expansion":1,"contraction":0,"churn":0}',
        "starting_mrr: must be at most 1e15 (got 1e400)",
    ),
    (
        "overflowing-quotient",
        "nrr_grr",
        b'{"starting_mrr":1e-300,"expansion":1e15,"contraction":0,"churn":0}',
        "starting_mrr: is too small for the other inputs: the result nrr would not be a finite number (got 1e-300)",
    ),
    (
        "roi-product",
        "roi",
        b'{"investment":1,"hours_saved":1e308,"hourly_rate":1e308}',
        "hours_saved: must be at most 1e15 (got 1e+308)",
    ),
    (
        "5000-digits",
        "nps",
        b'{"promoters":' + b"9" * 5000 + b',"passives":1,"detractors":1}',
        "promoters: must be at most 1e15 (got a 5000-digit number)",
    ),
    (
        "-5000-digits",
        "nps",
        b'{"promoters":-' + b"9" * 5000 + b',"passives":1,"detractors":1}',
        "promoters: must be at least 0 (got a 5000-digit negative number)",
    ),
    ("nested-lists", "nps", b"[" * 100_000 + b"]" * 100_000, "input: is nested too deeply to read"),
    ("nested-objects", "nps", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "input: is nested too deeply to read"),
    ("invalid-utf8", "nps", b'{"promoters":"\xff\xfe"}', "input: is not valid UTF-8 (byte 0xff at offset 14)"),
    ("top-level-list", "nps", b"[1, 2]", "inputs: must be a JSON object (got list)"),
    ("top-level-string", "nps", b'"promoters"', "inputs: must be a JSON object (got str)"),
    ("top-level-null", "nps", b"null", "inputs: must be a JSON object (got NoneType)"),
    ("empty", "nps", b"", "input: is empty: give a JSON object of inputs on standard input"),
    ("blank", "nps", b" \n\t\n", "input: is empty: give a JSON object of inputs on standard input"),
    (
        "NaN",
        "nps",
        b'{"name":"NaN", "promoters":NaN,"passives":1,"detractors":1}',
        "input: is not valid JSON (NaN is not a JSON number at line 1 column 28; write a number or null)",
    ),
    (
        "-Infinity",
        "nrr_grr",
        b'{\n  "starting_mrr": -Infinity}',
        "input: is not valid JSON (-Infinity is not a JSON number at line 2 column 19; write a number or null)",
    ),
    (
        "duplicate-key",
        "nps",
        b'{"promoters":-1,"promoters":5,"passives":1,"detractors":1}',
        "promoters: is given twice in the input; give each key once",
    ),
    (
        "duplicate-nested-key",
        "renewal_forecast",
        b'{"accounts":[{"name":"A","arr":1,"health":5},{"name":"B","arr":1,"arr":2,"health":5}]}',
        "accounts[1].arr: is given twice in the input; give each key once",
    ),
    (
        "key-with-a-new-line",
        "nps",
        b'{"a\\nb":1}',
        "'a\\nb': is not an input of this calculator (inputs: promoters, passives, detractors)",
    ),
    (
        "lone-surrogate-name",
        "renewal_forecast",
        b'{"accounts":[{"name":"A\\ud800","arr":1,"health":5}]}',
        "accounts[0].name: must not contain a lone surrogate (got '\\ud800' in 'A\\ud800')",
    ),
    (
        "escape-sequence-name",
        "renewal_forecast",
        b'{"accounts":[{"name":"A\\u001b[31m","arr":1,"health":5}]}',
        "accounts[0].name: must not contain a control character (got '\\x1b' in 'A\\x1b[31m')",
    ),
    (
        "date-off-the-calendar",
        "time_to_value",
        b'{"contract_date":"0001-01-01","first_value_date":"2026-01-01"}',
        "contract_date: must be a date from 1900-01-01 to 2199-12-31 (got '0001-01-01')",
    ),
]


@pytest.mark.parametrize(("calculator", "stdin", "expected"), [c[1:] for c in HOSTILE_STDIN], ids=[c[0] for c in HOSTILE_STDIN])
def test_hostile_stdin_is_one_error_line_and_exit_2(
    calculator: str, stdin: bytes, expected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = main_in_process([calculator], stdin, monkeypatch, capsys, tmp_path)
    assert (code, out, err) == (2, b"", f"error: {expected}\n")


def test_a_byte_order_mark_is_allowed_and_the_output_is_strict_utf8_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = b'\xef\xbb\xbf{"accounts":[{"name":"Caf\xc3\xa9 \xe2\x80\x94 M\xc3\xbcller","arr":1000,"health":90}]}'
    code, out, err = main_in_process(["renewal_forecast"], request, monkeypatch, capsys, tmp_path)
    assert (code, err) == (0, "")
    result = json.loads(out.decode("utf-8"), parse_constant=lambda name: pytest.fail(f"{name} in the output"))
    assert result["accounts"][0]["name"] == "Café — Müller"


def test_input_larger_than_the_limit_is_refused_without_reading_it_all(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`yes | python -m calculators nps` used to read forever; now it stops at the limit."""
    from calculators.cli import MAX_INPUT_BYTES

    code, out, err = main_in_process(["nps"], b" " * (MAX_INPUT_BYTES + 10), monkeypatch, capsys, tmp_path)
    assert (code, out, err) == (2, b"", "error: input: is larger than 32 MiB\n")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["nps", "--indent", "100000000"], "error: argument --indent: must be a whole number from 0 to 16 (got '100000000')"),
        (["nps", "--indent", "x"], "error: argument --indent: must be a whole number from 0 to 16 (got 'x')"),
        (["nps", "--no-such-option"], "error: unrecognized arguments: --no-such-option"),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2(args: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    from calculators import cli as calculators_cli

    with pytest.raises(SystemExit) as exit_:
        calculators_cli.main(args)
    assert exit_.value.code == 2
    assert capsys.readouterr().err == expected + "\n"


def test_a_library_that_cannot_be_read_is_one_line_naming_the_option(tmp_path: Path) -> None:
    proc = cli("nps", "--library", str(tmp_path), stdin='{"promoters":1,"passives":1,"detractors":1}')
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --library: cannot be read: "), proc.stderr


def test_the_1e308_request_of_the_issue_end_to_end(tmp_path: Path) -> None:
    """It printed `"nrr": Infinity` (not JSON) and exited 0."""
    proc = cli("nrr_grr", stdin='{"starting_mrr":1e308,"expansion":1e308,"contraction":0,"churn":0}', cwd=str(tmp_path))
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", "error: starting_mrr: must be at most 1e15 (got 1e+308)\n")


def test_100000_nested_brackets_end_to_end(tmp_path: Path) -> None:
    """It was a RecursionError traceback."""
    proc = cli("nps", stdin="[" * 100_000 + "]" * 100_000, cwd=str(tmp_path))
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", "error: input: is nested too deeply to read\n")


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`python -m calculators --describe triage | head -1` was a BrokenPipeError traceback."""
    read_end, write_end = os.pipe()
    with subprocess.Popen(
        [sys.executable, "-m", "calculators", "--describe", "triage"], stdout=write_end, stderr=subprocess.PIPE, cwd=tmp_path
    ) as proc:
        os.close(write_end)
        os.close(read_end)  # the reader is gone before the first byte is written
        _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (0, b"")


def _waiting_on_stdin(pid: int) -> bool:
    try:
        return "pipe" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to know when the command waits on its input")
def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """It was a KeyboardInterrupt traceback. The command is started with SIGINT's default action
    (a test runner may have started us with it ignored) and interrupted once it waits on stdin."""
    start = (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
        "os.execv(sys.executable, [sys.executable, '-m', 'calculators', 'nps'])"
    )
    with subprocess.Popen(
        [sys.executable, "-c", start], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    ) as proc:
        deadline = time.monotonic() + 30
        while not _waiting_on_stdin(proc.pid):
            if time.monotonic() > deadline:
                proc.kill()
                proc.communicate()
                pytest.skip("cannot tell from /proc when the command waits on its input")
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert (proc.returncode, out, err) == (130, b"", b"error: interrupted\n")
