"""Calculator pages on paper and on a phone (issue 14, "the small things").

Paper: a calculator page prints its first calculator, inputs and results, on page 1, without
the site's header, tabs, sidebars or footer. The page is laid out as Chromium prints it: print
media, at the width of print.css's ``@page`` box (A4 less its margins, at 96 CSS px an inch),
and the calculator must end within that box's height; the PDF Chromium makes is A4.

Phone: at 360 px wide every field of every calculator shows whole: inside the screen, not cut
by a scrolling container, wide enough for its value or placeholder ("Customer A", not
"Custome"), and the page does not scroll sideways. Input tables become one card per row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.site.test_accessibility import new_context, open_page
from tests.site.test_browser_calculators import base_url, browser_type_launch_args  # noqa: F401  (fixtures: Debian's Chromium)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CALCULATOR_PAGES = sorted(f"calculators/{p.stem}/" for p in (ROOT / "docs" / "calculators").glob("*.md") if p.stem != "index")

# print.css: @page { size: A4; margin: 10mm 12mm; } — the box the content is laid out in.
PAGE_RULE = re.compile(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*10mm 12mm;\s*\}")
MM = 96 / 25.4  # CSS px per millimetre
PRINT_WIDTH = round((210 - 2 * 12) * MM)  # 703 px
PRINT_HEIGHT = int((297 - 2 * 10) * MM)  # 1046 px
A4_POINTS = (595.28, 841.89)  # 210 x 297 mm in points; Chromium writes it to within a point
PHONE = {"width": 360, "height": 740}

# The site's frame: none of it on paper.
FRAME = (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-path")

# Every visible control of every calculator form, measured: its box, the box of the nearest
# ancestor that clips or scrolls it, and the width its text needs (the value, else the
# placeholder; a select's chosen option) in its own font, padding and border included.
FIELDS = r"""() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const out = [];
  for (const el of document.querySelectorAll("form[data-calculator] :is(input, select, textarea)")) {
    if (el.type === "hidden" || !el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    let clippedBy = null;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === "visible") continue;
      const box = a.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) { clippedBy = a.className || a.tagName; break; }
    }
    const style = getComputedStyle(el);
    canvas.font = style.font;
    const text = el.tagName === "SELECT" ? (el.selectedOptions[0] || { text: "" }).text : el.value || el.placeholder || "";
    const chrome = el.tagName === "SELECT" || el.type === "date" ? 24 : 0;  // the arrow, the calendar button
    const frame = ["paddingLeft", "paddingRight", "borderLeftWidth", "borderRightWidth"].reduce((s, k) => s + parseFloat(style[k]), 0);
    const textual = el.tagName !== "TEXTAREA" && !["range", "checkbox", "radio", "file"].includes(el.type);
    out.push({
      name: el.name || el.id, type: el.type, text, left: r.left, right: r.right, width: r.width,
      needs: textual ? canvas.measureText(text).width + frame + chrome : 0, clippedBy,
    });
  }
  return { viewport: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth, fields: out };
}"""


def test_print_css_sets_the_a4_box_the_test_lays_out() -> None:
    assert PAGE_RULE.search((ROOT / "docs" / "assets" / "stylesheets" / "print.css").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CALCULATOR_PAGES)
def test_a_calculator_prints_its_inputs_and_results_on_page_one(browser: Browser, site_url: str, path: str) -> None:
    context = new_context(browser, viewport={"width": PRINT_WIDTH, "height": PRINT_HEIGHT})
    try:
        page = open_page(context, site_url + path)
        media = page.pdf(prefer_css_page_size=True)
        boxes = {tuple(float(x) for x in m.groups()) for m in re.finditer(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", media)}
        assert boxes and all(abs(w - A4_POINTS[0]) < 1.5 and abs(h - A4_POINTS[1]) < 1.5 for w, h in boxes), boxes
        page.emulate_media(media="print")
        for selector in FRAME:
            expect(page.locator(selector).first).to_be_hidden()
        calculator = page.locator(".cs-calc").first
        form = calculator.locator("form[data-calculator]")
        expect(form.locator(".cs-calc__inputs")).to_be_visible()
        expect(form.locator(".cs-calc__outputs [data-output]").first).to_be_visible()
        box: dict[str, Any] = calculator.evaluate(
            "e => { const r = e.getBoundingClientRect(); return {top: r.top + scrollY, bottom: r.bottom + scrollY}; }"
        )
        assert box["top"] >= 0 and box["bottom"] <= PRINT_HEIGHT, (
            f"/{path}: on paper the first calculator ends {box['bottom']:.0f} px down, past page 1 ({PRINT_HEIGHT} px)"
        )
    finally:
        context.close()


@pytest.mark.parametrize("path", CALCULATOR_PAGES)
def test_every_field_fits_a_360_px_phone(browser: Browser, site_url: str, path: str) -> None:
    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        page = open_page(context, site_url + path)
        measured: dict[str, Any] = page.evaluate(FIELDS)
        fields = measured["fields"]
        assert fields, f"/{path}: no visible field"
        width = measured["viewport"]
        problems = []
        for f in fields:
            if f["left"] < -0.5 or f["right"] > width + 0.5:
                problems.append(f"{f['name']}: spans {f['left']:.0f}–{f['right']:.0f} px of a {width} px screen")
            if f["clippedBy"]:
                problems.append(f"{f['name']}: cut by a scrolling container ({f['clippedBy']})")
            if f["needs"] > f["width"] + 0.5:
                problems.append(f"{f['name']}: {f['width']:.0f} px wide, {f['needs']:.0f} px needed to show {f['text']!r}")
        assert not problems, f"/{path} at {width} px:\n" + "\n".join(problems)
        assert measured["scrollWidth"] <= width, f"/{path}: the page scrolls sideways ({measured['scrollWidth']} px wide)"
    finally:
        context.close()


def test_an_input_table_is_one_card_per_row_on_a_phone(browser: Browser, site_url: str) -> None:
    """The renewal forecast's rows: the account's name across the card, its column named above it."""
    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = open_page(context, site_url + "calculators/renewals/")
        form = page.locator('form[data-calculator="renewal_forecast"]')
        rows = form.locator("tbody[data-rows] > tr")
        expect(rows.first).to_be_visible()
        name = rows.first.locator('[name="accounts[0].name"]')
        card = rows.first.bounding_box()
        field = name.bounding_box()
        assert card and field and field["width"] >= card["width"] * 0.8, (card, field)
        label = rows.first.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Account"', label
        head = form.locator(".cs-table--input thead").bounding_box()  # for screen readers only
        assert head is None or head["height"] <= 1, head
    finally:
        context.close()
