"""Frameworks (``playbooks/frameworks/<id>.yml``): the shipped ones load; a broken one names file:line and field.

A framework is read like a metric or a playbook (one file per id, validated against
:class:`cslibrary.model.Framework`, cross-checked by :mod:`cslibrary.model.checks.frameworks`).
Each case below lays one framework file over a copy of the minimal library and checks the
problem the validator reports: the file, the line of the field, the dotted field and what
was expected.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cslibrary import model as m
from cslibrary.model.loader import load_library, read_library

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
SEEDS = {"000", "001", "002", "003"}

GOOD = """\
id: good-one
title: A good framework
audience: leader
topic: technology
summary: What it is for.
aliases: [good framework]
sections:
  - id: weights
    title: Weights
    table:
      columns: [Criterion, Weight]
      rows:
        - [Fit, 60 %]
        - [Cost, 40 %]
    source: {seed: "002", section: "CS Technology Stack Strategy: Vendor Evaluation Criteria"}
    see: {playbooks: [adoption], metrics: [nps], segments: [high_touch]}
  - id: steps
    title: Steps
    steps:
      - {name: First, when: Week 1, items: [a, b]}
      - {name: Second}
    source: {seed: "000", section: The Framework}
  - id: levels
    title: Levels
    scale:
      - {level: One, label: Low, description: Little}
      - {level: Two, label: High, description: Much}
  - id: list
    title: List
    checklist: [Do this, Then that]
  - id: words
    title: Words
    notes: Some *Markdown* without figures.
related: {frameworks: [good-one#weights]}
"""


def library_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the minimal library plus ``files`` (name → text) under ``playbooks/frameworks/``."""
    root = tmp_path / "lib"
    shutil.copytree(MINIMAL, root)
    folder = root / "playbooks" / "frameworks"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return root


def problems_of(tmp_path: Path, text: str, name: str = "good-one.yml") -> list[str]:
    _, problems = read_library(library_with(tmp_path, {name: text}))
    return [str(p) for p in problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --- the shipped frameworks ------------------------------------------------------------------


@pytest.fixture(scope="module")
def library() -> m.Library:
    return load_library(ROOT)


def test_the_shipped_frameworks_load(library: m.Library) -> None:
    assert len(library.frameworks) >= 12
    assert set(library.framework_paths.values()) == {f"playbooks/frameworks/{i}.yml" for i in library.frameworks}
    audiences = {f.audience for f in library.frameworks.values()}
    assert {"leader", "both"} <= audiences


def test_every_shipped_figure_names_its_seed_and_section(library: m.Library) -> None:
    """The validator requires it; this says it again in the words of the issue: every figure has a source."""
    for fid, framework in library.frameworks.items():
        for section in framework.sections:
            text = section.model_dump_json(exclude={"id", "source", "see"})
            if re.search(r"\d", text):
                assert section.source is not None, f"{fid}#{section.id}"
                assert section.source.seed in SEEDS and section.source.section.strip(), f"{fid}#{section.id}"


def test_the_leaders_view_is_there(library: m.Library) -> None:
    expected = {
        "tech-stack": {
            "stack-layers", "platform-comparison", "build-vs-buy", "key-integrations", "implementation-phases",
            "budget-allocation", "vendor-evaluation-criteria", "platform-adoption-metrics",
        },
        "cs-operations": {"when-to-hire-cs-ops", "qa-cadence", "building-cs-ops", "automation-opportunities"},
        "organisation-design": {"evolution-stages", "team-structures", "span-of-control", "hiring-profile", "scaling-checklist"},
        "compensation": {"base-and-variable", "renewal-incentive-weights"},
        "dashboards": {"metrics-by-role", "executive-dashboard", "csm-dashboard"},
    }  # fmt: skip
    for fid, sections in expected.items():
        assert library.frameworks[fid].audience == "leader", fid
        assert sections <= {s.id for s in library.frameworks[fid].sections}, fid


# --- a good file and broken ones --------------------------------------------------------------


def test_a_good_framework_loads(tmp_path: Path) -> None:
    lib = load_library(library_with(tmp_path, {"good-one.yml": GOOD}))
    framework = lib.frameworks["good-one"]
    assert lib.framework_paths["good-one"] == "playbooks/frameworks/good-one.yml"
    assert [s.id for s in framework.sections] == ["weights", "steps", "levels", "list", "words"]
    assert framework.sections[0].table is not None and framework.sections[0].table.rows[1] == ["Cost", "40 %"]
    assert lib.counts()["frameworks"] == 1


def test_no_frameworks_folder_is_fine(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(MINIMAL, root)
    assert load_library(root).frameworks == {}


@pytest.mark.parametrize(
    ("change", "needle", "field", "message"),
    [
        # two kinds of content in one section
        (("    checklist: [Do this, Then that]\n", "    checklist: [Do this, Then that]\n    notes: And words.\n"),
         "- id: list", "sections[3]", "exactly one of table, steps, scale, checklist, notes (found checklist and notes)"),
        # a row short of a cell
        (("        - [Cost, 40 %]\n", "        - [Cost]\n"), "- [Cost]", "sections[0].table.rows[1]", "has 1 cell(s); the table has 2 columns"),
        # a figure without a source
        (('    source: {seed: "000", section: The Framework}\n', ""), "- id: steps", "sections[1].id", "names no source"),
        # a seed that does not exist
        (('seed: "002"', 'seed: "004"'), 'seed: "004"', "sections[0].source.seed", "is not one of"),
        # an unknown metric
        (("metrics: [nps]", "metrics: [nsp]"), "see: {playbooks", "sections[0].see.metrics[0]", "'nsp' is not a known metric"),
        # an unknown section of a framework
        (("good-one#weights", "good-one#wieghts"), "related:", "related.frameworks[0]", "'wieghts' is not a known section"),
        # an unknown audience
        (("audience: leader", "audience: leaders"), "audience:", "audience", "'leaders' is not one of"),
        # an unknown key
        (("    notes: Some", "    notez: Some"), "notez:", "sections[4].notez", "unknown key 'notez'"),
    ],
)  # fmt: skip
def test_a_broken_framework_names_file_line_and_field(
    tmp_path: Path, change: tuple[str, str], needle: str, field: str, message: str
) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    found = problems_of(tmp_path, text)
    line = line_of(text, needle)
    wanted = [p for p in found if p.startswith(f"playbooks/frameworks/good-one.yml:{line}:") and f": {field}: " in p and message in p]
    assert wanted, f"expected line {line}, field {field}, {message!r}; got {found}"


def test_the_id_must_be_the_file_name(tmp_path: Path) -> None:
    found = problems_of(tmp_path, GOOD, name="other.yml")
    assert any(
        p.startswith("playbooks/frameworks/other.yml:1:") and "id: the id 'good-one' must equal the file name" in p for p in found
    ), found


def test_a_link_to_a_missing_calculator_page_is_refused(tmp_path: Path) -> None:
    root = library_with(tmp_path, {"good-one.yml": GOOD.replace("related: {", "related: {calculators: [coverage, nope], ")})
    (root / "docs" / "calculators").mkdir(parents=True)
    (root / "docs" / "calculators" / "coverage.md").write_text("# Coverage\n", encoding="utf-8")
    _, problems = read_library(root)
    assert [p.field for p in problems] == ["related.calculators[1]"]
    assert "'nope' is not a known calculator page (known: coverage)" in problems[0].message
