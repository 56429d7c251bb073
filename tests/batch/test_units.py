"""The batch scorer's building blocks: column matching, parsing, band lookup, CSV writing."""

from __future__ import annotations

import csv
import io
import math
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.bands import find_band
from calculators.health import health_bands
from cslibrary.batch import BatchInputError, resolve
from cslibrary.batch.cli import main
from cslibrary.batch.exact import at_least, band_codes
from cslibrary.batch.parse import numbers, parse_date, parse_number, quarters
from cslibrary.batch.writer import write_columns
from tests.strategies import BATCH_EDGE_ARR, BATCH_EDGE_SCORES, BATCH_MISSING, BATCH_NOT_NUMBERS

ROOT = Path(__file__).resolve().parents[2]
COMPONENTS = ["product_usage", "engagement", "relationship", "support", "growth", "financial"]


# Columns ----------------------------------------------------------------------------------------


def test_resolve_aliases_and_precedence() -> None:
    plan = resolve(["Customer", "ARR", "MRR", "Health Score", "Product Usage", "segment", "score"], COMPONENTS)
    assert plan.roles == {"account": 0, "arr": 1, "segment": 5, "product_usage": 4}
    assert not plan.use_health and not plan.arr_from_mrr and plan.components == ("product_usage",)
    assert any("'Health Score' is copied through" in n for n in plan.notes) and any("'MRR' is copied through" in n for n in plan.notes)
    assert plan.output_headers == ("Customer", "ARR", "MRR", "Health Score", "Product Usage", "segment_input", "score_input")


def test_resolve_with_a_map() -> None:
    plan = resolve(
        ["Company", "Name", "Value", "Score"], COMPONENTS, {"company": "account", "NAME": None, "value": "ARR", "Score": "health"}
    )
    assert plan.roles == {"account": 0, "arr": 2, "health": 3}


@pytest.mark.parametrize(
    ("headers", "mapping", "message"),
    [
        (["account", "customer", "arr", "health"], None, "columns 'account' and 'customer' both mean 'account'"),
        (["account", "arr"], None, "missing required column health (or the component columns"),
        (["arr", "health"], None, "missing required column account"),
        (["x", "y"], None, "missing required columns account; arr (or mrr); health"),
        (["account", "arr", "health"], {"arr": "revenue"}, "'arr' → 'revenue': not a column the scorer reads"),
    ],
)
def test_resolve_refuses(headers: list[str], mapping: dict[str, str | None] | None, message: str) -> None:
    with pytest.raises(BatchInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve(headers, COMPONENTS, mapping)


# Parsing: the vectorised path equals the per-cell rule -------------------------------------------------------

cells = st.lists(
    st.one_of(
        st.sampled_from((*BATCH_MISSING, *BATCH_NOT_NUMBERS, *BATCH_EDGE_SCORES, *BATCH_EDGE_ARR, " 12 ", "1_000", "+5", "-0", "NaN ")),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.text(max_size=6),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(cells)
def test_numbers_equal_parse_number(values: list[str]) -> None:
    parsed, bad = numbers(np.array(values, dtype=object))
    for text, value, is_bad in zip(values, parsed.tolist(), bad.tolist(), strict=True):
        try:
            expected = parse_number(text)
        except ValueError:
            assert is_bad and math.isnan(value), text
            continue
        assert not is_bad, text
        assert (math.isnan(value) and expected is None) or value == expected, (text, value, expected)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.dates().map(str), st.sampled_from(("", "N/A", "2025-02-30", "2025-3-5", " 2025-03-05", "2025-03-05T10:00", "x"))),
        min_size=1,
    )
)
def test_quarters_equal_parse_date(values: list[str]) -> None:
    keys, bad = quarters(np.array(values, dtype=object))
    for text, key, is_bad in zip(values, keys.tolist(), bad.tolist(), strict=True):
        try:
            day = parse_date(text)
        except ValueError:
            assert is_bad, text
            continue
        assert not is_bad and key == (-1 if day is None else day.year * 4 + (day.month - 1) // 3), text


# Bands -----------------------------------------------------------------------------------------------------


edge_values = st.one_of(
    st.floats(min_value=-1, max_value=101),
    st.sampled_from((0, 20, 40, 60, 80, 100)).flatmap(lambda e: st.floats(min_value=e - 1e-8, max_value=e + 1e-8)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(edge_values, min_size=1, max_size=40))
def test_band_codes_equal_find_band(config: dict[str, Any], values: list[float]) -> None:
    bands = health_bands(config)
    codes = band_codes(bands, np.array(values, dtype=np.float64))
    for value, code in zip(values, codes.tolist(), strict=True):
        band = find_band(bands, value)
        assert (bands[code] if code >= 0 else None) is band, value


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=15000 - 1e-6, max_value=15000 + 1e-6), min_size=1))
def test_at_least_rounds_like_find_band(values: list[float]) -> None:
    assert at_least(np.array(values), 15000).tolist() == [round(v, 9) >= 15000 for v in values]


# Writing ---------------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='ab ,"\n\r\x00é', max_size=5), min_size=3, max_size=3), min_size=1, max_size=10))
def test_writer_equals_csv_module(rows: list[list[str]]) -> None:
    ours, theirs = io.StringIO(), io.StringIO()
    write_columns(ours, [list(c) for c in zip(*rows, strict=True)], ["h1", "h,2", 'h"3'])
    assert list(csv.reader(io.StringIO(ours.getvalue(), newline=""))) == [["h1", "h,2", 'h"3'], *rows]
    if not any("\r" in cell for row in rows for cell in row):  # csv.writer leaves a lone \r unquoted; we quote it
        csv.writer(theirs, lineterminator="\n").writerows([["h1", "h,2", 'h"3'], *rows])
        assert ours.getvalue() == theirs.getvalue()


# Missing-data policy "reject" ---------------------------------------------------------------------------------------


@pytest.fixture
def reject_library(tmp_path: Path) -> Path:
    library = tmp_path / "playbooks"
    shutil.copytree(ROOT / "playbooks", library)
    model = library / "health-model.yml"
    text = model.read_text(encoding="utf-8")
    assert "policy: renormalise" in text
    model.write_text(text.replace("policy: renormalise", "policy: reject"), encoding="utf-8")
    return library


def test_reject_policy_needs_every_weighted_column(tmp_path: Path, reject_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    source.write_text("account,arr,product_usage,engagement,relationship,support\na,1000,50,50,50,50\n", encoding="utf-8")
    assert main(["score", str(source), "--out", str(tmp_path / "o.csv"), "--library", str(reject_library)]) == 2
    assert "missing column(s) growth, required by the missing-data policy 'reject'" in capsys.readouterr().err


def test_reject_policy_rejects_rows_with_a_gap(tmp_path: Path, reject_library: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "account,arr,product_usage,engagement,relationship,support,growth\na,1000,50,50,50,50,\nb,1000,50,50,50,50,50\n", encoding="utf-8"
    )
    assert main(["score", str(source), "--out", str(tmp_path / "o.csv"), "--library", str(reject_library)]) == 1
    errors = (tmp_path / "o.errors.csv").read_text(encoding="utf-8").splitlines()
    assert errors[1:] == ["2,1,a,growth,,is required by the weight model (missing-data policy: reject)"]
