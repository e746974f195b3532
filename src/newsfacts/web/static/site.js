// Facets start folded on a phone (they would push the results a screen down) and
// open on wider screens. Without JavaScript they simply stay open.
(function () {
  "use strict";
  if (window.matchMedia("(max-width: 700px)").matches) {
    document.querySelectorAll("aside.facets details[open]").forEach(function (d) { d.open = false; });
  }
})();

// A table wider than the phone's screen would hide its last columns behind the
// edge: it is laid out as one block per row instead, each cell labelled with its
// column's heading. Tables that fit stay tables.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 700px)").matches) { return; }
  document.querySelectorAll("main table:not(.sortable)").forEach(function (table) {
    if (table.scrollWidth <= table.clientWidth + 1) { return; }
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (heads[i] && !td.hasAttribute("data-label")) { td.setAttribute("data-label", heads[i] + ": "); }
      });
    });
    table.classList.add("stacked");
  });
})();
