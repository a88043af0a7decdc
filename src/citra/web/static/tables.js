/* citra: each cell of a table that holds buttons or forms (or is marked cards-on-phone) gets its column's header
   as data-label, so that on a phone (citra.css) such a table shows one row as a small card, buttons on screen,
   instead of scrolling them out of sight to the right. */
(function () {
  "use strict";

  function labelCells() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (!table.classList.contains("cards-on-phone") && !table.querySelector("td button, td form, td select")) {
        return;
      }
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return (th.textContent || "").trim();
      });
      table.classList.add("cards-on-phone");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
            cell.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", labelCells);
  } else {
    labelCells();
  }
})();
