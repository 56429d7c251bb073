"""Same plays: the vectorised ``plays`` command equals ``calculators.run("triage", …)`` account by account.

Random books of accounts (text cells, with bad cells and values on the rules' edges) are
triaged by :mod:`cslibrary.batch` and, one account at a time, by the triage calculator. Each
accepted account's rows must equal the calculator's plays field by field (playbook, title,
priority, reason, start, owner, the first steps) and its health score bit for bit; an account
without plays has one row with an empty playbook; a rejected row must be one the calculator
(or the file's own rules: unknown segment or stage, a date outside 1900–2199, an attribute
without its event's date) refuses, naming at least the column it names. The rules are the test
configuration's (every kind of condition) and random rule sets (random trees, priorities with
ties, groups and ``suppresses``), and the shipped library's when it has rules.
"""

from __future__ import annotations

import copy
import csv
import datetime
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import InputError, default_config, run
from calculators.bands import find_band
from calculators.triage import TRIAGE
from cslibrary.batch import plays_cli
from cslibrary.batch.cli import main
from cslibrary.batch.columns import normalise, resolve
from cslibrary.batch.outputs import PLAY_COLUMNS
from cslibrary.batch.parse import is_missing, parse_date, parse_number
from cslibrary.batch.plays import Rulebook
from cslibrary.batch.worklist import plays_chunk
from tests.batch.triage_config import config_with_rules
from tests.strategies import PLAYS_AS_OF, plays_row, plays_rules

AS_OF = datetime.date.fromisoformat(PLAYS_AS_OF)
CONFIG = config_with_rules()
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
COMPONENTS = ("product_usage", "engagement", "relationship", "support", "growth", "financial")

#: The test file's columns and what each holds (see tests.strategies.plays_row).
KINDS = {
    "account": "account",
    "segment": "segment",
    "arr": "arr",
    "stage": "stage",
    "health": "score0_100",
    "license_utilization": "number",
    "dau_mau": "number",
    "csat": "number",
    "dau_mau_change": "number",
    "license_utilization_change": "number",
    "csat_change": "number",
    "renewal_date": "date",
    "onboarding_complete": "date",
    "nps_response": "date",
    "nps_response_score": "event_score",
    "champion_left": "date",
    "support_escalation": "date",
}
LAST_RUN = ("last_at_risk", "last_renewal", "last_qbr", "last_nps_detractor_follow_up", "last_champion_departure", "last_ebr")
#: The playbooks the random rules go to: most have a ``last_`` column, so runs, handled events and plays in progress occur.
RULED = ("at-risk", "renewal", "qbr", "nps-detractor-follow-up", "champion-departure", "ebr", "advocacy", "expansion")


