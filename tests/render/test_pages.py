"""The render layer on its own (no MkDocs): which pages exist, what they say, where they link."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from cslibrary.model import Library
from cslibrary.model.calculator_config import config_from_model
from cslibrary.model.loader import load_library
from cslibrary.render import Page, markup, render_pages
from cslibrary.render.exports import read_steps_csv
from cslibrary.render.labels import offset

ROOT = Path(__file__).resolve().parents[2]
EDIT = "https://github.com/example/cs-playbook-library/edit/main/"
#: Markdown links, and links in the raw HTML blocks (cslibrary/render/blocks.py).
LINK = re.compile(r"\]\(([^)\s]+)\)|href=\"([^\"]+)\"")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT)


@pytest.fixture(scope="module")
def pages(library: Library) -> dict[str, Page]:
    return {p.path: p for p in render_pages(library, config_from_model(library), edit_base=EDIT)}


def front_matter(page: Page) -> dict[str, Any]:
    head, sep, _ = page.content.removeprefix("---\n").partition("\n---\n")
    assert sep, f"{page.path} has no front matter"
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


def test_one_page_per_playbook_metric_and_segment(library: Library, pages: dict[str, Page]) -> None:
    for playbook_id in library.playbooks:
        assert markup.playbook_path(playbook_id) in pages
        assert markup.export_path(playbook_id, "steps.csv") in pages
        assert markup.export_path(playbook_id, "checklist.md") in pages
    for metric_id in library.metrics:
        assert markup.metric_path(metric_id) in pages
    for tier in library.segments.tiers:
        assert markup.segment_path(tier.id) in pages
    for index in (markup.PLAYBOOKS, markup.METRICS, markup.SEGMENTS, markup.HEALTH, markup.JOURNEY, markup.OPERATING_MODEL, markup.ROLES):
        assert pages[index].listed, index


def test_every_page_has_a_title_and_its_source(library: Library, pages: dict[str, Page]) -> None:
    for page in pages.values():
        if page.kind == "download":
            continue
        assert front_matter(page)["title"] == page.title
        h1 = page.content.count("<h1 ") if page.headings else page.content.count("\n# ")
        assert h1 == 1, f"{page.path}: exactly one H1"
    for playbook_id, source in library.playbook_paths.items():
        assert pages[markup.playbook_path(playbook_id)].source == source
        assert f'<a href="{EDIT}{source}">Edit this playbook</a>' in pages[markup.playbook_path(playbook_id)].content


def test_internal_links_point_at_generated_or_hand_written_pages(pages: dict[str, Page]) -> None:
    docs = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()}
    known = set(pages) | docs
    for page in pages.values():
        if page.kind == "download":
            continue
        for target in (md or html for md, html in LINK.findall(page.content)):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), target.split("#", 1)[0]))
            assert path in known, f"{page.path} links to {target}, which is not a page"


def test_playbook_page_has_every_part(library: Library, pages: dict[str, Page]) -> None:
    playbook = library.playbooks["renewal"]
    text = pages[markup.playbook_path("renewal")].content
    page = pages[markup.playbook_path("renewal")]
    expected = [(1, "renewal", "Renewal"), (2, "steps", "Steps"), (2, "checklist", "Checklist"), (3, "exit-criteria", "Exit criteria")]
    expected += [(3, re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-"), t) for t in playbook.checklist]
    expected += [
        (2, "escalation-rules", "Escalation rules"),
        (2, "notes", "Notes"),
        (2, "automation", "Automation"),
        (2, "metrics", "Metrics"),
    ]
    expected += [(2, "segments", "Segments"), (2, "related-playbooks", "Related playbooks")]
    assert [(h.level, h.id, h.name) for h in page.headings] == expected
    for h in page.headings:  # the contents point at headings that are on the page
        assert f'<h{h.level} id="{h.id}">{h.name}<a class="headerlink" href="#{h.id}"' in text
    assert '<div class="admonition abstract cs-card">\n<p class="admonition-title">At a glance</p>' in text
    assert "<strong>T-120</strong>" in text and "<strong>T-0</strong>" in text
    assert text.count('<li class="task-list-item">') == len(playbook.steps) + len(playbook.exit_criteria) + sum(
        len(v) for v in playbook.checklist.values()
    )
    for target in ("../metrics/grr.md", "../segments/high_touch.md", "qbr.md", "renewal/steps.csv", "renewal/checklist.md"):
        assert f'href="{target}"' in text
    tags = front_matter(pages[markup.playbook_path("renewal")])["tags"]
    assert {"Category: Lifecycle", "Stage: Renewal", "Segment: High touch", "Trigger: Date"} <= set(tags)


@pytest.mark.parametrize(
    ("unit", "at", "label"), [("day", 0, "Day 0"), ("day", -14, "Day −14"), ("week", 3, "Week 3"), ("t_minus_day", -90, "T-90")]
)
def test_offset_labels(unit: str, at: int, label: str) -> None:
    assert offset(unit, at) == label


def test_steps_csv_round_trips_to_the_yaml_steps(library: Library, pages: dict[str, Page]) -> None:
    for playbook_id, playbook in library.playbooks.items():
        csv_text = pages[markup.export_path(playbook_id, "steps.csv")].content
        expected = [s.model_dump(exclude_unset=True, exclude_defaults=True) for s in playbook.steps]
        assert read_steps_csv(csv_text) == expected, playbook_id


def test_markdown_checklist_lists_every_step(library: Library, pages: dict[str, Page]) -> None:
    playbook = library.playbooks["at-risk"]
    text = pages[markup.export_path("at-risk", "checklist.md")].content
    assert text.startswith("# At-risk intervention: checklist")
    assert text.count("- [ ] **") == len(playbook.steps)


def test_library_index_lists_every_playbook_with_filters(library: Library, pages: dict[str, Page]) -> None:
    text = pages[markup.PLAYBOOKS].content
    assert 'class="cs-filterable"' in text and 'data-filter-segments="1"' in text
    for playbook_id in library.playbooks:
        assert f'<a href="{playbook_id}.md">' in text


def test_metric_page_shows_the_worked_example_computed_now(pages: dict[str, Page]) -> None:
    text = pages[markup.metric_path("nrr")].content
    assert "## Worked example" in text and "| NRR (%) | **107** |" in text
    # The live calculator starts from this metric's own example (JSON in the marker).
    assert '<!-- calculator: nrr_grr {"starting_mrr": 1000000, "expansion": 150000, "contraction": 30000, "churn": 50000} -->' in text
    utilization = pages[markup.metric_path("license_utilization")].content
    assert '<!-- calculator: rate {"metric": "license_utilization", "numerator": 130, "denominator": 200} -->' in utilization
    assert "| Renewal rate | **88** |" not in text  # each metric shows its own example only
    assert "**Good**" in pages[markup.metric_path("renewal_rate")].content


def test_health_page_maps_bands_to_playbooks(library: Library, pages: dict[str, Page]) -> None:
    text = pages[markup.HEALTH].content
    for band in library.health.bands:
        assert f"**{band.label}**" in text
        assert f"(../playbooks/{band.playbook}.md)" in text
    assert "Four plays, five bands" in text and '<!-- calculator: health_score {"segment": "default", "components": {' in text
    assert "| **Total** |" in text


def test_journey_links_each_stage_to_its_playbooks(library: Library, pages: dict[str, Page]) -> None:
    text = pages[markup.JOURNEY].content
    for stage in library.stages.journey:
        assert f"{{ #{stage.id} }}" in text
    for playbook in library.playbooks.values():
        assert f'<a href="../playbooks/{playbook.id}.md">' in text


def test_without_edit_base_there_is_no_edit_link(library: Library) -> None:
    plain = {p.path: p for p in render_pages(library, config_from_model(library))}
    assert "Edit this playbook" not in plain[markup.playbook_path("qbr")].content


def test_render_command_writes_the_pages_to_a_folder(tmp_path: Path, pages: dict[str, Page]) -> None:
    from cslibrary.cli import main

    assert main(["render", str(tmp_path / "out"), "--root", str(ROOT)]) == 0
    written = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert written == set(pages)
    assert (tmp_path / "out" / "playbooks" / "qbr.md").read_text(encoding="utf-8").startswith("---\ntitle: ")


@pytest.mark.parametrize("module", ["escape", "labels"])
def test_doctests(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"cslibrary.render.{module}"))
    assert result.attempted and not result.failed
