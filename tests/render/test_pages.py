"""The render layer on its own (no MkDocs): which pages exist, what they say, where they link."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from calculators.triage import rule_in_words
from cslibrary.model import Library
from cslibrary.model.calculator_config import config_from_model
from cslibrary.model.loader import load_library
from cslibrary.render import Page, RenderError, markup, render_pages
from cslibrary.render.escape import html_text
from cslibrary.render.exports import read_steps_csv
from cslibrary.render.labels import offset
from cslibrary.render.text import first_sentence, plain_text

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
    expected += [(2, "stage-and-segments", "Stage and segments"), (2, "related-playbooks", "Related playbooks")]
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


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_playbook_page_shows_each_step_once_on_screen(library: Library, pages: dict[str, Page]) -> None:
    """The steps table is the screen's checklist (a check box per step); the steps' task list is for print only."""
    for playbook_id, playbook in library.playbooks.items():
        text = pages[markup.playbook_path(playbook_id)].content
        table = _between(text, '<div class="cs-steps">', "</table>")
        printed = _between(text, '<ul class="task-list cs-print-only">', "</ul>")
        screen = text.replace(printed, "")
        assert table.count('<input type="checkbox"') == len(playbook.steps), playbook_id
        assert printed.count('<li class="task-list-item">') == len(playbook.steps), playbook_id
        assert screen.count("cs-print-only") == 0 and text.count("cs-print-only") == 1, playbook_id
        for step in playbook.steps:  # once in the table, once in the printed list, nowhere else
            action = html_text(step.action)
            assert table.count(action) >= 1 and printed.count(action) >= 1, (playbook_id, step.action)
            assert screen.count(f">{action}<") == table.count(f">{action}<"), (playbook_id, step.action)
        card = _between(text, '<div class="admonition abstract cs-card">', "</div>")
        assert all(html_text(c) not in card for c in playbook.exit_criteria), playbook_id  # the checklist has them


def test_checklist_lines_say_each_name_once(library: Library, pages: dict[str, Page]) -> None:
    """Review finding: "Alert fires in the CS platform (CS platform (automation))"."""
    nested = re.compile(r"\([^()]*\([^()]*\)[^()]*\)\s*$")
    for playbook_id in library.playbooks:
        text = pages[markup.playbook_path(playbook_id)].content
        printed = _between(text, '<ul class="task-list cs-print-only">', "</ul>")
        download = pages[markup.export_path(playbook_id, "checklist.md")].content
        lines = [re.sub(r"<[^>]+>", "", line) for line in printed.splitlines()] + download.splitlines()
        for line in lines:
            assert not nested.search(line), (playbook_id, line)
            assert "CS platform (CS platform" not in line and "(CS platform (automation)" not in line, (playbook_id, line)
    at_risk = pages[markup.export_path("at-risk", "checklist.md")].content
    assert "- [ ] **Day 0**: Alert fires in the CS platform (automation)\n" in at_risk
    renewal = pages[markup.export_path("renewal", "checklist.md")].content
    assert "- [ ] **T-30**: Send the renewal contract (Legal · Document)\n" in renewal


def test_tags_say_each_facet_once_in_one_vocabulary(library: Library, pages: dict[str, Page]) -> None:
    """A YAML tag that restates a facet ("high-touch" beside "Segment: High touch") is left out."""

    def words(tag: str) -> str:
        return re.sub(r"[\W_]+", "", tag.split(": ", 1)[-1].lower())

    for playbook_id, playbook in library.playbooks.items():
        tags = front_matter(pages[markup.playbook_path(playbook_id)])["tags"]
        assert len(tags) == len(set(tags)), playbook_id
        facets = [t for t in tags if re.match(r"(Category|Stage|Segment|Trigger): ", t)]
        assert len(facets) == 3 + len(playbook.segments), playbook_id
        said = [words(t) for t in tags]
        assert len(said) == len(set(said)), (playbook_id, tags)
    onboarding = front_matter(pages[markup.playbook_path("onboarding-high-touch")])["tags"]
    assert "Segment: High touch" in onboarding and "high-touch" not in onboarding
    assert "renewal" not in front_matter(pages[markup.playbook_path("renewal")])["tags"]  # Stage: Renewal says it


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


def _rows(text: str) -> dict[str, str]:
    """The library table's rows by playbook id."""
    return {
        m.group(1): m.group(0)
        for m in re.finditer(r'<tr data-category="[^"]*"[^>]*>\n<td class="cs-play"><strong><a href="([^"]+)\.md">.*?</tr>', text, re.S)
    }


