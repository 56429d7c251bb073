// @ts-check
/// <reference lib="webworker" />
/*
 * The calculators' Python, off the page's main thread (a module Web Worker started by
 * calculators.js on pages with a calculator). The page never freezes while Pyodide downloads,
 * compiles and starts, nor while a large table is recomputed.
 *
 * Start-up, in order:
 *  1. At once, in parallel: the WebAssembly runtime, the standard library and the calculators
 *     package are fetched. Pyodide later asks for the first two through `fetch`; it gets the
 *     very responses already under way (one download each; the wasm response keeps its URL,
 *     so Chromium compiles it while it streams in and caches the compiled code for the next
 *     visit). Every byte received is reported to the page as progress ("4.2 of 19.8 MB").
 *  2. Snapshot or normal start, whichever is cheaper for this visit: a snapshot already in the
 *     browser's cache is always used (a repeat visit); otherwise it is downloaded only when
 *     the link is fast enough that its 6-7 MB cost less time than the Python start-up it
 *     saves (the browser's estimate, and the rate the standard library arrived at). A
 *     snapshot that fails falls back to a normal start.
 *  3. The package is unpacked into site-packages and the page is told it is ready.
 *
 * Messages from the page:  {type: "boot", runtime, skipSnapshot}
 *                          {type: "call", id, request, config?}
 * Messages to the page:    {type: "progress", loaded, total, stage}
 *                          {type: "ready", mode, why, marks}
 *                          {type: "failed", message}
 *                          {type: "reply", id, text} | {type: "reply", id, error}
 */

import { unpack } from "./calculators-snapshot.js";

/**
 * @typedef {{ wasm: number, stdlib: number, asm: number, bundle: number, snapshot: number }} Sizes
 * @typedef {{ index: string, bundle: string, snapshot: string | null, stdlib: string | null, stdlib_modules: string[], version: string, sizes: Sizes, lock: unknown }} RuntimeInfo
 * @typedef {(request: string, config?: string) => string} Handle
 * @typedef {"downloading" | "starting" | "unpacking"} Stage
 */

/**
 * Bytes per second above which downloading the snapshot (6.9 MB) beats a normal start (about
 * 100 Mbit/s): with the standard library compiled at build time, a normal start spends about
 * 0.5 s more than restoring the snapshot (measured in Node and Chromium).
 */
var SNAPSHOT_MIN_RATE = 12e6;
/**
 * The links that share the bandwidth while the standard library downloads (the runtime and
 * the package download alongside it): its own rate times this is the link's.
 */
var SHARED = 2;

/** @type {Handle | null} */
var handle = null;
/** @type {Record<string, number>} ms since the worker's time origin, by step */
var marks = {};
var loaded = 0;
var total = 0;
/** @type {Stage} */
var stage = "downloading";
var lastPost = 0;

/** @param {string} name */
function mark(name) {
  marks[name] = performance.now();
}

/** @param {boolean} [force] */
function progress(force) {
  var now = performance.now();
  if (!force && now - lastPost < 100) return; // ten updates a second are plenty
  lastPost = now;
  if (stage === "downloading" && loaded >= total) stage = "starting";
  postMessage({ type: "progress", loaded: Math.min(loaded, total), total: total, stage: stage });
}

/** @param {unknown} err */
function messageOf(err) {
  var text = typeof err === "object" && err !== null && "message" in err && err.message ? String(err.message) : String(err);
  text = text.split("\n")[0] || "";
  return text.length > 200 ? text.slice(0, 199) + "…" : text;
}

/** @param {string} url */
function fileOf(url) {
  return url.replace(/[?#].*$/, "").split("/").pop() || url;
}

/**
 * Fetches url and counts its bytes as they arrive (on a copy of the body: the response itself
 * stays untouched for whoever reads it); `finished[url]` settles with its last byte. The total
 * expected is corrected by the response's Content-Length when the build's figure was an estimate.
 * @param {string} url
 * @param {number} expected  the bytes the total counts for it
 * @returns {Promise<Response>}
 */
function counted(url, expected) {
  /** @type {() => void} */
  var done = function () {};
  finished[url] = new Promise(function (resolve) {
    done = resolve;
  });
  return fetch(url).then(function (res) {
    if (!res.ok) throw new Error("could not download " + fileOf(url) + " (HTTP " + res.status + ")");
    var length = Number(res.headers.get("Content-Length"));
    if (length > 0 && !res.headers.get("Content-Encoding")) total += length - expected;
    var copy = res.clone();
    if (copy.body) {
      var reader = copy.body.getReader();
      /** @returns {Promise<void>} */
      var pump = function () {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            mark("downloaded " + fileOf(url));
            return;
          }
          loaded += chunk.value.byteLength;
          progress();
          return pump();
        });
      };
      pump().then(done, done);
    } else done();
    return res;
  }, function (err) {
    done();
    throw err;
  });
}

