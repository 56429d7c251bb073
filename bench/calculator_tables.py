"""How fast a calculator's table takes many rows in Chromium: CSV paste, shared link, "Add a row" (run by hand).

    .venv/bin/python bench/calculator_tables.py [--site DIR --port N] [--baseline REV | --no-baseline]

Builds the site (or uses ``--site``, built with ``SITE_URL`` = ``http://127.0.0.1:PORT/``),
serves it on 127.0.0.1, opens the renewal forecast page (``calculators/renewals/``) in
Debian's Chromium through Playwright, and measures, each in a fresh browser context:

* paste of a 300-row and of a 1,000-row CSV: click on "Replace the rows" → the rows are in
  the table, → laid out on screen, → the result shows the CSV's total, → the next frame has
  been painted;
* restore of a shared link with 500 rows (inputs in the URL): the longest main-thread task
  while the page loads (the freeze a reader sees), when the rows are in the table and when
  the live result shows their total, all from navigation start;
* adding 200 rows one by one (a click on "Add a row", then a frame is rendered, 200 times):
  the time the page worked for it (click handlers and frames), the slowest click, then typing
  into the last row until the result shows it.

Every figure is taken twice in the same run: with the page script of the working tree, and
with the page script of ``--baseline`` (a git revision, default :data:`BASELINE`, from before
rows were built in one pass) served in its place (same build, same Python). Each measurement
runs in a browser of its own, in a child process ended after ``--timeout`` seconds (the old
script freezes the page for minutes). Ratios, not asserts: the run fails only when the
working tree's script gets a result wrong or times out. Figures go to
``bench/out/calculator_tables.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from _site import ARGS, CHROMIUM, build, free_port, serve
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import calculators  # noqa: E402
from calculators import browser as calc_browser  # noqa: E402
from cslibrary.model.config_files import config_from_library  # noqa: E402

PAGE = "calculators/renewals/"
NAME = "renewal_forecast"
FORM = f'form[data-calculator="{NAME}"]'
SCRIPT = "docs/assets/javascripts/calculators.js"
#: The page script before this benchmark: every added row renumbered every row.
BASELINE = "9961a6e"
START_MS = 120_000


def accounts(n: int) -> list[dict[str, str]]:
    """n made-up accounts, as the form's cell texts."""
    return [{"name": f"Account {i + 1}", "arr": str(1000 + (i * 7919) % 90_000), "health": str((i * 37) % 101)} for i in range(n)]


def expected_total(rows: list[dict[str, str]], config: dict[str, Any]) -> str:
    """``total_due``'s ``data-value`` for these rows, from the same Python on CPython."""
    pairs = [(f"accounts[{i}].{key}", value) for i, row in enumerate(rows) for key, value in row.items()]
    out = calc_browser.compute(NAME, pairs, config)
    assert out["ok"], out
    value = next(o["value"] for o in out["outputs"] if o["key"] == "total_due")
    return str(value)


def csv_text(rows: list[dict[str, str]]) -> str:
    return "name,arr,health\n" + "".join(f"{r['name']},{r['arr']},{r['health']}\n" for r in rows)


def _wait_live(page: Page) -> None:
    page.wait_for_function(
        f"() => document.querySelector('{FORM} [data-calc-status]')?.dataset.state === 'ready'", timeout=START_MS, polling=50
    )


