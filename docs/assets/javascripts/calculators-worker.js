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
 *     saves (measured on the runtime's own download). A snapshot that fails falls back to a
 *     normal start.
 *  3. The package is unpacked into site-packages and the page is told it is ready.
 *
 * Messages from the page:  {type: "boot", runtime, skipSnapshot}
 *                          {type: "call", id, request, config?}
 * Messages to the page:    {type: "progress", loaded, total, stage}
 *                          {type: "ready", mode, why, marks}
 *                          {type: "failed", message}
 *                          {type: "reply", id, text} | {type: "reply", id, error}
 */

/**
 * @typedef {{ wasm: number, stdlib: number, asm: number, bundle: number, snapshot: number }} Sizes
 * @typedef {{ index: string, bundle: string, snapshot: string | null, version: string, sizes: Sizes, lock: unknown }} RuntimeInfo
 * @typedef {(request: string, config?: string) => string} Handle
 * @typedef {"downloading" | "starting" | "unpacking"} Stage
 */

/** Bytes per second above which downloading the snapshot beats a normal start (about 32 Mbit/s). */
var SNAPSHOT_MIN_RATE = 4e6;
/** How long (ms) after its first bytes the runtime's download is watched to measure the link, at most. */
var PROBE_MS = 1000;
/** How many bytes of it are enough to measure the link. */
var PROBE_BYTES = 1 << 20;
/** The link counts as slow when the runtime's first bytes take longer than this (ms). */
var FIRST_BYTES_MS = 3000;

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
 * stays untouched for whoever reads it).
 * @param {string} url
 * @param {RequestInit} [init]
 * @param {(bytes: number, ms: number) => void} [onBytes]  every chunk: bytes so far, ms since the headers
 * @returns {Promise<Response>}
 */
function counted(url, init, onBytes) {
  return fetch(url, init).then(function (res) {
    if (!res.ok) throw new Error("could not download " + fileOf(url) + " (HTTP " + res.status + ")");
    var copy = res.clone();
    if (copy.body) {
      var reader = copy.body.getReader();
      var since = performance.now();
      var seen = 0;
      /** @returns {Promise<void>} */
      var pump = function () {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            mark("downloaded " + fileOf(url));
            return;
          }
          seen += chunk.value.byteLength;
          loaded += chunk.value.byteLength;
          if (onBytes) onBytes(seen, performance.now() - since);
          progress();
          return pump();
        });
      };
      pump().catch(function () {});
    }
    return res;
  });
}

/**
 * Whether the runtime's download is fast enough for the snapshot: the rate of its first
 * PROBE_BYTES, or of what arrived in the PROBE_MS after its first bytes (a busy machine may
 * take a while to get there: the clock starts with the bytes, not with the request).
 * @returns {{ onBytes: (bytes: number, ms: number) => void, fast: Promise<boolean> }}
 */
function linkProbe() {
  /** @type {(fast: boolean) => void} */
  var settle = function () {};
  var fast = new Promise(function (resolve) {
    settle = resolve;
  });
  var bytes = 0;
  var ms = 0;
  var rate = function () {
    return (bytes / Math.max(ms, 1)) * 1000;
  };
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  var timer = setTimeout(function () {
    settle(false);
  }, FIRST_BYTES_MS);
  return {
    fast: /** @type {Promise<boolean>} */ (fast),
    onBytes: function (b, t) {
      if (bytes === 0) {
        clearTimeout(timer);
        timer = setTimeout(function () {
          settle(rate() >= SNAPSHOT_MIN_RATE);
        }, PROBE_MS);
      }
      bytes = b;
      ms = t;
      if (b >= PROBE_BYTES) {
        clearTimeout(timer);
        settle(rate() >= SNAPSHOT_MIN_RATE);
      }
    },
  };
}

/** @param {Response} res @returns {Promise<Uint8Array>} the snapshot, unzipped */
async function snapshotBytes(res) {
  if (!res.body) throw new Error("the snapshot response has no body");
  var encoded = (res.headers.get("Content-Encoding") || "").indexOf("gzip") >= 0;
  var body = encoded ? res.body : res.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/**
 * The snapshot to start from, or null for a normal start, and why.
 * @param {RuntimeInfo} rt
 * @param {boolean} skip
 * @param {Promise<boolean>} fastLink
 * @returns {Promise<{ res: Response | null, why: string }>}
 */
async function chooseSnapshot(rt, skip, fastLink) {
  if (!rt.snapshot) return { res: null, why: "this site has no snapshot" };
  if (skip) return { res: null, why: "the snapshot failed before" };
  try {
    var cached = await fetch(rt.snapshot, { cache: "only-if-cached", mode: "same-origin" });
    if (cached.ok) {
      loaded += rt.sizes.snapshot;
      return { res: cached, why: "the snapshot is in the browser's cache" };
    }
  } catch (err) {
    /* not cached (or another origin): decide by the link */
  }
  var conn = /** @type {{ saveData?: boolean } | undefined} */ (/** @type {any} */ (navigator).connection);
  if (conn && conn.saveData) return { res: null, why: "the browser asks to save data" };
  if (!(await fastLink)) return { res: null, why: "the link is slow: a normal start downloads less" };
  total += rt.sizes.snapshot;
  progress(true);
  try {
    return { res: await counted(rt.snapshot), why: "the link is fast" };
  } catch (err) {
    total -= rt.sizes.snapshot;
    return { res: null, why: messageOf(err) };
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
  var stdlibUrl = rt.index + "python_stdlib.zip";
  total = rt.sizes.wasm + rt.sizes.stdlib + rt.sizes.asm + rt.sizes.bundle;
  progress(true);
  var probe = linkProbe();
  /** @type {Record<string, Promise<Response>>} */
  var early = {};
  early[wasmUrl] = counted(wasmUrl, undefined, probe.onBytes);
  early[stdlibUrl] = counted(stdlibUrl);
  var bundle = counted(rt.bundle).then(function (res) {
    return res.arrayBuffer();
  });
  // A download that fails stops the start at once, with its reason (Pyodide would wait on).
  /** @type {Promise<never>} */
  var broken = new Promise(function (_, reject) {
    bundle.catch(reject);
    Object.values(early).forEach(function (p) {
      p.catch(reject);
    });
  });
  broken.catch(function () {});
  // Pyodide fetches these two itself: hand it the downloads already under way.
  var plainFetch = self.fetch.bind(self);
  self.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    var started = early[url];
    if (started) {
      delete early[url];
      return started;
    }
    return plainFetch(input, init);
  };
  /** @type {typeof import("pyodide")} */
  var mod = await import(rt.index + "pyodide.mjs");
  var choice = await chooseSnapshot(rt, skipSnapshot, probe.fast);
  mark("decided");
  /** @type {import("pyodide").PyodideAPI | null} */
  var py = null;
  var mode = "normal";
  var why = choice.why;
  var options = { indexURL: rt.index, lockFileContents: /** @type {any} */ (rt.lock) };
  if (choice.res) {
    try {
      var bytes = snapshotBytes(choice.res);
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
  if (mode !== "snapshot") py.runPython("import importlib\nimportlib.invalidate_caches()");
  handle = py.runPython("import calculators.browser as _csw\n_csw.handle");
  mark("ready");
  return { mode: mode, why: why };
}

self.onmessage = function (event) {
  var msg = event.data;
  if (msg.type === "boot") {
    boot(msg.runtime, Boolean(msg.skipSnapshot)).then(
      function (done) {
        postMessage({ type: "ready", mode: done.mode, why: done.why, marks: marks, origin: performance.timeOrigin });
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
