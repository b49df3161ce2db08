// A workshop page kept live: the server's event stream says that something happened, and the page
// fetches its panel anew. Actions are sent as JSON with an id made here, kept in localStorage until
// the server has stored them, and sent again when the connection is back: a phone that slept or lost
// the wifi catches up (the stream starts with the latest number) and loses no input (typed text in
// the panel is carried over each refresh, and unsent actions wait in the queue).
(function () {
  "use strict";
  var root = document.getElementById("workshop");
  if (!root) { return; }
  var live = document.getElementById("ws-live");
  var status = document.getElementById("ws-status");
  var queueKey = "pgw-queue-" + root.dataset.workshop;
  var shown = Number(root.dataset.seq || 0);
  var source = null;
  var refreshing = false;
  var again = false;

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function say(text) { status.textContent = text; }
  function queue() { try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; } }
  function keep(items) { try { localStorage.setItem(queueKey, JSON.stringify(items)); } catch (e) { /* private mode */ } }

  // ---------------------------------------------------------------- refreshing the panel
  function typed() {
    var values = {};
    live.querySelectorAll("[data-dirty]").forEach(function (el) { if (el.id) { values[el.id] = el.value; } });
    return values;
  }
  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch(root.dataset.live, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } shown = Number(r.headers.get("X-Workshop-Seq") || shown); return r.text(); })
      .then(function (html) {
        // what the person is doing is read at the moment of the swap, not when the fetch began
        var keepValues = typed();
        var focused = document.activeElement && live.contains(document.activeElement) ? document.activeElement.id : null;
        var opened = Array.prototype.map.call(live.querySelectorAll("details[open]"), function (d) { return d.closest("[id]") ? d.closest("[id]").id : ""; });
        live.innerHTML = html;
        Object.keys(keepValues).forEach(function (id) {
          var el = document.getElementById(id);
          if (el) { el.value = keepValues[id]; el.setAttribute("data-dirty", ""); }
        });
        opened.forEach(function (id) { var d = id && document.querySelector("#" + CSS.escape(id) + " details"); if (d) { d.open = true; } });
        if (focused) { var f = document.getElementById(focused); if (f) { f.focus(); } }
      })
      .catch(function () { say(root.dataset.textOffline); })
      .finally(function () { refreshing = false; if (again) { again = false; refresh(); } });
  }

  // ---------------------------------------------------------------- following the stream
  function follow() {
    if (source) { source.close(); }
    source = new EventSource(root.dataset.stream);
    source.addEventListener("changed", function (e) {
      if (Number(e.data) > shown) { refresh(); }
      flush();
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) { setTimeout(follow, 3000); refresh(); }
    };
  }

  // ---------------------------------------------------------------- acting
  function send(item) {
    return fetch(root.dataset.act, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": root.dataset.csrf},
      body: JSON.stringify(item)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (answer) { return {status: r.status, answer: answer}; });
    });
  }
  function flush() {
    var pending = queue();
    if (!pending.length) { return; }
    var item = pending[0];
    send(item).then(function (reply) {
      if (reply.status >= 500 || reply.status === 429) { throw new Error(reply.status); }
      keep(queue().filter(function (q) { return q.action !== item.action; }));
      say(reply.status < 300 ? root.dataset.textSent : (reply.answer.error || String(reply.status)));
      refresh();
      flush();
    }).catch(function () { say(root.dataset.textQueued); setTimeout(flush, 2000); });
  }
  function payloadOf(form) {
    var payload = {};
    new FormData(form).forEach(function (value, key) {
      if (key === "kind" || key === "action" || key === "csrf_token") { return; }
      if (key === "accepted") { value = value === "yes"; }
      else if ((key === "score" || key === "dots" || key === "minutes" || key === "count") && value !== "") { value = Number(value); }
      else if (value === "" && (key === "dots" || key === "minutes")) { return; }
      if (key.indexOf(".") > 0) {
        var parts = key.split(".");
        payload[parts[0]] = payload[parts[0]] || {};
        payload[parts[0]][parts[1]] = value;
      } else { payload[key] = value; }
    });
    return payload;
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("ws-act")) { return; }
    e.preventDefault();
    var item = {action: newId(), kind: form.dataset.kind, payload: payloadOf(form)};
    keep(queue().concat([item]));
    form.querySelectorAll("textarea, input[type=text], input:not([type])").forEach(function (el) { el.value = ""; el.removeAttribute("data-dirty"); });
    flush();
  });
  document.addEventListener("input", function (e) { if (live.contains(e.target)) { e.target.setAttribute("data-dirty", ""); } });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); flush(); } });
  window.addEventListener("online", function () { follow(); flush(); });
  say(root.dataset.textLive);
  follow();
  flush();
})();
