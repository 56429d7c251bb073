"""The ``--report`` summary: its numbers come from the calculators, and input text is escaped."""

from __future__ import annotations

import csv
import html.parser
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from calculators import run
from cslibrary.batch.cli import main
from cslibrary.batch.report import md_escape, money, pct

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "batch"
LIBRARY = str(ROOT / "playbooks")

#: The three rows of bad_rows.csv that score: (account, ARR, health, segment, renewal quarter).
SCORED = [
    ("Acme Corp", 120_000, 85, "high_touch", "2025-Q1"),
    ("Wayne", 18_000, 25, "tech_touch", "2025-Q3"),
    ("Tyrell, Inc.", 95_000, 79.99, "low_touch", "2025-Q4"),
]


def report(tmp_path: Path, suffix: str, *extra: str, source: Path = FIXTURES / "bad_rows.csv") -> str:
    path = tmp_path / f"report{suffix}"
    code = main(
        ["score", str(source), "--out", str(tmp_path / "out.csv"), "--report", str(path), "--library", LIBRARY, "--allow-errors", *extra]
    )
    assert code == 0
    return path.read_text(encoding="utf-8")


def test_markdown_report_sections_and_reconciliation(tmp_path: Path) -> None:
    text = report(tmp_path, ".md")
    headings = ["# Book of business: bad\\_rows.csv", "## Rows", "## Health distribution", "## Renewals and forecast by quarter"]
    headings += ["## At-risk ARR", "## CSMs needed per segment", "## Segment transitions", "## Rejected rows"]
    for heading in headings:
        assert heading in text, heading
    assert "Rows in: 10 = scored 3 + rejected 7 ✓" in text
    assert "Blank rows skipped (not counted as rows): 1" in text
    assert "```text\nAccounts per health band\n" in text, "a text bar chart"


def test_report_forecast_equals_the_renewal_forecast_calculator(tmp_path: Path, config: dict[str, Any]) -> None:
    text = report(tmp_path, ".md")
    accounts = [{"name": name, "arr": arr, "health": health} for name, arr, health, _, _ in SCORED]
    forecast = run("renewal_forecast", {"accounts": accounts}, config)
    total = f"| Total | 3 | {money(forecast['total_due'])} | {money(forecast['forecast'])} | {md_escape(pct(forecast['forecast_pct']))} |"
    assert total in text
    for account, (_, arr, _, _, quarter) in zip(forecast["accounts"], SCORED, strict=True):
        assert f"| {quarter} | 1 | {money(arr)} | {money(account['expected'])} |" in text
    share = md_escape(pct(forecast["at_risk_arr"] * 100 / forecast["total_due"]))
    assert f"{money(forecast['at_risk_arr'])} of {money(forecast['total_due'])} ARR ({share})" in text


def test_report_health_distribution(tmp_path: Path) -> None:
    text = report(tmp_path, ".md")
    assert "| Healthy | 1 | 33.3 % | 120,000 |" in text
    assert "| Stable | 1 | 33.3 % | 95,000 |" in text
    assert "| Critical | 1 | 33.3 % | 18,000 |" in text
    assert "| At risk | 0 | 0.0 % | 0 |" in text


@pytest.mark.parametrize("csm_cost", [None, 120_000.0])
def test_report_coverage_equals_the_coverage_calculator(tmp_path: Path, config: dict[str, Any], csm_cost: float | None) -> None:
    text = report(tmp_path, ".md", *(["--csm-cost", str(csm_cost)] if csm_cost else []))
    cost = csm_cost or config["segments"]["example_organisation"]["csm_cost"]
    segments = [{"segment": seg, "accounts": 1, "arr": float(arr)} for _, arr, _, seg, _ in sorted(SCORED, key=lambda r: r[3])]
    expected = run("coverage", {"segments": segments, "csm_cost": cost}, config)
    assert f"fully loaded CSM cost of {money(cost)} a year" in text
    for seg in expected["segments"]:
        csms, share = md_escape(format(seg["csms"], ".2f")), md_escape(pct(seg["cost_to_serve_pct"]))
        line = f"| {seg['label']} | 1 | {money(seg['arr'])} | 1:{seg['ratio']:g} | {csms} | 1 | {share} |"
        assert line in text, line
    total = md_escape(format(expected["total_csms"], ".2f"))
    assert f"| {total} | {expected['headcount']} |" in text


def test_report_transitions(tmp_path: Path) -> None:
    text = report(tmp_path, ".md")
    assert "| tech\\_touch→low\\_touch | 1 | 18,000 | Assign a pooled CSM |" in text


def test_report_lists_rejections(tmp_path: Path) -> None:
    text = report(tmp_path, ".md")
    assert "| arr | must be greater than 0 | 2 | row 4: '-5000' |" in text
    assert "| health | must be a number | 1 | row 11: 'abc' |" in text


HOSTILE = [
    ["account", "arr", "health", "renewal_date", "segment"],
    ["<script>alert(1)</script>", "50000", "30", "2025-01-10", ""],
    ["Pipe | *bold* [link](javascript:x)", "40000", "45", "2025-02-10", ""],
    ['O\'Brien & Sons "Ltd"', "30000", "55", "2025-02-11", ""],
    ["Bad", "<img src=x onerror=alert(1)>", "50", "", ""],
    ["Worse", "100", "50", "", "<b>gold</b>"],
]


def _hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(HOSTILE)
    return path


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        assert not any(name.startswith("on") for name, _ in attrs), attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_escapes_csv_text_and_draws_svg(tmp_path: Path) -> None:
    page = report(tmp_path, ".html", source=_hostile(tmp_path))
    assert page.startswith("<!doctype html>")
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    parser = _Tags()
    parser.feed(page)
    assert {"svg", "rect", "table", "figure"} <= set(parser.tags)
    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr"}
    assert set(parser.tags) <= allowed | {"th", "td", "figure", "figcaption", "svg", "rect", "text"}
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text, "shown as text"
    assert 'O\'Brien & Sons "Ltd"' in text


def test_markdown_report_escapes_csv_text(tmp_path: Path) -> None:
    text = report(tmp_path, ".md", source=_hostile(tmp_path))
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Pipe \\| \\*bold\\* \\[link\\](javascript:x)" in text
    widths: list[int] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            widths.append(len(re.findall(r"(?<!\\)\|", line)))
        elif widths:
            assert len(set(widths)) == 1, f"a table row has a stray column separator: {widths}"
            widths = []


def test_report_from_xlsx(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    for row in HOSTILE:
        ws.append(row)
    book.save(tmp_path / "hostile.xlsx")
    page = report(tmp_path, ".html", source=tmp_path / "hostile.xlsx")
    assert "Rows in: 5 = scored 3 + rejected 2 ✓" in page
    assert "<script" not in page.lower()
