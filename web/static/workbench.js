/* The SPARQL workbench: YASGUI pointed at our own /sparql, offline.
 *
 * - Every tab asks this server's endpoint (never DBpedia, YASGUI's default).
 * - YASGUI's remote autocompleters are left off: LOV (properties, classes) and prefix.cc (prefixes)
 *   are replaced by forks that complete from lists the server embeds in the page (our ontology,
 *   the query library and our prefixes), so typing makes no third-party request.
 * - Library questions open as tabs; a ?query= URL opens its query in a tab.
 * The plain form and the server-rendered table below the editor stay usable without this script.
 */
(function () {
  "use strict";
  var configEl = document.getElementById("workbench-config");
  var mount = document.getElementById("yasgui");
  if (!configEl || !mount || typeof window.Yasgui === "undefined") return;
  var config = JSON.parse(configEl.textContent);
  var Yasgui = window.Yasgui;
  var Yasqe = Yasgui.Yasqe;

  function matching(list, token) {
    var wanted = (token.autocompletionString || "").toLowerCase();
    var byPrefix = token.tokenPrefixUri;  // a prefixed name: complete within that namespace
    return list.filter(function (iri) {
      if (byPrefix) return iri.indexOf(byPrefix) === 0 && iri.toLowerCase().indexOf(wanted) === 0;
      return iri.toLowerCase().indexOf(wanted) >= 0;
    });
  }

  function forkOnce(base, name, overrides) {
    if (Yasqe.Autocompleters[name]) return;
    overrides.name = name;
    Yasqe.forkAutocompleter(base, overrides, false);
  }

  forkOnce("property", "pgProperty", {
    get: function (yasqe, token) { return Promise.resolve(matching(config.properties, token)); }
  });
  forkOnce("class", "pgClass", {
    get: function (yasqe, token) { return Promise.resolve(matching(config.classes, token)); }
  });
  forkOnce("prefixes", "pgPrefixes", {
    persistenceId: null,
    get: function () {
      return Promise.resolve(Object.keys(config.prefixes).sort().map(function (p) {
        return p + ": <" + config.prefixes[p] + ">";
      }));
    }
  });
  var completers = ["variables", "pgPrefixes", "pgProperty", "pgClass"];
  Yasqe.defaults.autocompleters = completers.slice();
  Yasqe.defaults.prefixCcApi = null;

  var yasgui = new Yasgui(mount, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    persistenceId: "policygraph-workbench",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: config.defaultQuery, autocompleters: completers.slice() },
    yasr: { prefixes: config.prefixes }
  });

  // Tabs remembered from an earlier visit (another host or port) still ask this server.
  (yasgui.persistentConfig.getTabs() || []).forEach(function (id) {
    var tab = yasgui.getTab(id);
    if (tab && tab.getEndpoint() !== config.endpoint) tab.setEndpoint(config.endpoint);
  });

  // YASGUI's own markup misses a few accessibility basics; patch each part as it is drawn.
  var labels = config.labels || {};
  function label(selector, text) {
    mount.querySelectorAll(selector).forEach(function (el) {
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", text);
    });
  }
  function makeAccessible() {
    label(".CodeMirror textarea", labels.editor);
    label("input.autocomplete", labels.endpoint);
    label("select.tableSizer", labels.pageSize);
    label(".dataTables_filter input, input[type=search]", labels.filter);
    mount.querySelectorAll(".CodeMirror-scroll").forEach(function (el) { el.setAttribute("tabindex", "0"); });
    linkResources();
    var list = mount.querySelector(".tabsList");
    var add = list && list.querySelector("button.addTab");
    if (add) {  // a tablist may contain only tabs: keep the button, beside the list
      var bar = list.parentNode.classList.contains("pg-tabbar") ? list.parentNode : null;
      if (!bar) {
        bar = document.createElement("div");
        bar.className = "pg-tabbar";
        list.parentNode.insertBefore(bar, list);
        bar.appendChild(list);
      }
      bar.appendChild(add);
    }
  }
  // IRIs in YASR's table link to this app's resource pages, as the server-rendered table does.
  function linkResources() {
    var links = config.links;
    if (!links) return;
    mount.querySelectorAll(".yasr table td a[href]:not([data-pg])").forEach(function (a) {
      var iri = a.getAttribute("href");
      a.setAttribute("data-pg", "1");
      if (!/^[a-z][a-z0-9+.-]*:/i.test(iri) || /^javascript:/i.test(iri)) return;
      var local = iri.indexOf(links.base) === 0 && iri.length > links.base.length && iri.indexOf("#") < 0;
      a.setAttribute("href", local ? links.byPath + iri.slice(links.base.length).split("/").map(encodeURIComponent).join("/")
                                   : links.byIri + encodeURIComponent(iri));
      a.setAttribute("title", iri);
      a.removeAttribute("target");
    });
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; makeAccessible(); });
  }).observe(mount, { childList: true, subtree: true });
  makeAccessible();

  function openTab(name, query) {
    yasgui.addTab(true, {
      name: name,
      yasqe: { value: query },
      requestConfig: { endpoint: config.endpoint }
    }, { avoidDuplicateTabs: true });
  }

  if (config.query) openTab(config.query.split("\n")[0].replace(/^#\s*/, "").slice(0, 40) || "Query", config.query);

  var examplesForm = document.getElementById("examples-form");
  if (examplesForm) {
    examplesForm.addEventListener("submit", function (event) {
      var id = document.getElementById("example").value;
      var example = config.examples.filter(function (e) { return e.id === id; })[0];
      if (!example) return;
      event.preventDefault();
      openTab(example.title, example.query);
      mount.scrollIntoView();
    });
  }
})();
