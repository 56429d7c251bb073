// @ts-check
/*
 * Starts the calculators' worker from <head>, as early as the page allows: the runtime, the
 * snapshot and the package start downloading while the rest of the page is still parsed and
 * Material's scripts load. calculators.js (at the end of the page) takes the worker over,
 * with every message it sent meanwhile. On pages reached by instant navigation this script
 * does not run again; calculators.js starts the worker itself (once per visit).
 */
(function () {
  "use strict";
  var el = document.getElementById("cs-calculators-data");
  if (!el || typeof Worker !== "function") return;
  try {
    /** @type {{ runtime: { worker: string } & Record<string, unknown>, config: unknown }} */
    var data = JSON.parse(el.textContent || "");
    var runtime = data.runtime;
    // The same absolute URLs calculators.js resolves (relative to the page).
    /** @type {Record<string, unknown>} */
    var resolved = {};
    Object.keys(runtime).forEach(function (key) {
      var value = runtime[key];
      resolved[key] = typeof value === "string" && key !== "version" ? new URL(value, location.href).href : value;
    });
    var url = String(resolved.worker);
    /** @type {CalculatorsEarlyStart} */
    var early = { worker: new Worker(url, { type: "module", name: "calculators" }), url: url, messages: [], error: null, source: el, data: data };
    early.worker.onmessage = function (event) {
      early.messages.push(event.data);
    };
    early.worker.onerror = function (event) {
      event.preventDefault();
      early.error = event.message || "the calculator's worker could not start";
    };
    early.worker.postMessage({ type: "boot", runtime: resolved, skipSnapshot: false });
    window.csCalculatorsEarly = early;
  } catch (err) {
    /* calculators.js starts it and reports what went wrong */
  }
})();
