"""A library whose YAML tries every way to embed a remote resource: the built site loads nothing from elsewhere.

A copy of the shipped library (``playbooks/``, ``docs/``, ``mkdocs.yml``, ``overrides/``,
``hooks/``) gets every trick of ``tests/fixtures/hostile/embeds.yml`` in its Markdown fields: a
playbook's summary, notes and trigger description, a metric's definition and notes (its page
has a live calculator), and descriptions on the journey, operating-model, roles and segment
pages. It is built with ``mkdocs build --strict`` and served on 127.0.0.1.

* Without a browser: every HTML page carries exactly one Content-Security-Policy, the same
  everywhere and first in ``<head>`` (404.html and calculator pages too), no inline script, and
  no element of any page loads from the tracker's host.
* In Chromium, every request whose host is not 127.0.0.1 is recorded and aborted. The home
  page, the poisoned pages, the library index (filter script), the tags page, the metric page
  with its calculator running, 404.html and a search for the payload's words (Material's search
  worker, then an instant navigation to a result) make no such request and log no policy
  violation or error. A second pass with the policy switched off (``bypass_csp``) still makes
  no off-origin request: the markup itself is clean, the policy is the second line.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from cslibrary.site.policy import policy
from tests.conftest import _free_port, _QuietHandler, build_site
from tests.render.test_remote_embeds import TRICKS, loads
from tests.site.test_browser_calculators import (  # noqa: F401  (fixtures: Debian's Chromium)
    Watch,
    base_url,
    browser_type_launch_args,
    wait_live,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TRACKER = "tracker.example.com"
#: Every trick the test site can hold (the others name local files the strict build would refuse).
PAYLOAD = "\n\n".join(t["markdown"] for t in TRICKS.values() if t.get("site", True))
#: The Markdown fields poisoned: file → key paths (a missing optional field is added).
FIELDS: dict[str, list[tuple[str | int, ...]]] = {
    "playbooks/library/qbr.yml": [("summary",), ("notes",), ("trigger", "description")],
    "playbooks/metrics/nps.yml": [("definition",), ("notes",)],
    "playbooks/stages.yml": [("journey", 1, "description"), ("operating_model", "goals", 0, "description")],
    "playbooks/roles.yml": [("roles", 0, "description")],
    "playbooks/segments.yml": [("tiers", 0, "description"), ("example_organisation", "description")],
}
#: Pages that show a poisoned field, and the others every reader meets.
POISONED = ["playbooks/qbr/", "metrics/nps/", "model/journey/", "model/", "model/roles/", "segments/", "segments/high_touch/"]
PAGES = ["", *POISONED, "playbooks/", "tags/", "metrics/", "calculators/", "404.html"]


def _poison(root: Path) -> None:
    for name, paths in FIELDS.items():
        file = root / name
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for path in paths:
            node: Any = data
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = PAYLOAD
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The poisoned copy built with ``mkdocs build --strict`` for a port of its own; (site folder, port)."""
    base = tmp_path_factory.mktemp("hostile")
    root = base / "repo"
    for name in ("playbooks", "docs", "overrides", "hooks"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "package.json"):
        shutil.copyfile(ROOT / name, root / name)
    # The Pyodide runtime and the snapshot cache; the packages mkdocs.yml watches.
    for name in ("node_modules", "calculators", "cslibrary"):
        (root / name).symlink_to(ROOT / name)
    _poison(root)
    port = _free_port()
    return build_site(base / "site", cwd=root, env={"SITE_URL": f"http://127.0.0.1:{port}/"}), port


@pytest.fixture(scope="module")
def hostile_url(hostile_site: tuple[Path, int]) -> Iterator[str]:
    site, port = hostile_site
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()
    server.server_close()


class _Head(html.parser.HTMLParser):
    """The Content-Security-Policy metas of a page, whether the first one opens ``<head>``, inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policies: list[str] = []
        self.first_in_head: bool | None = None
        self.inline_scripts = 0
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._in_head and self.first_in_head is None:
            self.first_in_head = tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"
        self._in_head = tag == "head" or (self._in_head and tag != "body")
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.policies.append(a.get("content", ""))
        if tag == "script" and "src" not in a and a.get("type") != "application/json":
            self.inline_scripts += 1


def test_every_page_carries_one_policy_first_in_its_head(hostile_site: tuple[Path, int]) -> None:
    site, _ = hostile_site
    pages = [p for p in site.rglob("*.html") if "pyodide" not in p.parts]
    assert len(pages) > 50 and site / "404.html" in pages
    calculator_pages = 0
    for file in pages:
        text = file.read_text(encoding="utf-8")
        head = _Head()
        head.feed(text)
        where = str(file.relative_to(site))
        assert len(head.policies) == 1 and head.first_in_head, where
        calculator = 'id="cs-calculators-data"' in text
        calculator_pages += calculator
        assert head.policies[0] == policy(), where
        assert head.inline_scripts == 0, where
        assert not [r for r in loads(text).remote if TRACKER in r], where
    assert calculator_pages > 20


def test_the_payload_reached_the_pages(hostile_site: tuple[Path, int]) -> None:
    site, _ = hostile_site
    for path in POISONED:
        text = (site / path / "index.html").read_text(encoding="utf-8")
        assert f'href="https://{TRACKER}/inline.png"' in text, path  # a remote image became a link
        assert f"&lt;iframe src=&quot;https://{TRACKER}/frame.html&quot;&gt;" in text or f'&lt;iframe src="https://{TRACKER}' in text, path


def _visit(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _tour(page: Page, url: str, *, calculator: bool) -> None:
    """Every page, the metric page's calculator running, then a search for the payload and a result."""
    for path in PAGES:
        _visit(page, url + path)
        if path in POISONED[:3]:
            expect(page.locator(f'a[href*="{TRACKER}"]').first).to_be_attached()
    if calculator:
        _visit(page, url + "metrics/nps/")
        wait_live(page, "nps")
    _visit(page, url)
    page.locator(".md-search__input").click()
    page.keyboard.type("quarterly tracker iframe")
    result = page.locator('.md-search-result__link[href*="playbooks/qbr/"]').first
    expect(result).to_be_visible(timeout=15_000)
    expect(page.locator(".md-search-result__item")).not_to_have_count(0)
    page.wait_for_load_state("networkidle")
    result.click()  # an instant navigation to the poisoned playbook
    expect(page).to_have_url(re.compile(r"/playbooks/qbr/"))
    page.wait_for_load_state("networkidle")
    expect(page.locator(f'a[href*="{TRACKER}"]').first).to_be_attached()


@pytest.mark.browser
def test_nothing_leaves_the_site_and_the_policy_is_never_violated(browser: Browser, hostile_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    try:
        _tour(page, hostile_url, calculator=True)
    finally:
        context.close()
    assert not watch.outside, f"requests left the site: {watch.outside}"
    assert not watch.problems, "\n".join(watch.problems)
    assert any(urlpath.endswith(".wasm") for urlpath in watch.requests), "the calculator did not start"
    assert any("/search/" in u or "search_index" in u for u in watch.requests), "search did not load its index"


@pytest.mark.browser
def test_the_markup_alone_loads_nothing_from_elsewhere(browser: Browser, hostile_url: str) -> None:
    """The same tour with the policy switched off: no request leaves the site even without it."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    try:
        _tour(page, hostile_url, calculator=False)
    finally:
        context.close()
    assert not watch.outside, f"requests left the site: {watch.outside}"
    assert not watch.problems, "\n".join(watch.problems)
