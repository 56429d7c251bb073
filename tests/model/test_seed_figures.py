"""Every seed figure the library carries over is still in the YAML, where the figure table says.

The tables are the CSV files in ``tests/cases/seed_figures/`` (the format is in that folder's
README). Each row names a figure, the seed document and section it comes from, a YAML file
and a dotted path into it, and the value the path must hold. One test case per row, so a
failure names the row, the file and the path.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "tests" / "cases" / "seed_figures"
COLUMNS = ["figure", "seed", "section", "file", "path", "expected"]
SEEDS = {"000", "001", "002", "003"}
# One path step: a key, then any number of [n] (list index) or [key=value] (list item whose key equals value).
_STEP = re.compile(r"^(?P<key>[^.\[\]]+)?(?P<subs>(?:\[[^\[\]]+\])*)$")
_SUB = re.compile(r"\[([^\[\]]+)\]")


@dataclass(frozen=True)
class Row:
    table: str
    line: int
    figure: str
    seed: str
    section: str
    file: str
    path: str
    expected: str

    @property
    def where(self) -> str:
        return f"{self.table}:{self.line} ({self.figure!r}, seed {self.seed}, {self.section!r}): {self.file}: {self.path}"


class PathError(LookupError):
    pass


def read_rows() -> list[Row]:
    rows: list[Row] = []
    for table in sorted(TABLES.glob("*.csv")):
        name = table.relative_to(ROOT).as_posix()
        with table.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                continue
            if [h.strip() for h in header] != COLUMNS:
                raise AssertionError(f"{name}:1: the header must be {','.join(COLUMNS)}, not {','.join(header)}")
            for cells in reader:
                line = reader.line_num
                if not cells or not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
                    continue
                if len(cells) != len(COLUMNS):
                    raise AssertionError(f"{name}:{line}: expected {len(COLUMNS)} cells, found {len(cells)}: {cells}")
                rows.append(Row(name, line, *(c.strip() if i < 5 else c for i, c in enumerate(cells))))
    return rows


@cache
def load_yaml(file: str) -> Any:
    return yaml.safe_load((ROOT / file).read_text(encoding="utf-8"))


def resolve(data: Any, path: str) -> Any:
    """Follow a dotted path such as ``segments[id=enterprise].ratio.min`` or ``bands[0].min``."""
    node = data
    done = ""
    for step in path.split("."):
        match = _STEP.match(step)
        if not match or not step:
            raise PathError(f"cannot read the path step {step!r}")
        key = match.group("key")
        if key is not None:
            if not isinstance(node, dict):
                raise PathError(f"{done or '(top)'} is a {type(node).__name__}, not a mapping with key {key!r}")
            if key not in node:
                raise PathError(f"{done or '(top)'} has no key {key!r} (keys: {', '.join(map(str, node))})")
            node = node[key]
            done = f"{done}.{key}" if done else key
        for sub in _SUB.findall(match.group("subs")):
            if not isinstance(node, list):
                raise PathError(f"{done} is a {type(node).__name__}, not a list, so [{sub}] does not apply")
            if "=" in sub:
                field, _, wanted = sub.partition("=")
                found = [item for item in node if isinstance(item, dict) and _text(item.get(field.strip())) == wanted.strip()]
                if not found:
                    raise PathError(f"{done} has no item whose {field.strip()!r} is {wanted.strip()!r}")
                node = found[0]
            else:
                try:
                    node = node[int(sub)]
                except (ValueError, IndexError):
                    raise PathError(f"{done} has {len(node)} items; [{sub}] is not one of them") from None
            done = f"{done}[{sub}]"
    return node


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value).strip()


def _number(text: str) -> float | None:
    try:
        number = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def matches(actual: Any, expected: str) -> bool:
    """Numbers compare numerically; text after trimming; ``~text`` as a substring."""
    wanted = expected.strip()
    if wanted.startswith("~"):
        return wanted[1:].strip() in _text(actual)
    number = _number(wanted)
    if number is not None and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        return math.isclose(float(actual), number, rel_tol=0, abs_tol=1e-9)
    if number is not None and isinstance(actual, str) and _number(actual) is not None:
        return math.isclose(_number(actual) or 0.0, number, rel_tol=0, abs_tol=1e-9)
    return _text(actual) == wanted


ROWS = read_rows()


def test_there_are_figure_tables() -> None:
    assert ROWS, f"no rows in {TABLES.relative_to(ROOT)}/*.csv"


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.figure} [{r.seed}]" for r in ROWS])
def test_the_yaml_holds_the_seed_figure(row: Row) -> None:
    assert row.seed in SEEDS, f"{row.where}: seed must be one of {sorted(SEEDS)}"
    assert row.section, f"{row.where}: the section (the seed's heading) is empty"
    assert row.expected.strip(), f"{row.where}: the expected value is empty"
    if not (ROOT / row.file).is_file():
        pytest.fail(f"{row.where}: no such file {row.file}", pytrace=False)
    try:
        actual = resolve(load_yaml(row.file), row.path)
    except PathError as error:
        pytest.fail(f"{row.where}: {error}", pytrace=False)
    if not matches(actual, row.expected):
        pytest.fail(f"{row.where}: expected {row.expected.strip()!r}, the YAML holds {actual!r}", pytrace=False)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("a.b", 1),
        ("l[1]", "y"),
        ("items[id=two].v", 2),
        ("items[n=3].v", 3),
    ],
)
def test_paths_resolve(path: str, value: Any) -> None:
    data = {"a": {"b": 1}, "l": ["x", "y"], "items": [{"id": "one", "v": 1}, {"id": "two", "v": 2}, {"n": 3, "v": 3}]}
    assert resolve(data, path) == value


@pytest.mark.parametrize("path", ["a.c", "l[5]", "items[id=three].v", "a[0]", "l.b", "a..b"])
def test_bad_paths_say_where_they_stopped(path: str) -> None:
    data = {"a": {"b": 1}, "l": ["x", "y"], "items": [{"id": "one"}]}
    with pytest.raises(PathError):
        resolve(data, path)


def test_values_compare_as_numbers_text_or_substrings() -> None:
    assert matches(15, "15.0") and matches(0.5, "0.50") and matches("1,000", "1000")
    assert matches("  Expansion focus ", "Expansion focus") and not matches("Expansion", "Expansion focus")
    assert matches("Quarterly QBRs and semi-annual EBRs", "~semi-annual EBRs")
    assert matches(True, "true") and not matches(True, "1")
