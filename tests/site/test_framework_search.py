"""Frameworks in the built site: every framework and every section of one is found in search by its name.

The search index (``search/search_index.json``) holds one entry per page section; the title
of a framework's first entry is the framework's title and each section's entry is titled by
the section's heading, at ``frameworks/<id>/#<section id>``. The home page carries the
leader's path and the guide links to the leader's frameworks.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from cslibrary.model import Library
from cslibrary.model.loader import load_library

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = load_library(ROOT)


@pytest.fixture(scope="module")
def entries(built_site: Path) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return docs


def _titles(entries: list[dict[str, Any]], location: str) -> set[str]:
    return {html.unescape(re.sub(r"<[^>]+>", "", e["title"])).strip() for e in entries if e["location"] == location}


@pytest.mark.parametrize("fid", sorted(LIBRARY.frameworks))
def test_a_framework_and_its_sections_are_found_by_name(entries: list[dict[str, Any]], fid: str) -> None:
    framework = LIBRARY.frameworks[fid]
    assert framework.title in _titles(entries, f"frameworks/{fid}/"), fid
    for section in framework.sections:
        assert section.title in _titles(entries, f"frameworks/{fid}/#{section.id}"), f"{fid}#{section.id}"


def test_aliases_are_indexed_with_the_page(entries: list[dict[str, Any]]) -> None:
    text = " ".join(e["title"] + " " + e["text"] for e in entries if e["location"].startswith("frameworks/tech-stack/"))
    for alias in LIBRARY.frameworks["tech-stack"].aliases:
        assert html.escape(alias, quote=False) in text, alias


def test_the_home_page_has_the_leaders_path(built_site: Path, library: Library = LIBRARY) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    card = home[home.index("Leading the CS team?") :]
    card = card[: card.index("Running accounts as a CSM")]
    for href in (
        "frameworks/organisation-design/",
        "segments/",
        "calculators/coverage/",
        "frameworks/compensation/",
        "frameworks/tech-stack/",
        "frameworks/dashboards/",
        "guides/building-a-cs-organisation/",
    ):
        assert f'href="{href}"' in card, href


def test_the_leaders_guide_links_to_the_frameworks(built_site: Path) -> None:
    guide = (built_site / "guides" / "building-a-cs-organisation" / "index.html").read_text(encoding="utf-8")
    for fid in ("organisation-design", "segmentation", "coverage-models", "compensation", "tech-stack", "cs-operations", "dashboards"):
        assert f'href="../../frameworks/{fid}/' in guide, fid
