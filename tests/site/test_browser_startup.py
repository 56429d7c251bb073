"""How a calculator page starts and keeps state, as a reader sees it in Chromium.

The status line says what is loading and how far while the worked example stays readable; a
failed download says so and offers a retry that works; every calculator on a page keeps its
own inputs in the address bar; an input the chosen model ignores is disabled with the reason.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from .test_browser_calculators import (  # noqa: F401  (fixtures used by name)
    FAILED,
    LIVE,
    START,
    Watch,
    base_url,
    browser_type_launch_args,
    expected,
    fill,
    form,
    status,
    wait_live,
    watch,
)

pytestmark = pytest.mark.browser

PROGRESS = re.compile(r"^Loading the calculator: downloading \d+\.\d of \d+\.\d MB")


def test_the_status_shows_the_download_progress_while_the_example_stays(page: Page, watch: Watch, site_url: str) -> None:
    held: list[Route] = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))  # the runtime waits until the test lets it go
    started = time.monotonic()
    page.goto(site_url + "calculators/retention/", wait_until="commit")
    expect(status(page, "nrr_grr")).to_have_text(PROGRESS, timeout=START)
    seen = status(page, "nrr_grr").inner_text()
    assert time.monotonic() - started < 5, seen  # at once, not after the downloads
    done, total = (float(x) for x in re.findall(r"downloading (\d+\.\d) of (\d+\.\d) MB", seen)[0])
    assert done < total and 10 < total < 30, seen  # runtime + standard library (+ snapshot), in MB
    # The worked example stays on the page, readable and editable, while it loads.
    expect(form(page, "nrr_grr").locator('[data-output="nrr"]')).to_have_text("107.0 %")
    expect(form(page, "nrr_grr").locator('[name="starting_mrr"]')).to_be_editable()
    page.wait_for_timeout(200)
    assert held, "the runtime was never requested"
    for route in held:
        route.continue_()
    wait_live(page, "nrr_grr")


def test_a_failed_download_says_so_and_retry_starts_the_calculator(page: Page, watch: Watch, site_url: str, config: dict[str, Any]) -> None:
    network = {"down": True}

    def flaky(route: Route) -> None:
        if network["down"]:
            route.fulfill(status=503, body="unavailable")
        else:
            route.continue_()

    page.route("**/pyodide.asm.wasm", flaky)
    page.goto(site_url + "calculators/retention/")
    line = status(page, "nrr_grr")
    expect(line).to_have_text(FAILED, timeout=START)
    expect(line).to_contain_text("pyodide.asm.wasm")
    expect(line).to_contain_text("Retry")
    retry = form(page, "nrr_grr").locator('[data-action="retry"]')
    expect(retry).to_be_visible()
    expect(form(page, "nrr_grr").locator('[data-output="nrr"]')).to_have_text("107.0 %")  # the worked example stays
    network["down"] = False
    retry.click()
    wait_live(page, "nrr_grr")
    fill(page, "nrr_grr", "churn", "0")
    expect(form(page, "nrr_grr").locator('[data-output="nrr"]')).to_have_attribute("data-value", expected(config, "nrr_grr", {"churn": "0"}, "nrr"))
    # The failed request is the one expected; nothing else went wrong.
    watch.problems = [p for p in watch.problems if "503" not in p]


def test_every_calculator_on_a_page_keeps_its_inputs_in_the_address_bar(page: Page, watch: Watch, site_url: str, config: dict[str, Any]) -> None:
    page.goto(site_url + "calculators/retention/")
    wait_live(page, "nrr_grr")
    wait_live(page, "logo_retention")
    fill(page, "nrr_grr", "starting_mrr", "2000000")
    expect(page).to_have_url(re.compile(r"calculator=nrr_grr.*starting_mrr=2000000"))
    fill(page, "logo_retention", "churned_customers", "50")
    expect(page).to_have_url(re.compile(r"calculator=logo_retention.*churned_customers=50"))
    expect(page).to_have_url(re.compile(r"calculator=nrr_grr.*starting_mrr=2000000"))
    page.reload()
    nrr, logo = form(page, "nrr_grr"), form(page, "logo_retention")
    expect(nrr.locator('[name="starting_mrr"]')).to_have_value("2000000")
    expect(logo.locator('[name="churned_customers"]')).to_have_value("50")
    want_nrr = expected(config, "nrr_grr", {"starting_mrr": "2000000"}, "nrr")
    want_logo = expected(config, "logo_retention", {"churned_customers": "50"}, "logo_retention")
    expect(nrr.locator('[data-output="nrr"]')).to_have_attribute("data-value", want_nrr, timeout=START)
    expect(logo.locator('[data-output="logo_retention"]')).to_have_attribute("data-value", want_logo)
    # Resetting one calculator leaves the other's inputs in the address bar.
    nrr.locator('[data-action="reset"]').click()
    expect(page).not_to_have_url(re.compile(r"calculator=nrr_grr"))
    expect(page).to_have_url(re.compile(r"calculator=logo_retention.*churned_customers=50"))


def test_an_input_the_model_ignores_is_disabled_with_the_reason(page: Page, watch: Watch, site_url: str, config: dict[str, Any]) -> None:
    page.goto(site_url + "calculators/health/")
    wait_live(page, "health_score")
    health = form(page, "health_score")
    engagement = health.locator('[name="components.engagement"]')
    expect(engagement).to_be_enabled()
    fill(page, "health_score", "segment", "high_touch")
    expect(engagement).to_be_disabled()
    reason = health.locator("#" + (engagement.get_attribute("id") or "") + "-ignored")
    expect(reason).to_have_text(re.compile(r"^Engagement has no weight in the high touch model"))
    described = engagement.get_attribute("aria-describedby") or ""
    assert (engagement.get_attribute("id") or "") + "-ignored" in described.split()
    score = expected(config, "health_score", {"segment": "high_touch"}, "score")
    expect(health.locator('[data-output="score"]')).to_have_attribute("data-value", score)
    expect(status(page, "health_score")).to_have_text(LIVE)
    # Back to the default model: engagement counts again, and its note is gone.
    fill(page, "health_score", "segment", "default")
    expect(engagement).to_be_enabled()
    expect(reason).to_have_count(0)
    expect(health.locator('[data-output="score"]')).to_have_attribute("data-value", expected(config, "health_score", {}, "score"))
