// @ts-check
// Makes the Pyodide memory snapshot the calculator pages start from (cslibrary/site/pyodide.py runs it).
// Usage: node snapshot.mjs PYODIDE_DIR CALCULATORS_ZIP OUT_GZ
// The package is imported and warmed up (calculators.browser.warm_up), so that every module
// the calculators import lazily is in the snapshot; prints {"raw": bytes} on success.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [dir, zipPath, outPath] = process.argv.slice(2);
try {
  const { loadPyodide } = await import(pathToFileURL(dir + "/pyodide.mjs").href);
  const py = await loadPyodide({ indexURL: dir + "/", _makeSnapshot: true, stdout: () => {}, stderr: () => {} });
  const site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  py.unpackArchive(new Uint8Array(readFileSync(zipPath)), "zip", { extractDir: site });
  py.runPython(`
import gc, json, calculators, calculators.browser
calculators.browser.warm_up(json.dumps(calculators.default_config()))
gc.collect()
`);
  const snapshot = py.makeMemorySnapshot();
  writeFileSync(outPath, gzipSync(snapshot, { level: 9 }));
  console.log(JSON.stringify({ raw: snapshot.length }));
} catch (err) {
  console.error(String(err && err.message ? err.message : err).split("\n").slice(0, 6).join("\n"));
  process.exit(1);
}
