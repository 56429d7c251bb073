// @ts-check
// Makes what the calculator pages start from (cslibrary/site/pyodide.py runs it), in two steps:
//
//   node snapshot.mjs list PYODIDE_DIR CALCULATORS_ZIP OUT_JSON
//     Starts Pyodide with its full standard library, imports and warms up the package
//     (calculators.browser.warm_up: every calculator, a CSV, an export, and their error paths)
//     and writes the standard library files that were imported (the zip's entry names) and
//     each compiled to bytecode, as JSON: the trimmed standard library the pages download.
//   node snapshot.mjs snapshot PYODIDE_DIR CALCULATORS_ZIP OUT_GZ STDLIB_ZIP
//     Starts Pyodide with that trimmed standard library, warms the package up the same way and
//     writes the memory snapshot without its long runs of zeros, gzipped
//     (docs/assets/javascripts/calculators-snapshot.js); prints {"raw": bytes}. The snapshot holds the zip's
//     directory as Python read it: pages must start it with this very zip.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { pack } from "../../docs/assets/javascripts/calculators-snapshot.js";

const WARM_UP = `
import gc, json, calculators, calculators.browser
calculators.browser.warm_up(json.dumps(calculators.default_config()))
gc.collect()
`;

// The files imported, and each one compiled by this very Python (sourceless .pyc: a page then
// skips compiling them at start-up; the header's zero time stamp is never checked without a
// source beside it).
const USED = `
import base64, importlib.util, json, marshal, sys, zipfile
used = set()
for module in list(sys.modules.values()):
    path = getattr(module, "__file__", None) or ""
    if ".zip/" in path:
        used.add(path.split(".zip/", 1)[1])
library = next(p for p in sys.path if p.endswith(".zip"))
compiled = {}
with zipfile.ZipFile(library) as archive:
    for name in sorted(used):
        if name.endswith(".py"):
            code = compile(archive.read(name), library + "/" + name, "exec", dont_inherit=True)
            header = importlib.util.MAGIC_NUMBER + bytes(12)
            compiled[name] = base64.b64encode(header + marshal.dumps(code)).decode()
json.dumps({"files": sorted(used), "compiled": compiled})
`;

const [step, dir, zipPath, outPath, stdlibPath] = process.argv.slice(2);
try {
  const { loadPyodide } = await import(pathToFileURL(dir + "/pyodide.mjs").href);
  /** @type {Record<string, unknown>} */
  const options = { indexURL: dir + "/", stdout: () => {}, stderr: () => {} };
  if (step === "snapshot") {
    options._makeSnapshot = true;
    options.stdLibURL = stdlibPath;
  } else if (step !== "list") {
    throw new Error("usage: node snapshot.mjs list|snapshot PYODIDE_DIR CALCULATORS_ZIP OUT [STDLIB_ZIP]");
  }
  const py = await loadPyodide(options);
  const site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  py.unpackArchive(new Uint8Array(readFileSync(zipPath)), "zip", { extractDir: site });
  // What the page runs after unpacking, so that the list holds what it imports.
  py.runPython("import sys\nfor _f in list(sys.path_importer_cache.values()):\n    if _f is not None: _f.invalidate_caches()");
  py.runPython(WARM_UP);
  if (step === "list") {
    writeFileSync(outPath, py.runPython(USED));
  } else {
    const snapshot = py.makeMemorySnapshot();
    writeFileSync(outPath, gzipSync(pack(snapshot), { level: 9 }));
    console.log(JSON.stringify({ raw: snapshot.length }));
  }
} catch (err) {
  console.error(String(err && err.message ? err.message : err).split("\n").slice(0, 6).join("\n"));
  process.exit(1);
}
