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

Sections still to come (add them below, with their strategies in ``tests/strategies.py``):
``python -m cslibrary validate`` on hostile YAML, ``python -m calculators score`` on hostile CSV.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calculators
from tests.strategies import HOSTILE_DATES, HOSTILE_NUMBERS, HOSTILE_STRINGS, hostile_request, hostile_stdin, nested

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
