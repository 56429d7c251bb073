"""The shape and the check of the family tests' case tables.

A case is ``(source, calculator, inputs, expected subset)``; the source says where each
expected value comes from. "seed 002" is ../shared/seeds/002_19a9f4e57dd37af0.txt (the CS
strategy reference); the section follows. "DESIGN" is ../shared/DESIGN.md's list of
examples that must hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

import calculators

Case = tuple[str, str, dict[str, Any], dict[str, Any]]
#: The parameter names of a case table's test.
PARAMETERS = ("source", "name", "inputs", "expected")


def case_ids(cases: Sequence[Case]) -> list[str]:
    """``calculator:source`` (the source cut to 40 characters) for each case."""
    return [f"{c[1]}:{c[0][:40]}" for c in cases]


def check_case(source: str, name: str, inputs: dict[str, Any], expected: dict[str, Any], config: dict[str, Any]) -> None:
    """Run calculator ``name`` and compare every expected key, naming the key and the source on failure."""
    result = calculators.run(name, inputs, config)
    for key, value in expected.items():
        assert result[key] == pytest.approx(value), f"{key} ({source})"
