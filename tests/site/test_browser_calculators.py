"""The calculators in a real Chromium (Debian's, through Playwright) against the built site.

Every test runs with every request outside 127.0.0.1 routed to a failure, and fails if one
was attempted, if the page logged a Content-Security-Policy violation or threw. Calculators
are driven only through the contract: ``form[data-calculator]``, control ``name`` = JSON
key, results in ``[data-output]`` (the raw value in ``data-value``). What the tests observe
is what a reader gets: the status line (``[data-calc-status]``, ``role="status"``), the
outputs, the error messages and ``aria-invalid``, the requests the page makes and what it
logs to the console; the page script keeps no state for tests. Expected values come from
the same Python on CPython (:func:`calculators.browser.compute`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Route, expect

import calculators
from calculators import browser, csv_import

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START = 90_000  # ms: a cold Pyodide start on a busy two-core machine

# The status line of a calculator, as the reader reads it (calculators.js, TEXT).
LIVE = re.compile(r"^Live: results update")
LIVE_OR_INVALID = re.compile(r"^(Live: results update|Fix the input marked)")
INVALID = re.compile(r"^Fix the input marked")
FAILED = re.compile(r"^The calculator could not start")

# page → [(calculator, control name, new value, output key)]
EDITS: dict[str, list[tuple[str, str, str, str]]] = {
    "calculators/health/": [("health_score", "components.engagement", "20", "score")],
    "calculators/retention/": [
        ("nrr_grr", "starting_mrr", "2000000", "nrr"),
        ("logo_retention", "churned_customers", "50", "logo_retention"),
    ],
    "calculators/renewals/": [
        ("renewal_forecast", "accounts[1].health", "90", "forecast"),
        ("expansion_forecast", "opportunities[0].amount", "100000", "forecast"),
    ],
    "calculators/coverage/": [
        ("coverage", "csm_cost", "100000", "total_cost_to_serve_pct"),
        ("segment_score", "complexity", "10", "score"),
    ],
    "calculators/surveys/": [("nps", "detractors", "70", "nps"), ("csat", "satisfied", "100", "csat"), ("ces", "scores", "7, 7, 6", "ces")],
    "calculators/value/": [
        ("roi", "investment", "240000", "roi"),
        ("time_to_value", "first_value_date", "2026-03-01", "days"),
        ("rate", "metric", "license_utilization", "band"),
    ],
    "calculators/planner/": [("playbook_plan", "playbook", "onboarding-high-touch", "first_date")],
    # A renewal date out of the T-120 window: the renewal play drops out (seed 002, renewal playbook).
    "calculators/triage/": [("triage", "dates.renewal_date", "2027-12-31", "play_count")],
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    assert Path(CHROMIUM).exists(), "Debian's Chromium is missing: apt-get install -y chromium (make browser-deps)"
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url() -> str | None:
    """Replaces pytest-base-url's fixture (a deprecated instance-method fixture: a warning, so an error here)."""
    return None


class Watch:
    """What a page did that it must not (requests off 127.0.0.1, CSP violations, errors), and
    what it fetched and logged."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.responses: list[tuple[str, int]] = []
        self.messages: list[str] = []

    def route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname != "127.0.0.1" and not url.startswith(("blob:", "data:")):
            self.outside.append(url)
            route.abort()
        else:
            route.continue_()

    def console(self, message: ConsoleMessage) -> None:
        self.messages.append(f"{message.type}: {message.text}")
        if "Content Security Policy" in message.text or (message.type == "error" and "Failed to load resource" not in message.text):
            self.problems.append(f"{message.type}: {message.text}")

    def attach(self, page: Page) -> None:
        page.route("**/*", self.route)
        page.on("console", self.console)
        page.on("pageerror", lambda err: self.problems.append(f"pageerror: {err}"))
        page.on("request", lambda req: self.requests.append(req.url))
        page.on("response", lambda res: self.responses.append((res.url, res.status)))

    def fetched(self, suffix: str) -> list[str]:
        """The requests the page made for the calculators' files (``/assets/py/``) ending in suffix."""
        return [u for u in self.requests if "/assets/py/" in u and urlsplit(u).path.endswith(suffix)]


