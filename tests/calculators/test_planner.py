"""Planner family (calculators/planner.py): a playbook's steps as dated tasks.

Sources are named as in tests/calculators/seed_cases.py ("seed 002", "DESIGN").
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.calculators.seed_cases import PARAMETERS, Case, case_ids, check_case

CASES: list[Case] = [
    # (source, calculator, inputs, expected subset)
    ("seed 002 renewal T-90 (planner)", "playbook_plan", {"playbook": "renewal", "date": "2026-06-30"}, {"playbook": "renewal"}),
]


@pytest.mark.parametrize(PARAMETERS, CASES, ids=case_ids(CASES))
def test_result_matches_the_sourced_example(
    source: str, name: str, inputs: dict[str, Any], expected: dict[str, Any], config: dict[str, Any]
) -> None:
    if name == "playbook_plan" and "renewal" not in config["playbooks"]:
        pytest.skip("the renewal playbook is not in the library yet")
    check_case(source, name, inputs, expected, config)
