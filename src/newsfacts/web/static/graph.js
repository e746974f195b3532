// The meeting graph: a force-directed layout (cytoscape's "cose") of who met whom.
// Labels are drawn whole beside their node and the view is fitted to nodes *and*
// labels, so no name is cut; wheel or pinch zooms, a tap on a participant lights
// up their meetings, and the filters hide types, rare participants or find a name.
// The data comes from the page (#graph-data), never from another site.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  var dataNode = document.getElementById("graph-data");
  if (!box || !dataNode || typeof cytoscape === "undefined") return;
  var data = JSON.parse(dataNode.textContent);
  var colors = { person: "#7a3e9d", organization: "#9d5b1f", location: "#1f7a4d" };
  var top = Math.max.apply(null, data.nodes.map(function (n) { return n.degree; }).concat([1]));
  var phone = window.matchMedia("(max-width: 700px)").matches;

  var elements = data.nodes.map(function (n) {
    return { group: "nodes", data: { id: n.key, name: n.name, type: n.type, degree: n.degree,
      href: n.href, size: 14 + 22 * n.degree / top } };
  }).concat(data.edges.map(function (e, i) {
    return { group: "edges", data: { id: "e" + i, source: e.source, target: e.target,
      count: e.count, width: Math.min(1 + e.count, 7) } };
  }));

  var cy = cytoscape({
    container: box,
    elements: elements,
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        "background-color": function (n) { return colors[n.data("type")] || "#667"; },
        width: "data(size)", height: "data(size)",
        label: "data(name)", "font-size": phone ? 11 : 12, color: "#1d232a",
        "text-wrap": "wrap", "text-max-width": phone ? 90 : 140,
        "text-valign": "bottom", "text-margin-y": 3,
        "text-background-color": "#fff", "text-background-opacity": 0.8,
        "text-background-padding": 1, "border-color": "#fff", "border-width": 1.5 } },
      { selector: "edge", style: {
        width: "data(width)", "line-color": "#9aa7b3", opacity: 0.75, "curve-style": "straight" } },
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: "edge.on", style: { "line-color": "#d0542c", opacity: 1 } },
      { selector: "node.on", style: { "border-color": "#d0542c", "border-width": 3 } },
      { selector: "node.found", style: { "border-color": "#1f5f99", "border-width": 4 } }
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 9000; },
      idealEdgeLength: function () { return phone ? 70 : 110; }, padding: 24, nodeDimensionsIncludeLabels: true }
  });
  window.meetingGraph = cy; // for the browser tests

  var info = document.getElementById("graph-info");
  function focus(node) {
    cy.elements().removeClass("on faded");
    if (!node) { info.textContent = ""; return; }
    var hood = node.closedNeighborhood();
    cy.elements().not(hood).addClass("faded");
    node.connectedEdges().addClass("on");
    node.addClass("on");
    info.innerHTML = "";
    var strong = document.createElement("strong");
    strong.textContent = node.data("name");
    var link = document.createElement("a");
    link.href = node.data("href");
    link.textContent = "страница участника";
    info.append(strong, " — встреч: " + node.data("degree") + ", с кем: " +
      node.neighborhood("node").map(function (n) { return n.data("name"); }).join(", ") + " · ", link);
  }
  cy.on("tap", "node", function (evt) { focus(evt.target); });
  cy.on("mouseover", "node", function (evt) { if (!phone) focus(evt.target); });
  cy.on("tap", function (evt) { if (evt.target === cy) focus(null); });
  cy.on("dbltap", "node", function (evt) { window.location.href = evt.target.data("href"); });

  var tools = document.getElementById("graph-tools");
  tools.hidden = false;
  function applyFilters() {
    var shown = {};
    tools.querySelectorAll("input[name=show]").forEach(function (c) { shown[c.value] = c.checked; });
    var min = parseInt(document.getElementById("min-degree").value, 10) || 1;
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        n.style("display", shown[n.data("type")] && n.data("degree") >= min ? "element" : "none");
      });
    });
  }
  tools.addEventListener("change", applyFilters);
  document.getElementById("min-degree").addEventListener("input", applyFilters);
  document.getElementById("find-node").addEventListener("input", function (evt) {
    var q = evt.target.value.trim().toLowerCase();
    cy.nodes().removeClass("found");
    if (!q) return;
    var hits = cy.nodes().filter(function (n) { return n.data("name").toLowerCase().indexOf(q) >= 0; });
    hits.addClass("found");
    if (hits.length === 1) { focus(hits[0]); cy.animate({ center: { eles: hits }, duration: 200 }); }
  });
  tools.querySelectorAll("button[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      var how = b.dataset.zoom;
      if (how === "fit") { cy.fit(cy.elements(":visible"), 24); return; }
      var level = cy.zoom() * (how === "in" ? 1.3 : 1 / 1.3);
      cy.zoom({ level: level, renderedPosition: { x: box.clientWidth / 2, y: box.clientHeight / 2 } });
    });
  });
  cy.fit(undefined, 24);
})();
