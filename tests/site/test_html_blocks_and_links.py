"""The fast path: generated pages skip Markdown for their long structures and skip Material's
HTML parser for search, without losing what a reader or the link checker sees.

* Raw HTML blocks (cslibrary/render/blocks.py) keep their links working: the plugin turns
  ``.md`` targets into URLs, reports a missing target and hands anchors to MkDocs' check.
* Generated pages are indexed once each, by the plugin, with words kept apart.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

import markdown
import pytest
from material.plugins.offline.plugin import OfflinePlugin  # type: ignore[import-untyped]
from material.plugins.search.plugin import SearchPlugin  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from cslibrary.render import blocks
from cslibrary.render.document import Document
from cslibrary.render.escape import md_text
from cslibrary.render.inline import md_html
from cslibrary.site.pages import GeneratedPages
from cslibrary.site.plugin import LibraryPlugin
from tests.conftest import site_markdown_extensions

ROOT = Path(__file__).resolve().parents[2]
PAGES = GeneratedPages()


def _page(tmp_path: Path, src: str, *others: str) -> tuple[Page, Files]:
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    errors, _ = config.validate()
    assert not errors
    files = Files([File(path, str(tmp_path / "docs"), str(tmp_path / "site"), use_directory_urls=True) for path in (src, *others)])
    page = Page(None, files.get_file_from_path(src), config)  # type: ignore[arg-type]
    page.links_to_anchors = {}
    return page, files


def test_links_in_raw_blocks_become_urls_and_anchors_are_checked(tmp_path: Path) -> None:
    page, files = _page(tmp_path, "playbooks/qbr.md", "metrics/nrr.md", "playbooks/qbr/steps.csv", "playbooks/index.md")
    block = blocks.ul(
        [
            blocks.a("NRR", "playbooks/qbr.md", "metrics/nrr.md", "bands"),
            blocks.a("CSV", "playbooks/qbr.md", "playbooks/qbr/steps.csv"),
            blocks.a("Library", "playbooks/qbr.md", "playbooks/index.md"),
            '<a href="https://example.com/x.md">out</a>',
            '<a href="#steps">here</a>',
        ]
    )
    out = PAGES._resolve_links(block, page, files)
    assert 'href="../../metrics/nrr/#bands"' in out
    assert 'href="steps.csv"' in out and 'href="../"' in out
    assert 'href="https://example.com/x.md"' in out and 'href="#steps"' in out
    nrr = files.get_file_from_path("metrics/nrr.md")
    assert page.links_to_anchors == {nrr: {"bands": "../metrics/nrr.md#bands"}}


def test_a_raw_block_link_to_a_missing_page_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page, files = _page(tmp_path, "playbooks/qbr.md")
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.library"):
        PAGES._resolve_links('<a href="../metrics/gone.md">x</a>', page, files)
    assert "playbooks/qbr.md" in caplog.text and "../metrics/gone.md" in caplog.text


def test_generated_entries_join_the_index_before_the_offline_plugin_copies_it() -> None:
    """Material's search plugin writes search_index.json; its offline plugin (for a site opened
    from disk, with no server) then copies it into search_index.js."""
    search = getattr(SearchPlugin.on_post_build, "mkdocs_priority", 0)
    offline = getattr(OfflinePlugin.on_post_build, "mkdocs_priority", 0)
    ours = getattr(LibraryPlugin.on_post_build, "mkdocs_priority", 0)
    assert offline < ours < search


@pytest.mark.slow
def test_each_generated_section_is_indexed_once_with_words_apart(built_site: Path) -> None:
    """Table cells written back to back ran together in the index ("WhenActionOwner", "T-120Review")."""
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    twice = [loc for loc, n in Counter(d["location"] for d in docs).items() if n > 1]
    assert not twice, twice[:5]
    entry = {d["location"]: d for d in docs}
    steps = entry["playbooks/renewal/#steps"]
    assert steps["title"] == "Steps"
    assert "When Action Owner Channel Goal Resources" in steps["text"]
    assert "T-120 Review health" in steps["text"]
    assert "Category: Lifecycle" in steps["tags"]
    assert "Onboarding (high touch) Onboarding (low touch) Onboarding (tech touch)" in entry["playbooks/#by-journey-stage-and-category"]["text"]
    # Hand-written pages are still indexed by Material's plugin.
    assert entry["guides/start-here/"]["title"]


@pytest.mark.slow
def test_search_leaves_out_calculator_forms_but_keeps_worked_examples(built_site: Path) -> None:
    """A form's labels and numbers ("InputsWeight model optional…") were indexed as page text."""
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    noisy = [d["location"] for d in docs if "Turn on JavaScript to change the inputs" in d["text"] or "Chart data" in d["text"]]
    assert not noisy, noisy[:5]
    text = " ".join(d["text"] for d in docs if d["location"].startswith("metrics/nrr/"))
    assert "Worked example" in " ".join(d["title"] for d in docs if d["location"].startswith("metrics/nrr/"))
    assert "107" in text  # the worked example's result, computed at build time
    assert any(d["location"] == "calculators/health/" for d in docs)


def test_words_that_read_like_attributes_stay_words(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Review finding: notes saying href="gone.md" failed the strict build (or had their text rewritten)."""
    page, files = _page(tmp_path, "playbooks/qbr.md", "playbooks/renewal.md")
    block = md_html('Write href="gone.md" or href="renewal.md" and id="bands" in the notes.')
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.library"):
        out = PAGES._resolve_links(block, page, files)
    assert out == block and not caplog.text
    assert blocks.ID.findall(block) == [] and page.links_to_anchors == {}


def test_headings_written_as_html_match_what_markdown_would_write() -> None:
    """document.py mirrors the toc extension as mkdocs.yml configures it: ids, permalinks, contents."""
    toc = site_markdown_extensions()[1]["toc"]
    titles = [(1, "Renewal & expansion"), (2, "Steps"), (2, "Steps"), (3, "Ünïcode café: T-90 <prep>"), (2, "Q&A")]
    engine = markdown.Markdown(extensions=["toc"], extension_configs={"toc": toc})
    expected = engine.convert("\n\n".join(f"{'#' * level} {md_text(text)}" for level, text in titles))
    doc = Document()
    for level, text in titles:
        doc.heading(level, text)
    assert doc.html() == expected
    flat: list[tuple[int, str, str]] = []

    def walk(tokens: list[dict[str, Any]]) -> None:
        for t in tokens:
            flat.append((t["level"], t["id"], t["name"]))
            walk(t["children"])

    walk(engine.toc_tokens)  # type: ignore[attr-defined]
    assert [(h.level, h.id, h.name) for h in doc.headings] == flat