@pytest.fixture
def watch(page: Page) -> Iterator[Watch]:
    w = Watch()
    w.attach(page)
    yield w
    assert not w.outside, f"requests left the site: {w.outside}"
    assert not w.problems, "\n".join(w.problems)


def form(page: Page, name: str) -> Locator:
    return page.locator(f'form[data-calculator="{name}"]').first


def status(page: Page, name: str) -> Locator:
    """The calculator's status line (``role="status"``): what the reader is told."""
    return form(page, name).locator("[data-calc-status]")


def wait_live(page: Page, name: str) -> None:
    expect(status(page, name)).to_have_text(LIVE_OR_INVALID, timeout=START)


def assert_started_from_snapshot(watch: Watch) -> None:
    """Pyodide started from the build's snapshot: the page fetched it (once, with success) and
    did not report a fallback (calculators.js warns on the console when a fetched snapshot fails)."""
    snapshots = [code for url, code in watch.responses if urlsplit(url).path.endswith(".snapshot.gz")]
    assert snapshots == [200], watch.responses
    fallbacks = [m for m in watch.messages if "without the snapshot" in m]
    assert not fallbacks, fallbacks


def expected(config: dict[str, Any], name: str, edits: dict[str, str], key: str) -> str:
    pairs = dict(browser.pairs_from_inputs(name, calculators.example(name, config), config))
    pairs.update(edits)
    out = browser.compute(name, list(pairs.items()), config)
    assert out["ok"], out
    value = next(o["value"] for o in out["outputs"] if o["key"] == key)
    assert isinstance(value, str)
    return value


def fill(page: Page, name: str, control: str, value: str) -> None:
    element = form(page, name).locator(f'[name="{control}"]')
    if element.evaluate("e => e.tagName") == "SELECT":
        element.select_option(value)
    else:
        element.fill(value)


@pytest.mark.parametrize("path", sorted(EDITS))
def test_each_calculator_recomputes_in_the_browser(page: Page, watch: Watch, site_url: str, config: dict[str, Any], path: str) -> None:
    page.goto(site_url + path)
    for name, _, _, _ in EDITS[path]:
        wait_live(page, name)
    assert_started_from_snapshot(watch)
    for name, control, value, key in EDITS[path]:
        output = form(page, name).locator(f'[data-output="{key}"]').first
        before = output.get_attribute("data-value")
        fill(page, name, control, value)
        want = expected(config, name, {control: value}, key)
        assert want != before, f"the edit of {name}.{control} does not change {key}"
        expect(output).to_have_attribute("data-value", want)
        expect(status(page, name)).to_have_text(LIVE)


def test_the_worked_example_matches_the_browser(page: Page, watch: Watch, site_url: str, config: dict[str, Any]) -> None:
    """Once live, recomputing the untouched example changes nothing on the page."""
    page.goto(site_url + "calculators/retention/")
    static = form(page, "nrr_grr").locator(".cs-calc__outputs").inner_html()
    # The test's own observer: the live calculator writes its results into the outputs
    # (their HTML and data-value), even when they equal the worked example's.
    page.evaluate(
        """() => {
        window.__outputWrites = 0;
        const outputs = document.querySelector('form[data-calculator="nrr_grr"] .cs-calc__outputs');
        new MutationObserver((records) => { window.__outputWrites += records.length; })
            .observe(outputs, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-value"] });
    }"""
    )
    wait_live(page, "nrr_grr")
    page.wait_for_function("() => window.__outputWrites > 0")
    assert form(page, "nrr_grr").locator(".cs-calc__outputs").inner_html() == static
    expect(form(page, "nrr_grr").locator('[data-output="nrr"]')).to_have_text("107.0 %")
    expect(form(page, "nrr_grr").locator('[data-output="grr"]')).to_have_text("92.0 %")


