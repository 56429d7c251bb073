"""Hypothesis strategies shared by the property tests (append; don't redefine)."""

from __future__ import annotations

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
