"""The `python -m calculators` command line (DESIGN contracts)."""

from __future__ import annotations

import json
import subprocess
import sys

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