#: In the page: click "Replace the rows with this CSV", then time the rows, the result and the next painted frame.
PASTE_JS = """async ([form, n, total]) => {
  const f = document.querySelector(form);
  const body = f.querySelector('tbody[data-rows]');
  const out = f.querySelector('[data-output="total_due"]');
  const details = f.querySelector('details.cs-csv');
  details.open = true;
  details.querySelector('[data-csv-text]').value = window.__csv;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const times = {};
  // After the layout of the frame that shows the new rows: a ResizeObserver is told then.
  const shown = new ResizeObserver(() => {
    if (body.children.length === n && times.shown === undefined) { times.shown = performance.now() - t0; shown.disconnect(); }
  });
  shown.observe(body);
  const t0 = performance.now();
  const done = new Promise((resolve) => {
    const check = () => {
      if (times.rows === undefined && body.children.length === n) times.rows = performance.now() - t0;
      if (times.rows !== undefined && out.getAttribute('data-value') === total) {
        times.result = performance.now() - t0;
        requestAnimationFrame(() => setTimeout(() => { times.painted = performance.now() - t0; resolve(times); }, 0));
        return true;
      }
      return false;
    };
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(f, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-value'] });
  });
  details.querySelector('[data-action="csv-load"]').click();
  const result = await done;
  result.status = details.querySelector('[data-csv-status]').textContent;
  return result;
}"""

#: In the page: click "Add a row" n times, each time letting a frame render (as between a reader's
#: clicks), type into the last row, wait for the result. "work": the click's handler plus the
#: frame's rendering (from its animation-frame callback to the task after it), summed.
ADD_JS = """async ([form, n, row, total]) => {
  const f = document.querySelector(form);
  const body = f.querySelector('tbody[data-rows]');
  const out = f.querySelector('[data-output="total_due"]');
  const button = f.querySelector('[data-action="add-row"]');
  const before = body.children.length;
  const frame = () => new Promise((r) => requestAnimationFrame(() => {
    const a = performance.now();
    setTimeout(() => r(performance.now() - a), 0);
  }));
  let longest = 0;
  let work = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    button.click();
    const sync = performance.now() - t;
    const render = await frame();
    longest = Math.max(longest, sync + render);
    work += sync + render;
  }
  const clicks = performance.now() - t0;
  if (body.children.length !== before + n) throw new Error('rows: ' + body.children.length);
  const last = body.lastElementChild;
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (out.getAttribute('data-value') === total) { observer.disconnect(); resolve(performance.now() - t0); }
    });
    observer.observe(out, { attributes: true, attributeFilter: ['data-value'] });
  });
  for (const [col, value] of Object.entries(row)) {
    const el = last.querySelector('[data-col="' + col + '"]');
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }
  const result = await done;
  return { clicks, work, per_click: work / n, longest_click: longest, result,
           label: last.querySelector('[data-col]').getAttribute('aria-label') };
}"""

#: Before the page's scripts: notes the long tasks, and when the table first holds N rows.
RESTORE_INIT = """(() => {
  window.__longest = 0;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  new MutationObserver((records, observer) => {
    const body = document.querySelector('FORM tbody[data-rows]');
    if (body && body.children.length >= ROWS) { window.__rowsAt = performance.now(); observer.disconnect(); }
  }).observe(document, { subtree: true, childList: true });
})()"""


def _paste(browser: Browser, base: str, route: Callable[[Page], None], n: int, config: dict[str, Any]) -> dict[str, Any]:
    rows = accounts(n)
    context = browser.new_context()
    try:
        page = context.new_page()
        route(page)
        page.goto(base + PAGE)
        _wait_live(page)
        page.evaluate("(text) => { window.__csv = text; }", csv_text(rows))
        result: dict[str, Any] = page.evaluate(PASTE_JS, [FORM, n, expected_total(rows, config)])
        return result
    finally:
        context.close()


def _restore(browser: Browser, base: str, route: Callable[[Page], None], n: int, config: dict[str, Any]) -> dict[str, Any]:
    rows = accounts(n)
    params = [("calculator", NAME)] + [(f"accounts[{i}].{k}", v) for i, row in enumerate(rows) for k, v in row.items()]
    url = base + PAGE + "?" + urlencode(params) + f"#cs-{NAME}"
    context = browser.new_context()
    try:
        page = context.new_page()
        route(page)
        page.add_init_script(RESTORE_INIT.replace("FORM", FORM.replace("'", "\\'")).replace("ROWS", str(n)))
        page.goto(url, timeout=0)
        page.wait_for_function(
            "(total) => document.querySelector('" + FORM + " [data-output=\"total_due\"]')?.getAttribute('data-value') === total",
            arg=expected_total(rows, config),
            timeout=0,
            polling=50,
        )
        result: dict[str, Any] = page.evaluate(
            "() => ({ longest_task: window.__longest, rows_at: window.__rowsAt, result_at: performance.now(),"
            " rows: document.querySelectorAll('" + FORM + " tbody[data-rows] > tr').length })"
        )
        return result
    finally:
        context.close()


