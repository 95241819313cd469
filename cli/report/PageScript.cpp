// The page's script, small and written by hand (no library): it renders the subjects table from
// the embedded results a page at a time (each cell's text the CSV cell, shown as people read it)
// (or every row: showAll(), printing), sorts it by any column (a button in each <th>, so the
// keyboard works), filters it by key, draws each score as a bar of its weighted components and
// marks the cells behind a check's violation. No `//` in it: the page carries no text a test could
// mistake for a URL. Keys and column names are data: every lookup by them is a Map, so a subject
// called `__proto__` or `toString` is a subject like any other.
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

  var columnIndex = new Map();
  columns.forEach(function (name, i) { columnIndex.set(name, i); });
  var scores = new Map();
  shape.scores.forEach(function (score) { scores.set(score.name, score); });
  var violations = new Map(shape.violations);

  /* A cell's number, or NaN: CSV writes numbers bare and missing values empty. */
  function numeric(text) { return text === "" ? NaN : Number(text); }

  /* Numbers or text by the column's kind (the key is text), never by what a cell looks like:
     a text "0x10" sorts as text, not as 16. Missing values last either way. */
  function compare(column, direction) {
    var byNumber = column > 0 && shape.numeric[column - 1];
    return function (a, b) {
      var x = rows[a][column], y = rows[b][column];
      if (x === "" || y === "") { return x === y ? a - b : (x === "" ? 1 : -1); }
      var c = byNumber ? numeric(x) - numeric(y) : (x < y ? -1 : (x > y ? 1 : 0));
      return c !== 0 ? c * direction : a - b;
    };
  }

  function scoreBar(score, row) {
    var bar = document.createElement("span");
    bar.className = "bar";
    bar.setAttribute("aria-hidden", "true");
    /* No score, no bar: an empty, dashed box, as the cell's value is `-` (its components alone
       would draw a bar for a score the run does not have). */
    if (isNaN(numeric(row[columnIndex.get(score.name)]))) {
      bar.className = "bar no-score";
      bar.title = score.name + ": no score";
      return bar;
    }
    score.components.forEach(function (component, i) {
      var at = columnIndex.get(component[0]);
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
    var violated = new Map(), notes = [];
    (violations.get(row[0]) || []).forEach(function (v) {
      notes.push(v.check + ": " + v.text);
      v.columns.forEach(function (name) {
        violated.set(name, (violated.get(name) || []).concat(v.check + ": " + v.text));
      });
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
      if (scores.has(columns[c])) { td.appendChild(scoreBar(scores.get(columns[c]), row)); }
      if (violated.has(columns[c])) {
        td.className += " violated";
        td.title = violated.get(columns[c]).join("\n");
        td.setAttribute("data-violation", violated.get(columns[c]).join("\n"));
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
  /* Printing shows everything: every row, and every <details> (the tables behind the charts)
     opened, since a closed one prints only its summary; afterwards the page is as it was. */
  var beforePrint = null;
  window.addEventListener("beforeprint", function () {
    if (beforePrint) { return; }
    var closed = Array.prototype.filter.call(document.querySelectorAll("details"),
      function (d) { return !d.open; });
    beforePrint = { everyRow: everyRow, closed: closed };
    closed.forEach(function (d) { d.open = true; });
    everyRow = true;
    render();
  });
  window.addEventListener("afterprint", function () {
    if (!beforePrint) { return; }
    beforePrint.closed.forEach(function (d) { d.open = false; });
    everyRow = beforePrint.everyRow;
    beforePrint = null;
    render();
  });

  render();
  window.fulcrumReport = {
    renderMillis: performance.now() - started,
    showAll: function () { everyRow = true; render(); },
    rowCount: function () { return shown.length; }
  };
})();
)JS";

} // namespace fulcrum::cli::report
