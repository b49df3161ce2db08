"""The network view: `/network` draws the graph (or a resource's neighbourhood) with vis-network,
driven by our own template and script (no CDN: vis-network is vendored), and `/network.json` hands
the same nodes and links to other tools. Filters come from a GET form, so every view has a URL.

Malformed input (hops, year, IRIs, document type) is a 400 with a message saying what is wrong; a
focus IRI the graph does not know is a 404.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, g, jsonify, render_template, request

from graph.explore.describe import BadIri, check_iri, exists
from graph.explore.network import (CATEGORIES, DEFAULT_CAP, DOCUMENT_TYPES, FINDING_KINDS, MAX_HOPS, Filters,
                                NetworkError, build_network, filter_choices)
from web.errors import Problem
from ontology.texts import translate
from web.links import resource_url

bp = Blueprint("network", __name__)
IRI_FIELDS = ("focus", "municipality", "administration", "committee", "theme", "target_group")
MAX_CAP = 20000


class BadRequest(Exception):
    """A parameter the view cannot use; `key` names the UI text explaining it."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(key)
        self.key, self.detail = key, detail


def _int(name: str, low: int, high: int, key: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:  # int() reads ٢٠٢١ too
        raise BadRequest(key, raw[:50])
    return int(raw)


def parse_filters() -> Filters:
    """The GET form as Filters; empty fields mean 'no filter'."""
    f = Filters(cap=int(current_app.config.get("NETWORK_NODE_CAP", DEFAULT_CAP)))
    for name in IRI_FIELDS:
        raw = request.args.get(name, "").strip()
        if raw:
            try:
                check_iri(raw)
            except BadIri as exc:
                raise BadRequest("net_bad_iri", f"{name}: {exc}") from None
            setattr(f, name, raw)
    f.hops = _int("hops", 1, MAX_HOPS, "net_bad_hops") or 1
    f.year = _int("year", 1000, 9999, "net_bad_year")
    f.cap = _int("cap", 1, MAX_CAP, "net_bad_cap") or f.cap
    doctype = request.args.get("doctype", "").strip()
    if doctype and doctype not in DOCUMENT_TYPES:
        raise BadRequest("net_bad_doctype", doctype[:50])
    f.doctype = doctype or None
    view = request.args.get("view", "").strip() or ("all" if f.focus else "plans")
    if view not in ("plans", "all"):
        raise BadRequest("net_bad_view", view[:50])
    f.view = view
    f.findings = request.args.get("findings", "1") != "0"
    return f


def _words() -> dict[str, str]:
    """UI words the graph layer writes into labels and tooltips (categories, finding tags)."""
    words = {c: translate(f"net_cat_{c}", g.lang) for c in CATEGORIES}
    words.update({k: translate(f"net_finding_{k}", g.lang) for k in FINDING_KINDS})
    return words


def _payload(f: Filters) -> dict:
    store = current_app.config["STORE"]
    if f.focus and not exists(store, check_iri(f.focus)):
        raise LookupError(f.focus)
    try:
        view = build_network(store, g.lang, f, _words())
    except NetworkError as exc:
        raise BadRequest("net_bad_request", str(exc)) from None
    for node in view.nodes:
        node["url"] = resource_url(node["id"])
        node["json"] = resource_url(node["id"], format="json")
    data = asdict(view)
    data["filters"] = {k: v for k, v in asdict(f).items()}
    return data


def _texts() -> dict[str, str]:
    keys = ("net_loading", "net_stabilised", "net_open_page", "net_types", "net_hierarchy", "net_sources",
            "net_panel_empty", "net_panel_error", "net_properties")
    return {k: translate(k, g.lang) for k in keys}


@bp.get("/network")
def view():
    store = current_app.config["STORE"]
    choices = filter_choices(store, g.lang)
    context = {"choices": choices, "doctypes": DOCUMENT_TYPES, "max_hops": MAX_HOPS, "categories": CATEGORIES,
               "args": request.args}
    try:
        f = parse_filters()
        data = _payload(f)
    except BadRequest as exc:
        return render_template("network.html", error=translate(exc.key, g.lang), detail=exc.detail, data=None, **context), 400
    except LookupError as exc:
        return render_template("network.html", error=translate("net_focus_unknown", g.lang), detail=str(exc)[:300],
                               data=None, **context), 404
    focus_label = next((n["fullLabel"] for n in data["nodes"] if n["id"] == f.focus), f.focus)
    return render_template("network.html", data=data, filters=f, focus_label=focus_label, texts=_texts(),
                           error=None, detail="", **context)


@bp.get("/network.json")
def view_json():
    try:
        data = _payload(parse_filters())
    except BadRequest as exc:
        raise Problem(400, translate(exc.key, g.lang), exc.detail, exc.key) from None
    except LookupError as exc:
        raise Problem(404, translate("net_focus_unknown", g.lang), str(exc), "net_focus_unknown") from None
    return jsonify(data)
