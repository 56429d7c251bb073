"""How fast the in-page calculators start in Chromium, against a bare Pyodide page (run by hand).

    .venv/bin/python bench/pyodide_startup.py [--runs 3] [--site DIR]

Builds the site (or uses ``--site``, built with ``SITE_URL`` = the port below), adds a bare
page that only loads the vendored Pyodide and evaluates ``1+1``, serves both on 127.0.0.1
and drives Debian's Chromium through Playwright. Every cold run uses a fresh browser
context (empty cache). Reported:

* bare page: navigation start → ``1+1`` evaluated;
* calculator page, cold: navigation start → the first live result after an input change made
  as soon as the page has loaded (with the snapshot, and with the snapshot refused → normal
  start); the goal is ≤ 0.4 × the bare page;
* the same page again in the same context (warm cache);
* warm recompute: input change → outputs updated, median of 40 (goal ≤ 20 ms);
* bytes transferred, with and without the snapshot, and on a page without a calculator
  (goal: no Pyodide byte).

Figures print as a table and go to ``bench/out/pyodide_startup.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from _site import ARGS, CHROMIUM, build, free_port, serve
from playwright.sync_api import BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CALC_PAGE = "calculators/retention/"

BARE_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module" src="bare.mjs"></script></head><body><p id="out">loading…</p></body></html>"""
BARE_JS = """import { loadPyodide } from "../assets/pyodide/VERSION/pyodide.mjs";
const py = await loadPyodide({ indexURL: new URL("../assets/pyodide/VERSION/", location.href).href });
const two = py.runPython("1+1");
window.__bareReady = performance.now();
document.getElementById("out").textContent = "1+1 = " + two;
"""


def _bytes(page: Page) -> dict[str, int]:
    totals = {"total": 0, "pyodide": 0}

    def done(request: Any) -> None:
        try:
            size = request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
        except Exception:
            return
        totals["total"] += size
        if "/assets/pyodide/" in request.url or "/assets/py/" in request.url:
            totals["pyodide"] += size

    page.on("requestfinished", done)
    return totals


#: Installed before the page's scripts: notes when the NRR result first shows a live value.
WATCH_NRR = """(() => {
  new MutationObserver((records, observer) => {
    const out = document.querySelector('form[data-calculator="nrr_grr"] [data-output="nrr"]');
    if (out && out.getAttribute('data-value') === '103.5') { window.__firstLive = performance.now(); observer.disconnect(); }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-value'] });
})()"""


def _first_live(context: BrowserContext, url: str) -> tuple[float, dict[str, Any], dict[str, int]]:
    """ms from navigation start to the first live result after an edit made on load.

    Seen from outside, as a reader would: the NRR output shows the new value. The start-up path
    is read from the network and the console: ``snapshot`` when the snapshot came back 200 and
    no fallback warning was logged, ``normal`` otherwise.
    """
    page = context.new_page()
    sizes = _bytes(page)
    seen = {"snapshot": False, "fallback": False}
    page.on("response", lambda r: seen.__setitem__("snapshot", seen["snapshot"] or (r.url.endswith(".snapshot.gz") and r.status == 200)))
    page.on("console", lambda m: seen.__setitem__("fallback", seen["fallback"] or "without the snapshot" in m.text))
    page.add_init_script(WATCH_NRR)
    page.goto(url)
    page.evaluate(
        """() => {
        const input = document.querySelector('form[data-calculator="nrr_grr"] [name="starting_mrr"]');
        input.value = '2000000';
        input.dispatchEvent(new Event('input', { bubbles: true }));
    }"""
    )
    page.wait_for_function("() => window.__firstLive", timeout=120_000, polling=20)
    ms = float(page.evaluate("window.__firstLive"))
    state = {"mode": "snapshot" if seen["snapshot"] and not seen["fallback"] else "normal"}
    page.wait_for_timeout(300)
    page.close()
    return ms, state, dict(sizes)