def test_library_index_lists_every_playbook_with_filters(library: Library, pages: dict[str, Page]) -> None:
    text = pages[markup.PLAYBOOKS].content
    config = config_from_model(library)
    rows = _rows(text)
    assert set(rows) == set(library.playbooks)
    for key, label in (
        ("category", "Category"),
        ("stage", "Journey stage"),
        ("segment", "Segment"),
        ("owner", "Owner"),
        ("trigger", "Trigger type"),
    ):
        assert f'<label for="cs-filter-{key}">{label}</label>\n<select id="cs-filter-{key}" name="{key}">' in text
    assert '<input type="search" id="cs-filter-words" name="words"' in text
    assert '<div class="cs-filter-bar" role="search" aria-label="Filter the playbooks" hidden data-cs-filters>' in text
    assert (
        f'role="status" aria-live="polite" aria-atomic="true" data-cs-count>{len(library.playbooks)} of {len(library.playbooks)} playbooks<'
        in text
    )
    for playbook_id, playbook in library.playbooks.items():
        row = rows[playbook_id]
        # The trigger in words, as triage runs it; the summary's first sentence.
        assert playbook.trigger.rule is not None
        assert html_text(rule_in_words(playbook_id, config)) in row, playbook_id
        first = plain_text(playbook.summary).split(". ")[0]
        assert html_text(first) in row, playbook_id
        assert f'data-category="{playbook.category}" data-stage="{playbook.stage}" data-segment="{" ".join(playbook.segments)}"' in row
        assert f'data-owner="{playbook.owner}" data-trigger="{playbook.trigger.type}"' in row
    # The text filter searches words the row does not show: "churn" is in no visible cell.
    visible = {pid: re.sub(r"<[^>]+>", " ", re.sub(r'data-search="[^"]*"', "", row)).lower() for pid, row in rows.items()}
    hidden = {pid: re.search(r'data-search="([^"]*)"', row).group(1) for pid, row in rows.items()}  # type: ignore[union-attr]
    assert not any("churn" in v for v in visible.values())
    assert sum("churn" in h for h in hidden.values()) >= 3


def test_first_sentence_of_a_summary() -> None:
    assert first_sentence(plain_text("Treat the renewal as a **strategic** moment, not paperwork. Starting four months out, …")) == (
        "Treat the renewal as a strategic moment, not paperwork."
    )
    assert first_sentence("The play for the At risk band (40–59): act early.") == "The play for the At risk band (40–59): act early."


def test_metric_page_says_each_thing_once(library: Library, pages: dict[str, Page]) -> None:
    """The formula, one bands table (ranges in words) and one worked example: the live calculator, no copy."""
    for metric_id, metric in library.metrics.items():
        text = pages[markup.metric_path(metric_id)].content
        assert text.count("| Band | Range | Meaning |") == 1, metric_id
        assert text.count("## Worked example") == (1 if metric.example else 0), metric_id
        assert text.count("<!-- calculator: ") == (1 if metric.example else 0), metric_id
        assert "| Input | Value |" not in text and "| Result | Value |" not in text, metric_id
        assert not re.search(r"[\[(]\d[\d.,]*, \d[\d.,]*[\])]", text), metric_id  # no interval notation
        if metric.example:  # no code identifiers outside the marker
            prose = re.sub(r"<!-- calculator: .*? -->", "", text)
            assert f"`{metric.example.calculator}`" not in prose and "calculator when this site was built" not in prose, metric_id
    nrr = pages[markup.metric_path("nrr")].content
    assert "| **Good** | 100 to under 110 % | Sustainable growth |" in nrr
    # The live calculator starts from this metric's own example (JSON in the marker), inside the example's box.
    assert (
        '<div class="cs-example">\n<!-- calculator: nrr_grr {"starting_mrr": 1000000, "expansion": 150000, "contraction": 30000, "churn": 50000} -->\n</div>'
        in nrr
    )
    utilization = pages[markup.metric_path("license_utilization")].content
    assert '<!-- calculator: rate {"metric": "license_utilization", "numerator": 130, "denominator": 200} -->' in utilization
    assert "renewal_rate" not in utilization  # each metric shows its own example only


def test_a_worked_example_the_calculator_refuses_stops_the_render(library: Library) -> None:
    metric = library.metrics["nrr"]
    assert metric.example is not None
    broken = metric.model_copy(
        update={"example": metric.example.model_copy(update={"inputs": {**metric.example.inputs, "starting_mrr": -5}})}
    )
    metrics = {**library.metrics, "nrr": broken}
    lib = Library(**{**{name: getattr(library, name) for name in type(library).__dataclass_fields__}, "metrics": metrics})
    with pytest.raises(RenderError, match="example: the nrr_grr calculator refused the inputs"):
        render_pages(lib, config_from_model(lib))


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


@pytest.mark.parametrize("module", ["escape", "labels", "text", "playbooks"])
def test_doctests(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"cslibrary.render.{module}"))
    assert result.attempted and not result.failed