/** @type {Record<string, Promise<void>>} downloads by URL, settled once their last byte arrived */
var finished = {};

/**
 * Whether the link is fast enough for the snapshot: the rate the standard library arrived at,
 * from the network's timestamps (Resource Timing: a busy worker reading late does not make a
 * fast link look slow). navigator.connection.downlink is no help: Chromium caps it at 10 Mbit/s
 * and says 1.5 before it has measured anything.
 * @param {string} url  the standard library's URL
 * @returns {Promise<boolean>}
 */
async function linkIsFast(url) {
  await finished[url];
  var entry = /** @type {PerformanceResourceTiming | undefined} */ (performance.getEntriesByName(url).pop());
  if (!entry || !entry.encodedBodySize || entry.transferSize === 0) return true; // from the cache, or no timing
  var ms = entry.responseEnd - entry.responseStart;
  return ms <= 0 || (entry.encodedBodySize / ms) * 1000 * SHARED >= SNAPSHOT_MIN_RATE;
}

/** @param {Response} res @returns {Promise<Uint8Array>} the snapshot, unzipped and unpacked */
async function snapshotBytes(res) {
  if (!res.body) throw new Error("the snapshot response has no body");
  var encoded = (res.headers.get("Content-Encoding") || "").indexOf("gzip") >= 0;
  var body = encoded ? res.body : res.body.pipeThrough(new DecompressionStream("gzip"));
  return unpack(new Uint8Array(await new Response(body).arrayBuffer()));
}

/** The Cache Storage holding the unzipped snapshot for repeat visits (unzipping 31 MB costs more than reading it). */
var RAW_CACHE = "cs-calculators-snapshot";

/** @param {string} url  The key of the unzipped snapshot of url. */
function rawKey(url) {
  return url + (url.indexOf("?") >= 0 ? "&" : "?") + "unzipped";
}

/**
 * The unzipped snapshot kept by an earlier visit, or null (no Cache Storage on plain http).
 * @param {string} url
 * @returns {Promise<Uint8Array | null>}
 */