def _names(config: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    tiers: dict[str, str] = {}
    for row in config["segments"].get("ratio_table", []):
        tiers[normalise(row["id"])] = tiers[normalise(row.get("label", row["id"]))] = row["tier"]
    for tier in config["segments"]["tiers"]:
        tiers[normalise(tier["id"])] = tiers[normalise(tier.get("label", tier["id"]))] = tier["id"]
    stages = {normalise(n): s["id"] for s in config.get("stages", []) for n in (s["id"], s.get("label", s["id"]))}
    return tiers, stages


def reference(cells: dict[str, str], config: dict[str, Any]) -> dict[str, Any]:
    """The triage calculator's answer for one row of text cells, or the columns refused."""
    problems: set[str] = set()
    tiers, stages = _names(config)
    fields = {f.name: f for f in TRIAGE.inputs}
    known_dates = {key for key, _ in fields["dates"].choices(config)}
    known_metrics = {key for key, _ in fields["metrics"].choices(config)}
    known_events = [key for key, _ in next(c for c in fields["events"].columns if c.name == "event").choices(config)]

    def number(column: str) -> float | None:
        try:
            return parse_number(cells[column])
        except ValueError:
            problems.add(column)
            return None

    def day(column: str) -> str | None:
        try:
            value = parse_date(cells[column])
        except ValueError:
            problems.add(column)
            return None
        if value is not None and not datetime.date(1900, 1, 1) <= value <= datetime.date(2199, 12, 31):
            problems.add(column)
        return None if value is None else value.isoformat()

    account = cells["account"]
    if is_missing(account) or len(account) > 200 or any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in account):
        problems.add("account")  # the rules of the calculators' names (renewal forecast), as score applies them
    inputs: dict[str, Any] = {"as_of": PLAYS_AS_OF, "metrics": {}, "changes": {}, "dates": {}, "events": [], "components": {}}
    arr = number("arr") if "arr" in cells else None
    inputs["arr"] = arr
    segment = None
    if not is_missing(cells.get("segment", "")):
        segment = tiers.get(normalise(cells["segment"]))
        if segment is None:
            problems.add("segment")
    elif arr is not None and math.isfinite(arr) and arr >= 0:
        band = find_band([{**t, "min": t.get("arr_min"), "max": t.get("arr_max")} for t in config["segments"]["tiers"]], arr)
        segment = None if band is None else band["id"]
    elif arr is None and "arr" not in problems:
        problems.add("segment")
    elif arr is not None:  # not a usable ARR: the calculator refuses it (after the missing segment)
        problems.add("arr")
    inputs["segment"] = segment
    if not is_missing(cells.get("stage", "")):
        inputs["stage"] = stages.get(normalise(cells["stage"]))
        if inputs["stage"] is None:
            problems.add("stage")
    components = [c for c in COMPONENTS if c in cells]
    if components:
        inputs["components"] = {c: v for c in components if (v := number(c)) is not None}
    elif "health" in cells:
        inputs["health"] = number("health")
    for column in cells:
        if column.endswith("_change"):
            inputs["changes"][column.removesuffix("_change")] = number(column)
        elif column in known_metrics:
            inputs["metrics"][column] = number(column)
        elif column in known_dates:  # a last_<playbook> of a playbook without a rule is just another column
            inputs["dates"][column] = day(column)
    for event in known_events:
        when = day(event) if event in cells else None
        score = number(f"{event}_score") if f"{event}_score" in cells else None
        if when is not None:
            inputs["events"].append({"event": event, "date": when, **({"score": score} if score is not None else {})})
        elif score is not None:
            problems.add(f"{event}_score")
    if problems:
        return {"rejected": problems}
    try:
        return run("triage", inputs, config)
    except InputError as exc:
        path = exc.field
        if path.startswith("events["):
            event = inputs["events"][int(path[7 : path.index("]")])]["event"]
            column = event if path.endswith(".date") else f"{event}_{path.rsplit('.', 1)[1]}"
        elif path.startswith("changes."):
            column = path.removeprefix("changes.") + "_change"
        else:
            column = path.rsplit(".", 1)[-1]
        return {"rejected": {column}}


def _triage(
    rows: list[dict[str, str]], headers: list[str], config: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, list[list[dict[str, Any]]]]:
    """The worklist, the errors and each play's first steps (as the calendars write them)."""
    rules = Rulebook.from_config(config)
    frame = pd.DataFrame([[row[h] for h in headers] for row in rows], columns=range(len(headers)), dtype=object)
    plan = resolve(headers, rules.model.components, need_score=False, extra=rules.columns.names())
    chunk = plays_chunk(frame, plan, rules, AS_OF, first_row=1, with_steps=True)
    assert chunk.entries is not None
    assert chunk.rows_in == len(rows) == chunk.accepted + chunk.rejected
    steps: list[list[dict[str, Any]]] = [[] for _ in chunk.entries.playbook.tolist()]
    for p, i, entries, days in chunk.entries.steps(rules):
        plan_steps = rules.steps[p]
        for entry, day in zip(entries.tolist(), days.tolist(), strict=True):
            when = datetime.date.fromordinal(day).isoformat()
            steps[entry].append(
                {"date": when, "offset": plan_steps.offsets[i], "action": plan_steps.actions[i], "owner": plan_steps.owners[i] or None}
            )
    return chunk.output, chunk.errors, steps


