/* mkdocs-seml-plugin: a filter box and sortable columns for every seml table. */
(function () {
  "use strict";

  function cellText(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var badges = cell.querySelectorAll("[aria-label]");
    if (badges.length) {
      return Array.prototype.map.call(badges, function (b) { return b.getAttribute("aria-label"); }).join(" ");
    }
    return cell.textContent.trim();
  }

  // What the filter searches: the text and the badges' names ("must-read", "scientific").
  function rowText(row) {
    var labels = Array.prototype.map.call(row.querySelectorAll("[aria-label]"), function (b) {
      return b.getAttribute("aria-label");
    });
    return (row.textContent + " " + labels.join(" ")).toLowerCase();
  }

  function makeSortable(table) {
    var body = table.tBodies[0];
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(body.rows, function (row, i) { row.dataset.semlIndex = String(i); });
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "seml-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var order = cellText(a, column).localeCompare(cellText(b, column), undefined, { sensitivity: "base", numeric: true });
          if (!ascending) order = -order;
          return order || Number(a.dataset.semlIndex) - Number(b.dataset.semlIndex);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function makeFilterable(wrapper, table) {
    var rows = table.tBodies[0].rows;
    var box = document.createElement("div");
    box.className = "seml-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter links";
    input.setAttribute("aria-label", "Filter links");
    var status = document.createElement("span");
    status.className = "seml-status";
    status.setAttribute("aria-live", "polite");
    box.appendChild(input);
    box.appendChild(status);
    wrapper.insertBefore(box, wrapper.firstChild);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var text = rowText(row);
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = words.length ? shown + " of " + rows.length : "";
    });
  }

  function init() {
    document.querySelectorAll(".seml-table:not([data-seml-ready])").forEach(function (wrapper) {
      var table = wrapper.querySelector("table");
      if (!table || !table.tBodies.length) return;
      wrapper.setAttribute("data-seml-ready", "");
      makeSortable(table);
      makeFilterable(wrapper, table);
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init); // Material's instant navigation swaps pages without a load
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
