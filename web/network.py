"""The network view: `/network` draws the graph (or a resource's neighbourhood) with vis-network,
driven by our own template and script (no CDN: vis-network is vendored), and `/network.json` hands
the same nodes and links to other tools. Filters come from a GET form, so every view has a URL.

Malformed input (hops, year, IRIs, document type) is a 400 with a message saying what is wrong; a
focus IRI the graph does not know is a 404.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, g, request

from graph.explore.describe import BadIri, check_iri, exists
from graph.explore.network import (CATEGORIES, DEFAULT_CAP, DOCUMENT_TYPES, FINDING_KINDS, MAX_HOPS, Filters,
                                NetworkError, build_network, filter_choices)
from web.drawing import CATEGORY_STYLES, network_drawing
from web.errors import Problem
from ontology.texts import translate
from web.links import resource_url
from web.twins import Reply, twin

bp = Blueprint("network", __name__)
IRI_FIELDS = ("focus", "municipality", "administration", "committee", "theme", "target_group")
MAX_CAP = 20000


def _refused(key: str, detail: str = "", status: int = 400) -> Problem:
    """A parameter the view cannot use; `key` names the UI text explaining it."""
    return Problem(status, translate(key, g.lang), detail, key)


def _int(name: str, low: int, high: int, key: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:  # int() reads ٢٠٢١ too
        raise _refused(key, raw[:50])
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
                raise _refused("net_bad_iri", f"{name}: {exc}") from None
            setattr(f, name, raw)
    f.hops = _int("hops", 1, MAX_HOPS, "net_bad_hops") or 1
    f.year = _int("year", 1000, 9999, "net_bad_year")
    f.cap = _int("cap", 1, MAX_CAP, "net_bad_cap") or f.cap
    doctype = request.args.get("doctype", "").strip()
    if doctype and doctype not in DOCUMENT_TYPES:
        raise _refused("net_bad_doctype", doctype[:50])
    f.doctype = doctype or None
    view = request.args.get("view", "").strip() or ("all" if f.focus else "plans")
    if view not in ("plans", "all"):
        raise _refused("net_bad_view", view[:50])
    f.view = view
    f.findings = request.args.get("findings", "1") != "0"
    f.workshops = request.args.get("workshops", "") != "exclude"
    return f


def _words() -> dict[str, str]:
    """UI words the graph layer writes into labels and tooltips (categories, finding tags)."""
    words = {c: translate(f"net_cat_{c}", g.lang) for c in CATEGORIES}
    words.update({k: translate(f"net_finding_{k}", g.lang) for k in FINDING_KINDS})
    words["workshop"] = translate("workshop.decision.from_workshop", g.lang)
    return words


def _payload(f: Filters) -> dict:
    store = current_app.config["STORE"]
    if f.focus and not exists(store, check_iri(f.focus)):
        raise _refused("net_focus_unknown", f.focus, 404)
    try:
        view = build_network(store, g.lang, f)
    except NetworkError as exc:
        raise _refused("net_bad_request", str(exc)) from None
    data = network_drawing(view, _words(), f.focus)
    for node in data["nodes"]:
        node["url"] = resource_url(node["id"])
        node["json"] = resource_url(node["id"], format="json")
    data["filters"] = asdict(f)
    return data


def _texts() -> dict[str, str]:
    keys = ("net_loading", "net_stabilised", "net_open_page", "net_types", "net_hierarchy", "net_sources",
            "net_panel_empty", "net_panel_error", "net_properties")
    return {k: translate(k, g.lang) for k in keys}


def _form() -> dict:
    """The filter form, as asked; shown with a refusal as well as with a network."""
    return {"choices": filter_choices(current_app.config["STORE"], g.lang), "doctypes": DOCUMENT_TYPES,
            "max_hops": MAX_HOPS, "categories": CATEGORY_STYLES, "args": request.args, "data": None, "error": None,
            "detail": ""}


@twin(bp, "/network", "network.html", form=_form)
def view() -> Reply:
    f = parse_filters()
    data = _payload(f)

    def page() -> dict:
        focus_label = next((n["fullLabel"] for n in data["nodes"] if n["id"] == f.focus), f.focus)
        return {**_form(), "data": data, "filters": f, "focus_label": focus_label, "texts": _texts()}

    return Reply(json=lambda: data, page=page)
