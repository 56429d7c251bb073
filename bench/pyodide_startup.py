"""How fast the in-page calculators start in Chromium, against a bare Pyodide page (run by hand).

    .venv/bin/python bench/pyodide_startup.py [--runs 3] [--site DIR] [--trace]

Builds the site (or uses ``--site``, built with ``SITE_URL`` = ``--port``), adds a bare page
that only loads the vendored Pyodide and evaluates ``1+1``, serves both on 127.0.0.1 and
drives Debian's Chromium through Playwright. Bare and calculator runs alternate (a loaded
machine slows them alike) and every figure is a median. Reported, each against the bare page
measured in the same run:

* **cold**: a fresh profile (empty cache), navigation start → the first live result after an
  edit made as soon as the page has loaded (goal ≤ 0.40 × bare);
* **repeat**: the same page opened again in the same profile (its disk cache warm: the
  runtime, the compiled WebAssembly, the snapshot), a new page load (goal ≤ 0.20 × bare);
* **10 Mbit/s**: both pages cold with Chromium's network throttling (10 Mbit/s down, 20 ms
  latency), the same for both, ``--runs`` times each (goal: calculator page ≤ 1.0 × bare);
* **long tasks**: main-thread tasks over 50 ms while the calculator loads, from a
  PerformanceObserver (long animation frames, whose script attribution tells the calculators'
  scripts from Material's); goal: none caused by the calculators;
* **recompute**: input event → outputs updated, median of 40 (goal ≤ 20 ms);
* **bytes** downloaded by each page, counted by the server;
* **where the time goes** on the cold and the repeat visit, from the marks the page records
  (``performance.mark("calculators:…")``: worker started, snapshot chosen, each download
  finished, snapshot unzipped, runtime started, package ready) — with ``--trace``, a Chromium
  performance trace of one cold visit is also saved for DevTools.

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
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CALC_PAGE = "calculators/retention/"
#: Chromium's throttling for the slow-link run: 10 Mbit/s down, 5 up, 20 ms latency.
SLOW = {"offline": False, "latency": 20, "downloadThroughput": 10e6 / 8, "uploadThroughput": 5e6 / 8}

BARE_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module" src="bare.mjs"></script></head><body><p id="out">loading…</p></body></html>"""
BARE_JS = """import { loadPyodide } from "../assets/pyodide/VERSION/pyodide.mjs";
const py = await loadPyodide({ indexURL: new URL("../assets/pyodide/VERSION/", location.href).href });
const two = py.runPython("1+1");
window.__bareReady = performance.now();
document.getElementById("out").textContent = "1+1 = " + two;
"""

#: Installed before the page's scripts: when the NRR result first shows a live value, and the
#: main thread's long frames (with the scripts that ran in them).
WATCH = """(() => {
  window.__frames = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__frames.push({ start: e.startTime, duration: e.duration,
        scripts: (e.scripts || []).map((s) => ({ url: s.sourceURL || s.invoker || '', ms: s.duration })) });
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch (err) {}
  new MutationObserver((records, observer) => {
    const out = document.querySelector('form[data-calculator="nrr_grr"] [data-output="nrr"]');
    if (out && out.getAttribute('data-value') === '103.5') { window.__firstLive = performance.now(); observer.disconnect(); }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-value'] });
})()"""

EDIT = """() => {
    const input = document.querySelector('form[data-calculator="nrr_grr"] [name="starting_mrr"]');
    input.value = '2000000';
    input.dispatchEvent(new Event('input', { bubbles: true }));
}"""

MARKS = """() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('calculators:'))
    .map((m) => [m.name.slice(12), m.startTime, m.detail ? m.detail.mode + ': ' + m.detail.why : ''])"""


def _throttle(page: Page, slow: bool) -> None:
    if slow:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW)


def _bare(context: BrowserContext, base: str, slow: bool = False) -> float:
    page = context.new_page()
    _throttle(page, slow)
    page.goto(base + "bench-bare/")
    page.wait_for_function("() => window.__bareReady", timeout=300_000, polling=20)
    ms = float(page.evaluate("window.__bareReady"))
    page.close()
    return ms