def test_bad_input_shows_a_message_next_to_the_field(page: Page, watch: Watch, site_url: str) -> None:
    page.goto(site_url + "calculators/retention/")
    wait_live(page, "nrr_grr")
    nrr = form(page, "nrr_grr")
    nrr.locator('[name="starting_mrr"]').fill("0")
    message = nrr.locator('[data-error-for="starting_mrr"]')
    expect(message).to_be_visible()
    expect(message).to_contain_text("must be greater than 0")
    expect(nrr.locator('[name="starting_mrr"]')).to_have_attribute("aria-invalid", "true")
    expect(status(page, "nrr_grr")).to_have_text(INVALID)
    expect(nrr.locator(".cs-calc__outputs")).to_have_class(re.compile(r"\bcs-stale\b"))
    assert "Traceback" not in nrr.inner_text()
    nrr.locator('[name="starting_mrr"]').fill("1000000")
    expect(message).to_be_hidden()
    expect(nrr.locator('[data-output="nrr"]')).to_have_attribute("data-value", "107.0")
    expect(nrr.locator('[name="starting_mrr"]')).not_to_have_attribute("aria-invalid", "true")
    expect(status(page, "nrr_grr")).to_have_text(LIVE)
    # A cell of a table: the message names the row and the column.
    page.goto(site_url + "calculators/renewals/")
    wait_live(page, "renewal_forecast")
    renewal = form(page, "renewal_forecast")
    renewal.locator('[name="accounts[1].health"]').fill("150")
    table_message = renewal.locator('[data-error-for="accounts"]')
    expect(table_message).to_contain_text("row 2")
    expect(table_message).to_contain_text("must be at most 100")
    expect(renewal.locator('[name="accounts[1].health"]')).to_have_attribute("aria-invalid", "true")


def test_instant_navigation_keeps_one_pyodide(page: Page, watch: Watch, site_url: str, config: dict[str, Any]) -> None:
    page.goto(site_url + "calculators/health/")
    wait_live(page, "health_score")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Revenue retention calculators").first.click()
    expect(page).to_have_url(re.compile(r"calculators/retention/"))
    wait_live(page, "nrr_grr")
    fill(page, "nrr_grr", "churn", "0")
    expect(form(page, "nrr_grr").locator('[data-output="nrr"]')).to_have_attribute(
        "data-value", expected(config, "nrr_grr", {"churn": "0"}, "nrr")
    )
    page.get_by_role("link", name="Health score calculator").first.click()
    expect(page).to_have_url(re.compile(r"calculators/health/"))
    wait_live(page, "health_score")
    fill(page, "health_score", "components.support", "100")
    score = expected(config, "health_score", {"components.support": "100"}, "score")
    expect(form(page, "health_score").locator('[data-output="score"]')).to_have_attribute("data-value", score)
    assert page.evaluate("window.__sameDocument === true"), "the navigation reloaded the page (instant navigation is off)"
    # One start for the visit: the calculators' package and the snapshot were fetched once.
    assert len([u for u in watch.fetched(".zip") if "/calculators-" in u]) == 1, watch.requests
    assert_started_from_snapshot(watch)


