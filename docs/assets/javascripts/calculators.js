// @ts-check
/*
 * In-page calculators: the worked examples rendered at build time become live.
 *
 * Contract (docs/guides/calculators.md): each calculator is a <form data-calculator="NAME">
 * whose controls are named after the calculator's JSON keys (starting_mrr,
 * components.support, accounts[0].arr); results live in elements [data-output="KEY"].
 *
 * One Pyodide is started per visit, as soon as a page with a calculator opens, in a Web
 * Worker (calculators-worker.js): the page never freezes while it downloads and starts, and
 * the status line says how far it got ("Downloading the calculator: 4.2 of 19.8 MB").
 * The worker is kept in this script's closure: Material's instant navigation swaps the
 * page's content but keeps the document and the scripts loaded outside that content (this
 * one is), so the running Python survives it. The worker chooses between the build's memory
 * snapshot and a normal start (see its header). Pages without a calculator load nothing. The
 * Python (calculators.browser) parses the form, validates, computes and returns the HTML of
 * every output, so the browser shows exactly what the build showed.
 */

/**
 * @typedef {[string, string]} Pair  A form control's name and value.
 * @typedef {{ wasm: number, stdlib: number, asm: number, bundle: number, snapshot: number }} Sizes
 * @typedef {{ index: string, bundle: string, snapshot: string | null, stdlib: string | null, stdlib_modules: string[], version: string, worker: string, sizes: Sizes, lock: unknown }} RuntimeInfo
 * @typedef {{ runtime: RuntimeInfo, configText: string }} PageData
 * @typedef {{ worker: Worker }} Runtime
 * @typedef {{ resolve: (text: string) => void, reject: (err: Error) => void }} Pending
 * @typedef {"idle" | "loading" | "ready" | "error"} RuntimeState
 * @typedef {RuntimeState | "invalid"} FormState
 * @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control
 *
 * What calculators.browser.handle answers (JSON), by request:
 * @typedef {{ ok: false, field?: string | null, message: string, disabled?: Record<string, string> }} Failure
 * @typedef {{ key: string, label: string, html: string, value?: string | null }} Output
 * @typedef {{ ok: true, outputs: Output[], disabled?: Record<string, string> } | Failure} ComputeReply
 * @typedef {{ ok: true, rows: Record<string, string>[] } | Failure} CsvReply
 * @typedef {{ ok: true, text: string, mime: string, filename: string } | Failure} ExportReply
 * @typedef {{ compute: ComputeReply, csv: CsvReply, export: ExportReply }} Replies
 *
 * @typedef {object} FormInfo  What the script keeps about one form.
 * @property {boolean} bound  its listeners are attached
 * @property {Pair[]} initial  the worked example's inputs (for "Reset")
 * @property {boolean} touched  the reader changed something (the URL then follows the inputs)
 * @property {FormState} state  what its status line says
 * @property {number | undefined} timer  a pending recompute
 * @property {boolean} busy  a recompute is on its way to the worker and back
 * @property {boolean} again  the inputs changed meanwhile: recompute once it is back
 * @property {number | undefined} urlTimer  a pending address-bar update
 * @property {number} cost  ms the last recompute took (a large table waits for a longer pause)
 * @property {string | null} shown  the compute request whose result is on screen
 * @property {Pair[] | null} urlPairs  its inputs as the address bar keeps them (null: not there)
 */
