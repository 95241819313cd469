// The page's script, small and written by hand (no library): it renders the subjects table from
// the embedded results a page at a time (each cell's text the CSV cell, shown as people read it)
// (or every row: showAll(), printing), sorts it by any column (a button in each <th>, so the
// keyboard works), filters it by key, draws each score as a bar of its weighted components and
// marks the cells behind a check's violation. No `//` in it: the page carries no text a test could
// mistake for a URL.
#include "cli/report/Page.h"

namespace fulcrum::cli::report {

const char* const kPageScript = R"JS((function () {
  "use strict";
  var started = performance.now();
  var results = JSON.parse(document.getElementById("fulcrum-results").textContent);
  var shape = JSON.parse(document.getElementById("fulcrum-shape").textContent);
  var shownCells = JSON.parse(document.getElementById("fulcrum-shown").textContent);
  var columns = results.columns, rows = results.rows;
  var table = document.getElementById("subjects");
  var body = table.tBodies[0];
  var filterBox = document.getElementById("subject-filter");
  var status = document.getElementById("page-status");
  var prev = document.getElementById("page-prev"), next = document.getElementById("page-next");
  var pageSize = 100, page = 0, everyRow = false, filter = "";
  var order = rows.map(function (row, i) { return i; });
  var shown = order;

  var columnIndex = {};
  columns.forEach(function (name, i) { columnIndex[name] = i; });
  var scores = {};
  shape.scores.forEach(function (score) { scores[score.name] = score; });

  /* A cell's number, or NaN: CSV writes numbers bare and missing values empty. */
  function numeric(text) { return text === "" ? NaN : Number(text); }

  function compare(column, direction) {
    return function (a, b) {
      var x = rows[a][column], y = rows[b][column];
      if (x === "" || y === "") { return x === y ? a - b : (x === "" ? 1 : -1); }
      var nx = numeric(x), ny = numeric(y), c;
      if (!isNaN(nx) && !isNaN(ny)) { c = nx - ny; }
      else { c = x < y ? -1 : (x > y ? 1 : 0); }
      return c !== 0 ? c * direction : a - b;
    };
  }

  function scoreBar(score, row) {
    var bar = document.createElement("span");
    bar.className = "bar";
    bar.setAttribute("aria-hidden", "true");
    score.components.forEach(function (component, i) {
      var at = columnIndex[component[0]];
      var value = at === undefined ? NaN : numeric(row[at]);
      if (isNaN(value)) { return; }
      var part = document.createElement("span");
      part.className = "seg" + (i % 6);
      part.style.width = (Math.max(0, Math.min(1, value)) * component[1] * 100) + "%";
      part.title = component[0] + " " + row[at];
      bar.appendChild(part);
    });
    return bar;
  }

  function rowElement(index) {
    var row = rows[index];
    var tr = document.createElement("tr");
    tr.setAttribute("data-subject", row[0]);
    var key = document.createElement("th");
    key.scope = "row";
    key.textContent = row[0];
    tr.appendChild(key);
    var violated = {}, notes = [];
    (shape.violations[row[0]] || []).forEach(function (v) {
      notes.push(v.check + ": " + v.text);
      v.columns.forEach(function (name) { violated[name] = (violated[name] || []).concat(v.check + ": " + v.text); });
    });
    if (notes.length) { tr.className = "has-violation"; key.title = notes.join("\n"); }
    for (var c = 1; c < columns.length; ++c) {
      var td = document.createElement("td");
      td.setAttribute("data-output", columns[c]);
      /* The text is the CSV cell (what a test reads); people see the value as the table format
         shows it, drawn from data-shown by the stylesheet. */
      td.setAttribute("data-shown", shownCells[index][c - 1]);
      if (shape.numeric[c - 1]) { td.className = "number"; }
      var text = document.createElement("span");
      text.className = "csv";
      text.setAttribute("aria-hidden", "true");
      text.textContent = row[c];
      td.appendChild(text);
      if (scores[columns[c]]) { td.appendChild(scoreBar(scores[columns[c]], row)); }
      if (violated[columns[c]]) {
        td.className += " violated";
        td.title = violated[columns[c]].join("\n");
        td.setAttribute("data-violation", violated[columns[c]].join("\n"));
      }
      tr.appendChild(td);
    }
    return tr;
  }

  function render() {
    var needle = filter.toLowerCase();
    shown = needle === "" ? order : order.filter(function (i) {
      return rows[i][0].toLowerCase().indexOf(needle) !== -1;
    });
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    page = Math.min(page, pages - 1);
    var from = everyRow ? 0 : page * pageSize;
    var to = everyRow ? shown.length : Math.min(shown.length, from + pageSize);
    var fragment = document.createDocumentFragment();
    for (var i = from; i < to; ++i) { fragment.appendChild(rowElement(shown[i])); }
    body.replaceChildren(fragment);
    status.textContent = shown.length === 0 ? "no subject matches" :
      "rows " + (from + 1) + " to " + to + " of " + shown.length;
    prev.disabled = everyRow || page === 0;
    next.disabled = everyRow || to >= shown.length;
  }

  var sortedBy = -1, direction = 1;
  Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-sort]"), function (button) {
    button.addEventListener("click", function () {
      var column = Number(button.getAttribute("data-sort"));
      direction = sortedBy === column ? -direction : 1;
      sortedBy = column;
      order = rows.map(function (row, i) { return i; }).sort(compare(column, direction));
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
        if (i === column) { th.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending"); }
        else { th.removeAttribute("aria-sort"); }
      });
      page = 0;
      render();
    });
  });
  filterBox.addEventListener("input", function () { filter = filterBox.value; page = 0; render(); });
  prev.addEventListener("click", function () { page = Math.max(0, page - 1); render(); });
  next.addEventListener("click", function () { page += 1; render(); });
  window.addEventListener("beforeprint", function () { everyRow = true; render(); });

  render();
  window.fulcrumReport = {
    renderMillis: performance.now() - started,
    showAll: function () { everyRow = true; render(); },
    rowCount: function () { return shown.length; }
  };
})();
)JS";

} // namespace fulcrum::cli::report