def _expected_rows(account: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    if not result["plays"]:
        return [{"account": account, "playbook": "", "title": "", "priority": "", "reason": "", "starts": "", "owner": ""}]
    return [
        {
            "account": account,
            **{k: p[k] for k in ("playbook", "title", "reason", "starts")},
            "priority": str(p["priority"]),
            "owner": p["owner"] or "",
            "first_step_date": p["first_steps"][0]["date"] if p["first_steps"] else "",
        }
        for p in result["plays"]
    ]


def check(rows: list[dict[str, str]], headers: list[str], config: dict[str, Any]) -> None:
    output, errors, steps = _triage(rows, headers, config)
    refused: dict[int, set[str]] = {}
    for data_row, column in zip(errors["data_row"].tolist(), errors["column"].tolist(), strict=True):
        refused.setdefault(int(str(data_row)), set()).add(str(column))
    by_row = {int(str(k)): g for k, g in output.groupby("sheet_row")}
    entry_of = {index: entry for entry, index in enumerate(np.flatnonzero(output["playbook"].to_numpy() != "").tolist())}
    seen = 0
    for data_row, cells in enumerate(rows, start=1):
        expected = reference({h: cells[h] for h in headers}, config)
        if "rejected" in expected:
            assert data_row in refused, f"row {data_row} {cells}: the calculator refuses {expected['rejected']}, the batch triaged it"
            assert expected["rejected"] <= refused[data_row], f"row {data_row} {cells}: {expected['rejected']} vs {refused[data_row]}"
            assert data_row + 1 not in by_row
            continue
        assert data_row not in refused, f"row {data_row} {cells}: the batch refused {refused.get(data_row)}, the calculator accepts it"
        got = by_row[data_row + 1]
        seen += len(got)
        want = _expected_rows(cells["account"], expected)
        assert [{k: r[k] for k in w} for r, w in zip(got.to_dict("records"), want, strict=True)] == want, (cells, expected["plays"])
        health = got["health_score"].tolist()[0]
        assert (math.isnan(health) and expected["health_score"] is None) or health == expected["health_score"], (cells, health)
        assert set(got["segment"]) == {expected["segment"]}
        for play, index in zip(expected["plays"], got.index.tolist() if expected["plays"] else [], strict=True):
            assert steps[entry_of[index]] == play["first_steps"], (cells, play["playbook"])
    assert seen == len(output)


@SETTINGS
@given(data=st.data(), size=st.integers(min_value=1, max_value=25))
def test_plays_match_the_calculator(data: st.DataObject, size: int) -> None:
    headers = list(KINDS) + list(data.draw(st.lists(st.sampled_from(LAST_RUN), max_size=4, unique=True), label="last runs"))
    kinds = {**KINDS, **{h: "date" for h in headers if h.startswith("last_")}}
    rows = data.draw(st.lists(plays_row(kinds), min_size=size, max_size=size), label="rows")
    check(rows, headers, CONFIG)


@SETTINGS
@given(data=st.data(), size=st.integers(min_value=1, max_value=20))
def test_random_rules_match_the_calculator(data: st.DataObject, size: int) -> None:
    config = copy.deepcopy(CONFIG)
    for playbook in config["playbooks"].values():
        playbook.pop("rule", None)
        playbook["segments"] = ["high_touch", "low_touch", "tech_touch"]
    for pid, rule in data.draw(plays_rules(RULED), label="rules").items():
        config["playbooks"][pid]["rule"] = rule
    headers = [*KINDS, *LAST_RUN]
    kinds = {**KINDS, **dict.fromkeys(LAST_RUN, "date")}
    rows = data.draw(st.lists(plays_row(kinds), min_size=size, max_size=size), label="rows")
    check(rows, headers, config)


@SETTINGS
@given(data=st.data(), size=st.integers(min_value=1, max_value=15))
def test_component_scores_match_the_calculator(data: st.DataObject, size: int) -> None:
    """With component columns the health score is the segment model's, bit for bit; no component means no score."""
    policy = data.draw(st.sampled_from(("renormalise", "zero", "reject")), label="policy")
    config = copy.deepcopy(CONFIG)
    config["health"]["missing_data"]["policy"] = policy
    components = list(COMPONENTS)
    if policy != "reject":  # under reject a file without a component column the models weigh is refused whole
        components = data.draw(st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=6, unique=True), label="components")
    kinds = {"account": "account", "segment": "segment", "arr": "arr", **dict.fromkeys(components, "score0_100"), "renewal_date": "date"}
    rows = data.draw(st.lists(plays_row(kinds), min_size=size, max_size=size), label="rows")
    check(rows, list(kinds), config)


