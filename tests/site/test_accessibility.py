"""Accessibility checked by a real engine: axe-core over every page type, light and dark (issue 14).

axe-core is pinned in package.json (a development dependency, installed by ``npm ci``) and
injected into the built site's pages in Debian's Chromium; the context bypasses the pages'
Content-Security-Policy for that one script (``script-src 'self'``), the page keeps its policy.
The pages: the home page, the library index, a playbook, a metric, a segment, the health
model, a framework, every calculator page (``docs/calculators/*.md``; the calculators live, or at least
their pre-rendered worked example) and a guide, each in Material's light palette (``default``)
and its dark one (``slate``), chosen the way a reader's system chooses it
(``prefers-color-scheme``, mkdocs.yml's ``palette``). No violation rated serious or critical
may remain; a failure lists each one by rule, element and what to fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.site.test_browser_calculators import (  # noqa: F401  (fixtures: Debian's Chromium)
    INVALID,
    LIVE_OR_INVALID,
    START,
    base_url,
    browser_type_launch_args,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
Scheme = Literal["light", "dark"]
# Material's palette attribute for each reader preference (mkdocs.yml, theme.palette).
PALETTE: dict[Scheme, str] = {"light": "default", "dark": "slate"}

# One page of each kind, then every calculator page.
PAGES = [
    "",  # home
    "playbooks/",  # the library index
    "playbooks/renewal/",
    "metrics/nrr/",
    "segments/high_touch/",
    "model/health/",
    "frameworks/coverage-models/",
    "guides/start-here/",
    *sorted("calculators/" if p.stem == "index" else f"calculators/{p.stem}/" for p in (ROOT / "docs" / "calculators").glob("*.md")),
]


def axe_pinned_version() -> str:
    return str(json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"])


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE.is_file(), "node_modules/axe-core is missing: run `npm ci` (package.json pins it)"
    return AXE.read_text(encoding="utf-8")


def new_context(browser: Browser, scheme: Scheme = "light", **options: Any) -> BrowserContext:
    """A fresh context whose reader prefers ``scheme``; requests off 127.0.0.1 fail."""
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, **options)
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|blob:|data:)"), lambda route: route.abort())
    return context


def open_page(context: BrowserContext, url: str) -> Page:
    """``url`` in a new page; on a calculator page, once every calculator is live (or, when the
    runtime does not start within START, with the worked example the build wrote)."""
    page = context.new_page()
    page.goto(url)
    for status in page.locator("form[data-calculator] [data-calc-status]").all():
        try:
            expect(status).to_have_text(LIVE_OR_INVALID, timeout=START)
        except AssertionError:
            print(f"{url}: a calculator did not go live; checking its pre-rendered worked example")
            expect(status.locator("xpath=ancestor::form[1]").locator("[data-output]").first).to_be_attached()
    return page


def run_axe(page: Page, source: str) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands (every rule axe runs by default)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=source)
    result: list[dict[str, Any]] = page.evaluate(
        """async () => {
        const results = await axe.run(document, { resultTypes: ["violations"] });
        return results.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary || "" })),
        }));
    }"""
    )
    return result


def described(violations: list[dict[str, Any]], where: str) -> str:
    """The violations, one block per rule: its impact, id and summary, then each element and the fix."""
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s); {v['helpUrl']})")
        for node in v["nodes"][:8]:
            fix = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}\n        {fix}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in BLOCKING]


@pytest.fixture(params=["light", "dark"])
def scheme_context(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Scheme, BrowserContext]]:
    scheme: Scheme = request.param
    context = new_context(browser, scheme)
    yield scheme, context
    context.close()


def test_axe_core_is_the_pinned_version(axe_source: str) -> None:
    version = axe_pinned_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"pin axe-core to an exact version in package.json, not {version!r}"
    assert f"axe v{version}" in axe_source[:500], "node_modules/axe-core is not the version package.json pins: run `npm ci`"


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violation(scheme_context: tuple[Scheme, BrowserContext], site_url: str, axe_source: str, path: str) -> None:
    scheme, context = scheme_context
    page = open_page(context, site_url + path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", PALETTE[scheme])
    found = blocking(run_axe(page, axe_source))
    assert not found, "axe-core:\n" + described(found, f"/{path} ({scheme})")


def test_a_calculator_showing_an_error_has_no_serious_violation(
    scheme_context: tuple[Scheme, BrowserContext], site_url: str, axe_source: str
) -> None:
    """The error state too: the message's colour on both palettes, the field marked invalid."""
    scheme, context = scheme_context
    page = open_page(context, site_url + "calculators/health/")
    form = page.locator('form[data-calculator="health_score"]')
    status = form.locator("[data-calc-status]")
    try:
        expect(status).to_have_text(LIVE_OR_INVALID, timeout=1)
    except AssertionError:
        pytest.skip("the calculator did not go live: no error state to check")
    form.locator('[name="components.engagement"]').fill("150")
    expect(status).to_have_text(INVALID)
    expect(form.locator('[name="components.engagement"]')).to_have_attribute("aria-invalid", "true")
    found = blocking(run_axe(page, axe_source))
    assert not found, "axe-core:\n" + described(found, f"/calculators/health/ with an error ({scheme})")


def test_the_search_partial_is_materials_own_with_its_dialog_named() -> None:
    """overrides/partials/search.html names Material's search dialog (axe-core's aria-dialog-name);
    the rest must stay Material's file, so an upgrade of Material is one copy away."""
    import importlib.util

    spec = importlib.util.find_spec("material")
    assert spec and spec.origin
    material = (Path(spec.origin).parent / "templates" / "partials" / "search.html").read_text(encoding="utf-8")
    ours = (ROOT / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    ours = re.sub(r"\{#- Material 9\.8's partials/search\.html.*?-#\}\n", "", ours, count=1, flags=re.S)
    named = ' role="dialog" aria-label="{{ lang.t(\'search\') }}">'
    assert named in ours, "the search dialog lost its name"
    assert ours.replace(named, ' role="dialog">', 1) == material, (
        "overrides/partials/search.html differs from the installed Material's beyond the dialog's aria-label: "
        "copy Material's file again and add the aria-label back"
    )
