"""Building blocks of ``plays`` and the CSV writer: dates, day arithmetic, neutralised and de-duplicated cells."""

from __future__ import annotations

import calendar
import csv
import datetime
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cslibrary.batch.ics import escape, file_name, fold
from cslibrary.batch.parse import NO_DAY, days, parse_date
from cslibrary.batch.rule_values import add_months, day_texts, number_text, number_texts, shift, within
from cslibrary.batch.writer import FORMULA_STARTS, cell_texts, column_texts, neutralise, quote_column, write_frame

# Dates -----------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.dates().map(str), st.sampled_from(("", "N/A", "2025-02-30", "2025-3-5", " 2025-03-05", "2025-03-05T10:00", "x", "20250305"))
        ),
        min_size=1,
    )
)
def test_days_equal_parse_date(values: list[str]) -> None:
    ordinals, bad = days(np.array(values, dtype=object))
    for text, ordinal, is_bad in zip(values, ordinals.tolist(), bad.tolist(), strict=True):
        try:
            day = parse_date(text)
        except ValueError:
            assert is_bad and ordinal == NO_DAY, text
            continue
        assert not is_bad and ordinal == (NO_DAY if day is None else day.toordinal()), text


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2199, 12, 31)), st.floats(min_value=-400, max_value=400))
def test_shift_moves_a_date_as_datetime_does(day: datetime.date, count: float) -> None:
    delta = datetime.timedelta(days=count)
    assert day.toordinal() + shift(count) == (day + delta).toordinal()
    assert day.toordinal() + shift(count, -1) == (day - delta).toordinal()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2190, 12, 31)), min_size=1), st.integers(0, 36))
def test_add_months_keeps_the_day_or_the_months_last(dates: list[datetime.date], months: int) -> None:
    moved = add_months(np.array([d.toordinal() for d in dates], dtype=np.int64), months).tolist()
    for day, ordinal in zip(dates, moved, strict=True):
        month = day.month - 1 + months
        year, month = day.year + month // 12, month % 12 + 1
        assert ordinal == datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1])).toordinal()


def test_day_and_number_texts() -> None:
    assert day_texts(np.array([datetime.date(2026, 12, 7).toordinal()] * 3)) == ["2026-12-07"] * 3
    values = np.array([35.0, 1250.25, -30.0, 0.04, 99.95] * 20)
    assert number_texts(values) == [number_text(v) for v in values.tolist()] == ["35", "1,250.2", "-30", "0", "100"] * 20
    assert within(np.array([39.9, 40.0, np.nan, 60.0]), {"at_least": 40, "below": 60, "metric": "x"}).tolist() == [
        False,
        True,
        False,
        False,
    ]


# CSV injection and the writer ------------------------------------------------------------------------

cells = st.lists(
    st.one_of(
        st.text(max_size=8),
        st.sampled_from(FORMULA_STARTS).flatmap(lambda start: st.text(max_size=6).map(lambda rest: start + rest)),
        st.sampled_from(("-5", "+1.5", "-2e3", "-", "-.5", "=1", "@", "-1+2", "a,b", 'say "hi"', "line\nbreak")),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(cells)
def test_neutralise_prefixes_exactly_the_cells_a_spreadsheet_would_run(values: list[str]) -> None:
    for text, safe in zip(values, neutralise(list(values)), strict=True):
        number = text.strip() == text and text[:1] in "+-" and _is_number(text)
        if text[:1] in FORMULA_STARTS and text and not number:
            assert safe == "'" + text, text
        else:
            assert safe == text, text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.lower().lstrip("+-")[:1] in "0123456789." and "_" not in text and "n" not in text.lower()


@settings(max_examples=100, deadline=None)
@given(cells, st.integers(min_value=1, max_value=400), st.booleans())
def test_repeated_and_categorical_columns_are_written_as_cell_by_cell(values: list[str], repeat: int, categorical: bool) -> None:
    """The value-by-value path (repeats, categoricals) writes the same bytes as the cell-by-cell one."""
    column = np.array(values * repeat, dtype=object)
    expected = quote_column(cell_texts(column))
    series = pd.Series(pd.Categorical(column)) if categorical else pd.Series(column, dtype=object)
    assert column_texts(series) == expected


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.one_of(st.floats(), st.sampled_from((0.0, -0.0, 1.5))), min_size=1, max_size=20), st.integers(min_value=200, max_value=400)
)
def test_repeated_floats_are_written_as_cell_by_cell(values: list[float], repeat: int) -> None:
    column = np.array(values * repeat, dtype=np.float64)
    assert column_texts(column) == quote_column(cell_texts(column))


def test_a_frame_reads_back_neutralised() -> None:
    frame = pd.DataFrame(
        {
            "a": pd.Series(["=1+1", "-5", "ok, fine"] * 1000, dtype=object),
            "b": np.array([1.5, np.nan, -2.0] * 1000),
            "c": pd.Categorical(["@x", "", "y"] * 1000),
        }
    )
    out = io.StringIO()
    write_frame(out, frame, ["=a", "b", "c"])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["'=a", "b", "c"]
    assert rows[1:4] == [["'=1+1", "1.5", "'@x"], ["-5", "", ""], ["ok, fine", "-2.0", "y"]]
    assert len(rows) == 3001


# iCalendar -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["short", "x" * 200, "é" * 100, "Acme; a, b\\c\nd"])
def test_folded_lines_are_at_most_75_octets_and_unfold_to_the_line(text: str) -> None:
    line = "SUMMARY:" + escape(text)
    folded = fold(line)
    assert folded.endswith("\r\n") and all(len(part.encode("utf-8")) <= 75 for part in folded[:-2].split("\r\n"))
    assert folded[:-2].replace("\r\n ", "") == line


def test_calendar_file_names_are_safe_and_distinct() -> None:
    taken: set[str] = set()
    assert [file_name(o, taken) for o in ("csm", "cs manager", "cs_manager", "../x", "")] == [
        "csm.ics",
        "cs_manager.ics",
        "cs_manager-2.ics",
        "x.ics",
        "unassigned.ics",
    ]
