/* kg graph view. Every piece of statement text reaches the DOM through textContent, never as markup;
   vis-network draws labels on a canvas and is given no HTML titles. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var GLYPH = { dot: "\u25CF", hexagon: "\u2B22", square: "\u25A0", triangle: "\u25B2", triangleDown: "\u25BC",
                star: "\u2605", diamond: "\u25C6" };
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
                 "#bab0ac", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                 "#bcbd22", "#7f7f7f"];
  var big = !D.physics;
  var container = document.getElementById("kg-network");
  var details = document.getElementById("kg-details");
  var tooltip = document.getElementById("kg-tooltip");
  var status = document.getElementById("kg-status");
  var state = { types: D.classes.map(function () { return true; }), doc: -1, size: D.size, colour: D.colour };
  var incident = D.nodes.map(function () { return []; });
  D.edges.forEach(function (e) { incident[e.from].push(e.id); if (e.to !== e.from) incident[e.to].push(e.id); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clip(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ------------------------------------------------------------------ drawing
  function range(key) {
    var lo = Infinity, hi = -Infinity;
    D.nodes.forEach(function (n) { lo = Math.min(lo, n[key]); hi = Math.max(hi, n[key]); });
    return [lo, hi];
  }
  var ranges = { degree: range("deg"), pagerank: range("pr") };
  function nodeSize(n) {
    var r = ranges[state.size], v = state.size === "pagerank" ? n.pr : n.deg;
    return r[1] > r[0] ? 9 + 27 * Math.sqrt((v - r[0]) / (r[1] - r[0])) : 14;
  }
  function nodeColour(n) { return state.colour === "community" ? PALETTE[n.com % PALETTE.length] : D.classes[n.cls].color; }
  function visNode(n) {
    var c = nodeColour(n);
    var item = { id: n.id, label: clip(n.label, 40), shape: D.classes[n.cls].shape, size: nodeSize(n),
                 color: { background: c, border: big ? c : "#3d4b57", highlight: { background: c, border: "#000" },
                          hover: { background: c, border: "#000" } } };
    if (big) { item.x = n.x; item.y = n.y; }
    return item;
  }
  function visEdge(e) {
    var soft = e.facts.length > 0 && e.facts.every(function (f) { return f[4] !== 0; });
    var item = { id: e.id, from: e.from, to: e.to, label: clip(e.label, 30), dashes: soft,
                 color: e.facts.length ? { color: "#8d99a6", highlight: "#1f3b57", hover: "#1f3b57" }
                                       : { color: "#c9ced3", highlight: "#1f3b57", hover: "#1f3b57" } };
    if (e.k > 0) item.smooth = { enabled: true, type: e.k % 2 ? "curvedCW" : "curvedCCW", roundness: 0.15 + 0.15 * Math.floor((e.k - 1) / 2) };
    return item;
  }
  var nodeShown = [], edgeShown = [];
  function computeVisible() {
    D.nodes.forEach(function (n) { nodeShown[n.id] = state.types[n.cls] && (state.doc < 0 || n.docs.indexOf(state.doc) >= 0); });
    D.edges.forEach(function (e) {
      edgeShown[e.id] = nodeShown[e.from] && nodeShown[e.to] && (state.doc < 0 || !e.docs.length || e.docs.indexOf(state.doc) >= 0);
    });
  }
  computeVisible();
  var nodes = new vis.DataSet(D.nodes.map(visNode));
  var edges = new vis.DataSet(D.edges.map(visEdge));
  var nodeView = new vis.DataView(nodes, { filter: function (item) { return nodeShown[item.id]; } });
  var edgeView = new vis.DataView(edges, { filter: function (item) { return edgeShown[item.id]; } });
  var options = {
    autoResize: true,
    nodes: { borderWidth: 1, font: { size: 13, color: "#1d2730", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { width: 1, arrows: { to: { enabled: true, scaleFactor: 0.45 } }, smooth: false,
             font: { size: 10, color: "#56606a", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" } },
    interaction: { hover: true, tooltipDelay: 100, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false },
    layout: { randomSeed: 7, improvedLayout: D.nodes.length <= 100 },
    physics: big ? false : { solver: "forceAtlas2Based",
                             forceAtlas2Based: { gravitationalConstant: -80, springLength: 110, avoidOverlap: 0.4 },
                             stabilization: { iterations: 400, fit: true } }
  };
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); });
  window.kgView = { network: network, nodes: nodes, edges: edges, data: D, readyAt: null,
                    drawnNodes: function () { return network.body.nodeIndices.length; },
                    drawnEdges: function () { return network.body.edgeIndices.length; },
                    select: function (id) { pick(id); } };
  network.once("afterDrawing", function () {
    window.kgView.readyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
    if (D.focus >= 0) pick(D.focus);
  });

  function refresh() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    var n = nodeShown.filter(Boolean).length, m = edgeShown.filter(Boolean).length;
    status.textContent = (n === D.nodes.length ? plural(n, "node") : n + " of " + plural(D.nodes.length, "node")) + " \u00B7 " + plural(m, "edge");
  }
  function restyle() { nodes.update(D.nodes.map(function (n) { var v = visNode(n); delete v.x; delete v.y; return v; })); }

  // ------------------------------------------------------------------ details
  function typeBadge(n) {
    var b = el("span", "type", D.classes[n.cls].label);
    b.style.background = D.classes[n.cls].color;
    return b;
  }
  function nodeButton(id) {
    var b = el("button", null, D.nodes[id].label);
    b.type = "button";
    b.addEventListener("click", function () { pick(id); });
    return b;
  }
  function evidence(f) {
    var box = el("div", "evidence");
    box.appendChild(el("blockquote", null, D.sentences[f[0]]));
    var doc = D.docs[f[1]], src = [];
    if (doc) { src.push(doc.title || doc.id); if (doc.date) src.push(doc.date); }
    if (f[2] >= 0) src.push("characters " + f[2] + "\u2013" + f[3]);
    var line = el("div", "source", src.join(" \u00B7 "));
    if (f[4] & 1) line.appendChild(el("span", "flag", "negated"));
    if (f[4] & 2) line.appendChild(el("span", "flag", "possible"));
    if (f[5] >= 0) line.appendChild(el("span", "flag", "said by " + D.nodes[f[5]].label));
    if (f[6].length) line.appendChild(el("span", "flag", f[6].join(", ")));
    box.appendChild(line);
    return box;
  }
  function edgeBlock(e) {
    var box = el("div", "fact"), t = el("div", "triple");
    t.appendChild(nodeButton(e.from));
    t.appendChild(el("span", "pred", " " + e.label + " "));
    t.appendChild(nodeButton(e.to));
    box.appendChild(t);
    if (!e.facts.length) box.appendChild(el("div", "source", "link in the graph (" + e.prop + ")"));
    e.facts.forEach(function (f) { box.appendChild(evidence(f)); });
    return box;
  }
  function clear() { while (details.firstChild) details.removeChild(details.firstChild); details.scrollTop = 0; }
  function showNode(id) {
    var n = D.nodes[id];
    clear();
    details.appendChild(el("h3", null, n.label));
    details.appendChild(typeBadge(n));
    details.appendChild(el("p", "iri", n.iri));
    if (n.aliases.length) details.appendChild(el("p", "aliases", "Also: " + n.aliases.join("; ")));
    n.attrs.forEach(function (a) {
      var box = el("div", "fact");
      box.appendChild(el("div", "triple", a[0] + ": " + a[1]));
      box.appendChild(evidence(a[2]));
      details.appendChild(box);
    });
    var list = incident[id];
    details.appendChild(el("h2", null, plural(list.length, "link")));
    list.slice(0, 150).forEach(function (eid) { details.appendChild(edgeBlock(D.edges[eid])); });
    if (list.length > 150) details.appendChild(el("p", "hint", "\u2026 and " + (list.length - 150) + " more"));
  }
  function showEdge(eid) {
    var e = D.edges[eid];
    clear();
    details.appendChild(el("h3", null, D.nodes[e.from].label + " \u2192 " + D.nodes[e.to].label));
    details.appendChild(el("p", "iri", e.prop));
    details.appendChild(el("h2", null, plural(e.facts.length, "fact")));
    details.appendChild(edgeBlock(e));
  }
  function pick(id) {
    if (!nodeShown[id]) { state.types = state.types.map(function () { return true; }); state.doc = -1; syncControls(); refresh(); }
    network.selectNodes([id]);
    if (big) network.focus(id, { scale: 1.2, animation: false });
    showNode(id);
  }
  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });

  // ------------------------------------------------------------------ tooltip
  function tip(p, fill) {
    while (tooltip.firstChild) tooltip.removeChild(tooltip.firstChild);
    fill();
    var box = container.getBoundingClientRect();
    tooltip.style.left = Math.min(box.left + p.pointer.DOM.x + 14, window.innerWidth - 390) + "px";
    tooltip.style.top = (box.top + p.pointer.DOM.y + 14) + "px";
    tooltip.hidden = false;
  }
  network.on("hoverNode", function (p) {
    var n = D.nodes[p.node];
    tip(p, function () {
      tooltip.appendChild(el("b", null, n.label));
      tooltip.appendChild(el("div", null, D.classes[n.cls].label + " \u00B7 " + plural(incident[n.id].length, "link")));
      tooltip.appendChild(el("div", "iri", n.iri));
    });
  });
  network.on("hoverEdge", function (p) {
    var e = D.edges[p.edge];
    tip(p, function () {
      tooltip.appendChild(el("b", null, D.nodes[e.from].label + " \u2014 " + e.label + " \u2192 " + D.nodes[e.to].label));
      tooltip.appendChild(el("div", "iri", e.prop));
      e.facts.slice(0, 2).forEach(function (f) {
        var doc = D.docs[f[1]];
        tooltip.appendChild(el("q", null, clip(D.sentences[f[0]], 240)));
        if (doc) tooltip.appendChild(el("div", "iri", doc.title + (doc.date ? " \u00B7 " + doc.date : "")));
      });
      if (e.facts.length > 2) tooltip.appendChild(el("div", null, "+ " + (e.facts.length - 2) + " more (click)"));
    });
  });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) { network.on(ev, function () { tooltip.hidden = true; }); });

  // ------------------------------------------------------------------ controls
  var typeList = document.getElementById("kg-types"), boxes = [];
  D.classes.forEach(function (c, i) {
    var li = el("li"), label = el("label"), box = el("input"), glyph = el("span", "glyph", GLYPH[c.shape] || "\u25CF");
    box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { state.types[i] = box.checked; refresh(); });
    glyph.style.color = c.color;
    label.appendChild(box); label.appendChild(glyph); label.appendChild(el("span", null, c.label));
    label.appendChild(el("span", "count", D.nodes.filter(function (n) { return n.cls === i; }).length));
    li.appendChild(label); typeList.appendChild(li); boxes.push(box);
  });
  var docSelect = document.getElementById("kg-doc");
  D.docs.forEach(function (d, i) {
    var o = el("option", null, clip((d.date ? d.date + " \u00B7 " : "") + (d.title || d.id), 70));
    o.value = String(i); docSelect.appendChild(o);
  });
  docSelect.addEventListener("change", function () { state.doc = parseInt(docSelect.value, 10); refresh(); });
  var sizeSelect = document.getElementById("kg-size"), colourSelect = document.getElementById("kg-colour");
  sizeSelect.addEventListener("change", function () { state.size = sizeSelect.value; restyle(); });
  colourSelect.addEventListener("change", function () { state.colour = colourSelect.value; restyle(); });
  function syncControls() {
    boxes.forEach(function (b, i) { b.checked = state.types[i]; });
    docSelect.value = String(state.doc); sizeSelect.value = state.size; colourSelect.value = state.colour;
  }
  syncControls();

  var search = document.getElementById("kg-search"), datalist = document.getElementById("kg-labels");
  setTimeout(function () {  // after the first draw: thousands of options need not delay it
    // a Set, not an object: labels such as "constructor" or "__proto__" are not inherited keys
    var seen = new Set(), frag = document.createDocumentFragment();
    D.nodes.forEach(function (n) { if (!seen.has(n.label)) { seen.add(n.label); var o = el("option"); o.value = n.label; frag.appendChild(o); } });
    datalist.appendChild(frag);
  }, 0);
  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) return -1;
    var tests = [function (n) { return n.label.toLowerCase() === q; },
                 function (n) { return n.aliases.some(function (a) { return a.toLowerCase() === q; }); },
                 function (n) { return n.label.toLowerCase().indexOf(q) === 0; },
                 function (n) { return n.label.toLowerCase().indexOf(q) >= 0 || n.iri.toLowerCase() === q; }];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < D.nodes.length; i++) if (tests[t](D.nodes[i])) return i;
    }
    return -1;
  }
  function go() {
    var id = find(search.value);
    if (id < 0) { status.textContent = "no entity matches \u201C" + clip(search.value, 40) + "\u201D"; return; }
    pick(id);
  }
  search.addEventListener("change", go);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") go(); });
  refresh();
})();
