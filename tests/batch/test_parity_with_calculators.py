"""Same numbers: the vectorised batch scorer equals ``calculators.run`` row by row.

Random books of accounts (text cells, as a CRM export holds them, including bad cells and
values on band and segment edges) are scored by ``cslibrary.batch`` and, one row at a time,
by a reference built from the scalar calculators: ``run("health_score", …)`` and
``run("renewal_forecast", …)``. Accepted rows must agree field by field and bit for bit;
rejected rows must be exactly the rows the calculators refuse, with at least the columns they
name.
"""

from __future__ import annotations

import copy
import csv
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import InputError, run
from calculators.bands import find_band
from cslibrary.batch import Model, resolve, score_chunk
from cslibrary.batch.cli import main
from cslibrary.batch.columns import RESULT_COLUMNS, normalise
from cslibrary.batch.exact import exact_sum
from cslibrary.batch.parse import is_missing, parse_date, parse_number
from cslibrary.model.config_files import config_from_library
from tests.strategies import COMPONENTS, batch_rows, batch_score_text

ROOT = Path(__file__).resolve().parents[2]
CONFIG: dict[str, Any] = config_from_library(ROOT / "playbooks")
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _segment_names(config: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    tiers = [t["id"] for t in config["segments"]["tiers"]]
    for row in config["segments"]["ratio_table"]:
        if row["tier"] in tiers:
            names[normalise(row["id"])] = names[normalise(row.get("label", row["id"]))] = row["tier"]
    for tier in config["segments"]["tiers"]:
        names[normalise(tier["id"])] = names[normalise(tier.get("label", tier["id"]))] = tier["id"]
    return names


def _transition(tier: str, arr: float, config: dict[str, Any]) -> str:
    rules = [t for t in config["segments"]["transitions"] if t.get("arr_crosses") is not None]
    path = [tier]
    for _ in config["segments"]["tiers"]:
        for rule in rules:
            if rule["from"] != path[-1]:
                continue
            above = round(arr, 9) >= rule["arr_crosses"]
            if above == (rule.get("direction", "up") != "down"):
                path.append(rule["to"])
                break
        else:
            break
    return "→".join(path) if len(path) > 1 else ""


def reference(cells: dict[str, str], config: dict[str, Any], *, segment_model: bool, arr_column: str = "arr") -> dict[str, Any]:
    """What the scalar calculators make of one row: the result fields, or the columns refused."""
    problems: set[str] = set()

    def number(column: str) -> float | None:
        try:
            return parse_number(cells[column])
        except ValueError:
            problems.add(column)
            return None

    name = None if is_missing(cells["account"]) else cells["account"]
    arr = number(arr_column)
    if arr is not None and arr_column == "mrr":
        arr = arr * 12
    tier, source = None, "assigned"
    if not is_missing(cells.get("segment", "")):
        tier = _segment_names(config).get(normalise(cells["segment"]))
        source = "given"
        if tier is None:
            problems.add("segment")
    if "renewal_date" in cells:
        try:
            parse_date(cells["renewal_date"])
        except ValueError:
            problems.add("renewal_date")
    if "outcome" in cells and not is_missing(cells["outcome"]) and cells["outcome"].strip().lower() not in ("renewed", "churned"):
        problems.add("outcome")
    try:  # name and ARR, checked by the renewal forecast's own declaration
        run("renewal_forecast", {"accounts": [{"name": name, "arr": arr, "health": 50}]}, config)
    except InputError as exc:
        problems.add(arr_column if exc.field.endswith(".arr") else "account")
    if tier is None and arr is not None and math.isfinite(arr) and arr > 0:
        band = find_band([{**t, "min": t.get("arr_min"), "max": t.get("arr_max")} for t in config["segments"]["tiers"]], arr)
        tier = None if band is None else band["id"]
    if "health" in cells:
        health = number("health")
        try:
            forecast = run("renewal_forecast", {"accounts": [{"name": "x", "arr": 1.0, "health": health}]}, config)
        except InputError:
            problems.add("health")
        else:
            account = forecast["accounts"][0]
            band = next(b for b in config["health"]["bands"] if b["id"] == account["band"])
            scored = {
                "score": health,
                "band": account["band"],
                "playbook": band.get("playbook"),
                "renewal_probability": band["probability"],
            }
    else:
        components = {}
        for c in COMPONENTS:
            if c in cells:
                value = number(c)
                if value is not None:
                    components[c] = value
        try:
            scored = run("health_score", {"segment": tier if segment_model else None, "components": components}, config)
        except InputError as exc:
            problems.add(exc.field.split(".")[-1])
    if problems:
        return {"rejected": problems}
    result = {
        "score": scored["score"],
        "band": scored["band"],
        "playbook": scored["playbook"] or "",
        "renewal_probability": scored["renewal_probability"],
        "expected_renewal": None,
        "segment": tier,
        "segment_source": source,
        "transition": _transition(tier, arr, config) if source == "given" and tier is not None and arr is not None else "",
    }
    if scored["score"] is not None:
        forecast = run("renewal_forecast", {"accounts": [{"name": name, "arr": arr, "health": scored["score"]}]}, config)
        account = forecast["accounts"][0]
        assert account["band"] == scored["band"]
        assert account["probability"] == scored["renewal_probability"]
        result["expected_renewal"] = account["expected"]
    return result


def _score(rows: list[dict[str, str]], headers: list[str], model: Model) -> tuple[dict[int, dict[str, Any]], dict[int, set[str]]]:
    """Score ``rows`` with the batch path: accepted rows by data row, and refused columns by data row."""
    frame = pd.DataFrame([[row[h] for h in headers] for row in rows], dtype=object)
    plan = resolve(headers, model.components)
    chunk = score_chunk(frame, plan, model, first_row=1)
    assert chunk.rows_in == len(rows) == len(chunk.output) + chunk.rejected
    refused: dict[int, set[str]] = {}
    for data_row, column in zip(chunk.errors["data_row"].tolist(), chunk.errors["column"].tolist(), strict=True):
        refused.setdefault(int(data_row), set()).add(str(column))
    accepted = [i for i in range(1, len(rows) + 1) if i not in refused]
    results = {}
    width = len(headers)
    for i, data_row in enumerate(accepted):
        values = chunk.output.iloc[i].tolist()
        assert values[:width] == [rows[data_row - 1][h] for h in headers], "input cells are copied unchanged"
        results[data_row] = dict(zip(RESULT_COLUMNS, values[width:], strict=True))
    return results, refused


def _check(rows: list[dict[str, str]], headers: list[str], config: dict[str, Any], segment_model: bool, arr_column: str = "arr") -> None:
    model = Model.from_config(config, segment_model=segment_model)
    results, refused = _score(rows, headers, model)
    for data_row, cells in enumerate(rows, start=1):
        expected = reference({h: cells[h] for h in headers}, config, segment_model=segment_model, arr_column=arr_column)
        if "rejected" in expected:
            assert data_row in refused, f"row {data_row} {cells}: the calculators refuse {expected['rejected']}, the batch scored it"
            assert expected["rejected"] <= refused[data_row], f"row {data_row} {cells}: {expected['rejected']} vs {refused[data_row]}"
            continue
        assert data_row not in refused, f"row {data_row} {cells}: the batch refused {refused.get(data_row)}, the calculators accept it"
        got = results[data_row]
        if expected["score"] is None:
            assert math.isnan(got["score"]) and math.isnan(got["expected_renewal"])
            assert got["renewal_probability"] == ""
        else:
            assert got["score"] == expected["score"], (cells, got["score"], expected["score"])
            assert got["expected_renewal"] == expected["expected_renewal"]
            assert float(got["renewal_probability"]) == expected["renewal_probability"]
        for key in ("band", "playbook", "segment", "segment_source", "transition"):
            assert got[key] == expected[key], (key, cells, got[key], expected[key])


def _policy(config: dict[str, Any], policy: str, min_coverage: float) -> dict[str, Any]:
    changed = copy.deepcopy(config)
    changed["health"]["missing_data"] = {"policy": policy, "min_coverage": min_coverage}
    return changed


@pytest.mark.parametrize(
    ("policy", "min_coverage"), [("renormalise", 50), ("zero", 50), ("reject", 50), ("renormalise", 0), ("renormalise", 100)]
)
@SETTINGS
@given(rows=batch_rows(), segment_model=st.booleans(), data=st.data())
def test_components_match_the_calculators(
    policy: str, min_coverage: float, rows: list[dict[str, str]], segment_model: bool, data: st.DataObject
) -> None:
    columns = list(COMPONENTS)
    if policy != "reject":
        columns = data.draw(st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=6, unique=True), label="component columns")
    headers = ["account", "arr", "segment", *columns, "renewal_date", "outcome"]
    _check(rows, headers, _policy(CONFIG, policy, min_coverage), segment_model)


