"""Numbers typed into the page's fields: read with their format in mind, never guessed.

The worked example is DESIGN.md's (seed 002, "Net Revenue Retention"): 1,000,000 starting MRR,
150,000 expansion, 30,000 contraction, 50,000 churn → NRR 107 %, GRR 92 %.
"""

from __future__ import annotations

import pytest

from calculators import browser, default_config

KEYS = ("starting_mrr", "expansion", "contraction", "churn")


def _nrr(*typed: str) -> dict[str, object]:
    return browser.compute("nrr_grr", list(zip(KEYS, typed, strict=True)), default_config())


@pytest.mark.parametrize(
    "typed",
    [
        ("1000000", "150000", "30000", "50000"),  # plain
        ("1,000,000", "150,000.00", "30,000.00", "50,000.00"),  # decimal point, comma groups
        ("1.000.000", "150.000,00", "30.000,00", "50.000,00"),  # decimal comma, point groups
        ("1 000 000", "150 000", "30 000", "50 000"),  # space groups
    ],
)
def test_typed_numbers_in_either_convention_give_the_worked_example(typed: tuple[str, ...]) -> None:
    out = _nrr(*typed)
    assert out["ok"], out
    values = {o["key"]: o["value"] for o in out["outputs"]}  # type: ignore[attr-defined]
    assert (values["nrr"], values["grr"]) == ("107.0", "92.0")


@pytest.mark.parametrize(("cell", "dot", "comma"), [("120.000", "120", "120000"), ("12,500", "12500", "12.5")])
def test_a_number_that_reads_two_ways_is_refused_with_both_readings(cell: str, dot: str, comma: str) -> None:
    out = _nrr(cell, "0", "0", "0")
    assert not out["ok"] and out["field"] == "starting_mrr"
    message = str(out["message"])
    assert message.startswith(f"Starting MRR: '{cell}' reads two ways")
    assert f"{dot} with a decimal point" in message and f"{comma} with a decimal comma" in message


def test_a_decimal_comma_alone_is_read() -> None:
    out = _nrr("1000000", "150000,5", "30000", "50000,5")
    assert out["ok"], out
    values = {o["key"]: o["value"] for o in out["outputs"]}  # type: ignore[attr-defined]
    assert values["nrr"] == "107.0" and values["grr"] == "91.99995"