def _add(browser: Browser, base: str, route: Callable[[Page], None], n: int, config: dict[str, Any]) -> dict[str, Any]:
    example = [{k: calc_browser.text_of(v) for k, v in row.items()} for row in calculators.example(NAME, config)["accounts"]]
    last = {"name": "Added", "arr": "12345", "health": "50"}
    total = expected_total([*example, last], config)
    context = browser.new_context()
    try:
        page = context.new_page()
        route(page)
        page.goto(base + PAGE)
        _wait_live(page)
        result: dict[str, Any] = page.evaluate(ADD_JS, [FORM, n, last, total])
        result["label_ok"] = result.get("label") == f"Account, row {len(example) + n}"
        return result
    finally:
        context.close()


CASES: dict[str, Callable[[Browser, str, Callable[[Page], None], dict[str, Any]], dict[str, Any]]] = {
    "paste_300": lambda b, base, route, cfg: _paste(b, base, route, 300, cfg),
    "paste_1000": lambda b, base, route, cfg: _paste(b, base, route, 1000, cfg),
    "restore_500": lambda b, base, route, cfg: _restore(b, base, route, 500, cfg),
    "add_200": lambda b, base, route, cfg: _add(b, base, route, 200, cfg),
}


def run_case(case: str, base: str, script: Path | None) -> dict[str, Any]:
    """One measurement in a browser of its own; ``script`` replaces the page script when given."""
    config = config_from_library(ROOT / "playbooks")
    body = script.read_text(encoding="utf-8") if script else None

    def route(page: Page) -> None:
        page.set_default_timeout(START_MS)
        if body is not None:
            page.route("**/assets/javascripts/calculators.js", lambda r: r.fulfill(status=200, body=body, content_type="text/javascript"))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            return CASES[case](browser, base, route, config)
        finally:
            browser.close()