async function keptSnapshot(url) {
  try {
    if (!self.caches) return null;
    var hit = await (await caches.open(RAW_CACHE)).match(rawKey(url));
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch (err) {
    return null;
  }
}

/**
 * Keeps the unzipped snapshot for the next visit, and only this one (a new build's replaces it).
 * @param {string} url
 * @param {Uint8Array} bytes
 */
async function keepSnapshot(url, bytes) {
  try {
    if (!self.caches) return;
    var cache = await caches.open(RAW_CACHE);
    var key = rawKey(url);
    (await cache.keys()).forEach(function (old) {
      if (old.url !== new URL(key, self.location.href).href) cache.delete(old);
    });
    await cache.put(key, new Response(/** @type {BodyInit} */ (/** @type {unknown} */ (bytes)), { headers: { "Content-Type": "application/octet-stream" } }));
  } catch (err) {
    /* a full disk or a private window: the next visit unzips again */
  }
}

/**
 * The same promise, marked as handled: it may fail before boot() gets to it (a corrupt
 * snapshot unzips in a moment), and boot() reports the failure then.
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
function quiet(promise) {
  promise.catch(function () {});
  return promise;
}

/**
 * The snapshot to start from (its bytes, unzipped), or null for a normal start, and why.
 * @param {RuntimeInfo} rt
 * @param {boolean} skip
 * @param {Promise<boolean>} fastLink
 * @returns {Promise<{ bytes: Promise<Uint8Array> | null, why: string, kept: boolean }>}
 */
async function chooseSnapshot(rt, skip, fastLink) {
  if (!rt.snapshot) return { bytes: null, why: "this site has no snapshot", kept: false };
  if (skip) return { bytes: null, why: "the snapshot failed before", kept: false };
  var kept = await keptSnapshot(rt.snapshot);
  if (kept) return { bytes: Promise.resolve(kept), why: "the snapshot was kept by an earlier visit", kept: true };
  try {
    var cached = await fetch(rt.snapshot, { cache: "only-if-cached", mode: "same-origin" });
    if (cached.ok) return { bytes: quiet(snapshotBytes(cached)), why: "the snapshot is in the browser's cache", kept: false };
  } catch (err) {
    /* not cached (or another origin): decide by the link */
  }
  var conn = /** @type {{ saveData?: boolean } | undefined} */ (/** @type {any} */ (navigator).connection);
  if (conn && conn.saveData) return { bytes: null, why: "the browser asks to save data", kept: false };
  if (!(await fastLink)) return { bytes: null, why: "the link is slow: a normal start downloads less", kept: false };
  total += rt.sizes.snapshot;
  progress(true);
  try {
    return { bytes: quiet(snapshotBytes(await counted(rt.snapshot, rt.sizes.snapshot))), why: "the link is fast", kept: false };
  } catch (err) {
    total -= rt.sizes.snapshot;
    return { bytes: null, why: messageOf(err), kept: false };
  }
}

/**
 * Starts Pyodide with the calculators package.
 * @param {RuntimeInfo} rt
 * @param {boolean} skipSnapshot
 */
async function boot(rt, skipSnapshot) {
  mark("start");
  var wasmUrl = rt.index + "pyodide.asm.wasm";
  var fullStdlib = rt.index + "python_stdlib.zip";
  // The standard library files the calculators import (the build lists them), made with the
  // snapshot; the full library when this site has none, or it is missing (then no snapshot).
  var stdlibUrl = rt.stdlib || fullStdlib;
  var trimmed = Boolean(rt.stdlib);
  total = rt.sizes.wasm + rt.sizes.stdlib + rt.sizes.asm + rt.sizes.bundle;
  progress(true);
  /** @type {Record<string, Promise<Response>>} */
  var early = {};
  var wasmDownload = counted(wasmUrl, rt.sizes.wasm);
  var stdlib = counted(stdlibUrl, rt.sizes.stdlib).catch(function (err) {
    if (!trimmed) throw err;
    trimmed = false;
    return counted(fullStdlib, rt.sizes.stdlib);
  });
  early[stdlibUrl] = stdlib;
  var bundle = counted(rt.bundle, rt.sizes.bundle).then(function (res) {
    return res.arrayBuffer();
  });
  // A download that fails stops the start at once, with its reason (Pyodide would wait on).
  /** @type {Promise<never>} */
  var broken = new Promise(function (_, reject) {
    bundle.catch(reject);
    wasmDownload.catch(reject);
    Object.values(early).forEach(function (p) {
      p.catch(reject);
    });
  });
  broken.catch(function () {});
  // The WebAssembly compiles while it downloads, and while the snapshot downloads and unzips
  // (Pyodide would only start compiling once it has the snapshot); Pyodide then instantiates
  // this module. Compiled from the response itself, so the browser caches the compiled code.
  /** @type {Promise<WebAssembly.Module>} */
  var compiled = wasmDownload.then(function (res) {
    return WebAssembly.compileStreaming(res);
  });
  compiled.then(
    function () {
      mark("compiled");
    },
    function () {}
  );
  var plainInstantiate = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = function (_source, imports) {
    return compiled.then(
      function (module) {
        return WebAssembly.instantiate(module, imports).then(function (instance) {
          return { module: module, instance: instance };
        });
      },
      function () {
        return plainInstantiate(fetch(wasmUrl), imports); // compiling early failed: the usual way
      }
    );
  };
  // Pyodide fetches the runtime and the standard library itself: hand it the downloads already
  // under way (for the runtime, an empty stand-in: the module above replaces what it compiles).
  var plainFetch = self.fetch.bind(self);
  self.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url === wasmUrl) return Promise.resolve(new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } }));
    var started = early[url];
    if (started) {
      delete early[url];
      return started;
    }
    return plainFetch(input, init);
  };
  // The runtime's JavaScript (1.25 MB to parse) loads now, not once the snapshot is chosen.
  var glue = import(rt.index + "pyodide.asm.mjs");
  glue.catch(function () {});
  // Snapshot or not is settled while Pyodide's loader arrives: its download starts at once.
  var fast = stdlib.then(
    function (res) {
      return linkIsFast(res.url || stdlibUrl);
    },
    function () {
      return false;
    }
  );
  var choosing = chooseSnapshot(rt, skipSnapshot, fast);
  /** @type {typeof import("pyodide")} */
  var mod = await import(rt.index + "pyodide.mjs");
  var choice = await choosing;
  if (choice.bytes) {
    // The snapshot holds the trimmed library's directory: it needs that very zip.
    await stdlib.catch(function () {});
    if (!trimmed) choice = { bytes: null, why: "the standard library made with the snapshot is missing", kept: false };
  }
  mark("decided");
  /** @type {import("pyodide").PyodideAPI | null} */
  var py = null;
  var mode = "normal";
  var why = choice.why;
  var options = { indexURL: rt.index, stdLibURL: stdlibUrl, lockFileContents: /** @type {any} */ (rt.lock) };
  /** @type {Uint8Array | null} */
  var unzipped = null;
  if (choice.bytes) {
    try {
      var bytes = choice.bytes;
      bytes.then(
        function (b) {
          unzipped = b;
        },
        function () {}
      );
      bytes.then(
        function () {
          mark("snapshot");
        },
        function () {} // Pyodide awaits it too, and reports the failure
      );
      py = await Promise.race([mod.loadPyodide(Object.assign({ _loadSnapshot: bytes }, options)), broken]);
      var ping = JSON.parse(py.runPython("import calculators.browser as _csw\n_csw.handle('{\"op\": \"ping\"}', '{}')"));
      if (!ping.ok) throw new Error("the snapshot's calculators do not answer");
      mode = "snapshot";
    } catch (err) {
      why = "the snapshot failed (" + messageOf(err) + ")";
      console.warn("calculators: starting without the snapshot: " + why);
      py = null;
      // Pyodide took the early downloads; a second start fetches them again (from the cache).
    }
  }
  if (!py) py = await Promise.race([mod.loadPyodide(options), broken]);
  loaded += rt.sizes.asm; // a module import: counted once it has arrived
  mark("runtime");
  stage = "unpacking";
  progress(true);
  var zip = new Uint8Array(await bundle);
  var site = py.runPython("import sysconfig\nsysconfig.get_paths()['purelib']");
  py.unpackArchive(zip, "zip", { extractDir: site });
  // The finders forget what they listed of site-packages (importlib.invalidate_caches() would
  // also import importlib.metadata, which the trimmed standard library leaves out).
  if (mode !== "snapshot") py.runPython("import sys\nfor _f in list(sys.path_importer_cache.values()):\n    if _f is not None: _f.invalidate_caches()");
  handle = py.runPython("import calculators.browser as _csw\n_csw.handle");
  if (trimmed) fullLibraryOnDemand(py, rt, fullStdlib);
  mark("ready");
  var keep = mode === "snapshot" && !choice.kept && rt.snapshot ? { url: rt.snapshot, bytes: unzipped } : null;
  return { mode: mode, why: why, keep: keep };
}

