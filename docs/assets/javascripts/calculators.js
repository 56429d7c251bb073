/*
 * In-page calculators: the worked examples rendered at build time become live.
 *
 * Contract (docs/guides/calculators.md): each calculator is a <form data-calculator="NAME">
 * whose controls are named after the calculator's JSON keys (starting_mrr,
 * components.support, accounts[0].arr); results live in elements [data-output="KEY"].
 *
 * One Pyodide is started per visit, when the page is idle or on the first interaction, and
 * kept on window.__csCalculators so that it survives Material's instant navigation. It
 * starts from the build's memory snapshot when there is one and falls back to a normal
 * start when the snapshot is missing or fails. Pages without a calculator load nothing.
 * The Python (calculators.browser) parses the form, validates, computes and returns the HTML of
 * every output, so the browser shows exactly what the build showed.
 */
(function () {
  "use strict";

  var G = window.__csCalculators || (window.__csCalculators = {});
  if (G.installed) return;
  G.installed = true;
  G.state = G.state || "idle"; // idle | loading | ready | error
  G.mode = G.mode || null; // "snapshot" | "normal" once ready
  G.computeMs = G.computeMs || [];
  G.starts = G.starts || 0;

  var page = null; // { runtime, configText } of the page on screen

  var TEXT = {
    idle: "Worked example, computed when this site was built. The live calculator starts as soon as the page is idle or you change a value.",
    loading: "Starting the calculator…",
    ready: "Live: results update as you change the inputs.",
    invalid: "Fix the input marked in the form to update the result.",
    error: "The calculator could not start",
  };

  // ------------------------------------------------------------------ helpers

  function messageOf(err) {
    var text = err && err.message ? String(err.message) : String(err);
    text = text.split("\n")[0];
    return text.length > 200 ? text.slice(0, 199) + "…" : text;
  }

  function forms() {
    return Array.prototype.slice.call(document.querySelectorAll("form[data-calculator]"));
  }

  function attr(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, "\\$&");
  }

  function idFor(form, name) {
    return "cs-" + form.dataset.calculatorInstance + "-" + name.replace(/[^A-Za-z0-9_]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function readPageData() {
    var el = document.getElementById("cs-calculators-data");
    if (!el) return null;
    var data = JSON.parse(el.textContent);
    var abs = function (url) {
      return url ? new URL(url, location.href).href : null;
    };
    return {
      runtime: {
        index: abs(data.runtime.index),
        bundle: abs(data.runtime.bundle),
        snapshot: abs(data.runtime.snapshot),
        version: data.runtime.version,
      },
      configText: JSON.stringify(data.config),
    };
  }

  function pairsOf(form) {
    var out = [];
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") out.push([key, value]);
    });
    return out;
  }

  // ------------------------------------------------------------------ status

  function setStatus(form, state, extra) {
    var el = form.querySelector("[data-calc-status]");
    form.dataset.calcState = state;
    if (el) {
      el.dataset.state = state;
      el.textContent = TEXT[state] + (extra ? ": " + extra : state === "error" ? "." : "");
    }
    var retry = form.querySelector('[data-action="retry"]');
    if (retry) retry.hidden = state !== "error";
  }

  function broadcast() {
    forms().forEach(function (form) {
      if (G.state === "ready") {
        if (form.dataset.calcState !== "invalid") setStatus(form, "ready");
      } else if (G.state === "error") {
        setStatus(form, "error", G.error);
      } else {
        setStatus(form, G.state);
      }
    });
  }

  // ------------------------------------------------------------------ Pyodide

  function fetchBytes(url) {
    return fetch(url).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status + " for " + url);
      return res.arrayBuffer();
    });
  }

  async function snapshotBytes(res) {
    var encoded = (res.headers.get("Content-Encoding") || "").indexOf("gzip") >= 0;
    var body = encoded ? res.body : res.body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(body).arrayBuffer());
  }

  async function boot(info) {
    var t0 = performance.now();
    // Everything downloads in parallel: the package, the snapshot (Pyodide takes the
    // promise and awaits it after it has started fetching the runtime) and the runtime.
    var bundle = fetchBytes(info.bundle);
    bundle.catch(function () {}); // awaited below; avoid an unhandled rejection meanwhile
    var pending = info.snapshot && !G.skipSnapshot ? fetch(info.snapshot) : null;
    if (pending) pending.catch(function () {});
    var mod = await import(info.index + "pyodide.mjs");
    var py = null;
    var mode = "normal";
    var res = null;
    if (pending) {
      try {
        res = await pending; // the headers: a missing snapshot costs no runtime download twice
        if (!res.ok) throw new Error("HTTP " + res.status);
      } catch (err) {
        G.snapshotError = "snapshot: " + messageOf(err);
        res = null;
      }
    }
    if (res) {
      try {
        var bytes = snapshotBytes(res);
        bytes.catch(function () {}); // Pyodide awaits it later; it reports the failure
        py = await mod.loadPyodide({ indexURL: info.index, _loadSnapshot: bytes });
        var ping = JSON.parse(py.runPython("import calculators.browser as _csw\n_csw.handle('{\"op\": \"ping\"}', '{}')"));
        if (!ping.ok) throw new Error("the snapshot's calculators do not answer");
        mode = "snapshot";
      } catch (err) {
        G.snapshotError = messageOf(err);
        console.warn("calculators: starting without the snapshot (" + G.snapshotError + ")");
        py = null;
      }
    }
    if (!py) py = await mod.loadPyodide({ indexURL: info.index });
    var zip = new Uint8Array(await bundle);
    var site = py.runPython("import sysconfig\nsysconfig.get_paths()['purelib']");
    py.unpackArchive(zip, "zip", { extractDir: site });
    if (mode === "normal") py.runPython("import importlib\nimportlib.invalidate_caches()");
    var handle = py.runPython("import calculators.browser as _csw\n_csw.handle");
    G.bootMs = performance.now() - t0;
    return { py: py, handle: handle, mode: mode };
  }

  function start() {
    if (G.promise) return G.promise;
    if (!page) return Promise.reject(new Error("no calculator on this page"));
    G.state = "loading";
    G.error = null;
    G.starts += 1;
    broadcast();
    G.promise = boot(page.runtime).then(
      function (rt) {
        G.rt = rt;
        G.sentConfig = null;
        G.mode = rt.mode;
        G.pyodide = rt.py;
        G.state = "ready";
        broadcast();
        forms().forEach(function (form) {
          computeNow(form);
        });
        return rt;
      },
      function (err) {
        G.promise = null;
        G.state = "error";
        G.error = messageOf(err);
        console.error("calculators: Pyodide did not start:", G.error);
        broadcast();
        throw err;
      }
    );
    G.promise.catch(function () {});
    return G.promise;
  }

  function call(request) {
    // The configuration (about 70 kB) crosses into Python only when it changed.
    var fresh = G.sentConfig !== page.configText;
    var text = G.rt.handle(JSON.stringify(request), fresh ? page.configText : undefined);
    G.sentConfig = page.configText;
    return JSON.parse(text);
  }

  // ------------------------------------------------------------------ results and errors

  function clearErrors(form) {
    form.querySelectorAll("[data-error-for]").forEach(function (el) {
      el.hidden = true;
      el.textContent = "";
    });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  function showError(form, out) {
    var field = out.field || "";
    var target = null;
    var path = field;
    while (true) {
      target = form.querySelector('[data-error-for="' + attr(path) + '"]');
      if (target || !path) break;
      var shorter = path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
      path = shorter === path ? "" : shorter;
    }
    if (!target) target = form.querySelector('[data-error-for=""]');
    if (target) {
      target.textContent = out.message;
      target.hidden = false;
    }
    if (field) {
      var control = form.querySelector('[name="' + attr(field) + '"]');
      if (control) control.setAttribute("aria-invalid", "true");
    }
  }

  function applyResult(form, out) {
    clearErrors(form);
    var results = form.querySelector(".cs-calc__outputs");
    if (!out.ok) {
      showError(form, out);
      if (results) results.classList.add("cs-stale");
      setStatus(form, "invalid");
      return;
    }
    if (results) results.classList.remove("cs-stale");
    out.outputs.forEach(function (item) {
      form.querySelectorAll('[data-output-label="' + attr(item.key) + '"]').forEach(function (el) {
        if (el.textContent !== item.label) el.textContent = item.label;
      });
      form.querySelectorAll('[data-output="' + attr(item.key) + '"]').forEach(function (el) {
        if (el.__csHtml !== item.html) {
          el.innerHTML = item.html;
          el.__csHtml = item.html;
        }
        if (item.value === null || item.value === undefined) el.removeAttribute("data-value");
        else el.setAttribute("data-value", item.value);
      });
    });
    setStatus(form, "ready");
  }

  function computeNow(form) {
    if (!G.rt || !page || !form.isConnected) return;
    clearTimeout(form.__csTimer);
    var pairs = pairsOf(form);
    var t0 = performance.now();
    var out;
    try {
      out = call({ op: "compute", name: form.dataset.calculator, pairs: pairs, base: form.dataset.base || "" });
    } catch (err) {
      console.error("calculators:", messageOf(err));
      out = { ok: false, field: null, message: "The calculator hit an unexpected error; try other values or reload the page." };
    }
    applyResult(form, out);
    var ms = performance.now() - t0;
    G.computeMs.push(ms);
    if (G.computeMs.length > 500) G.computeMs.shift();
    form.dataset.calcSeq = String((parseInt(form.dataset.calcSeq || "0", 10) || 0) + 1);
    if (out.ok && form.__csTouched) {
      clearTimeout(form.__csUrlTimer);
      form.__csUrlTimer = setTimeout(function () {
        writeUrl(form, pairs);
      }, 200);
    }
    form.dispatchEvent(new CustomEvent("cs:computed", { bubbles: true, detail: { ok: out.ok, ms: ms } }));
  }

  function schedule(form, delay) {
    form.__csTouched = true;
    if (G.state !== "ready") {
      start();
      return;
    }
    clearTimeout(form.__csTimer);
    if (delay <= 0) computeNow(form);
    else
      form.__csTimer = setTimeout(function () {
        computeNow(form);
      }, delay);
  }

  // ------------------------------------------------------------------ URL state

  function urlFor(form, pairs) {
    var params = new URLSearchParams();
    params.set("calculator", form.dataset.calculatorInstance);
    pairs.forEach(function (p) {
      params.append(p[0], p[1]);
    });
    return location.pathname + "?" + params.toString() + "#" + form.closest(".cs-calc").id;
  }

  function writeUrl(form, pairs) {
    try {
      history.replaceState(history.state, "", urlFor(form, pairs));
    } catch (err) {
      /* a sandboxed page may refuse; the calculator still works */
    }
  }

  function restoreFromUrl() {
    var params = new URLSearchParams(location.search);
    var instance = params.get("calculator");
    if (!instance) return;
    var form = forms().filter(function (f) {
      return f.dataset.calculatorInstance === instance;
    })[0];
    if (!form) return;
    var pairs = [];
    params.forEach(function (value, key) {
      if (key !== "calculator") pairs.push([key, value]);
    });
    setPairs(form, pairs);
    form.__csTouched = true;
    start();
  }

  // ------------------------------------------------------------------ tables, sliders, values

  function renumber(fieldset) {
    var form = fieldset.closest("form");
    var field = fieldset.dataset.field;
    var rows = fieldset.querySelectorAll("tbody[data-rows] > tr");
    var minRows = parseInt(fieldset.dataset.minRows || "0", 10);
    rows.forEach(function (tr, i) {
      tr.dataset.row = String(i);
      tr.querySelectorAll("[data-col]").forEach(function (el) {
        var name = field + "[" + i + "]." + el.dataset.col;
        el.name = name;
        el.id = idFor(form, name);
        el.setAttribute("aria-label", el.dataset.label + ", row " + (i + 1));
      });
      var remove = tr.querySelector('[data-action="remove-row"]');
      if (remove) {
        remove.hidden = false;
        remove.setAttribute("aria-label", "Remove row " + (i + 1));
        remove.disabled = rows.length <= Math.max(minRows, 1);
      }
    });
  }

  function addRow(fieldset, values) {
    var template = fieldset.querySelector("template[data-row-template]");
    var body = fieldset.querySelector("tbody[data-rows]");
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll("[data-col]").forEach(function (el) {
      el.value = values && values[el.dataset.col] !== undefined ? values[el.dataset.col] : "";
    });
    body.appendChild(row);
    renumber(fieldset);
    return row;
  }

  function syncSliders(form) {
    form.querySelectorAll("input[type=range][data-pair]").forEach(function (range) {
      var number = document.getElementById(range.dataset.pair);
      if (!number) return;
      if (number.value !== "" && !isNaN(Number(number.value))) range.value = number.value;
      range.classList.toggle("cs-slider--empty", number.value === "");
    });
  }

  function setPairs(form, pairs) {
    var values = {};
    var rows = {};
    pairs.forEach(function (p) {
      values[p[0]] = p[1];
      var m = /^([A-Za-z_]\w*)\[(\d+)\]\./.exec(p[0]);
      if (m) rows[m[1]] = Math.max(rows[m[1]] || 0, parseInt(m[2], 10) + 1);
    });
    form.querySelectorAll("fieldset[data-min-rows]").forEach(function (fieldset) {
      var body = fieldset.querySelector("tbody[data-rows]");
      var wanted = Math.max(rows[fieldset.dataset.field] || 0, parseInt(fieldset.dataset.minRows || "0", 10), 1);
      while (body.children.length > wanted) body.removeChild(body.lastElementChild);
      while (body.children.length < wanted) addRow(fieldset);
      renumber(fieldset);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file") return;
      var value = Object.prototype.hasOwnProperty.call(values, el.name) ? values[el.name] : "";
      el.value = value;
    });
    syncSliders(form);
  }

  // ------------------------------------------------------------------ CSV, downloads, links

  async function loadCsv(form, details) {
    var status = details.querySelector("[data-csv-status]");
    var text = details.querySelector("[data-csv-text]").value;
    var fieldset = details.closest("fieldset[data-field]");
    status.textContent = "Reading…";
    try {
      await start();
      var out = call({ op: "csv", name: form.dataset.calculator, field: details.dataset.table, text: text });
      if (!out.ok) {
        status.textContent = out.message;
        return;
      }
      var body = fieldset.querySelector("tbody[data-rows]");
      while (body.firstElementChild) body.removeChild(body.firstElementChild);
      out.rows.forEach(function (row) {
        addRow(fieldset, row);
      });
      status.textContent = "Loaded " + out.rows.length + " row" + (out.rows.length === 1 ? "" : "s") + " from the CSV.";
      schedule(form, 0);
    } catch (err) {
      status.textContent = "Could not read the CSV: " + messageOf(err);
    }
  }

  function readFile(form, input) {
    var file = input.files && input.files[0];
    if (!file) return;
    var details = input.closest("details");
    var reader = new FileReader();
    reader.onload = function () {
      details.querySelector("[data-csv-text]").value = String(reader.result || "");
      loadCsv(form, details);
    };
    reader.onerror = function () {
      details.querySelector("[data-csv-status]").textContent = "Could not read " + file.name + ".";
    };
    reader.readAsText(file);
  }

  async function download(form, format) {
    await start();
    var out = call({ op: "export", name: form.dataset.calculator, pairs: pairsOf(form), format: format });
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
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 10000);
  }

  function copyLink(form) {
    var url = new URL(urlFor(form, pairsOf(form)), location.href).href;
    var status = form.querySelector("[data-calc-status]");
    var done = function (ok) {
      status.textContent = ok ? "Link copied: opening it restores these inputs." : "Copy this link to share these inputs: " + url;
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

  function onClick(event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    var form = button.closest("form[data-calculator]");
    var action = button.dataset.action;
    if (action === "add-row") {
      var row = addRow(button.closest("fieldset[data-field]"));
      var first = row.querySelector("[data-col]");
      if (first) first.focus();
      schedule(form, 0);
    } else if (action === "remove-row") {
      var fieldset = button.closest("fieldset[data-field]");
      var tr = button.closest("tr");
      var next = tr.nextElementSibling || tr.previousElementSibling;
      tr.remove();
      renumber(fieldset);
      var focus = next && next.querySelector('[data-action="remove-row"]');
      (focus && !focus.disabled ? focus : fieldset.querySelector('[data-action="add-row"]')).focus();
      schedule(form, 0);
    } else if (action === "csv-load") {
      loadCsv(form, button.closest("details"));
    } else if (action === "download") {
      download(form, button.dataset.format).catch(function (err) {
        console.error("calculators:", messageOf(err));
      });
    } else if (action === "copy-link") {
      copyLink(form);
    } else if (action === "reset") {
      setPairs(form, form.__csInitial);
      form.__csTouched = false;
      clearTimeout(form.__csUrlTimer);
      try {
        history.replaceState(history.state, "", location.pathname + "#" + form.closest(".cs-calc").id);
      } catch (err) {
        /* ignore */
      }
      if (G.state === "ready") computeNow(form);
    } else if (action === "retry") {
      G.skipSnapshot = Boolean(G.snapshotError);
      start();
    }
  }

  function onInput(event) {
    var form = event.currentTarget;
    var target = event.target;
    if (target.type === "range" && target.dataset.pair) {
      var number = document.getElementById(target.dataset.pair);
      if (number) number.value = target.value;
      target.classList.remove("cs-slider--empty");
      schedule(form, 16);
      return;
    }
    if (!target.name) return;
    var range = form.querySelector('input[type=range][data-pair="' + attr(target.id) + '"]');
    if (range) {
      if (target.value !== "" && !isNaN(Number(target.value))) range.value = target.value;
      range.classList.toggle("cs-slider--empty", target.value === "");
    }
    // A recompute takes a few milliseconds: numbers update almost as you type; text waits
    // for a pause so that a half-typed name or list is not reported as an error.
    var slow = target.tagName === "TEXTAREA" || target.type === "text";
    schedule(form, event.type === "change" ? 0 : slow ? 250 : 40);
  }

  function setupForm(form) {
    if (form.__csBound) return;
    form.__csBound = true;
    form.__csInitial = pairsOf(form);
    form.querySelectorAll("[data-js-only]").forEach(function (el) {
      el.hidden = false;
    });
    form.querySelectorAll("fieldset[data-min-rows]").forEach(renumber);
    syncSliders(form);
    form.addEventListener("input", onInput);
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") readFile(form, event.target);
      else if (event.target.name || event.target.type === "range") onInput(event);
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

  function whenIdle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 1500 });
    else setTimeout(fn, 300);
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
        computeNow(form);
      });
    } else if (G.state === "idle") {
      list.forEach(function (form) {
        setStatus(form, "idle");
      });
      whenIdle(function () {
        if (page) start();
      });
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