def _first_live(context: BrowserContext, url: str, slow: bool = False) -> dict[str, Any]:
    """One visit: ms from navigation start to the first live result after an edit made on load,
    the worker's marks, and the long frames before that result."""
    page = context.new_page()
    _throttle(page, slow)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.add_init_script(WATCH)
    page.goto(url)
    page.evaluate(EDIT)
    page.wait_for_function("() => window.__firstLive", timeout=300_000, polling=20)
    ms = float(page.evaluate("window.__firstLive"))
    marks = page.evaluate(MARKS)
    frames = [f for f in page.evaluate("window.__frames") if f["start"] < ms]
    page.wait_for_timeout(2000)  # a reader stays on the page: the unzipped snapshot is kept meanwhile
    page.close()
    mode = next((m[2] for m in marks if m[2]), "unknown")
    return {
        "ms": ms,
        "mode": mode,
        "marks": {m[0]: round(m[1]) for m in marks},
        "long_frames": len(frames),
        # A frame is the calculators' doing when their own scripts ran 50 ms or more of it.
        "long_frames_calculators": [f for f in frames if sum(s["ms"] for s in f["scripts"] if "calculators" in s["url"]) >= 50],
        "calculators_script_ms": [round(sum(s["ms"] for s in f["scripts"] if "calculators" in s["url"])) for f in frames],
        "fallback": [m for m in console if "without the snapshot" in m],
    }


def _recompute(page: Page, n: int = 40) -> dict[str, float]:
    """Input event → outputs updated (through the worker), median and p90 of n."""
    times: list[float] = [
        page.evaluate(
            """(i) => new Promise((resolve) => {
            const form = document.querySelector('form[data-calculator="nrr_grr"]');
            const input = form.querySelector('[name="churn"]');
            const out = form.querySelector('[data-output="grr"]');
            const t0 = performance.now();
            new MutationObserver((records, observer) => { observer.disconnect(); resolve(performance.now() - t0); })
                .observe(out, { attributes: true, attributeFilter: ['data-value'] });
            input.value = String(40000 + i * 100);
            input.dispatchEvent(new Event('change', { bubbles: true }));
        })""",
            i,
        )
        for i in range(n)
    ]
    return {"median_ms": statistics.median(times), "p90_ms": sorted(times)[int(n * 0.9) - 1]}


def _profile(p: Playwright) -> BrowserContext:
    """A fresh browser profile on disk (a real disk cache, as a reader's browser has)."""
    return p.chromium.launch_persistent_context(tempfile.mkdtemp(prefix="bench-profile-"), executable_path=CHROMIUM, args=ARGS)