(function () {
  "use strict";

  // The one Pyodide of this visit.
  var G = {
    /** @type {RuntimeState} */
    state: "idle",
    /** @type {Promise<Runtime> | null} */
    promise: null,
    /** @type {Runtime | null} */
    rt: null,
    /** @type {string | null} the configuration Python holds */
    sentConfig: null,
    /** @type {string | null} why the last start failed */
    error: null,
    /** @type {string | null} why the snapshot was not used */
    snapshotError: null,
    skipSnapshot: false,
    /** @type {string} what the status line says while it starts */
    progress: "",
    /** @type {Map<number, Pending>} calls waiting for the worker's reply */
    pending: new Map(),
    nextId: 1,
  };

  /** @type {PageData | null} the page on screen */
  var page = null;
  /** @type {WeakMap<HTMLFormElement, FormInfo>} */
  var formInfo = new WeakMap();
  /** @type {WeakMap<Element, string>} the output HTML last written into an element */
  var shownHtml = new WeakMap();

  /** @type {Record<FormState, string>} */
  var TEXT = {
    idle: "Worked example, computed when this site was built.",
    loading: "Loading the calculator",
    ready: "Live: results update as you change the inputs.",
    invalid: "Fix the input marked in the form to update the result.",
    error: "The calculator could not start",
  };

  /** The longest pause (ms) a recompute waits for, however slow the last one was. */
  var MAX_WAIT = 600;
  /** The pause (ms) after a row is added or removed: a burst of clicks recomputes once. */
  var ROW_WAIT = 60;

  // ------------------------------------------------------------------ helpers

  /** @param {unknown} err */
  function messageOf(err) {
    var text = typeof err === "object" && err !== null && "message" in err && err.message ? String(err.message) : String(err);
    text = text.split("\n")[0] || "";
    return text.length > 200 ? text.slice(0, 199) + "…" : text;
  }

  /**
   * An element the build always writes into the calculator's markup.
   * @template T
   * @param {T | null | undefined} el
   * @param {string} what
   * @returns {T}
   */
  function need(el, what) {
    if (el === null || el === undefined) throw new Error("calculators: the page has no " + what);
    return el;
  }

  /**
   * The elements under root that match selector and are of the given kind.
   * @template {Element} T
   * @param {ParentNode} root
   * @param {string} selector
   * @param {{ new (): T, prototype: T }} kind
   * @returns {T[]}
   */
  function all(root, selector, kind) {
    /** @type {T[]} */
    var out = [];
    root.querySelectorAll(selector).forEach(function (el) {
      if (el instanceof kind) out.push(el);
    });
    return out;
  }

  /**
   * The first element under root that matches selector, if it is of the given kind.
   * @template {Element} T
   * @param {ParentNode} root
   * @param {string} selector
   * @param {{ new (): T, prototype: T }} kind
   * @returns {T | null}
   */
  function one(root, selector, kind) {
    var el = root.querySelector(selector);
    return el instanceof kind ? el : null;
  }

  /**
   * @param {unknown} el
   * @returns {el is Control}
   */
  function isControl(el) {
    return el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
  }

  /** @param {ParentNode} root @param {string} selector @returns {Control[]} */
  function controls(root, selector) {
    /** @type {Control[]} */
    var out = [];
    root.querySelectorAll(selector).forEach(function (el) {
      if (isControl(el)) out.push(el);
    });
    return out;
  }

  function forms() {
    return all(document, "form[data-calculator]", HTMLFormElement);
  }

  /** @param {HTMLFormElement} form @returns {FormInfo} */
  function infoOf(form) {
    var info = formInfo.get(form);
    if (!info) {
      info = { bound: false, initial: [], touched: false, state: "idle", timer: undefined, busy: false, again: false, urlTimer: undefined, cost: 0, shown: null, urlPairs: null };
      formInfo.set(form, info);
    }
    return info;
  }

  /** @param {string} value */
  function attr(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, "\\$&");
  }

  /** @param {HTMLFormElement} form @param {string} name */
  function idFor(form, name) {
    return "cs-" + form.dataset.calculatorInstance + "-" + name.replace(/[^A-Za-z0-9_]+/g, "-").replace(/^-+|-+$/g, "");
  }

  /** @param {HTMLFormElement} form  The id of the calculator's box, the target of its links. */
  function anchorOf(form) {
    var box = form.closest(".cs-calc");
    return box ? box.id : "";
  }

  /** @returns {PageData | null} */
  function readPageData() {
    var el = document.getElementById("cs-calculators-data");
    if (!el) return null;
    // Parsed once: calculators-start.js did it already when this page was opened directly.
    var early = window.csCalculatorsEarly;
    /** @type {{ runtime: Record<string, unknown>, config: unknown }} */
    var data = early && early.source === el ? early.data : JSON.parse(el.textContent || "");
    // Every URL absolute (the worker resolves against its own address, not the page's), as
    // calculators-start.js does.
    /** @type {Record<string, unknown>} */
    var runtime = {};
    Object.keys(data.runtime).forEach(function (key) {
      var value = data.runtime[key];
      runtime[key] = typeof value === "string" && key !== "version" ? new URL(value, location.href).href : value;
    });
    return { runtime: /** @type {RuntimeInfo} */ (runtime), configText: JSON.stringify(data.config) };
  }

  /** @param {HTMLFormElement} form @returns {Pair[]} */
  function pairsOf(form) {
    /** @type {Pair[]} */
    var out = [];
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") out.push([key, value]);
    });
    return out;
  }

  // ------------------------------------------------------------------ status

  /**
   * @param {HTMLFormElement} form
   * @param {FormState} state
   * @param {string | null} [extra]
   */
  function setStatus(form, state, extra) {
    var el = one(form, "[data-calc-status]", HTMLElement);
    infoOf(form).state = state;
    if (el) {
      el.dataset.state = state; // the status line's look (calculators.css)
      el.textContent = TEXT[state] + (extra ? ": " + extra : state === "error" ? "." : state === "loading" ? "…" : "");
    }
    var retry = one(form, '[data-action="retry"]', HTMLElement);
    if (retry) retry.hidden = state !== "error";
  }

  function broadcast() {
    forms().forEach(function (form) {
      if (G.state === "ready") {
        if (infoOf(form).state !== "invalid") setStatus(form, "ready");
      } else if (G.state === "error") {
        setStatus(form, "error", G.error);
      } else if (G.state === "loading") {
        setStatus(form, "loading", G.progress);
      } else {
        setStatus(form, G.state);
      }
    });
  }

  // ------------------------------------------------------------------ Pyodide

  /** @param {number} bytes */
  function megabytes(bytes) {
    return (bytes / 1e6).toFixed(1);
  }

  /**
   * The status while the worker starts: how far the downloads got, then what it is doing.
   * @param {{ loaded: number, total: number, stage: string }} msg
   */
  function progressText(msg) {
    if (msg.stage === "downloading") return "downloading " + megabytes(msg.loaded) + " of " + megabytes(msg.total) + " MB";
    if (msg.stage === "starting") return "starting Python (" + megabytes(msg.total) + " MB downloaded)";
    return "almost ready";
  }

  /**
   * Starts the worker and resolves once its Python answers.
   * @param {RuntimeInfo} info
   * @returns {Promise<Runtime>}
   */
  function boot(info) {
    return new Promise(function (resolve, reject) {
      // The worker calculators-start.js started from <head> when this page was opened directly.
      var early = window.csCalculatorsEarly;
      window.csCalculatorsEarly = undefined;
      var adopt = early && early.url === info.worker && !early.error && !G.skipSnapshot ? early : null;
      if (early && !adopt) early.worker.terminate();
      var worker = adopt ? adopt.worker : new Worker(info.worker, { type: "module", name: "calculators" });
      var ready = false;
      /** @param {any} msg */
      var receive = function (msg) {
        if (msg.type === "progress") {
          G.progress = progressText(msg);
          broadcast();
        } else if (msg.type === "ready") {
          ready = true;
          G.snapshotError = msg.mode === "snapshot" ? null : msg.why;
          // The worker's steps on the page's timeline (for a performance trace or the benchmark).
          Object.keys(msg.marks).forEach(function (name) {
            var at = msg.origin + msg.marks[name] - performance.timeOrigin;
            try {
              performance.mark("calculators:" + name, { startTime: Math.max(at, 0), detail: { mode: msg.mode, why: msg.why } });
            } catch (err) {
              /* an old browser without mark options */
            }
          });
          resolve({ worker: worker });
        } else if (msg.type === "failed") {
          worker.terminate();
          reject(new Error(msg.message));
        } else if (msg.type === "reply") {
          var waiting = G.pending.get(msg.id);
          if (!waiting) return;
          G.pending.delete(msg.id);
          if (typeof msg.text === "string") waiting.resolve(msg.text);
          else waiting.reject(new Error(String(msg.error)));
        }
      };
      worker.onmessage = function (event) {
        receive(event.data);
      };
      worker.onerror = function (event) {
        event.preventDefault();
        var err = new Error(event.message || "the calculator's worker could not start");
        G.pending.forEach(function (waiting) {
          waiting.reject(err);
        });
        G.pending.clear();
        if (!ready) {
          worker.terminate();
          reject(err);
        }
      };
      if (adopt) adopt.messages.forEach(receive);
      else worker.postMessage({ type: "boot", runtime: info, skipSnapshot: G.skipSnapshot });
    });
  }

  /** @returns {Promise<Runtime>} */
  function start() {
    if (G.promise) return G.promise;
    if (!page) return Promise.reject(new Error("no calculator on this page"));
    G.state = "loading";
    G.error = null;
    G.progress = "";
    broadcast();
    G.promise = boot(page.runtime).then(
      function (rt) {
        G.rt = rt;
        G.sentConfig = null;
        G.state = "ready";
        broadcast();
        forms().forEach(function (form) {
          computeNow(form, true);
        });
        return rt;
      },
      function (err) {
        G.promise = null;
        G.state = "error";
        G.error = messageOf(err) + ". Check the connection and press Retry";
        console.error("calculators: Pyodide did not start:", messageOf(err));
        broadcast();
        throw err;
      }
    );
    G.promise.catch(function () {});
    return G.promise;
  }

  /**
   * One request to calculators.browser.handle, in the worker.
   * @template {keyof Replies} K
   * @param {{ op: K, name: string | undefined } & Record<string, unknown>} request
   * @returns {Promise<Replies[K]>}
   */
  function call(request) {
    var rt = G.rt;
    if (!rt || !page) return Promise.reject(new Error("the calculator has not started"));
    // The configuration (about 70 kB) crosses into Python only when it changed.
    var fresh = G.sentConfig !== page.configText;
    var id = G.nextId++;
    var worker = rt.worker;
    var message = { type: "call", id: id, request: JSON.stringify(request), config: fresh ? page.configText : undefined };
    G.sentConfig = page.configText;
    return new Promise(function (resolve, reject) {
      G.pending.set(id, { resolve: resolve, reject: reject });
      worker.postMessage(message);
    }).then(function (text) {
      return JSON.parse(String(text));
    });
  }

  // ------------------------------------------------------------------ results and errors

  /** @param {HTMLFormElement} form */
  function clearErrors(form) {
    all(form, "[data-error-for]", HTMLElement).forEach(function (el) {
      el.hidden = true;
      el.textContent = "";
    });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  /** @param {HTMLFormElement} form @param {Failure} out */
  function showError(form, out) {
    var field = out.field || "";
    var target = null;
    var path = field;
    while (true) {
      target = one(form, '[data-error-for="' + attr(path) + '"]', HTMLElement);
      if (target || !path) break;
      var shorter = path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
      path = shorter === path ? "" : shorter;
    }
    if (!target) target = one(form, '[data-error-for=""]', HTMLElement);
    if (target) {
      target.textContent = out.message;
      target.hidden = false;
    }
    if (field) {
      var control = form.querySelector('[name="' + attr(field) + '"]');
      if (control) control.setAttribute("aria-invalid", "true");
    }
  }

  /**
   * Disables the inputs these values make the calculator ignore (a weight model without an
   * engagement weight ignores the engagement score), with the reason under each; enables
   * the ones it no longer ignores. A disabled field is not sent, which changes nothing: the
   * calculator ignored it.
   * @param {HTMLFormElement} form
   * @param {Record<string, string> | undefined} disabled
   * @returns {boolean} whether a field came back (its value was not sent: recompute with it)
   */
  function applyDisabled(form, disabled) {
    var wanted = disabled || {};
    var names = Object.keys(wanted);
    var current = controls(form, "[data-ignored]");
    var enabled = false;
    if (!names.length && !current.length) return enabled;
    current.forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(wanted, el.name)) return;
      enabled = enabled || el.value !== "";
      el.disabled = false;
      delete el.dataset.ignored;
      var note = document.getElementById(el.id + "-ignored");
      if (note) note.remove();
      el.setAttribute("aria-describedby", (el.getAttribute("aria-describedby") || "").replace(" " + el.id + "-ignored", ""));
      pairedSlider(form, el, false);
    });
    names.forEach(function (name) {
      var el = form.querySelector('[name="' + attr(name) + '"]');
      if (!isControl(el)) return;
      var reason = wanted[name] || "";
      var noteId = el.id + "-ignored";
      var note = document.getElementById(noteId);
      if (!note) {
        note = document.createElement("p");
        note.className = "cs-help cs-ignored";
        note.id = noteId;
        var box = el.closest(".cs-mapping__row, .cs-field") || el.parentElement;
        if (box) box.appendChild(note);
        el.setAttribute("aria-describedby", ((el.getAttribute("aria-describedby") || "") + " " + noteId).trim());
      }
      if (note.textContent !== reason) note.textContent = reason;
      el.disabled = true;
      el.dataset.ignored = reason;
      pairedSlider(form, el, true);
    });
    return enabled;
  }

  /** @param {HTMLFormElement} form @param {Control} el @param {boolean} disabled */
  function pairedSlider(form, el, disabled) {
    var range = one(form, 'input[type=range][data-pair="' + attr(el.id) + '"]', HTMLInputElement);
    if (range) range.disabled = disabled;
  }

  /**
   * @param {HTMLFormElement} form
   * @param {ComputeReply} out
   * @returns {boolean} whether a field the result enabled again asks for a recompute
   */
  function applyResult(form, out) {
    clearErrors(form);
    var again = applyDisabled(form, out.disabled);
    var results = form.querySelector(".cs-calc__outputs");
    if (!out.ok) {
      showError(form, out);
      if (results) results.classList.add("cs-stale");
      setStatus(form, "invalid");
      return again;
    }
    if (results) results.classList.remove("cs-stale");
    // The outputs live in the results section: a search there skips the input table's cells.
    var scope = form.querySelector(".cs-calc__results") || form;
    out.outputs.forEach(function (item) {
      scope.querySelectorAll('[data-output-label="' + attr(item.key) + '"]').forEach(function (el) {
        if (el.textContent !== item.label) el.textContent = item.label;
      });
      scope.querySelectorAll('[data-output="' + attr(item.key) + '"]').forEach(function (el) {
        if (shownHtml.get(el) !== item.html) {
          el.innerHTML = item.html;
          shownHtml.set(el, item.html);
        }
        if (item.value === null || item.value === undefined) el.removeAttribute("data-value");
        else el.setAttribute("data-value", item.value);
      });
    });
    setStatus(form, "ready");
    return again;
  }

  /**
   * Recomputes now, unless the result of these very inputs is already on screen (an input
   * event and the change event after it, or a row added and left empty, ask twice).
   * @param {HTMLFormElement} form
   * @param {boolean} [force]  compute even so (the first result of a live calculator)
   */
  function computeNow(form, force) {
    if (!G.rt || !page || !form.isConnected) return;
    var info = infoOf(form);
    window.clearTimeout(info.timer);
    info.timer = undefined;
    if (info.busy) {
      // One recompute in flight per form: the latest inputs go next, the ones between are skipped.
      info.again = true;
      return;
    }
    var pairs = pairsOf(form);
    var base = form.dataset.base || "";
    var key = JSON.stringify([pairs, base]);
    if (!force && key === info.shown) return;
    var started = performance.now();
    info.busy = true;
    info.again = false;
    call({ op: "compute", name: form.dataset.calculator, pairs: pairs, base: base })
      .catch(function (err) {
        console.error("calculators:", messageOf(err));
        return /** @type {ComputeReply} */ ({ ok: false, field: null, message: "The calculator hit an unexpected error; try other values or reload the page." });
      })
      .then(function (out) {
        info.busy = false;
        if (!form.isConnected) return;
        if (applyResult(form, out)) info.again = true;
        info.shown = key;
        info.cost = performance.now() - started;
        if (out.ok && info.touched) {
          window.clearTimeout(info.urlTimer);
          info.urlTimer = window.setTimeout(function () {
            writeUrl(form, pairs);
          }, 200);
        }
        if (info.again) computeNow(form);
      });
  }

  /**
   * Recompute after `delay` ms without a further change (0: now). The pause waited for is at
   * least as long as the last recompute took (capped), and one recompute at a time is in
   * flight: typing into a table of a thousand rows stays fluid.
   * @param {HTMLFormElement} form
   * @param {number} delay
   */
  function schedule(form, delay) {
    var info = infoOf(form);
    info.touched = true;
    if (G.state !== "ready") {
      start();
      return;
    }
    window.clearTimeout(info.timer);
    info.timer = undefined;
    if (delay <= 0) computeNow(form);
    else
      info.timer = window.setTimeout(
        function () {
          computeNow(form);
        },
        Math.max(delay, Math.min(info.cost, MAX_WAIT))
      );
  }

  /**
   * Recompute once the browser has shown what just changed (many new rows of a table appear
   * before their result is computed), or after 100 ms in a tab that paints no frame.
   * @param {HTMLFormElement} form
   */
  function scheduleAfterPaint(form) {
    var info = infoOf(form);
    info.touched = true;
    if (G.state !== "ready") {
      start();
      return;
    }
    window.clearTimeout(info.timer);
    var done = false;
    var run = function () {
      if (done) return;
      done = true;
      schedule(form, 0);
    };
    window.requestAnimationFrame(function () {
      window.setTimeout(run, 0);
    });
    info.timer = window.setTimeout(run, 100);
  }

  // ------------------------------------------------------------------ URL state

  /*
   * The address bar keeps the inputs of every calculator on the page that the reader changed,
   * one group each, in the page's order: ?calculator=nrr_grr&starting_mrr=…&calculator=nps&
   * promoters=…  A link to one calculator (the "Copy link" button) is one such group.
   */

  /** @param {URLSearchParams} params @param {HTMLFormElement} form @param {Pair[]} pairs */
  function appendGroup(params, form, pairs) {
    params.append("calculator", form.dataset.calculatorInstance || "");
    pairs.forEach(function (p) {
      params.append(p[0], p[1]);
    });
  }

  /** @param {HTMLFormElement} form @param {Pair[]} pairs  The link to this calculator with these inputs. */
  function urlFor(form, pairs) {
    var params = new URLSearchParams();
    appendGroup(params, form, pairs);
    return location.pathname + "?" + params.toString() + "#" + anchorOf(form);
  }

  /**
   * The address bar after form changed (its inputs `pairs`, or none after a reset): every
   * changed calculator's inputs, the anchor of the one changed last.
   * @param {HTMLFormElement} form
   * @param {Pair[] | null} pairs
   */
  function writeUrl(form, pairs) {
    infoOf(form).urlPairs = pairs;
    var params = new URLSearchParams();
    forms().forEach(function (f) {
      var kept = infoOf(f).urlPairs;
      if (kept) appendGroup(params, f, kept);
    });
    var query = params.toString();
    try {
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + "#" + anchorOf(form));
    } catch (err) {
      /* a sandboxed page may refuse; the calculator still works */
    }
  }

  function restoreFromUrl() {
    var params = new URLSearchParams(location.search);
    /** @type {Map<HTMLFormElement, Pair[]>} */
    var groups = new Map();
    /** @type {Pair[] | null} */
    var current = null;
    params.forEach(function (value, key) {
      if (key === "calculator") {
        var form = forms().filter(function (f) {
          return f.dataset.calculatorInstance === value;
        })[0];
        current = form ? [] : null;
        if (form && current) groups.set(form, current);
      } else if (current) current.push([key, value]);
    });
    groups.forEach(function (pairs, form) {
      setPairs(form, pairs);
      var info = infoOf(form);
      info.touched = true;
      info.urlPairs = pairs;
    });
    if (groups.size) start();
  }

  // ------------------------------------------------------------------ tables, sliders, values

  /*
   * A table's rows are numbered from 0 in their controls' names (accounts[3].arr) and ids, and
   * from 1 in their labels ("ARR due (currency), row 4"). Rows are added, pasted or restored
   * in one pass: the markup of all the new rows is written from the build's row template
   * (whose names and ids hold __i__ and whose labels hold __n__; only these numbers are put
   * in, never a value), parsed at once into an inert template, filled there, and moved into
   * the table in one insertion: one style and layout pass, however many rows. Removing a row
   * renames only the rows below it. Every step is linear in the rows.
   */

  /**
   * @typedef {object} Table  One input table of a form.
   * @property {HTMLFormElement} form
   * @property {HTMLElement} fieldset
   * @property {string} field  the input's JSON key (accounts)
   * @property {HTMLTableSectionElement} body  its rows
   * @property {HTMLTemplateElement} template  an empty row, numbered __i__ / __n__
   * @property {number} minRows  the rows the remove buttons keep (at least one)
   * @property {number} maxRows  the rows it takes at most (the build states it on the page)
   * @property {HTMLButtonElement | null} add  its "Add a row" button
   */

  /** @type {WeakMap<HTMLElement, Table>} found once per table: a search after its rows would walk them all */
  var tables = new WeakMap();

  /** @param {HTMLElement} fieldset @returns {Table} */
  function tableOf(fieldset) {
    var table = tables.get(fieldset);
    if (table) return table;
    var max = parseInt(fieldset.dataset.maxRows || "", 10);
    table = {
      form: need(fieldset.closest("form"), "form around a table"),
      fieldset: fieldset,
      field: fieldset.dataset.field || "",
      body: need(one(fieldset, "tbody[data-rows]", HTMLTableSectionElement), "table body"),
      template: need(one(fieldset, "template[data-row-template]", HTMLTemplateElement), "row template"),
      minRows: Math.max(parseInt(fieldset.dataset.minRows || "0", 10), 1),
      maxRows: max > 0 ? max : Infinity,
      add: one(fieldset, '[data-action="add-row"]', HTMLButtonElement),
    };
    tables.set(fieldset, table);
    return table;
  }

  /**
   * Names row tr as row i of its table (after a removal); writes only what differs.
   * @param {Table} table
   * @param {Element} tr
   * @param {number} i
   */
  function nameRow(table, tr, i) {
    if (tr instanceof HTMLElement && tr.dataset.row !== String(i)) tr.dataset.row = String(i);
    var number = " row " + (i + 1);
    controls(tr, "[data-col]").forEach(function (el) {
      var name = table.field + "[" + i + "]." + el.dataset.col;
      if (el.name !== name) {
        el.name = name;
        el.id = idFor(table.form, name);
      }
      var label = el.dataset.label + "," + number;
      if (el.getAttribute("aria-label") !== label) el.setAttribute("aria-label", label);
    });
    var remove = one(tr, '[data-action="remove-row"]', HTMLButtonElement);
    if (remove) {
      var text = "Remove" + number;
      if (remove.getAttribute("aria-label") !== text) remove.setAttribute("aria-label", text);
    }
  }

  /**
   * Fills a new row: each cell's text, or nothing (a select then shows no choice, so that a
   * row just added stays empty and is left out until something is typed into it).
   * @param {Element} tr
   * @param {Record<string, string> | undefined} cells  texts by column
   */
  function fillRow(tr, cells) {
    controls(tr, "[data-col]").forEach(function (el) {
      var col = el.dataset.col || "";
      var value = cells && Object.prototype.hasOwnProperty.call(cells, col) ? String(cells[col]) : "";
      if (el.value !== value || el instanceof HTMLSelectElement) el.value = value;
    });
  }

  /**
   * Rows start … start + count - 1 of the table, filled with values (cell texts by column),
   * their remove buttons as `removable` says, in a fragment not yet in the page.
   * @param {Table} table
   * @param {number} start
   * @param {number} count
   * @param {Record<string, string>[] | null} values
   * @param {boolean} removable
   * @returns {DocumentFragment}
   */
  function buildRows(table, start, count, values, removable) {
    var row = need(table.template.content.firstElementChild, "row in the row template").cloneNode(true);
    if (!(row instanceof HTMLTableRowElement)) throw new Error("calculators: the row template holds no HTML row");
    var remove = one(row, '[data-action="remove-row"]', HTMLButtonElement);
    if (remove) {
      remove.hidden = false;
      remove.disabled = !removable;
    }
    // Literal markup at even places, "i" (the index) or "n" (the number) at odd ones.
    var parts = row.outerHTML.split(/__([in])__/);
    /** @type {string[]} */
    var html = [];
    for (var r = start; r < start + count; r++) {
      for (var k = 0; k < parts.length; k++) html.push(k % 2 === 0 ? parts[k] || "" : String(parts[k] === "i" ? r : r + 1));
    }
    var inert = document.createElement("template");
    inert.innerHTML = html.join("");
    var rows = inert.content.children;
    for (var j = 0; j < rows.length; j++) {
      var tr = rows[j];
      if (tr) fillRow(tr, values ? values[j] : undefined);
    }
    return inert.content;
  }

  /**
   * After the rows changed: remove buttons on while the table has more rows than it needs,
   * "Add a row" off once it is full. Linear only when the first of these flips.
   * @param {Table} table
   * @param {boolean} [force]  set every row's remove button (rows the build wrote)
   */
  function refreshLimits(table, force) {
    var count = table.body.rows.length;
    var removable = count > table.minRows;
    var first = table.body.rows[0];
    var probe = first ? one(first, '[data-action="remove-row"]', HTMLButtonElement) : null;
    if (force || (probe && probe.disabled === removable))
      all(table.body, '[data-action="remove-row"]', HTMLButtonElement).forEach(function (button) {
        button.hidden = false;
        button.disabled = !removable;
      });
    if (table.add) table.add.disabled = count >= table.maxRows;
  }

  /**
   * Appends rows in one pass: one per item of `values`, or `count` empty ones (no more than
   * the table takes).
   * @param {Table} table
   * @param {Record<string, string>[] | null} values
   * @param {number} count
   * @returns {HTMLTableRowElement | null} the first new row
   */
  function appendRows(table, values, count) {
    var start = table.body.rows.length;
    var n = Math.min(values ? values.length : count, table.maxRows - start);
    if (n <= 0) return null;
    table.body.appendChild(buildRows(table, start, n, values, start + n > table.minRows));
    refreshLimits(table);
    return table.body.rows[start] || null;
  }

  /**
   * Replaces every row by one per item of values (a CSV), in one pass.
   * @param {Table} table
   * @param {Record<string, string>[]} values
   */
  function replaceRows(table, values) {
    var n = Math.min(values.length, table.maxRows);
    table.body.replaceChildren(buildRows(table, 0, n, values, n > table.minRows));
    refreshLimits(table);
  }

  /**
   * Renames the rows from row `from` on (after a removal), and the buttons' states.
   * @param {Table} table
   * @param {number} from
   * @param {boolean} [force]  also set every remove button (rows the build wrote)
   */
  function renumber(table, from, force) {
    var rows = table.body.rows;
    for (var i = from; i < rows.length; i++) {
      var tr = rows[i];
      if (tr) nameRow(table, tr, i);
    }
    refreshLimits(table, force);
  }

  /** @param {HTMLFormElement} form */
  function syncSliders(form) {
    all(form, "input[type=range][data-pair]", HTMLInputElement).forEach(function (range) {
      var number = document.getElementById(range.dataset.pair || "");
      if (!isControl(number)) return;
      if (number.value !== "" && !isNaN(Number(number.value))) range.value = number.value;
      range.classList.toggle("cs-slider--empty", number.value === "");
    });
  }

  /** @param {HTMLFormElement} form @param {Pair[]} pairs */
  function setPairs(form, pairs) {
    /** @type {Map<string, string>} */
    var values = new Map();
    /** @type {Map<string, number>} the rows each table needs */
    var rows = new Map();
    pairs.forEach(function (p) {
      values.set(p[0], p[1]);
      var m = /^([A-Za-z_]\w*)\[(\d+)\]\./.exec(p[0]);
      if (m && m[1] !== undefined && m[2] !== undefined) rows.set(m[1], Math.max(rows.get(m[1]) || 0, parseInt(m[2], 10) + 1));
    });
    // Rows first (a table takes at most its cap; rows past it are dropped), then every value.
    all(form, "fieldset[data-min-rows]", HTMLElement).forEach(function (fieldset) {
      var table = tableOf(fieldset);
      var wanted = Math.min(Math.max(rows.get(table.field) || 0, table.minRows), table.maxRows);
      var body = table.body;
      while (body.rows.length > wanted && body.lastElementChild) body.lastElementChild.remove();
      appendRows(table, null, wanted - body.rows.length);
      refreshLimits(table);
    });
    Array.from(form.elements).forEach(function (el) {
      if (!isControl(el) || !el.name || el.type === "file") return;
      var value = values.get(el.name) || "";
      if (el.value !== value) el.value = value;
    });
    syncSliders(form);
  }

  // ------------------------------------------------------------------ CSV, downloads, links

  /** @param {HTMLFormElement} form @param {HTMLElement} details */
  async function loadCsv(form, details) {
    var status = need(one(details, "[data-csv-status]", HTMLElement), "CSV status");
    var text = need(one(details, "[data-csv-text]", HTMLTextAreaElement), "CSV box").value;
    var table = tableOf(need(closestElement(details, "fieldset[data-min-rows]"), "table around the CSV box"));
    status.textContent = "Reading…";
    try {
      await start();
      var out = await call({ op: "csv", name: form.dataset.calculator, field: details.dataset.table, text: text });
      if (!out.ok) {
        status.textContent = out.message;
        return;
      }
      replaceRows(table, out.rows);
      status.textContent = "Loaded " + out.rows.length + " row" + (out.rows.length === 1 ? "" : "s") + " from the CSV.";
      scheduleAfterPaint(form); // the new rows show first, then the result
    } catch (err) {
      status.textContent = "Could not read the CSV: " + messageOf(err);
    }
  }

  /** @param {HTMLFormElement} form @param {HTMLInputElement} input */
  function readFile(form, input) {
    var file = input.files && input.files[0];
    if (!file) return;
    var name = file.name;
    var details = need(input.closest("details"), "CSV box around the file input");
    var reader = new FileReader();
    reader.onload = function () {
      need(one(details, "[data-csv-text]", HTMLTextAreaElement), "CSV box").value = String(reader.result || "");
      loadCsv(form, details);
    };
    reader.onerror = function () {
      need(one(details, "[data-csv-status]", HTMLElement), "CSV status").textContent = "Could not read " + name + ".";
    };
    reader.readAsText(file);
  }

  /** @param {HTMLFormElement} form @param {string | undefined} format */
  async function download(form, format) {
    await start();
    var out = await call({ op: "export", name: form.dataset.calculator, pairs: pairsOf(form), format: format });
    if (!out.ok) {
      applyResult(form, out);
      return;
    }
    var url = URL.createObjectURL(new Blob([out.text], { type: out.mime }));
    var link = document.createElement("a");
    link.href = url;
    link.download = out.filename;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 10000);
  }

  /** @param {HTMLFormElement} form */
  function copyLink(form) {
    var url = new URL(urlFor(form, pairsOf(form)), location.href).href;
    var status = one(form, "[data-calc-status]", HTMLElement);
    /** @param {boolean} ok */
    var done = function (ok) {
      if (status) status.textContent = ok ? "Link copied: opening it restores these inputs." : "Copy this link to share these inputs: " + url;
    };
    writeUrl(form, pairsOf(form));
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(
        function () {
          done(true);
        },
        function () {
          done(false);
        }
      );
    } else done(false);
  }

  // ------------------------------------------------------------------ wiring

  /** @param {MouseEvent} event */
  function onClick(event) {
    if (!(event.target instanceof Element)) return;
    var button = event.target.closest("button[data-action]");
    if (!(button instanceof HTMLButtonElement)) return;
    var form = button.closest("form[data-calculator]");
    if (!(form instanceof HTMLFormElement)) return;
    var info = infoOf(form);
    var action = button.dataset.action;
    if (action === "add-row") {
      var row = appendRows(tableOf(need(closestElement(button, "fieldset[data-min-rows]"), "table")), null, 1);
      var first = row && one(row, "[data-col]", HTMLElement);
      if (first) first.focus();
      schedule(form, ROW_WAIT);
    } else if (action === "remove-row") {
      var table = tableOf(need(closestElement(button, "fieldset[data-min-rows]"), "table"));
      var tr = need(closestElement(button, "tr"), "row");
      var index = tr instanceof HTMLTableRowElement ? tr.sectionRowIndex : 0;
      var next = tr.nextElementSibling || tr.previousElementSibling;
      tr.remove();
      renumber(table, index);
      var focus = next && one(next, '[data-action="remove-row"]', HTMLButtonElement);
      if (focus && !focus.disabled) focus.focus();
      else if (table.add && !table.add.disabled) table.add.focus();
      schedule(form, ROW_WAIT);
    } else if (action === "csv-load") {
      loadCsv(form, need(button.closest("details"), "CSV box"));
    } else if (action === "download") {
      download(form, button.dataset.format).catch(function (err) {
        console.error("calculators:", messageOf(err));
      });
    } else if (action === "copy-link") {
      copyLink(form);
    } else if (action === "reset") {
      setPairs(form, info.initial);
      info.touched = false;
      window.clearTimeout(info.urlTimer);
      writeUrl(form, null);
      if (G.state === "ready") computeNow(form);
    } else if (action === "retry") {
      G.skipSnapshot = Boolean(G.snapshotError);
      start();
    }
  }

  /**
   * The closest HTML element around el (el included) that matches selector.
   * @param {Element} el
   * @param {string} selector
   * @returns {HTMLElement | null}
   */
  function closestElement(el, selector) {
    var found = el.closest(selector);
    return found instanceof HTMLElement ? found : null;
  }

  /** @param {Event} event */
  function onInput(event) {
    var form = event.currentTarget;
    var target = event.target;
    if (!(form instanceof HTMLFormElement) || !isControl(target)) return;
    if (target.type === "range" && target.dataset.pair) {
      var number = document.getElementById(target.dataset.pair);
      if (isControl(number)) number.value = target.value;
      target.classList.remove("cs-slider--empty");
      schedule(form, 16);
      return;
    }
    if (!target.name) return;
    // A table's cell has no slider: no search through the form's controls on every keystroke.
    var range = target.dataset.col ? null : one(form, 'input[type=range][data-pair="' + attr(target.id) + '"]', HTMLInputElement);
    if (range) {
      if (target.value !== "" && !isNaN(Number(target.value))) range.value = target.value;
      range.classList.toggle("cs-slider--empty", target.value === "");
    }
    // A recompute takes a few milliseconds: numbers update almost as you type; text waits
    // for a pause so that a half-typed name or list is not reported as an error.
    var slow = target.tagName === "TEXTAREA" || target.type === "text";
    schedule(form, event.type === "change" ? 0 : slow ? 250 : 40);
  }

  /** @param {HTMLFormElement} form */
  function setupForm(form) {
    var info = infoOf(form);
    if (info.bound) return;
    info.bound = true;
    info.initial = pairsOf(form);
    all(form, "[data-js-only]", HTMLElement).forEach(function (el) {
      el.hidden = false;
    });
    all(form, "fieldset[data-min-rows]", HTMLElement).forEach(function (fieldset) {
      renumber(tableOf(fieldset), 0, true);
    });
    syncSliders(form);
    form.addEventListener("input", onInput);
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (!isControl(target)) return;
      if (target instanceof HTMLInputElement && target.type === "file") readFile(form, target);
      else if (target.name || target.type === "range") onInput(event);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      schedule(form, 0);
    });
    form.addEventListener("click", onClick);
    ["focusin", "pointerdown"].forEach(function (type) {
      form.addEventListener(type, function () {
        start();
      });
    });
  }

  function init() {
    var list = forms();
    if (!list.length) {
      page = null;
      return;
    }
    page = readPageData();
    if (!page) return;
    list.forEach(setupForm);
    restoreFromUrl();
    if (G.state === "ready") {
      broadcast();
      list.forEach(function (form) {
        computeNow(form, true);
      });
    } else if (G.state === "idle") {
      // The worker downloads and starts off the main thread: start at once, the worked
      // example stays readable meanwhile and the status line shows the progress.
      start();
    } else {
      broadcast();
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
