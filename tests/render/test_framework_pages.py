"""Framework pages: frameworks/index.md and frameworks/<id>.md, rendered from the shipped YAML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cslibrary.model import Library
from cslibrary.model.calculator_config import config_from_model
from cslibrary.model.loader import load_library
from cslibrary.render import Page, render_pages
from cslibrary.render.frameworks import INDEX, TOPICS, framework_path

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(ROOT)


@pytest.fixture(scope="module")
def pages(library: Library) -> dict[str, Page]:
    return {p.path: p for p in render_pages(library, config_from_model(library))}


def test_every_framework_has_a_page_under_a_stable_url(library: Library, pages: dict[str, Page]) -> None:
    for fid, framework in library.frameworks.items():
        page = pages[framework_path(fid)]
        assert page.path == f"frameworks/{fid}.md" and page.source == f"playbooks/frameworks/{fid}.yml"
        assert page.title == framework.title
        assert f"\n# {framework.title}\n" in page.content


def test_each_section_is_a_heading_with_its_id(library: Library, pages: dict[str, Page]) -> None:
    for fid, framework in library.frameworks.items():
        content = pages[framework_path(fid)].content
        for section in framework.sections:
            assert re.search(rf"^## .+ \{{ #{re.escape(section.id)} \}}$", content, re.M), f"{fid}#{section.id}"


def test_a_table_steps_scale_and_checklist_are_laid_out(pages: dict[str, Page]) -> None:
    tech = pages[framework_path("tech-stack")].content
    assert "| Criterion | Weight | How to assess it |\n| --- | --- | --- |\n| Fit for your segments | 25 % | Demo, references |" in tech
    assert "1. **Foundation** (Weeks 1–4)\n    - CRM integration configured" in tech
    org = pages[framework_path("organisation-design")].content
    assert "| Stage 1: 0–20 customers | **Founding** |" in org
    assert "- [ ] Build the CS Ops function before you have 5 or more CSMs." in org


def test_sources_and_links_are_on_the_page(pages: dict[str, Page]) -> None:
    content = pages[framework_path("tech-stack")].content
    assert "*Source: the CS strategy reference (seed 002), section “CS Technology Stack Strategy: Vendor Evaluation Criteria”.*" in content
    # a metric, a playbook, a section of another framework and a calculator heading, relative to the page
    assert "[Playbook compliance](../metrics/playbook_compliance.md)" in content
    assert "](../playbooks/qbr.md)" in content
    assert "[The CS Ops function](cs-operations.md)" in content
    compensation = pages[framework_path("compensation")].content
    assert "[Renewal incentive payout calculator](../calculators/leadership.md#renewal-incentive-payout)" in compensation
    assert "**book GRR 40 %**" in compensation


def test_the_index_lists_every_framework_by_topic(library: Library, pages: dict[str, Page]) -> None:
    index = pages[INDEX]
    assert index.listed and index.title == "Frameworks"
    topics = [line[3:] for line in index.content.splitlines() if line.startswith("## ")]
    assert topics == [t for t in TOPICS.values() if any(TOPICS[f.topic] == t for f in library.frameworks.values())]
    for fid, framework in library.frameworks.items():
        assert f"[{framework.title}]({fid}.md)" in index.content


def test_yaml_text_is_escaped(library: Library) -> None:
    framework = library.frameworks["tech-stack"]
    hostile = framework.model_copy(deep=True)
    assert hostile.sections[0].table is not None
    hostile.sections[0].table.rows[0][0] = "<script>x</script> *b* | c"
    library.frameworks["tech-stack"] = hostile
    try:
        content = {p.path: p for p in render_pages(library, config_from_model(library))}[framework_path("tech-stack")].content
    finally:
        library.frameworks["tech-stack"] = framework
    assert "<script>" not in content and "&lt;script&gt;x&lt;/script&gt; \\*b\\* \\| c" in content
