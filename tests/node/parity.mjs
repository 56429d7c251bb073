// @ts-check
// Run Python inside Pyodide under Node, the way the page does it.
//
//   node tests/node/parity.mjs JOB.json
//
// JOB.json: {"zip": path, "python": source defining main(job_text) -> str,
//            "snapshot": path of a gzipped snapshot or null,
//            "stdlib": path of the trimmed standard library the snapshot was made with, or null,
//            "stdlib_modules": the full library's top-level names (as the page data has them),
//            ...anything main needs}.
// Pyodide comes from node_modules/pyodide (the pinned version). Like the page, it starts
// from the snapshot when one is given and falls back to a normal start when that fails,
// unpacks the calculators zip into site-packages and, with a trimmed standard library,
// imports a module it lacks from the full one. Prints one JSON object:
// {"mode": "snapshot" | "normal", "snapshot_error": ..., "start_ms": ..., "full_stdlib": [modules
//  that needed the full library], "output": main's text}.
// Errors print their first lines only (Pyodide's minified source is huge).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { unpack } from "../../docs/assets/javascripts/calculators-snapshot.js";

const root = new URL("../../", import.meta.url);

/** @param {unknown} err */
function firstLines(err) {
  return String(typeof err === "object" && err !== null && "message" in err && err.message ? err.message : err)
    .split("\n")
    .slice(0, 8)
    .join("\n");
}

try {
  const jobPath = process.argv[2];
  if (!jobPath) throw new Error("usage: node tests/node/parity.mjs JOB.json");
  /** @type {{ zip: string, python: string, snapshot: string | null, stdlib?: string | null, stdlib_modules?: string[] }} */
  const job = JSON.parse(readFileSync(jobPath, "utf8"));
  const indexURL = new URL("node_modules/pyodide/", root).pathname;
  /** @type {typeof import("pyodide")} */
  const { loadPyodide } = await import(new URL("node_modules/pyodide/pyodide.mjs", root).href);
  const quiet = { indexURL, stdout: () => {}, stderr: () => {}, ...(job.stdlib ? { stdLibURL: job.stdlib } : {}) };
  const t0 = performance.now();
  let py = null;
  let mode = "normal";
  let snapshotError = null;
  if (job.snapshot) {
    try {
      const snapshot = unpack(gunzipSync(readFileSync(job.snapshot)));
      py = await loadPyodide({ ...quiet, _loadSnapshot: snapshot });
      const ping = JSON.parse(py.runPython("import calculators.browser as _csw\n_csw.handle('{\"op\": \"ping\"}', '{}')"));
      if (!ping.ok) throw new Error("the snapshot's calculators do not answer");
      mode = "snapshot";
    } catch (err) {
      snapshotError = firstLines(err);
      py = null;
    }
  }
  if (!py) py = await loadPyodide(quiet);
  const site = py.runPython("import sysconfig\nsysconfig.get_paths()['purelib']");
  py.unpackArchive(new Uint8Array(readFileSync(job.zip)), "zip", { extractDir: site });
  // As the page does: only the path finders' caches (importlib.invalidate_caches() imports importlib.metadata).
  py.runPython("import sys\nfor _f in list(sys.path_importer_cache.values()):\n    if _f is not None: _f.invalidate_caches()");
  /** @type {string[]} */
  const needed = [];
  if (job.stdlib) {
    // As the page does (calculators-worker.js): the full library, on the first import it alone has.
    const full = indexURL + "python_stdlib.zip";
    const names = job.stdlib_modules || [];
    const load = () => {
      needed.push("(loaded)");
      py.FS.writeFile("/lib/python_stdlib_full.zip", new Uint8Array(readFileSync(full)));
      return "/lib/python_stdlib_full.zip";
    };
    py.pyimport("calculators.browser").use_full_stdlib_on_demand(py.toPy(names), load);
  }
  const startMs = performance.now() - t0;
  const version = py.runPython("import sys\nsys.version.split()[0]");
  py.runPython(job.python);
  const output = py.globals.get("main")(JSON.stringify(job));
  process.stdout.write(JSON.stringify({ mode, snapshot_error: snapshotError, start_ms: startMs, python: version, full_stdlib: needed, output }));
} catch (err) {
  process.stderr.write(firstLines(err) + "\n");
  process.exit(1);
}
