"""Playbook pages in a real Chromium: each prints on one A4 page, and the library index filters.

Issue 4 asks that "a playbook prints as a clean one-page checklist". The print stylesheet
(docs/assets/stylesheets/print.css) leaves out the navigation, the steps table, the notes and
the links; these tests print every shipped playbook to PDF, as the browser's print dialog
does with the page's own ``@page`` size, and count the pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cslibrary.model.loader import load_library
from tests.site.test_browser_calculators import base_url, browser_type_launch_args  # noqa: F401  (fixtures: Debian's Chromium)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
LIBRARY = load_library(ROOT)
PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def test_every_playbook_prints_on_one_page(page: Page, site_url: str) -> None:
    too_long = []
    for playbook_id in sorted(LIBRARY.playbooks):
        page.goto(f"{site_url}playbooks/{playbook_id}/")
        pages = len(PDF_PAGE.findall(page.pdf(prefer_css_page_size=True)))
        if pages != 1:
            too_long.append(f"{playbook_id}: {pages} pages")
    assert not too_long, too_long


def test_print_keeps_the_checklist_and_leaves_out_the_rest(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}playbooks/renewal/")
    page.emulate_media(media="print")
    for hidden in (".cs-steps", ".cs-notes", ".cs-links", ".cs-exports", ".md-header", ".md-sidebar--secondary"):
        expect(page.locator(hidden).first).to_be_hidden()
    for shown in ("h2#checklist", "ul.task-list", "h2#escalation-rules", ".cs-card"):
        expect(page.locator(shown).first).to_be_visible()
    steps = len(LIBRARY.playbooks["renewal"].steps)
    expect(page.locator("h2#checklist + ul.task-list > li")).to_have_count(steps)


def test_the_library_index_filters_by_facet_and_text(page: Page, site_url: str) -> None:
    total = len(LIBRARY.playbooks)
    interventions = sum(p.category == "intervention" for p in LIBRARY.playbooks.values())
    page.goto(f"{site_url}playbooks/")
    count = page.locator(".cs-filter-count")
    expect(count).to_have_text(f"{total} of {total} playbooks")
    page.get_by_label("Filter by Category").select_option("Intervention")
    expect(count).to_have_text(f"{interventions} of {total} playbooks")
    expect(page.locator(".cs-filterable tbody tr:visible")).to_have_count(interventions)
    page.get_by_label("Filter by text").fill("escalation")
    shown = page.locator(".cs-filterable tbody tr:visible")
    expect(shown.first).to_contain_text("escalation", ignore_case=True)
    assert 0 < shown.count() < interventions
    page.locator(".cs-filter-bar").get_by_role("button", name="Clear").click()
    expect(count).to_have_text(f"{total} of {total} playbooks")