/**
 * A standard module outside the trimmed library is imported from the full one, fetched the
 * first time one is needed (synchronously: an import cannot wait; a worker may do that).
 * @param {import("pyodide").PyodideAPI} py
 * @param {RuntimeInfo} rt
 * @param {string} url  the full standard library
 */
function fullLibraryOnDemand(py, rt, url) {
  var path = "/lib/python_stdlib_full.zip";
  var load = function () {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url, false);
    xhr.responseType = "arraybuffer";
    xhr.send();
    if (xhr.status !== 200) throw new Error("could not download " + fileOf(url) + " (HTTP " + xhr.status + ")");
    py.FS.writeFile(path, new Uint8Array(xhr.response));
    return path;
  };
  var use = py.pyimport("calculators.browser").use_full_stdlib_on_demand;
  use(py.toPy(rt.stdlib_modules), load);
}

self.onmessage = function (event) {
  var msg = event.data;
  if (msg.type === "boot") {
    boot(msg.runtime, Boolean(msg.skipSnapshot)).then(
      function (done) {
        postMessage({ type: "ready", mode: done.mode, why: done.why, marks: marks, origin: performance.timeOrigin });
        // After the page has its calculator: keep the unzipped snapshot for the next visit.
        var keep = done.keep;
        if (keep && keep.bytes) setTimeout(keepSnapshot, 0, keep.url, keep.bytes);
      },
      function (err) {
        postMessage({ type: "failed", message: messageOf(err) });
      }
    );
  } else if (msg.type === "call") {
    if (!handle) {
      postMessage({ type: "reply", id: msg.id, error: "the calculator has not started" });
      return;
    }
    try {
      var text = msg.config === undefined ? handle(msg.request) : handle(msg.request, msg.config);
      postMessage({ type: "reply", id: msg.id, text: text });
    } catch (err) {
      postMessage({ type: "reply", id: msg.id, error: messageOf(err) });
    }
  }
};