def _measure(case: str, base: str, script: Path | None, timeout: float) -> dict[str, Any]:
    """:func:`run_case` in a child process (a frozen page cannot be interrupted from inside):
    past ``timeout`` seconds its process group (Playwright's driver and Chromium) is ended."""
    command = [sys.executable, __file__, "--case", case, "--url", base] + (["--script", str(script)] if script else [])
    t0 = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"timeout": timeout}
    wall = round(time.monotonic() - t0, 1)
    if proc.returncode != 0:
        return {"error": (err.strip().splitlines() or ["exit " + str(proc.returncode)])[-1][:300], "wall_s": wall}
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["wall_s"] = wall
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (SITE_URL must name --port)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--baseline", default=BASELINE, help=f"git revision of the page script to compare with (default {BASELINE})")
    parser.add_argument("--no-baseline", action="store_true", help="measure the working tree's page script only")
    parser.add_argument("--timeout", type=float, default=240, help="seconds one measurement may take (default 240)")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--script", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:  # one measurement, run by _measure
        print(json.dumps(run_case(args.case, args.url, args.script)))
        return 0
    if args.site and not args.port:
        parser.error("--site needs --port (the port its SITE_URL names)")
    port = args.port or free_port()
    tmp = tempfile.TemporaryDirectory(prefix="bench-tables-")
    site = args.site or Path(tmp.name) / "site"
    if args.site is None:
        print(f"building the site for port {port}…", flush=True)
        build(site, port)
    variants: dict[str, Path | None] = {"now": None}
    if not args.no_baseline:
        old = subprocess.run(["git", "show", f"{args.baseline}:{SCRIPT}"], cwd=ROOT, capture_output=True, text=True, check=False)
        if old.returncode == 0:
            old_script = Path(tmp.name) / "baseline-calculators.js"
            old_script.write_text(old.stdout, encoding="utf-8")
            variants["baseline"] = old_script
        else:
            print(f"no baseline: {old.stderr.strip()}")
    server = serve(site, port)
    base = f"http://127.0.0.1:{port}/"
    results: dict[str, Any] = {"baseline_rev": args.baseline if "baseline" in variants else None, "timeout_s": args.timeout}
    try:
        for variant, script in variants.items():
            print(f"  page script: {'working tree' if script is None else 'baseline ' + args.baseline}", flush=True)
            figures: dict[str, Any] = {}
            for case in CASES:
                figures[case] = _measure(case, base, script, args.timeout)
                print(f"    {case}: {json.dumps(figures[case])}", flush=True)
            results[variant] = figures
    finally:
        server.shutdown()
        tmp.cleanup()

    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "calculator_tables.json").write_text(json.dumps(results, indent=1), encoding="utf-8")

    def value(variant: str, key: str, field: str) -> float | None:
        got = results.get(variant, {}).get(key, {}).get(field)
        return float(got) if isinstance(got, int | float) else None

    def fig(variant: str, key: str, field: str) -> str:
        if variant not in results:
            return ""
        got = results[variant].get(key, {})
        if "timeout" in got:
            return f"> {got['timeout']:.0f} s"
        if "error" in got:
            return "failed"
        number = value(variant, key, field)
        return "—" if number is None else f"{number:,.0f} ms"

    def ratio(key: str, field: str) -> str:
        now, old = value("now", key, field), value("baseline", key, field)
        if now and old:
            return f"{old / now:,.1f} ×"
        if now and "timeout" in results.get("baseline", {}).get(key, {}):
            return f"> {results['baseline'][key]['timeout'] * 1000 / now:,.0f} ×"
        return ""

    lines = [
        ("paste 300 rows: rows in the table", "paste_300", "rows"),
        ("paste 300 rows: rows laid out", "paste_300", "shown"),
        ("paste 300 rows: result shown", "paste_300", "result"),
        ("paste 300 rows: next frame painted", "paste_300", "painted"),
        ("paste 1,000 rows: rows in the table", "paste_1000", "rows"),
        ("paste 1,000 rows: rows laid out", "paste_1000", "shown"),
        ("paste 1,000 rows: result shown", "paste_1000", "result"),
        ("paste 1,000 rows: next frame painted", "paste_1000", "painted"),
        ("link with 500 rows: longest task", "restore_500", "longest_task"),
        ("link with 500 rows: rows in (from nav.)", "restore_500", "rows_at"),
        ("link with 500 rows: result (from nav.)", "restore_500", "result_at"),
        ("add 200 rows: all clicks (wall)", "add_200", "clicks"),
        ("add 200 rows: work (handlers + frames)", "add_200", "work"),
        ("add 200 rows: slowest click + frame", "add_200", "longest_click"),
        ("add 200 rows, type: result shown", "add_200", "result"),
    ]
    print(f"\nRenewal forecast table in Chromium: this page script and {results['baseline_rev'] or 'no baseline'}")
    print(f"  {'':42} {'now':>11} {'baseline':>11}   baseline / now")
    for label, key, field in lines:
        print(f"  {label:42} {fig('now', key, field):>11} {fig('baseline', key, field):>11}   {ratio(key, field)}")
    now = results["now"]
    wrong = [f"{k}: {v.get('error') or 'timed out'}" for k, v in now.items() if "error" in v or "timeout" in v]
    if now.get("add_200", {}).get("label_ok") is False:
        wrong.append(f"the last added row is labelled {now['add_200'].get('label')!r}")
    if wrong:
        print("WRONG: " + "; ".join(wrong))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
