"""The YAML reader: plain data only, YAML 1.2 scalars, positions for every key and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from cslibrary.model.loader import Problem, read_yaml


def read(tmp_path: Path, text: str) -> tuple[object, list[str], object]:
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    out = read_yaml(path, "playbooks/x.yml")
    return out.data, [str(p) for p in out.problems], out.positions


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("true", True),
        ("False", False),
        ("2026-01-05", "2026-01-05"),
        ("1:30", "1:30"),
        ("012", "012"),
        ("0", 0),
        ("-120", -120),
        ("1_000_000", 1_000_000),
        ("2.5", 2.5),
        ("1e3", 1000.0),
        ("'30'", "30"),
        ("~", None),
        ("", None),
    ],
)
def test_yaml_12_scalars(tmp_path: Path, text: str, value: object) -> None:
    data, problems, _ = read(tmp_path, f"v: {text}\n")
    assert problems == []
    assert data == {"v": value}
    assert type(data["v"]) is type(value)


def test_positions(tmp_path: Path) -> None:
    _, problems, pos = read(tmp_path, "a: 1\nsteps:\n  - at: 0\n    owner: csm\n  - {at: 2, owner: x}\n")
    assert problems == []
    assert pos.at(("steps", 0, "owner")) == (4, 12)  # type: ignore[attr-defined]
    assert pos.at(("steps", 0, "owner"), key=True) == (4, 5)  # type: ignore[attr-defined]
    assert pos.at(("steps", 1, "owner")) == (5, 20)  # type: ignore[attr-defined]
    assert pos.at(("steps", 1, "missing"), key=True) == (5, 5)  # type: ignore[attr-defined]
    assert ("steps", 1) in pos.flow  # type: ignore[attr-defined]


def test_every_duplicate_key_is_reported(tmp_path: Path) -> None:
    _, problems, _ = read(tmp_path, "a: 1\nb: 2\na: 3\nc:\n  d: 1\n  d: 2\n")
    assert problems == [
        "playbooks/x.yml:3:1: a: duplicate key 'a' (first written on line 1)",
        "playbooks/x.yml:6:3: c.d: duplicate key 'd' (first written on line 5)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!set {x}\n", "the tag '!!set' is not allowed"),
        ("a: !custom x\n", "the tag '!custom' is not allowed"),
        ("a: !!binary aGk=\n", "the tag '!!binary' is not allowed"),
        ("a: !!python/name:os.system\n", "the tag '!!python/name:os.system' is not allowed"),
        ("a: &x 1\nb: *x\n", "aliases (*name) are not allowed"),
        ("? [a]\n: 1\n", "a key must be plain text"),
    ],
)
def test_refused_constructs(tmp_path: Path, text: str, message: str) -> None:
    _, problems, _ = read(tmp_path, text)
    assert len(problems) == 1 and message in problems[0]


def test_problem_format() -> None:
    assert str(Problem("playbooks/x.yml", 12, 5, "steps[2].owner", "'CSMM' is not a known role")) == (
        "playbooks/x.yml:12:5: steps[2].owner: 'CSMM' is not a known role"
    )
    assert str(Problem("playbooks/roles.yml", 0, 0, "", "the file is missing")) == "playbooks/roles.yml: the file is missing"


def test_deep_nesting_cannot_crash_the_reader(tmp_path: Path) -> None:
    """libyaml's own composer recurses in C and crashes on deep input; ours builds from events."""
    _, problems, _ = read(tmp_path, "a: " + "[" * 200_000 + "]" * 200_000 + "\n")
    assert problems == ["playbooks/x.yml:1:43: nested more than 40 levels deep: these files are never that deep"]
    _, problems, _ = read(tmp_path, "a:\n" + "\n".join(" " * i + "- x:" for i in range(2, 200, 2)) + "\n")
    assert len(problems) == 1 and "nested more than 40 levels" in problems[0]
