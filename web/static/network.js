/* The network view: vis-network driven directly from the JSON the server embedded in the page (or, in
   the standalone file /network.html, in the file itself). Data is only ever written with textContent
   (never innerHTML) and tooltips are plain strings (vis-network shows a string title as text).
   The nodes come placed by the server (levels as columns, each plan a block: graph/explore/network_layout.py),
   with no physics, so the same filters draw the same picture, as in the PNG, the HTML file and the SVG.
   The first view fits everything unless that would draw labels too small to read: then it zooms in to
   readable labels from the plans' corner, and says so. */
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

  /* The smallest label size (CSS px) the first view may show: larger on a wide screen (a projector). */
  function readablePx() {
    var r = payload.readable || { minimum: 14, per_window_px: 0.01 };
    return Math.max(r.minimum, Math.round(window.innerWidth * r.per_window_px));
  }

  function fontSize() { return (payload.options.nodes && payload.options.nodes.font.size) || 16; }

  /* Fit, then zoom in if labels would be smaller than readablePx(); returns true if it zoomed in. */
  function readableView() {
    network.fit({ animation: false });
    var wanted = readablePx() / fontSize();
    if (network.getScale() >= wanted) { return false; }
    var positions = network.getPositions();
    var ids = Object.keys(positions);
    if (!ids.length) { return false; }
    var minX = Infinity, minY = Infinity;
    ids.forEach(function (id) { minX = Math.min(minX, positions[id].x); minY = Math.min(minY, positions[id].y); });
    var margin = 40 / wanted;
    // a focus sits in the middle of its plan's block: show that block, from the plans' column
    var focus = nodes.get({ filter: function (n) { return n.focus === true; } })[0];
    var y = focus ? positions[focus.id].y : minY - margin + container.clientHeight / 2 / wanted;
    network.moveTo({ scale: wanted, animation: false,
      position: { x: minX - margin * 3 + container.clientWidth / 2 / wanted, y: y } });
    return true;
  }

  var ready = false;
  function drawn() {
    if (ready) { return; }
    ready = true;
    var zoomed = readableView();
    say((texts.net_stabilised || "") + (zoomed ? " " + (texts.net_zoomed || "") : ""));
    window.policygraphNetworkReady = true;
  }
  network.on("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); drawn(); });
  network.once("afterDrawing", function () {
    if (!payload.options.physics || !payload.options.physics.enabled) { drawn(); }
  });

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

  function fact(label, value) {
    var p = element("p");
    p.appendChild(element("strong", label + ": "));
    p.appendChild(document.createTextNode(value));
    return p;
  }

  /* What the drawing itself knows of a node: its full label, kind and short name (the standalone file
     has nothing more; the page shows it at once, before its details arrive). */
  function showLocal(node) {
    clear();
    panel.appendChild(element("h3", node.fullLabel || node.label));
    if (node.kind) { panel.appendChild(fact(texts.net_kind || "", node.kind)); }
    if (node.findings && node.findings.length && node.findingWords) {
      panel.appendChild(fact(texts.net_findings || "", node.findingWords.join(", ")));
    }
    if (node.short) { panel.appendChild(fact(texts.net_iri || "", node.short)); }
  }

  /* A text in the other of Danish and English than the page's: its own lang, and "(in Danish)" after it. */
  var pageLang = document.documentElement.lang;
  function inLanguage(el, language) {
    if ((language === "da" || language === "en") && language !== pageLang) {
      el.setAttribute("lang", language);
      var wrap = element("span");
      wrap.appendChild(el);
      wrap.appendChild(document.createTextNode(" "));
      var mark = element("span", texts["res_in_" + language], "lang-mark");
      mark.setAttribute("lang", pageLang);
      wrap.appendChild(mark);
      return wrap;
    }
    return el;
  }

  function show(node, data) {
    clear();
    var heading = element("h3");
    heading.appendChild(inLanguage(element("span", data.label), data.label_language));
    panel.appendChild(heading);
    if (data.types && data.types.length) {
      panel.appendChild(fact(texts.net_types || "", data.types.map(function (t) { return t.label; }).join(", ")));
    }
    if (data.hierarchy && data.hierarchy.length > 1) {
      panel.appendChild(fact(texts.net_hierarchy || "", data.hierarchy.map(function (c) { return c.label; }).join(" › ")));
    }
    if (data.properties && data.properties.length) {
      panel.appendChild(element("h4", texts.net_properties));
      var dl = element("dl");
      data.properties.slice(0, 12).forEach(function (prop) {
        var shown = prop.values.filter(function (v) { return v.kind !== "blank"; }).slice(0, 4);
        if (!shown.length) { return; }
        dl.appendChild(element("dt", prop.label));
        shown.forEach(function (v) {
          var dd = element("dd");
          dd.appendChild(inLanguage(element("span", v.kind === "iri" ? v.label : v.value), v.language));
          dl.appendChild(dd);
        });
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
    showLocal(node);
    if (payload.standalone || !node.json) { return; }
    panel.appendChild(element("p", texts.net_loading));
    fetch(node.json, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { show(node, data); })
      .catch(function () {
        showLocal(node);
        panel.appendChild(element("p", texts.net_panel_error));
        var p = element("p"); p.appendChild(ownLink(node.url, texts.net_open_page)); panel.appendChild(p);
      });
  });

  var fit = document.getElementById("net-fit");
  if (fit) { fit.addEventListener("click", function () { network.fit(); }); }
  var readable = document.getElementById("net-readable");
  if (readable) { readable.addEventListener("click", function () { readableView(); }); }

  /* The view as a PNG for a slide: drawn again on a canvas at least twice as large (and 2400 px wide)
     at the same place, so labels stay sharp when the slide is projected; on white, not transparent. */
  function savePng() {
    var width = container.clientWidth, height = container.clientHeight;
    var factor = Math.max(2, Math.ceil(2400 / Math.max(width, 1)));
    var scale = network.getScale(), centre = network.getViewPosition();
    var style = { width: container.style.width, height: container.style.height };
    container.style.width = width * factor + "px"; container.style.height = height * factor + "px";
    network.setSize(width * factor + "px", height * factor + "px");
    network.moveTo({ position: centre, scale: scale * factor, animation: false });
    network.redraw();
    var canvas = container.querySelector("canvas");
    var copy = document.createElement("canvas");
    copy.width = canvas.width; copy.height = canvas.height;
    var ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(canvas, 0, 0);
    container.style.width = style.width; container.style.height = style.height;
    network.setSize("100%", "100%");
    network.moveTo({ position: centre, scale: scale, animation: false });
    window.policygraphLastPng = { width: copy.width, height: copy.height };  // for browser tests
    var a = document.createElement("a");
    a.href = copy.toDataURL("image/png");
    a.download = "policygraph-network.png";
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
  }
  var png = document.getElementById("net-png");
  if (png) { png.addEventListener("click", savePng); }
})();
