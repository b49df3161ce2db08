/* The network view: vis-network driven directly from the JSON the server embedded in the page.
   Data is only ever written with textContent (never innerHTML), tooltips are plain strings (vis-network
   shows a string title as text), and physics is switched off once stabilisation ends so large graphs
   stop moving and stay usable. */
(function () {
  "use strict";
  var dataElement = document.getElementById("net-data");
  var container = document.getElementById("net-canvas");
  if (!dataElement || !container || typeof vis === "undefined") { return; }
  var payload = JSON.parse(dataElement.textContent);
  var texts = payload.texts || {};
  var status = document.getElementById("net-status");
  var panel = document.getElementById("net-panel-body");
  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges.map(function (e, i) { e.id = i; return e; }));
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
  window.policygraphNetwork = network;  // for browser tests and the console

  function say(text) { if (status) { status.textContent = text; } }

  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    say(texts.net_stabilised || "");
  });
  network.once("afterDrawing", function () { if (!payload.options.physics || !payload.options.physics.enabled) { say(texts.net_stabilised || ""); } });

  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (className) { el.className = className; }
    return el;
  }

  function ownLink(url, text) {
    var a = element("a", text);
    // only links to our own pages: a relative path, never a scheme from the data
    if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") { a.setAttribute("href", url); }
    return a;
  }

  function clear() { while (panel.firstChild) { panel.removeChild(panel.firstChild); } }

  function show(node, data) {
    clear();
    panel.appendChild(element("h3", data.label));
    if (data.types && data.types.length) {
      var p = element("p");
      p.appendChild(element("strong", (texts.net_types || "") + ": "));
      p.appendChild(document.createTextNode(data.types.map(function (t) { return t.label; }).join(", ")));
      panel.appendChild(p);
    }
    if (data.hierarchy && data.hierarchy.length > 1) {
      var h = element("p");
      h.appendChild(element("strong", (texts.net_hierarchy || "") + ": "));
      h.appendChild(document.createTextNode(data.hierarchy.map(function (c) { return c.label; }).join(" › ")));
      panel.appendChild(h);
    }
    if (data.properties && data.properties.length) {
      panel.appendChild(element("h4", texts.net_properties));
      var dl = element("dl");
      data.properties.slice(0, 12).forEach(function (prop) {
        var shown = prop.values.filter(function (v) { return v.kind !== "blank"; }).slice(0, 4);
        if (!shown.length) { return; }
        dl.appendChild(element("dt", prop.label));
        shown.forEach(function (v) { dl.appendChild(element("dd", v.kind === "iri" ? v.label : v.value)); });
      });
      panel.appendChild(dl);
    }
    if (data.sources && data.sources.length) {
      panel.appendChild(element("h4", texts.net_sources));
      var ul = element("ul");
      data.sources.slice(0, 3).forEach(function (s) {
        ul.appendChild(element("li", [s.document, s.locator].filter(Boolean).join(", ")));
      });
      panel.appendChild(ul);
    }
    var more = element("p");
    more.appendChild(ownLink(node.url, texts.net_open_page));
    panel.appendChild(more);
  }

  network.on("click", function (params) {
    if (!params.nodes.length) { return; }
    var node = nodes.get(params.nodes[0]);
    clear();
    panel.appendChild(element("h3", node.fullLabel || node.label));
    panel.appendChild(element("p", texts.net_loading));
    fetch(node.json, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { show(node, data); })
      .catch(function () {
        clear();
        panel.appendChild(element("h3", node.fullLabel || node.label));
        panel.appendChild(element("p", texts.net_panel_error));
        var p = element("p"); p.appendChild(ownLink(node.url, texts.net_open_page)); panel.appendChild(p);
      });
  });

  var fit = document.getElementById("net-fit");
  if (fit) { fit.addEventListener("click", function () { network.fit(); }); }

  var png = document.getElementById("net-png");
  if (png) {
    png.addEventListener("click", function () {
      var canvas = container.querySelector("canvas");
      if (!canvas) { return; }
      // the drawing is transparent: paint it on white so the PNG reads on any background
      var copy = document.createElement("canvas");
      copy.width = canvas.width; copy.height = canvas.height;
      var ctx = copy.getContext("2d");
      ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, copy.width, copy.height);
      ctx.drawImage(canvas, 0, 0);
      var a = document.createElement("a");
      a.href = copy.toDataURL("image/png");
      a.download = "policygraph-network.png";
      document.body.appendChild(a); a.click(); document.body.removeChild(a);
    });
  }
})();
