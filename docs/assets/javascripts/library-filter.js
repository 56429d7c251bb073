// @ts-check
/* Filters for the playbook library (playbooks/index.md), no dependencies.
 *
 * The page holds, inside <div data-cs-library>, a filter bar written by the renderer
 * (cslibrary/render/templates/partials/library-table.html; <div role="search" data-cs-filters>)
 * and left `hidden` until this script runs: one <select name="KEY"> per filter (category,
 * stage, segment, owner, trigger) whose options are ids, and a text box (name="words"; not
 * "q", which Material's search reads from the address and then removes). Each table row
 * carries data-KEY (its ids, space-separated) and data-search (the words of its title,
 * summary, trigger and tags, so a word matches even where the row does not show it). A row
 * shows when it has every chosen id and contains every typed word.
 *
 * The choices live in the page's address (?category=intervention&words=churn): a link shows the
 * same list, and the back and forward buttons step through the choices: a change to one
 * filter adds a history entry, and further changes to the same filter (typing a word, or
 * stepping through a drop-down with the arrow keys) update that entry. A live region says
 * "N of M playbooks". Without JavaScript the bar stays hidden and the full table shows.
 *
 * Material's instant navigation swaps pages without reloading, so set-up runs on every
 * emission of `document$`, not on DOMContentLoaded; Material itself ignores a history step
 * that only changes the query string, so `popstate` is handled here.
 */
(function () {
  "use strict";

  var TEXT = "words";

  /**
   * Text as the filter compares it: lower case, accents removed, and the British and American
   * spellings made one (the library writes "utilisation" and "licence"; "utilization" and
   * "license" find them).
   * @param {string} text @returns {string}
   */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/iz(?=a|e|i)/g, "is").replace(/licens/g, "licenc");
  }

  /**
   * @typedef {{
   *   box: HTMLElement, bar: HTMLElement, selects: HTMLSelectElement[], text: HTMLInputElement,
   *   rows: HTMLTableRowElement[], words: string[], count: HTMLElement | null, empty: HTMLElement | null,
   *   path: string, last: string
   * }} Library
   */

  /** @type {Library[]} */
  var libraries = [];

  /** @param {Library} lib */
  function apply(lib) {
    var chosen = lib.selects.filter(function (s) { return s.value; });
    var words = fold(lib.text.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    lib.rows.forEach(function (row, i) {
      var ok = chosen.every(function (s) {
        return (row.getAttribute("data-" + s.name) || "").split(" ").indexOf(s.value) >= 0;
      });
      var haystack = lib.words[i] || "";
      if (ok) ok = words.every(function (w) { return haystack.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    if (lib.count) lib.count.textContent = shown + " of " + lib.rows.length + " playbooks";
    if (lib.empty) lib.empty.hidden = shown > 0;
  }

  /** The choices read from the address; unknown values are ignored. @param {Library} lib */
  function restore(lib) {
    var params = new URLSearchParams(window.location.search);
    lib.selects.forEach(function (s) {
      var wanted = params.get(s.name) || "";
      s.value = Array.from(s.options).some(function (o) { return o.value === wanted; }) ? wanted : "";
    });
    lib.text.value = params.get(TEXT) || "";
    lib.last = "";
    apply(lib);
  }

  /** The address for the bar's choices; other parameters and the #fragment are kept. @param {Library} lib */
  function addressOf(lib) {
    var params = new URLSearchParams(window.location.search);
    lib.selects.forEach(function (s) {
      if (s.value) params.set(s.name, s.value);
      else params.delete(s.name);
    });
    var words = lib.text.value.trim();
    if (words) params.set(TEXT, words);
    else params.delete(TEXT);
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  /**
   * Puts the choices in the address: a new history entry, or the current one updated when
   * `control` (a filter's name) also made the last change.
   * @param {Library} lib @param {string} control
   */
  function record(lib, control) {
    var url = addressOf(lib);
    if (url === window.location.pathname + window.location.search + window.location.hash) return;
    if (control && control === lib.last) window.history.replaceState(window.history.state, "", url);
    else window.history.pushState(null, "", url);
    lib.last = control;
  }

  /** @param {HTMLElement} box */
  function setUp(box) {
    if (box.hasAttribute("data-cs-ready")) return;
    var bar = box.querySelector("[data-cs-filters]");
    var table = box.querySelector("table");
    var text = bar && bar.querySelector('input[name="' + TEXT + '"]');
    if (!(bar instanceof HTMLElement) || !table || !(text instanceof HTMLInputElement) || !table.tBodies[0]) return;
    box.setAttribute("data-cs-ready", "");
    var rows = Array.from(table.tBodies[0].rows);
    /** @type {Library} */
    var lib = {
      box: box,
      bar: bar,
      selects: Array.from(bar.querySelectorAll("select[name]")),
      text: text,
      rows: rows,
      words: rows.map(function (row) { return fold(row.getAttribute("data-search") || row.textContent || ""); }),
      count: box.querySelector("[data-cs-count]"),
      empty: box.querySelector("[data-cs-empty]"),
      path: window.location.pathname,
      last: "",
    };

    lib.selects.forEach(function (s) {
      s.addEventListener("change", function () {
        apply(lib);
        record(lib, s.name);
      });
    });
    lib.text.addEventListener("input", function () {
      apply(lib);
      record(lib, TEXT);
    });
    box.querySelectorAll("[data-cs-clear]").forEach(function (button) {
      button.addEventListener("click", function () {
        lib.selects.forEach(function (s) { s.value = ""; });
        lib.text.value = "";
        apply(lib);
        record(lib, "");
        lib.text.focus();
      });
    });

    libraries = libraries.filter(function (other) { return other.box.isConnected; });
    libraries.push(lib);
    bar.hidden = false;
    restore(lib);
  }

  window.addEventListener("popstate", function () {
    libraries.forEach(function (lib) {
      if (lib.box.isConnected && lib.path === window.location.pathname) restore(lib);
    });
  });

  function run() {
    document.querySelectorAll("[data-cs-library]").forEach(function (box) {
      if (box instanceof HTMLElement) setUp(box);
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