def test_the_shipped_rules_match_the_calculator() -> None:
    """The library's own rules (when it ships any) on a fixed random book that has every signal column."""
    config = default_config()
    if not any(p.get("rule") for p in config["playbooks"].values()):
        pytest.skip("the configuration has no trigger rules yet")
    columns = Rulebook.from_config(config).columns
    rng = np.random.default_rng(7)

    def day(low: int, high: int) -> str:
        return "" if rng.random() < 0.4 else (AS_OF + datetime.timedelta(days=int(rng.integers(low, high)))).isoformat()

    rows = []
    for i in range(400):
        row = {"account": f"A{i}", "segment": str(rng.choice(["high_touch", "low_touch", "tech_touch", ""]))}
        row["arr"], row["stage"] = str(rng.integers(0, 600_000)), str(rng.choice(["", *columns.stages]))
        row["health"] = "" if rng.random() < 0.1 else f"{rng.uniform(0, 100):.1f}"
        for metric in columns.metrics:
            row[metric] = "" if rng.random() < 0.5 else f"{rng.uniform(-50, 120):.0f}"
            row[f"{metric}_change"] = "" if rng.random() < 0.7 else f"{rng.uniform(-60, 60):.1f}"
        for key in columns.dates:
            row[key] = day(-500, 400)
        for event, spec in [(e, None) for e in columns.events] + columns.event_attributes():
            if spec is None:
                row[event] = day(-120, 3)
            else:
                row[f"{event}_{spec.name}"] = str(rng.integers(0, 11)) if row[event] else ""
        rows.append(row)
    check(rows, list(rows[0]), config)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(plays_row(KINDS), min_size=1, max_size=30), chunksize=st.integers(min_value=1, max_value=7))
def test_csv_round_trip_matches_the_calculator(rows: list[dict[str, str]], chunksize: int) -> None:
    """Through the real command and files, in small chunks: the worklist reads back as the calculator's plays."""
    headers = list(KINDS)
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(plays_cli, "library_config", lambda library: CONFIG)
        source, out, errors = Path(folder, "in.csv"), Path(folder, "out.csv"), Path(folder, "errors.csv")
        with source.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            writer.writerows([[row[h] for h in headers] for row in rows])
        argv = ["plays", str(source), "--out", str(out), "--errors", str(errors), "--chunksize", str(chunksize), "--allow-errors"]
        assert main([*argv, "--as-of", PLAYS_AS_OF]) == 0
        with out.open(encoding="utf-8", newline="") as fh:
            written = list(csv.DictReader(fh))
        with errors.open(encoding="utf-8", newline="") as fh:
            refused = {int(r["data_row"]) for r in csv.DictReader(fh)}
    assert not written or list(written[0]) == list(PLAY_COLUMNS)
    expected = [reference(row, CONFIG) for row in rows]
    assert refused == {i for i, e in enumerate(expected, start=1) if "rejected" in e}
    want = [r for row, e in zip(rows, expected, strict=True) if "rejected" not in e for r in _expected_rows(row["account"], e)]
    assert [{k: r[k] for k in w} for r, w in zip(written, want, strict=True)] == want
    assert len(written) == len(want)
