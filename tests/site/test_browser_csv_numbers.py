"""Never a silent wrong number, in a real Chromium: a European CSV pasted into the renewal
forecast loads as written (``€120.000`` is 120 000), and an ambiguous one (``1.234``) is refused
with its row, column and both readings. Observed as a reader sees it: the CSV status line, the
table's cells and the outputs (the rules themselves: ``tests/calculators/test_csv_import.py``).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.calculators.test_csv_import import EUROPEAN
from tests.site.test_browser_calculators import (  # noqa: F401  (fixtures: Debian's Chromium, the page watch)
    base_url,
    browser_type_launch_args,
    form,
    wait_live,
    watch,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("watch")]  # no request leaves the site, no page error


def paste(renewal: Locator, text: str) -> Locator:
    """Paste ``text`` into the renewal forecast's CSV box and load it; the status line the reader sees."""
    csv_box = renewal.locator("details.cs-csv")
    csv_box.locator("summary").click()
    csv_box.locator("[data-csv-text]").fill(text)
    csv_box.locator('[data-action="csv-load"]').click()
    return csv_box.locator("[data-csv-status]")


def test_a_european_csv_totals_195000(page: Page, site_url: str) -> None:
    page.goto(site_url + "calculators/renewals/")
    wait_live(page, "renewal_forecast")
    renewal = form(page, "renewal_forecast")
    expect(paste(renewal, EUROPEAN)).to_have_text("Loaded 3 rows from the CSV.")
    expect(renewal.locator("tbody[data-rows] > tr")).to_have_count(3)
    expect(renewal.locator('[name="accounts[0].arr"]')).to_have_value("120000")
    expect(renewal.locator('[data-output="total_due"]')).to_contain_text("195,000")


def test_an_ambiguous_csv_is_refused_with_both_readings(page: Page, site_url: str) -> None:
    page.goto(site_url + "calculators/renewals/")
    wait_live(page, "renewal_forecast")
    renewal = form(page, "renewal_forecast")
    rows = renewal.locator("tbody[data-rows] > tr")
    before = rows.count()
    total = renewal.locator('[data-output="total_due"]').inner_text()
    status = paste(renewal, "Account;ARR due;Health\nAcme;45000;80\nBeta;1.234;35\n")
    expect(status).to_contain_text("Row 2, ARR due: '1.234' is ambiguous: 1.234 with decimal '.' or 1234 with decimal ','")
    expect(rows).to_have_count(before)  # nothing loaded
    expect(renewal.locator('[data-output="total_due"]')).to_have_text(total)
