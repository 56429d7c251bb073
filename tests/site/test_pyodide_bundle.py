"""The built site's side of the in-page calculators, read from the HTML (no browser).

The runtime is vendored (and only the files the page needs), the package zip and the
snapshot are where the pages say, calculator pages carry their data and security policy and
no inline script, every form reads back into the calculator's example and shows the result
the same Python computes, and an unknown marker stops the build naming the page.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import calculators
from calculators import browser
from calculators.display import present
from cslibrary.render import markup
from cslibrary.site import pyodide
from cslibrary.site.calculator_pages import MARKER, CalculatorPages
from cslibrary.site.config import load_options
from cslibrary.site.policy import policy

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

CALCULATOR_PAGES = ["health", "retention", "renewals", "coverage", "surveys", "value", "planner"]


class _Forms(html.parser.HTMLParser):
    """Controls, labels and outputs of every calculator form in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self.labels: set[str] = set()
        self.inline_scripts = 0
        self.head_data: str | None = None
        self.csp: str | None = None
        self._select: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None
        self._script: str | None = None
        self._template = 0
        self._output: list[Any] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._template += 1
        if tag == "script":
            if "src" not in a and a.get("type") != "application/json":
                self.inline_scripts += 1
            self._script = a.get("id", "")
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content")
        if tag == "form" and "data-calculator" in a:
            self.forms.append({"name": a["data-calculator"], "controls": [], "outputs": {}})
        if not self.forms or self._template:
            return
        current = self.forms[-1]
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("name"):
            control = {"tag": tag, **a, "value": a.get("value", "")}
            current["controls"].append(control)
            if tag == "select":
                self._select = control
            if tag == "textarea":
                self._textarea = control
        if tag == "option" and self._select is not None and "selected" in a:
            self._select["value"] = a.get("value", "")
        if "data-output" in a:
            current["outputs"].setdefault(a["data-output"], a.get("data-value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template -= 1
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data
        if self._script == "cs-calculators-data":
            self.head_data = (self.head_data or "") + data


def _read(path: Path) -> _Forms:
    parser = _Forms()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_runtime_is_vendored_and_only_what_the_page_needs(built_site: Path) -> None:
    runtime = pyodide.find_runtime(ROOT)
    folder = built_site / "assets" / "pyodide" / runtime.version
    assert sorted(p.name for p in folder.iterdir()) == sorted(pyodide.RUNTIME_FILES)
    for name in pyodide.RUNTIME_FILES:
        assert hashlib.sha256((folder / name).read_bytes()).digest() == hashlib.sha256((runtime.directory / name).read_bytes()).digest(), (
            name
        )
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/pyodide"]["version"] == runtime.version == pyodide.pinned_version(ROOT)


@pytest.mark.parametrize("page", CALCULATOR_PAGES)
def test_calculator_pages_carry_data_policy_and_no_inline_script(built_site: Path, config: dict[str, Any], page: str) -> None:
    parsed = _read(built_site / "calculators" / page / "index.html")
    assert parsed.forms, f"no calculator on {page}"
    assert parsed.csp is not None and "script-src 'self' 'wasm-unsafe-eval';" in parsed.csp
    assert "unsafe-inline" not in parsed.csp.split("script-src")[1].split(";")[0]
    assert parsed.inline_scripts == 0
    assert parsed.head_data is not None
    data = json.loads(parsed.head_data)
    if page == "planner":
        assert data["config"] == config
    else:  # every playbook's title for links, not its steps (megabytes per page at 1,000 playbooks)
        assert data["config"] == {**config, "playbooks": {k: {"title": v["title"]} for k, v in config["playbooks"].items()}}
    runtime = data["runtime"]
    base = built_site / "calculators" / page
    assert (base / runtime["index"] / "pyodide.mjs").resolve().is_file()
    zip_file = (base / runtime["bundle"]).resolve()
    assert zip_file.name == pyodide.zip_name(pyodide.calculators_zip(ROOT / "calculators"))
    assert zip_file.read_bytes() == pyodide.calculators_zip(ROOT / "calculators")
    snapshot = (base / runtime["snapshot"]).resolve()
    assert snapshot.is_file() and snapshot.read_bytes()[:2] == b"\x1f\x8b"


def test_no_page_has_an_inline_script_or_a_leftover_marker(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "<!-- calculator:" not in text, f"{path}: a marker was not expanded"
        assert _read(path).inline_scripts == 0, f"{path} has an inline script"
        assert 'data-md-component="source"' not in text, f"{path}: the header would call api.github.com"
        parsed = _read(path)
        assert bool(parsed.forms) == (parsed.head_data is not None), f"{path}: calculator data without a calculator (or the reverse)"


@pytest.mark.parametrize("page", CALCULATOR_PAGES)
def test_forms_read_back_into_the_example_and_show_its_result(built_site: Path, config: dict[str, Any], page: str) -> None:
    parsed = _read(built_site / "calculators" / page / "index.html")
    for form in parsed.forms:
        name = form["name"]
        pairs = [(c["name"], c["value"]) for c in form["controls"]]
        example = calculators.example(name, config)
        assert browser.parse_pairs(name, pairs, config) == example, name
        for control in form["controls"]:
            assert control.get("id"), f"{name}: {control['name']} has no id"
            assert control["id"] in parsed.labels or control.get("aria-label"), f"{name}: {control['name']} has no label"
            if control["tag"] == "input" and control.get("type") == "number":
                assert "step" in control
        result = calculators.run(name, example, config)
        base = "../../"
        for output in present(name, example, result, config, base):
            assert output.key in form["outputs"], f"{name}: no element for output {output.key}"
            assert form["outputs"][output.key] == output.value, f"{name}.{output.key}"


def test_pages_without_a_marker_stay_plain(built_site: Path) -> None:
    for path in ("index.html", "calculators/index.html", "guides/calculators/index.html"):
        parsed = _read(built_site / path)
        # No calculator, no data; the same security policy as every page of the site.
        assert not parsed.forms and parsed.csp == policy() and parsed.head_data is None, path


def _pages(config: dict[str, Any]) -> CalculatorPages:
    pages = CalculatorPages()
    pages.config = config
    return pages


def test_an_unknown_marker_stops_the_build_naming_the_page(config: dict[str, Any]) -> None:
    from mkdocs.exceptions import PluginError

    hook = _pages(config)
    page: Any = SimpleNamespace(url="guides/oops/", file=SimpleNamespace(src_uri="guides/oops.md"))
    with pytest.raises(PluginError, match=re.escape("guides/oops.md: unknown calculator 'health_scor'")):
        hook.expand("<p>x</p>\n<!-- calculator: health_scor -->", page)
    html = hook.expand("<p><!-- calculator: nps --></p>\n<!-- calculator: nps -->", page)
    assert html.count('data-calculator="nps"') == 2
    assert 'data-calculator-instance="nps-2"' in html and 'id="cs-nps-2-promoters"' in html
    assert "<p><div" not in html


def test_a_cdn_url_replaces_the_vendored_runtime_and_joins_the_policy(config: dict[str, Any]) -> None:
    from mkdocs.exceptions import PluginError

    hook = CalculatorPages()
    version = pyodide.pinned_version(ROOT)
    with pytest.raises(PluginError, match="must point at Pyodide"):
        hook.configure(ROOT, config, cdn="https://cdn.example.org/pyodide/v0.1.0/full/", snapshot=False)
    options = load_options({"library": {"pyodide_url": f"https://cdn.example.org/pyodide/v{version}/full", "snapshot": False}})
    hook.configure(ROOT, config, cdn=options.pyodide_url, snapshot=options.snapshot)
    page: Any = SimpleNamespace(url="calculators/surveys/", file=SimpleNamespace(src_uri="calculators/surveys.md"))
    hook.expand("<!-- calculator: nps -->", page)
    out = hook.add_data('<html><head><meta charset="utf-8"></head><body></body></html>', page)
    parsed = _read_text(out)
    assert parsed.csp is not None and "script-src 'self' 'wasm-unsafe-eval' https://cdn.example.org;" in parsed.csp
    assert "connect-src 'self' https://cdn.example.org;" in parsed.csp
    data = json.loads(parsed.head_data or "{}")
    assert data["runtime"]["index"] == f"https://cdn.example.org/pyodide/v{version}/full/"
    assert data["runtime"]["snapshot"] is None
    assert data["runtime"]["bundle"].startswith("../../assets/py/calculators-")


def _read_text(text: str) -> _Forms:
    parser = _Forms()
    parser.feed(text)
    return parser


def _metric_examples() -> dict[str, Any]:
    from cslibrary.model.loader import load_library

    library = load_library(ROOT)
    return {m.id: m.example for m in library.metrics.values() if m.example is not None}


def test_metric_pages_prefill_their_own_example(built_site: Path, config: dict[str, Any]) -> None:
    """Each metric page's live calculator starts from that metric's worked example, not the calculator's default one."""
    examples = _metric_examples()
    assert sum(e.calculator == "rate" for e in examples.values()) >= 10
    for metric_id, example in examples.items():
        parsed = _read(built_site / "metrics" / metric_id / "index.html")
        assert [f["name"] for f in parsed.forms] == [example.calculator], metric_id
        form = parsed.forms[0]
        pairs = [(c["name"], c["value"]) for c in form["controls"]]
        inputs = {**calculators.example(example.calculator, config), **example.inputs}
        assert browser.parse_pairs(example.calculator, pairs, config) == browser.parse_pairs(
            example.calculator, browser.pairs_from_inputs(example.calculator, inputs, config), config
        ), metric_id
        if example.calculator == "rate":
            assert browser.parse_pairs("rate", pairs, config)["metric"] == metric_id
        result = calculators.run(example.calculator, inputs, config)
        for output in present(example.calculator, inputs, result, config, "../../"):
            assert form["outputs"][output.key] == output.value, f"{metric_id}: {output.key}"


def test_a_marker_carries_its_inputs_and_bad_ones_stop_the_build(config: dict[str, Any]) -> None:
    from mkdocs.exceptions import PluginError

    hook = _pages(config)
    page: Any = SimpleNamespace(url="metrics/x/", file=SimpleNamespace(src_uri="metrics/x.md"))
    marker = markup.calculator_marker("rate", {"metric": "license_utilization", "numerator": 412, "denominator": 500})
    parsed = _read_text(hook.expand(f"<p>Intro</p>\n{marker}", page))
    values = {c["name"]: c["value"] for c in parsed.forms[0]["controls"]}
    assert (values["metric"], values["numerator"], values["denominator"]) == ("license_utilization", "412", "500")
    assert parsed.forms[0]["outputs"]["rate"] == "82.4"
    # Keys a marker leaves out keep the calculator's example.
    parsed = _read_text(hook.expand('<!-- calculator: nrr_grr {"churn": 0} -->', page))
    values = {c["name"]: c["value"] for c in parsed.forms[0]["controls"]}
    assert values["churn"] == "0" and values["starting_mrr"] == "1000000"
    bad = {
        '<!-- calculator: rate {"metric": "license_utilization", "numerator": } -->': "not valid JSON",
        "<!-- calculator: rate [1, 2] -->": "must be a JSON object",
        '<!-- calculator: rate {"metric": "license_utilization", "numerator": -4, "denominator": 500} -->': "field 'numerator' must be",
        '<!-- calculator: rate {"numerater": 4} -->': "field 'numerater' is not an input",
    }
    for text, message in bad.items():
        with pytest.raises(PluginError, match=re.escape("metrics/x.md: ") + ".*" + re.escape(message)):
            hook.expand(text, page)


def test_a_marker_survives_markdown_whatever_its_strings_hold() -> None:
    import markdown

    inputs = {"name": "a --> b <script> & *c* _d_", "n": -1}
    marker = markup.calculator_marker("nps", inputs)
    html = markdown.markdown(f"Intro\n\n{marker}\n", extensions=["md_in_html", "attr_list"])
    match = MARKER.search(html)
    assert match and match["name"] == "nps" and json.loads(match["inputs"]) == inputs