def _recompute(page: Page, n: int = 40) -> dict[str, float]:
    times: list[float] = page.evaluate(
        """(n) => {
        const form = document.querySelector('form[data-calculator="nrr_grr"]');
        const input = form.querySelector('[name="expansion"]');
        const out = [];
        for (let i = 0; i < n; i++) {
            const t0 = performance.now();
            input.value = String(100000 + i * 1000);
            input.dispatchEvent(new Event('change', { bubbles: true }));
            out.push(performance.now() - t0);
        }
        return out;
    }""",
        n,
    )
    typed: list[float] = []
    for i in range(n // 2):
        typed.append(
            page.evaluate(
                """(i) => new Promise((resolve) => {
                const form = document.querySelector('form[data-calculator="nrr_grr"]');
                const input = form.querySelector('[name="churn"]');
                const out = form.querySelector('[data-output="grr"]');
                const t0 = performance.now();
                new MutationObserver((records, observer) => { observer.disconnect(); resolve(performance.now() - t0); })
                    .observe(out, { attributes: true, attributeFilter: ['data-value'] });
                input.value = String(40000 + i * 100);
                input.dispatchEvent(new Event('input', { bubbles: true }));
            })""",
                i,
            )
        )
    return {
        "median_ms": statistics.median(times),
        "p90_ms": sorted(times)[int(n * 0.9) - 1],
        "typing_median_ms": statistics.median(typed),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="an already built site (SITE_URL must name --port)")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    port = args.port or free_port()
    tmp = tempfile.TemporaryDirectory(prefix="bench-pyodide-")
    site = args.site or Path(tmp.name) / "site"
    if args.site is None:
        print(f"building the site for port {port}…", flush=True)
        build(site, port)
    version = next((site / "assets" / "pyodide").iterdir()).name
    bare = site / "bench-bare"
    bare.mkdir(exist_ok=True)
    (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
    (bare / "bare.mjs").write_text(BARE_JS.replace("VERSION", version), encoding="utf-8")
    server = serve(site, port)
    base = f"http://127.0.0.1:{port}/"
    results: dict[str, Any] = {"runs": args.runs, "pyodide": version}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            bare_ms, snap_ms, normal_ms, warm_ms = [], [], [], []
            snap_bytes: dict[str, int] = {}
            normal_bytes: dict[str, int] = {}
            boot: list[dict[str, Any]] = []
            for _ in range(args.runs):
                context = browser.new_context()
                page = context.new_page()
                sizes = _bytes(page)
                page.goto(base + "bench-bare/")
                page.wait_for_function("() => window.__bareReady", timeout=120_000, polling=20)
                bare_ms.append(float(page.evaluate("window.__bareReady")))
                results["bare_bytes"] = dict(sizes)
                context.close()

                context = browser.new_context()
                ms, state, snap_bytes = _first_live(context, base + CALC_PAGE)
                assert state["mode"] == "snapshot", state
                snap_ms.append(ms)
                boot.append(state)
                ms, state, _ = _first_live(context, base + CALC_PAGE)  # same context: warm cache
                warm_ms.append(ms)
                context.close()

                context = browser.new_context()
                context.route("**/*.snapshot.gz", lambda route: route.fulfill(status=404, body="no snapshot"))
                ms, state, normal_bytes = _first_live(context, base + CALC_PAGE)
                assert state["mode"] == "normal", state
                normal_ms.append(ms)
                context.close()

            context = browser.new_context()
            page = context.new_page()
            page.goto(base + CALC_PAGE)
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-calc-status]')].every((s) => s.dataset.state === 'ready')", timeout=120_000
            )
            results["recompute"] = _recompute(page)
            plain = context.new_page()
            plain_sizes = _bytes(plain)
            plain.goto(base)
            plain.wait_for_timeout(3000)
            results["page_without_calculator_bytes"] = dict(plain_sizes)
            context.close()
            browser.close()
    finally:
        server.shutdown()
        tmp.cleanup()

    med = statistics.median
    results.update(
        {
            "bare_ready_ms": bare_ms,
            "calc_cold_snapshot_ms": snap_ms,
            "calc_cold_normal_ms": normal_ms,
            "calc_warm_cache_ms": warm_ms,
            "boot": boot,
            "snapshot_bytes": snap_bytes,
            "normal_bytes": normal_bytes,
            "ratio_snapshot_to_bare": med(snap_ms) / med(bare_ms),
            "ratio_normal_to_bare": med(normal_ms) / med(bare_ms),
        }
    )
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pyodide_startup.json").write_text(json.dumps(results, indent=1), encoding="utf-8")

    def mb(n: int) -> str:
        return f"{n / 1e6:.1f} MB"

    print(f"Pyodide {version}, {args.runs} cold runs each, Chromium, medians")
    print(f"  bare page (vendored Pyodide + 1+1) ready:        {med(bare_ms):7.0f} ms   {bare_ms}")
    print(
        f"  calculator page, cold, snapshot → live result:   {med(snap_ms):7.0f} ms   ratio {results['ratio_snapshot_to_bare']:.2f} (goal ≤ 0.40)"
    )
    print(f"  calculator page, cold, no snapshot → live:       {med(normal_ms):7.0f} ms   ratio {results['ratio_normal_to_bare']:.2f}")
    print(f"  calculator page again, warm cache → live:        {med(warm_ms):7.0f} ms")
    print(
        f"  warm recompute (change → outputs updated):       {results['recompute']['median_ms']:7.2f} ms median, p90 {results['recompute']['p90_ms']:.2f} ms (goal ≤ 20)"
    )
    print(f"  keystroke → outputs updated (40 ms debounce):    {results['recompute']['typing_median_ms']:7.2f} ms median")
    print(
        f"  bytes, calculator page with snapshot:   {mb(snap_bytes['total'])} total, {mb(snap_bytes['pyodide'])} runtime + package + snapshot"
    )
    print(f"  bytes, calculator page without it:      {mb(normal_bytes['total'])} total, {mb(normal_bytes['pyodide'])} runtime + package")
    print(f"  bytes, bare page:                       {mb(results['bare_bytes']['total'])}")
    print(f"  Pyodide bytes on a page without a calculator: {results['page_without_calculator_bytes']['pyodide']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
