// Facets start folded on a phone (they would push the results a screen down) and
// open on wider screens. Without JavaScript they simply stay open.
(function () {
  "use strict";
  if (window.matchMedia("(max-width: 700px)").matches) {
    document.querySelectorAll("aside.facets details[open]").forEach(function (d) { d.open = false; });
  }
})();
