"""The docs keep up with the code, in the manner of sqlite-utils' ``tests/test_docs.py``.

The lists come from the code itself, so adding a calculator or a command-line option
without its documentation fails here, naming what is missing:

* every calculator of :data:`calculators.CALCULATORS` has its ``<!-- calculator: NAME -->``
  marker on its family's page ``docs/calculators/<family>.md``, and every family has its
  formula module, display module, docs page and tests under the same name;
* every option of ``python -m calculators``, of its batch commands (``score``,
  ``backtest``) and of ``python -m cslibrary`` is written literally (``--chunksize``) in a
  guide under ``docs/guides/`` or in ``README.md``.

A calculator's family is the module of ``calculators`` that defines it
(``calculators/retention.py`` → ``retention``).
"""

from __future__ import annotations

import argparse
import functools
import re
from collections.abc import Iterator

import pytest

import calculators
import calculators.cli
import cslibrary.batch.arguments
import cslibrary.cli
from calculators.display import PRESENTERS
from tests.conftest import ROOT


def _family(name: str) -> str:
    """The family of calculator ``name``: the module that defines its computation."""
    module = calculators.CALCULATORS[name].compute.__module__
    assert module.startswith("calculators.") and module.count(".") == 1, f"{name} is computed in {module}, not in a family module"
    return module.removeprefix("calculators.")


FAMILIES = sorted({_family(name) for name in calculators.CALCULATORS})


@pytest.mark.parametrize("name", list(calculators.CALCULATORS))
def test_every_calculator_has_its_marker_on_its_family_page(name: str) -> None:
    page = ROOT / "docs" / "calculators" / f"{_family(name)}.md"
    assert page.is_file(), f"{name}: its family page {page.relative_to(ROOT)} is missing"
    marker = re.compile(rf"<!-- calculator: {re.escape(name)}(?![\w-])")
    assert marker.search(page.read_text(encoding="utf-8")), f"{page.relative_to(ROOT)} has no <!-- calculator: {name} --> marker"


@pytest.mark.parametrize("name", list(calculators.CALCULATORS))
def test_every_calculator_is_drawn_by_its_familys_display_module(name: str) -> None:
    assert name in PRESENTERS, f"{name} has no presenter in calculators/display/{_family(name)}.py"
    assert PRESENTERS[name].__module__ == f"calculators.display.{_family(name)}"


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_has_formulas_display_docs_and_tests_of_one_name(family: str) -> None:
    for path in (
        f"calculators/{family}.py",
        f"calculators/display/{family}.py",
        f"docs/calculators/{family}.md",
        f"tests/calculators/test_{family}.py",
    ):
        assert (ROOT / path).is_file(), f"family {family}: {path} is missing"


# ---------------------------------------------------------------- command-line options


def _options(parser: argparse.ArgumentParser, command: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """``(command, option)`` for every option of ``parser`` and its sub-commands, ``--help`` left out."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _options(sub, (*command, name))
        elif not isinstance(action, argparse._HelpAction):
            for option in action.option_strings:
                yield " ".join(command), option


def _all_options() -> list[tuple[str, str]]:
    """``(program and command, option)`` of every command line the project ships."""
    parsers = (
        ("python -m calculators", calculators.cli._parser()),
        ("python -m calculators", cslibrary.batch.arguments.build_parser()),  # score, backtest
        ("python -m cslibrary", cslibrary.cli._parser()),
    )
    return [(f"{program} {command}".strip(), option) for program, parser in parsers for command, option in _options(parser)]


OPTIONS = _all_options()


@functools.cache
def _documentation() -> str:
    pages = [*sorted((ROOT / "docs" / "guides").glob("*.md")), ROOT / "README.md"]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def test_the_options_of_every_command_line_are_found() -> None:
    """The walk over the parsers reaches the main command, the batch commands and cslibrary's sub-commands."""
    found = {(command, option) for command, option in OPTIONS}
    assert {
        ("python -m calculators", "--list"),
        ("python -m calculators score", "--chunksize"),
        ("python -m calculators backtest", "--min-sample"),
        ("python -m cslibrary schema", "--check"),
    } <= found


@pytest.mark.parametrize(("command", "option"), OPTIONS, ids=[f"{c} {o}" for c, o in OPTIONS])
def test_every_command_line_option_is_documented(command: str, option: str) -> None:
    written = re.compile(rf"(?<![\w-]){re.escape(option)}(?![\w-])")
    assert written.search(_documentation()), f"`{command} {option}` is in no guide (docs/guides/*.md) nor in README.md"