@SETTINGS
@given(rows=batch_rows(), health=st.lists(st.one_of(batch_score_text, st.sampled_from(("", "130", "-1", "abc"))), min_size=25, max_size=25))
def test_health_column_matches_the_renewal_forecast(rows: list[dict[str, str]], health: list[str]) -> None:
    rows = [{**row, "health": h} for row, h in zip(rows, health, strict=False)]
    _check(rows, ["account", "arr", "segment", "health", "renewal_date"], CONFIG, segment_model=False)


@SETTINGS
@given(rows=batch_rows())
def test_mrr_is_twelve_times_arr(rows: list[dict[str, str]]) -> None:
    rows = [{**{k: v for k, v in row.items() if k != "arr"}, "mrr": row["arr"]} for row in rows]
    _check(rows, ["account", "mrr", "segment", *COMPONENTS[:5]], CONFIG, segment_model=True, arr_column="mrr")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=batch_rows(min_size=1, max_size=40), chunksize=st.integers(min_value=1, max_value=7), segment_model=st.booleans())
def test_csv_round_trip_matches_the_calculators(
    config: dict[str, Any], rows: list[dict[str, str]], chunksize: int, segment_model: bool
) -> None:
    """Through the real CLI and files, in small chunks: numbers survive the CSV text exactly."""
    headers = ["account", "arr", "segment", *COMPONENTS, "renewal_date", "outcome"]
    with tempfile.TemporaryDirectory() as folder:
        source, out, errors = Path(folder, "in.csv"), Path(folder, "out.csv"), Path(folder, "errors.csv")
        with source.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            writer.writerows([[row[h] for h in headers] for row in rows])
        argv = ["score", str(source), "--out", str(out), "--errors", str(errors), "--chunksize", str(chunksize), "--allow-errors"]
        argv += ["--library", str(ROOT / "playbooks"), *(["--segment-model"] if segment_model else [])]
        assert main(argv) == 0
        with out.open(encoding="utf-8", newline="") as fh:
            scored = list(csv.DictReader(fh))
        with errors.open(encoding="utf-8", newline="") as fh:
            refused = {int(r["data_row"]) for r in csv.DictReader(fh)}
    expected = [reference(row, CONFIG, segment_model=segment_model) for row in rows]
    assert refused == {i for i, e in enumerate(expected, start=1) if "rejected" in e}
    accepted = [e for e in expected if "rejected" not in e]
    assert len(scored) == len(accepted) and len(scored) + len(refused) == len(rows)
    for got, want in zip(scored, accepted, strict=True):
        assert (float(got["score"]) if got["score"] else None) == want["score"]
        assert (float(got["expected_renewal"]) if got["expected_renewal"] else None) == want["expected_renewal"]
        assert [got[k] for k in ("band", "segment", "segment_source", "transition")] == [
            want[k] for k in ("band", "segment", "segment_source", "transition")
        ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(min_value=0, max_value=1e4) | st.floats(min_value=0, max_value=1e-300), min_size=6, max_size=6),
        min_size=1,
        max_size=20,
    )
)
def test_exact_sum_is_fsum(rows: list[list[float]]) -> None:
    columns = [np.array(col, dtype=np.float64) for col in zip(*rows, strict=True)]
    assert exact_sum(columns).tolist() == [math.fsum(row) for row in rows]
