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
