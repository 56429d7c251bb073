"""Generated pages in a real Chromium: playbooks on screen and on paper, the library index's filters, metric pages.

Issue 4 asks that "a playbook prints as a clean one-page checklist". The print stylesheet
(docs/assets/stylesheets/print.css) leaves out the navigation, the steps table, the notes and
the links; these tests print every shipped playbook to PDF, as the browser's print dialog
does with the page's own ``@page`` size, and count the pages. On screen the steps table is
the checklist of the steps (a check box per row), so each step shows once.

"Find the right play in seconds": the library index filters by category, stage, segment,
owner and trigger type and by words the rows do not show; the choices live in the address
(a shared link, reload, back and forward give the same list); a live region counts the rows.
A metric page has one bands table and one worked example, the live calculator.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from cslibrary.model import Playbook
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
    steps = len(LIBRARY.playbooks["renewal"].steps)
    expect(page.locator("h2#checklist + ul.task-list")).to_be_hidden()  # on screen the table has the steps
    page.emulate_media(media="print")
    for hidden in (".cs-steps", ".cs-notes", ".cs-links", ".cs-exports", ".md-header", ".md-sidebar--secondary", ".md-tags"):
        expect(page.locator(hidden).first).to_be_hidden()
    for shown in ("h2#checklist", "ul.task-list", "h2#escalation-rules", ".cs-card"):
        expect(page.locator(shown).first).to_be_visible()
    expect(page.locator("h2#checklist + ul.task-list > li")).to_have_count(steps)
    expect(page.locator("h2#checklist + ul.task-list")).to_be_visible()


def test_a_playbook_page_shows_each_step_once_on_screen(page: Page, site_url: str) -> None:
    playbook = LIBRARY.playbooks["at-risk"]
    page.goto(f"{site_url}playbooks/at-risk/")
    rows = page.locator(".cs-steps tbody tr")
    expect(rows).to_have_count(len(playbook.steps))
    for step in playbook.steps:  # in a table cell, and in no other cell or list item on screen
        expect(page.locator("article").locator("td, li").filter(has_text=step.action).locator("visible=true")).to_have_count(1)
    # Each row's check box is named by its time and described by its action; ticking it fades the row.
    first = page.get_by_role("checkbox", name=f"Day {playbook.steps[0].at}").first
    expect(first).to_have_accessible_description(playbook.steps[0].action)
    first.check()
    expect(first).to_be_checked()
    assert rows.first.locator("td").nth(1).evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    # The exit criteria show once too: in the checklist, not in the card.
    for criterion in playbook.exit_criteria:
        expect(page.locator("article").locator("td, li").filter(has_text=criterion).locator("visible=true")).to_have_count(1)


def test_a_playbook_page_shows_its_tags_once_in_one_vocabulary(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}playbooks/onboarding-high-touch/")
    tags = [t.strip() for t in page.locator(".md-tags .md-tag").all_inner_texts()]
    assert "Segment: High touch" in tags and "high-touch" not in tags, tags
    said = [re.sub(r"[\W_]+", "", t.split(": ", 1)[-1].lower()) for t in tags]
    assert len(said) == len(set(said)), tags
    expect(page.locator(".cs-card")).not_to_contain_text("Segments:")  # the tags say it


def _facet(playbook: Playbook, key: str) -> list[str]:
    """The ids a playbook's row holds for one filter (its ``data-<key>``)."""
    if key == "segment":
        return [str(s) for s in playbook.segments]
    return [str({"category": playbook.category, "stage": playbook.stage, "owner": playbook.owner, "trigger": playbook.trigger.type}[key])]


def _shown(page: Page) -> list[str]:
    return page.locator(".cs-library tbody tr:visible td.cs-play a").all_inner_texts()


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_the_library_index_filters_by_facet_and_text(page: Page, site_url: str) -> None:
    playbooks = LIBRARY.playbooks.values()
    total = len(LIBRARY.playbooks)
    interventions = sum(p.category == "intervention" for p in playbooks)
    page.goto(f"{site_url}playbooks/")
    count = page.get_by_role("status").filter(has_text="playbooks")
    expect(count).to_have_text(f"{total} of {total} playbooks")
    expect(count).to_have_attribute("aria-live", "polite")
    page.get_by_label("Category").select_option("Intervention")
    expect(count).to_have_text(f"{interventions} of {total} playbooks")
    expect(page.locator(".cs-library tbody tr:visible")).to_have_count(interventions)
    assert _query(page) == {"category": ["intervention"]}
    for key, label, value in (
        ("stage", "Journey stage", "renewal"),
        ("segment", "Segment", "high_touch"),
        ("owner", "Owner", "csm"),
        ("trigger", "Trigger type", "metric"),
    ):
        page.goto(f"{site_url}playbooks/?{key}={value}")
        want = sorted(p.title for p in playbooks if value in _facet(p, key))
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
        expect(count).to_have_text(f"{len(want)} of {total} playbooks")
        assert sorted(_shown(page)) == want, key