def test_javascript_off_shows_the_worked_example(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        watch = Watch()
        watch.attach(page)
        page.goto(site_url + "calculators/retention/")
        nrr = form(page, "nrr_grr")
        expect(nrr.locator('[data-output="nrr"]')).to_have_text("107.0 %")
        expect(nrr.locator('[data-output="grr"]')).to_have_text("92.0 %")
        expect(nrr.locator('[data-output="waterfall"] svg')).to_be_visible()
        expect(nrr.locator('[name="starting_mrr"]')).to_have_value("1000000")
        expect(nrr.locator("[data-calc-status]")).to_contain_text("Worked example")
        expect(nrr.locator('[data-action="copy-link"]')).to_be_hidden()
        page.goto(site_url + "calculators/renewals/")
        renewal = form(page, "renewal_forecast")
        expect(renewal.locator('[data-output="forecast"]')).to_have_text("147,500")
        expect(renewal.locator('[data-output="forecast_pct"]')).to_have_text("65.6 %")
        assert not [u for u in watch.requests if "/assets/py" in u], "Pyodide was fetched with JavaScript off"
        assert not watch.outside
    finally:
        context.close()


def test_a_shared_url_restores_the_calculator(page: Page, watch: Watch, site_url: str, browser: Browser, config: dict[str, Any]) -> None:
    page.goto(site_url + "calculators/renewals/")
    wait_live(page, "renewal_forecast")
    renewal = form(page, "renewal_forecast")
    renewal.locator('[data-action="add-row"]').click()
    renewal.locator('[name="accounts[3].name"]').fill("Customer D")
    renewal.locator('[name="accounts[3].arr"]').fill("40000")
    renewal.locator('[name="accounts[3].health"]').fill("65")
    expect(renewal.locator('[data-output="total_due"]')).to_have_attribute("data-value", "265000.0")
    expect(page).to_have_url(re.compile(r"calculator=renewal_forecast.*accounts%5B3%5D\.health=65"))
    shared = page.url
    forecast = renewal.locator('[data-output="forecast"]').get_attribute("data-value")
    other = browser.new_context()
    try:
        fresh = other.new_page()
        w2 = Watch()
        w2.attach(fresh)
        fresh.goto(shared)
        restored = form(fresh, "renewal_forecast")
        expect(restored.locator('[name="accounts[3].name"]')).to_have_value("Customer D")
        expect(restored.locator("tbody[data-rows] > tr")).to_have_count(4)
        expect(restored.locator('[data-output="forecast"]')).to_have_attribute("data-value", forecast or "", timeout=START)
        assert not w2.outside and not w2.problems, (w2.outside, w2.problems)
    finally:
        other.close()


def test_a_page_without_a_calculator_loads_no_pyodide(page: Page, watch: Watch, site_url: str) -> None:
    for path in ("", "calculators/", "guides/calculators/"):
        page.goto(site_url + path)
        page.wait_for_timeout(2500)  # past the idle start a calculator page would make
    assert not [u for u in watch.requests if "/assets/pyodide/" in u or "/assets/py/" in u], watch.requests


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_a_broken_snapshot_falls_back_to_a_normal_start(
    page: Page, watch: Watch, site_url: str, config: dict[str, Any], damage: str
) -> None:
    tried: list[str] = []

    def broken(route: Route) -> None:
        tried.append(route.request.url)
        if damage == "missing":
            route.fulfill(status=404, body="not found")
        else:
            route.fulfill(status=200, body=b"\x1f\x8b\x08\x00garbage, not a gzip stream", content_type="application/gzip")

    page.route("**/*.snapshot.gz", broken)
    page.on("console", lambda m: None)
    page.goto(site_url + "calculators/surveys/")
    wait_live(page, "nps")
    # The page did try the snapshot (a look into the browser's cache may come first), and went live without it.
    assert 1 <= len(tried) <= 2, tried
    if damage == "corrupt":  # a snapshot that arrived but failed is reported on the console
        assert [m for m in watch.messages if m.startswith("warning:") and "starting without the snapshot" in m], watch.messages
    fill(page, "nps", "promoters", "80")
    expect(form(page, "nps").locator('[data-output="nps"]')).to_have_attribute(
        "data-value", expected(config, "nps", {"promoters": "80"}, "nps")
    )
    watch.problems[:] = [p for p in watch.problems if "snapshot" not in p and "404" not in p]


def test_a_failed_start_offers_a_retry(page: Page, watch: Watch, site_url: str) -> None:
    failures = {"left": 1}

    def flaky(route: Route) -> None:
        if failures["left"]:
            failures["left"] -= 1
            route.abort()
        else:
            route.continue_()

    page.route("**/pyodide.mjs", flaky)
    page.goto(site_url + "calculators/surveys/")
    nps = form(page, "nps")
    expect(status(page, "nps")).to_have_text(FAILED, timeout=START)
    retry = nps.locator('[data-action="retry"]')
    expect(retry).to_be_visible()
    expect(nps.locator('[data-output="nps"]')).to_have_text("30.0")  # the worked example stays
    retry.click()
    wait_live(page, "nps")
    expect(retry).to_be_hidden()
    watch.problems[:] = [p for p in watch.problems if "pyodide" not in p.lower() and "import" not in p.lower()]


def test_csv_paste_and_upload_replace_the_accounts(page: Page, watch: Watch, site_url: str, tmp_path: Path, config: dict[str, Any]) -> None:
    page.goto(site_url + "calculators/renewals/")
    wait_live(page, "renewal_forecast")
    renewal = form(page, "renewal_forecast")
    csv_box = renewal.locator("details.cs-csv")
    csv_box.locator("summary").click()
    csv_box.locator("[data-csv-text]").fill('Account;ARR due;Health\nAcme;"$120,000.00";92\nGlobex;30000;35\n')
    csv_box.locator('[data-action="csv-load"]').click()
    expect(renewal.locator("tbody[data-rows] > tr")).to_have_count(2)
    expect(renewal.locator('[name="accounts[0].arr"]')).to_have_value("120000")
    pairs = {
        "accounts[0].name": "Acme",
        "accounts[0].arr": "120000",
        "accounts[0].health": "92",
        "accounts[1].name": "Globex",
        "accounts[1].arr": "30000",
        "accounts[1].health": "35",
    }
    out = browser.compute("renewal_forecast", list(pairs.items()), config)
    want = next(o["value"] for o in out["outputs"] if o["key"] == "forecast")
    expect(renewal.locator('[data-output="forecast"]')).to_have_attribute("data-value", want)
    upload = tmp_path / "accounts.csv"
    upload.write_text("name,arr,health\nOne,1000,50\nTwo,2000,60\nThree,3000,70\n", encoding="utf-8")
    csv_box.locator("[data-csv-file]").set_input_files(str(upload))
    expect(renewal.locator("tbody[data-rows] > tr")).to_have_count(3)
    expect(renewal.locator('[data-output="total_due"]')).to_have_attribute("data-value", "6000.0")
    assert not [u for u in watch.requests if u.endswith(".csv")], "the CSV was sent somewhere"


def test_playbook_plan_downloads(page: Page, watch: Watch, site_url: str) -> None:
    page.goto(site_url + "calculators/planner/")
    wait_live(page, "playbook_plan")
    plan = form(page, "playbook_plan")
    plan.locator('[name="date"]').fill("2026-09-30")
    expect(plan.locator('[data-output="last_date"]')).not_to_have_text("—")
    with page.expect_download() as info:
        plan.locator('[data-action="download"][data-format="ics"]').click()
    ics = Path(info.value.path()).read_bytes().decode("utf-8")
    assert info.value.suggested_filename.endswith(".ics")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.rstrip().endswith("END:VCALENDAR")
    assert ics.count("BEGIN:VEVENT") == plan.locator('[data-output="tasks"] tbody tr').count()
    with page.expect_download() as info_csv:
        plan.locator('[data-action="download"][data-format="csv"]').click()
    text = Path(info_csv.value.path()).read_text(encoding="utf-8")
    # Headed and labelled as the page shows them (role names, channel labels), not the YAML's ids.
    rows = text.splitlines()
    assert rows[0] == "Date,Day,When,Task,Owner,Channel,Goal"
    shown = plan.locator('[data-output="tasks"] tbody tr').first.locator("td")
    owner, channel = shown.nth(4).inner_text(), shown.nth(5).inner_text()
    assert owner and owner != "csm" and f",{owner}," in rows[1], (owner, rows[1])
    assert channel and f",{channel}," in rows[1], (channel, rows[1])
    assert f"Owner: {owner}" in ics.replace("\r\n ", "")


def test_sliders_work_from_the_keyboard(page: Page, watch: Watch, site_url: str, config: dict[str, Any]) -> None:
    page.goto(site_url + "calculators/health/")
    wait_live(page, "health_score")
    health = form(page, "health_score")
    health.locator('[name="segment"]').focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Product usage (slider)", focused
    page.keyboard.press("ArrowRight")
    expect(health.locator('[name="components.product_usage"]')).to_have_value("73")
    want = expected(config, "health_score", {"components.product_usage": "73"}, "score")
    expect(health.locator('[data-output="score"]')).to_have_attribute("data-value", want)


def test_health_band_links_to_its_playbook(page: Page, watch: Watch, site_url: str, built_site: Path, config: dict[str, Any]) -> None:
    page.goto(site_url + "calculators/health/")
    wait_live(page, "health_score")
    health = form(page, "health_score")
    for value in ("95", "10"):
        for component in ("product_usage", "engagement", "relationship", "support", "growth"):
            health.locator(f'[name="components.{component}"]').fill(value)
        pairs = {f"components.{c}": value for c in ("product_usage", "engagement", "relationship", "support", "growth")}
        band = expected(config, "health_score", pairs, "band")
        expect(health.locator('[data-output="band"]')).to_have_attribute("data-value", band)
        playbook = json.loads(expected(config, "health_score", pairs, "playbook"))
        link = health.locator('[data-output="playbook"] a')
        if playbook in config["playbooks"]:
            expect(link).to_have_attribute("href", f"../../playbooks/{playbook}/")
            assert (built_site / "playbooks" / playbook / "index.html").is_file(), f"no page for playbook {playbook}"


def test_a_calculator_reached_by_instant_navigation_from_a_plain_page(
    page: Page, watch: Watch, site_url: str, config: dict[str, Any]
) -> None:
    page.goto(site_url + "calculators/")
    page.evaluate("window.__sameDocument = true")
    assert not [u for u in watch.requests if "/assets/py" in u]
    page.get_by_role("link", name="Customer health").first.click()
    expect(page).to_have_url(re.compile(r"calculators/health/"))
    wait_live(page, "health_score")
    fill(page, "health_score", "components.growth", "90")
    want = expected(config, "health_score", {"components.growth": "90"}, "score")
    expect(form(page, "health_score").locator('[data-output="score"]')).to_have_attribute("data-value", want)
    assert page.evaluate("window.__sameDocument === true"), "the navigation reloaded the page"
    assert_started_from_snapshot(watch)


def test_a_pasted_csv_of_a_thousand_rows_is_computed(page: Page, watch: Watch, site_url: str, config: dict[str, Any]) -> None:
    """1,000 pasted accounts land in the table, named and labelled row by row, and the result is
    the one calculators.run gives for them; removing the first row renumbers the rest."""
    n = 1000
    rows = [(f"Account {i + 1}", str(1000 + (i * 7919) % 90_000), str((i * 37) % 101)) for i in range(n)]
    page.goto(site_url + "calculators/renewals/")
    wait_live(page, "renewal_forecast")
    renewal = form(page, "renewal_forecast")
    csv_box = renewal.locator("details.cs-csv")
    limit = csv_import.table_row_limit("renewal_forecast", "accounts")
    expect(csv_box.locator("summary")).to_contain_text(f"up to {limit:,} rows")
    csv_box.locator("summary").click()
    csv_box.locator("[data-csv-text]").fill("name,arr,health\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    csv_box.locator('[data-action="csv-load"]').click()
    expect(csv_box.locator("[data-csv-status]")).to_have_text(f"Loaded {n} rows from the CSV.")
    body = renewal.locator("tbody[data-rows] > tr")
    expect(body).to_have_count(n)

    def want(kept: list[tuple[str, str, str]]) -> dict[str, str]:
        pairs = [
            (f"accounts[{i}].{key}", value) for i, row in enumerate(kept) for key, value in zip(("name", "arr", "health"), row, strict=True)
        ]
        inputs = browser.parse_pairs("renewal_forecast", pairs, config)
        assert len(inputs["accounts"]) == len(kept)
        result = calculators.run("renewal_forecast", inputs, config)
        out = browser.compute("renewal_forecast", pairs, config)
        assert out["ok"], out
        values = {o["key"]: o["value"] for o in out["outputs"]}
        assert float(values["total_due"]) == pytest.approx(result["total_due"])
        return values

    values = want(rows)
    expect(renewal.locator('[data-output="total_due"]')).to_have_attribute("data-value", values["total_due"])
    expect(renewal.locator('[data-output="forecast"]')).to_have_attribute("data-value", values["forecast"])
    expect(status(page, "renewal_forecast")).to_have_text(LIVE)
    # Every row named, identified and labelled by its place (the last one checked in full).
    names = body.evaluate_all("trs => trs.map((tr, i) => tr.querySelector('[data-col=\"arr\"]').name === `accounts[${i}].arr`)")
    assert all(names)
    last = renewal.locator(f'[name="accounts[{n - 1}].health"]')
    expect(last).to_have_value(rows[-1][2])
    expect(last).to_have_attribute("id", f"cs-renewal_forecast-accounts-{n - 1}-health")
    expect(last).to_have_attribute("aria-label", f"Health (0–100), row {n}")
    expect(body.nth(n - 1).locator('[data-action="remove-row"]')).to_have_attribute("aria-label", f"Remove row {n}")
    ids = renewal.locator("[id]").evaluate_all("els => els.map((e) => e.id)")
    assert len(ids) == len(set(ids)), "duplicate ids"
    # Removing the first row: the others move up, by name and label, and the result follows.
    body.first.locator('[data-action="remove-row"]').click()
    expect(body).to_have_count(n - 1)
    expect(renewal.locator('[name="accounts[0].name"]')).to_have_value(rows[1][0])
    expect(renewal.locator('[name="accounts[0].name"]')).to_have_attribute("aria-label", "Account, row 1")
    expect(renewal.locator(f'[name="accounts[{n - 2}].name"]')).to_have_attribute("aria-label", f"Account, row {n - 1}")
    assert renewal.locator(f'[name="accounts[{n - 1}].name"]').count() == 0
    expect(renewal.locator('[data-output="total_due"]')).to_have_attribute("data-value", want(rows[1:])["total_due"])
    expect(body.first.locator('[data-action="remove-row"]')).to_be_focused()


def test_rows_added_from_the_keyboard_stay_empty_until_filled(page: Page, watch: Watch, site_url: str, config: dict[str, Any]) -> None:
    """ "Add a row" from the keyboard: focus moves to the new row's first cell, named and labelled by
    its place; a new row (its select showing no choice) is left out, so the result stays live."""
    page.goto(site_url + "calculators/renewals/")
    wait_live(page, "expansion_forecast")
    expansion = form(page, "expansion_forecast")
    body = expansion.locator("tbody[data-rows] > tr")
    count = body.count()
    forecast = expansion.locator('[data-output="forecast"]')
    before = forecast.get_attribute("data-value")
    add = expansion.locator('[data-action="add-row"]')
    expect(add).to_have_attribute("aria-describedby", re.compile(r"-cap$"))
    add.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == f"opportunities[{count}].name"
    add.focus()
    page.keyboard.press("Space")
    expect(body).to_have_count(count + 2)
    focused = page.evaluate("[document.activeElement.name, document.activeElement.getAttribute('aria-label')]")
    assert focused == [f"opportunities[{count + 1}].name", f"Opportunity, row {count + 2}"], focused
    expect(expansion.locator(f'[name="opportunities[{count}].stage"]')).to_have_value("")
    expect(status(page, "expansion_forecast")).to_have_text(LIVE)
    expect(forecast).to_have_attribute("data-value", before or "")
    page.keyboard.type("Seats — Hooli")
    expansion.locator(f'[name="opportunities[{count + 1}].amount"]').fill("10000")
    expansion.locator(f'[name="opportunities[{count + 1}].stage"]').select_option("committed")
    example = browser.pairs_from_inputs("expansion_forecast", calculators.example("expansion_forecast", config), config)
    added = {
        f"opportunities[{count + 1}].name": "Seats — Hooli",
        f"opportunities[{count + 1}].amount": "10000",
        f"opportunities[{count + 1}].stage": "committed",
    }
    out = browser.compute("expansion_forecast", [*example, *added.items()], config)
    assert out["ok"], out
    want = next(o["value"] for o in out["outputs"] if o["key"] == "forecast")
    expect(forecast).to_have_attribute("data-value", want)
    assert want != before