def _trace(p: Playwright, url: str, path: Path) -> None:
    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    context = browser.new_context()
    page = context.new_page()
    browser.start_tracing(page=page, path=str(path), categories=["devtools.timeline", "v8", "v8.wasm", "loading", "blink.user_timing"])
    page.add_init_script(WATCH)
    page.goto(url)
    page.evaluate(EDIT)
    page.wait_for_function("() => window.__firstLive", timeout=300_000, polling=20)
    browser.stop_tracing()
    browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="an already built site (SITE_URL must name --port)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--trace", action="store_true", help="also save a Chromium trace of one cold visit")
    parser.add_argument("--no-slow", action="store_true", help="skip the 10 Mbit/s runs (about 30 s each)")
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
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"runs": args.runs, "pyodide": version}
    bare_ms: list[float] = []
    cold: list[dict[str, Any]] = []
    repeat: list[dict[str, Any]] = []
    bytes_seen: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            for _ in range(args.runs):
                context = _profile(p)
                server.bytes_sent.clear()  # type: ignore[attr-defined]
                bare_ms.append(_bare(context, base))
                bytes_seen["bare"] = sum(server.bytes_sent.values())  # type: ignore[attr-defined]
                context.close()

                context = _profile(p)
                server.bytes_sent.clear()  # type: ignore[attr-defined]
                cold.append(_first_live(context, base + CALC_PAGE))
                bytes_seen["calculator page, cold"] = sum(server.bytes_sent.values())  # type: ignore[attr-defined]
                server.bytes_sent.clear()  # type: ignore[attr-defined]
                repeat.append(_first_live(context, base + CALC_PAGE))
                bytes_seen["calculator page, repeat"] = sum(server.bytes_sent.values())  # type: ignore[attr-defined]
                page = context.new_page()
                page.goto(base + CALC_PAGE)
                page.wait_for_function(
                    "() => [...document.querySelectorAll('[data-calc-status]')].every((s) => s.dataset.state === 'ready')",
                    timeout=120_000,
                )
                results["recompute"] = _recompute(page)
                page.close()
                context.close()

            context = _profile(p)
            server.bytes_sent.clear()  # type: ignore[attr-defined]
            page = context.new_page()
            page.goto(base)
            page.wait_for_timeout(3000)
            bytes_seen["page without a calculator"] = sum(server.bytes_sent.values())  # type: ignore[attr-defined]
            context.close()

            if not args.no_slow:
                slow_bare: list[float] = []
                slow_calc: list[dict[str, Any]] = []
                for _ in range(args.runs):
                    context = _profile(p)
                    slow_bare.append(_bare(context, base, slow=True))
                    context.close()
                    context = _profile(p)
                    slow_calc.append(_first_live(context, base + CALC_PAGE, slow=True))
                    context.close()
                results["slow_bare_ms"] = statistics.median(slow_bare)
                results["slow_calc"] = sorted(slow_calc, key=lambda r: r["ms"])[len(slow_calc) // 2]
                results["slow_runs"] = {"bare": slow_bare, "calc": [r["ms"] for r in slow_calc]}
            if args.trace:
                _trace(p, base + CALC_PAGE, out / "pyodide_startup.trace.json")
    finally:
        server.shutdown()
        tmp.cleanup()

    med = statistics.median
    b = med(bare_ms)
    cold_ms = [c["ms"] for c in cold]
    repeat_ms = [r["ms"] for r in repeat]
    results.update(
        {
            "bare_ready_ms": bare_ms,
            "cold": cold,
            "repeat": repeat,
            "bytes": bytes_seen,
            "ratio_cold": med(cold_ms) / b,
            "ratio_repeat": med(repeat_ms) / b,
        }
    )
    if "slow_calc" in results:
        results["ratio_slow"] = results["slow_calc"]["ms"] / results["slow_bare_ms"]
    (out / "pyodide_startup.json").write_text(json.dumps(results, indent=1), encoding="utf-8")

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print(f"Pyodide {version}, {args.runs} runs alternating bare and calculator page, Chromium, medians")
    print(f"  bare page (vendored Pyodide + 1+1) ready:     {b:7.0f} ms   {[round(x) for x in bare_ms]}")
    print(
        f"  cold, first live result:                      {med(cold_ms):7.0f} ms   ratio {results['ratio_cold']:.2f} (goal ≤ 0.40: {verdict(results['ratio_cold'] <= 0.40)})  {[c['mode'] for c in cold]}"
    )
    print(
        f"  repeat visit, first live result:              {med(repeat_ms):7.0f} ms   ratio {results['ratio_repeat']:.2f} (goal ≤ 0.20: {verdict(results['ratio_repeat'] <= 0.20)})  {[r['mode'] for r in repeat]}"
    )
    if "slow_calc" in results:
        print(
            f"  10 Mbit/s: bare {results['slow_bare_ms']:7.0f} ms, calculator page {results['slow_calc']['ms']:7.0f} ms   ratio {results['ratio_slow']:.2f} (goal ≤ 1.0: {verdict(results['ratio_slow'] <= 1.0)})  {results['slow_calc']['mode']}"
        )
    long_calc = sum(len(c["long_frames_calculators"]) for c in cold + repeat)
    print(
        f"  long frames > 50 ms before the first result: {[c['long_frames'] for c in cold + repeat]} in all; "
        f"with 50 ms or more of the calculators' scripts: {long_calc} (goal 0: {verdict(long_calc == 0)}; "
        f"their longest share {max((ms for c in cold + repeat for ms in c['calculators_script_ms']), default=0)} ms)"
    )
    print(
        f"  recompute (input → outputs, via the worker): {results['recompute']['median_ms']:7.2f} ms median, p90 {results['recompute']['p90_ms']:.2f} ms (goal ≤ 20: {verdict(results['recompute']['median_ms'] <= 20)})"
    )
    for name, n in bytes_seen.items():
        print(f"  bytes, {name + ':':32} {n / 1e6:6.2f} MB")
    print("  where the time goes (ms from navigation start; median run):")
    for label, runs in (("cold", cold), ("repeat", repeat)):
        run = sorted(runs, key=lambda r: r["ms"])[len(runs) // 2]
        steps = sorted(run["marks"].items(), key=lambda kv: kv[1])
        print(f"    {label:7}" + "  ".join(f"{k} {v}" for k, v in steps) + f"  first result {run['ms']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
