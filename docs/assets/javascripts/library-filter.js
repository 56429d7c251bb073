// @ts-check
/* Filters for the playbook library table (playbooks/index.md), no dependencies.
 *
 * The table is a plain HTML table inside <div class="cs-filterable" data-filter-<column>="1">.
 * For each such column a drop-down lists the values found in that column (cells holding
 * several values are split on ", "); a text box matches any cell. Without JavaScript the
 * full table shows, and the tags page offers the same facets.
 *
 * Material's instant navigation swaps pages without reloading, so this runs on every
 * emission of `document$`, not on DOMContentLoaded.
 */
(function () {
  "use strict";

  /** @param {HTMLTableCellElement | undefined} cell @returns {string[]} */
  function cellValues(cell) {
    if (!cell) return [];
    return (cell.textContent || "").split(",").map(function (v) { return v.trim(); }).filter(Boolean);
  }

  /** @param {Element} box */
  function setUp(box) {
    var table = box.querySelector("table");
    if (!table || box.querySelector(".cs-filter-bar")) return;
    var head = table.tHead && table.tHead.rows[0];
    var tbody = table.tBodies[0];
    if (!head || !tbody) return;
    var headers = Array.from(head.cells, function (th) { return (th.textContent || "").trim(); });
    var rows = Array.from(tbody.rows);
    var bar = document.createElement("div");
    bar.className = "cs-filter-bar";
    bar.setAttribute("role", "search");
    /** @type {HTMLSelectElement[]} */
    var selects = [];

    headers.forEach(function (name, col) {
      if (!box.hasAttribute("data-filter-" + name.toLowerCase())) return;
      /** @type {Record<string, boolean>} */
      var values = {};
      rows.forEach(function (row) { cellValues(row.cells[col]).forEach(function (v) { values[v] = true; }); });
      var label = document.createElement("label");
      label.textContent = name;
      var select = document.createElement("select");
      select.setAttribute("aria-label", "Filter by " + name);
      select.appendChild(new Option("All", ""));
      Object.keys(values).sort().forEach(function (v) { select.appendChild(new Option(v, v)); });
      select.dataset.column = String(col);
      label.appendChild(select);
      bar.appendChild(label);
      selects.push(select);
    });

    var textLabel = document.createElement("label");
    textLabel.textContent = "Text";
    var text = document.createElement("input");
    text.type = "search";
    text.placeholder = "Word in any column";
    text.setAttribute("aria-label", "Filter by text");
    textLabel.appendChild(text);
    bar.appendChild(textLabel);

    var reset = document.createElement("button");
    reset.type = "button";
    reset.textContent = "Clear";
    bar.appendChild(reset);

    var count = document.createElement("span");
    count.className = "cs-filter-count";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(count);

    function apply() {
      var words = text.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = selects.every(function (s) {
          return !s.value || cellValues(row.cells[Number(s.dataset.column)]).indexOf(s.value) >= 0;
        });
        if (ok && words) ok = row.textContent.toLowerCase().indexOf(words) >= 0;
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " playbooks";
    }

    selects.forEach(function (s) { s.addEventListener("change", apply); });
    text.addEventListener("input", apply);
    reset.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      text.value = "";
      apply();
    });
    box.insertBefore(bar, box.firstChild);
    apply();
  }

  function run() {
    document.querySelectorAll(".cs-filterable").forEach(setUp);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