def test_the_text_filter_finds_words_the_rows_do_not_show(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}playbooks/")
    table = page.locator(".cs-library table")
    expect(table).not_to_contain_text("churn", ignore_case=True)  # no visible cell says it
    page.get_by_label("Words").fill("churn")
    shown = page.locator(".cs-library tbody tr:visible")
    expect(shown.first).to_be_visible()
    churn = [p.title for p in LIBRARY.playbooks.values() if "churn" in (" ".join(p.tags) + p.summary + p.trigger.description).lower()]
    assert sorted(_shown(page)) == sorted(churn) and churn
    assert _query(page) == {"words": ["churn"]}
    page.get_by_label("Words").fill("utilization licence")  # American and British spellings meet
    expect(page.get_by_role("status").filter(has_text="playbooks")).not_to_have_text(re.compile(r"^0 of"))
    page.get_by_label("Words").fill("no such play anywhere")
    expect(page.get_by_text("No playbook matches all of these filters")).to_be_visible()
    page.get_by_role("button", name="clear them all").click()
    expect(page.get_by_role("status").filter(has_text="playbooks")).to_have_text(
        f"{len(LIBRARY.playbooks)} of {len(LIBRARY.playbooks)} playbooks"
    )
    assert _query(page) == {}


def test_the_library_filters_live_in_the_address(page: Page, site_url: str) -> None:
    total = len(LIBRARY.playbooks)

    def count() -> Locator:
        return page.get_by_role("status").filter(has_text="playbooks")

    # A shared link opens with its filters chosen.
    page.goto(f"{site_url}playbooks/?category=intervention&words=renewal")
    expect(page.get_by_label("Category")).to_have_value("intervention")
    expect(page.get_by_label("Words")).to_have_value("renewal")
    both = len(_shown(page))
    assert 0 < both < total
    expect(count()).to_have_text(f"{both} of {total} playbooks")
    # Each choice is a step of the history: back and forward restore it.
    page.get_by_label("Owner").select_option("csm")
    with_owner = len(_shown(page))
    assert _query(page) == {"category": ["intervention"], "words": ["renewal"], "owner": ["csm"]}
    page.go_back()
    expect(page.get_by_label("Owner")).to_have_value("")
    expect(count()).to_have_text(f"{both} of {total} playbooks")
    page.go_forward()
    expect(page.get_by_label("Owner")).to_have_value("csm")
    expect(count()).to_have_text(f"{with_owner} of {total} playbooks")
    # Away to a playbook and back (Material's instant navigation): the list is as it was.
    page.locator(".cs-library tbody tr:visible td.cs-play a").first.click()
    page.wait_for_url(re.compile(r"/playbooks/[a-z-]+/$"))
    page.go_back()
    expect(page.get_by_label("Owner")).to_have_value("csm")
    expect(count()).to_have_text(f"{with_owner} of {total} playbooks")
    # Unknown values in the address are ignored.
    page.goto(f"{site_url}playbooks/?category=nonsense")
    expect(page.get_by_label("Category")).to_have_value("")
    expect(count()).to_have_text(f"{total} of {total} playbooks")


def test_the_library_filters_work_from_the_keyboard(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}playbooks/")
    for label in ("Category", "Journey stage", "Segment", "Owner", "Trigger type", "Words"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    entries = page.evaluate("history.length")
    category = page.get_by_label("Category")
    category.focus()
    for _ in range(3):  # Chromium steps a closed select with the arrow keys, a change each time
        page.keyboard.press("ArrowDown")
    expect(category).not_to_have_value("")
    chosen = category.input_value()
    assert _query(page) == {"category": [chosen]}
    page.keyboard.press("Tab")
    expect(page.get_by_label("Journey stage")).to_be_focused()
    page.get_by_label("Words").press_sequentially("review")
    assert _query(page) == {"category": [chosen], "words": ["review"]}
    # One history entry per filter touched, not one per key.
    assert page.evaluate("history.length") == entries + 2
    page.go_back()
    expect(page.get_by_label("Words")).to_have_value("")
    expect(category).to_have_value(chosen)


def test_a_metric_page_has_one_bands_table_and_one_worked_example(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}metrics/nrr/")
    article = page.locator("article")
    bands = article.locator("table:visible", has=page.locator("th", has_text="Range"))
    expect(bands).to_have_count(1)
    expect(bands.locator("tbody tr")).to_have_count(len(LIBRARY.metrics["nrr"].bands))
    expect(article.locator("form[data-calculator]")).to_have_count(1)
    expect(article.locator(".cs-example form[data-calculator='nrr_grr'] input[name='starting_mrr']")).to_have_value("1000000")
    expect(article.locator("h2", has_text="Worked example")).to_have_count(1)
    text = article.inner_text()
    assert "nrr_grr" not in text and "[100, 110)" not in text and "Computed with the" not in text
