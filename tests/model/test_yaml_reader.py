"""The reader's fast path for scalars gives exactly what PyYAML's own resolver and constructors give."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from cslibrary.model.yaml_reader import _plain, _Reader, _scalar, read_yaml

ROOT = Path(__file__).resolve().parents[2]
PLAIN = [
    *("", "~", "null", "Null", "NULL", "nULL", "null x", "never", "n", "yes", "No", "ON", "off", "y"),
    *("true", "True", "TRUE", "tRue", "false", "False", "FALSE", "t", "truly"),
    *("0", "-0", "+0", "12", "-120", "+7", "1_000_000", "1__0", "1_", "0_", "012", "0x1f", "0o7", "0b1", "1:30", "99999999999999999999"),
    *("1.", "1._", ".5", "-.5", "1.5e-3", "1e3", "1E+3", "6.02e23", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "1.2.3", "1e", ".", "-", "+"),
    *("2026-01-05", "2026-01-05T10:00:00Z", "-x", "+x", "0a", "9 lives", "text", "=", "a: b"),
]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("text", PLAIN)
def test_plain_scalars_match_pyyaml(text: str) -> None:
    reader = _Reader("")
    event = yaml.ScalarEvent(None, None, (True, False), text)
    assert _same(_plain(reader, event), _scalar(reader, event)), text


def read_text(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path, "x.yml")


def test_merge_key_is_still_refused(tmp_path: Path) -> None:
    out = read_text(tmp_path, "a: 1\n<<: {b: 1}\n")
    assert [str(p) for p in out.problems] == ["x.yml:2:1: merge keys (<<) are not allowed: write the keys out in full"]


@pytest.mark.parametrize(
    ("text", "value"), [('"12"', "12"), ("'true'", "true"), ("|\n  ~\n", "~\n"), (">\n  1e3\n", "1e3\n"), ("'<<'", "<<")]
)
def test_quoted_and_block_scalars_are_text(tmp_path: Path, text: str, value: str) -> None:
    out = read_text(tmp_path, f"v: {text}\n")
    assert out.problems == [] and out.data == {"v": value} and type(out.data["v"]) is str


def _typed(value: Any) -> Any:
    """The value with every scalar's type kept, so ``1``, ``1.0`` and ``True`` differ."""
    if isinstance(value, dict):
        return {_typed(k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def test_shipped_files_read_as_pyyaml_composes_them() -> None:
    files = sorted((ROOT / "playbooks").rglob("*.yml"))
    assert files
    for file in files:
        out = read_yaml(file, file.name)
        assert out.problems == [], out.problems
        expected = yaml.load(file.read_text(encoding="utf-8"), Loader=_Reader)  # the reader: a safe loader
        assert _typed(out.data) == _typed(expected), file


@pytest.mark.parametrize("text", ["v: ._\n", "v: !!int abc\n", "v: " + "9" * 5000 + "\n"])
def test_a_value_python_cannot_convert_is_a_problem_not_a_traceback(tmp_path: Path, text: str) -> None:
    """Found while speeding up the reader: these raised ValueError out of read_yaml."""
    file = tmp_path / "bad.yml"
    file.write_text(text, encoding="utf-8")
    problems = [str(p) for p in read_yaml(file, "bad.yml").problems]
    assert len(problems) == 1 and problems[0].startswith("bad.yml:1:4: cannot read ") and "quote it" in problems[0]
