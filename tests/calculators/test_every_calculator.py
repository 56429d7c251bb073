"""What holds for every calculator of every family: its example runs and its inputs are declared."""

from __future__ import annotations

from typing import Any

import calculators


def test_every_calculator_runs_its_own_example(config: dict[str, Any]) -> None:
    for name in calculators.names():
        inputs = calculators.example(name, config)
        result = calculators.run(name, inputs, config)
        assert isinstance(result, dict) and result, name


def test_describe_lists_every_input_with_label_and_type(config: dict[str, Any]) -> None:
    for name in calculators.names():
        decl = calculators.describe(name, config)
        assert decl["name"] == name
        for field in decl["inputs"]:
            assert field["label"] and field["type"] in ("number", "integer", "select", "text", "numbers", "table", "mapping", "date")
