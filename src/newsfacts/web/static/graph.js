// Hovering a participant in the meeting graph highlights their meetings and dims
// everyone they did not meet: with dozens of crossing lines that is the only way to
// read one person's contacts. Plain DOM, no library.
(function () {
  "use strict";
  var svg = document.getElementById("graph");
  if (!svg) return;
  var edges = Array.prototype.slice.call(svg.querySelectorAll("line.edge"));
  var nodes = Array.prototype.slice.call(svg.querySelectorAll("a.node"));
  function focus(key) {
    var met = {};
    met[key] = true;
    edges.forEach(function (e) {
      var on = e.dataset.a === key || e.dataset.b === key;
      e.classList.toggle("on", on);
      if (on) { met[e.dataset.a] = true; met[e.dataset.b] = true; }
    });
    nodes.forEach(function (n) { n.classList.toggle("dim", !met[n.dataset.key]); });
  }
  function clear() {
    edges.forEach(function (e) { e.classList.remove("on"); });
    nodes.forEach(function (n) { n.classList.remove("dim"); });
  }
  nodes.forEach(function (n) {
    n.addEventListener("mouseenter", function () { focus(n.dataset.key); });
    n.addEventListener("focus", function () { focus(n.dataset.key); });
    n.addEventListener("mouseleave", clear);
    n.addEventListener("blur", clear);
  });
})();
