"""The network view: `/network` draws the graph (or a resource's neighbourhood) with vis-network,
driven by our own template and script (no CDN: vis-network is vendored), and `/network.json` hands
the same nodes and links to other tools. Filters come from a GET form, so every view has a URL.

Malformed input (hops, year, IRIs, document type) is a 400 with a message saying what is wrong; a
focus IRI the graph does not know is a 404.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, current_app, g, request, url_for

from graph.explore.describe import BadIri, check_iri, exists
from graph.explore.network import (CATEGORIES, DEFAULT_CAP, DOCUMENT_TYPES, FINDING_KINDS, MAX_HOPS, Filters,
                                NetworkError, build_network, filter_choices)
from graph.questions.library import QueryParameterError, resolve_iri
from graph.store.labels import Labeller
from web.charts import chosen, short_choices
from web.drawing import CATEGORY_STYLES, network_drawing
from web.errors import Problem
from ontology.texts import translate
from web.links import resource_url
from web.network_export import standalone_html
from web.network_svg import network_svg
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
        if raw:  # a short id (org/koebenhavn) or a full IRI alike, as on the question pages
            try:
                iri = resolve_iri(raw)
                check_iri(iri)
            except (BadIri, QueryParameterError, ValueError):
                raise _refused("net_bad_iri", raw[:100]) from None  # the detail is what was given, no English
            setattr(f, name, iri)
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
    words["links"] = translate("net_links", g.lang)
    return words


def every_link() -> bool:
    """`edges=all` draws one line per link instead of one per pair of nodes (the summary)."""
    return request.args.get("edges", "") == "all"


def _payload(f: Filters) -> dict:
    store = current_app.config["STORE"]
    if f.focus and not exists(store, check_iri(f.focus)):
        raise _refused("net_focus_unknown", request.args.get("focus", "")[:100], 404)
    try:
        view = build_network(store, g.lang, f)
    except NetworkError as exc:
        raise _refused("net_bad_request", str(exc)) from None
    data = network_drawing(view, _words(), f.focus, every_link())
    for node in data["nodes"]:
        node["url"] = resource_url(node["id"])
        node["json"] = resource_url(node["id"], format="json")
    data["filters"] = asdict(f)
    return data


def _texts() -> dict[str, str]:
    keys = ("net_loading", "net_stabilised", "net_open_page", "net_types", "net_hierarchy", "net_sources",
            "net_panel_empty", "net_panel_error", "net_properties", "net_zoomed", "net_kind", "net_iri",
            "net_findings", "res_in_da", "res_in_en")
    return {k: translate(k, g.lang) for k in keys}


def _form() -> dict:
    """The filter form, as asked; shown with a refusal as well as with a network."""
    choices = {key: short_choices(values) for key, values in filter_choices(current_app.config["STORE"], g.lang).items()}
    return {"choices": choices, "chosen": {name: chosen(name) for name in IRI_FIELDS}, "doctypes": DOCUMENT_TYPES,
            "max_hops": MAX_HOPS, "categories": CATEGORY_STYLES, "args": request.args, "data": None, "error": None,
            "detail": ""}


def _view_links(every: bool) -> dict[str, str]:
    """The same view as a standalone file, and with the other way of drawing links."""
    args = {k: v for k, v in request.args.items(multi=False) if k != "edges"}
    return {"standalone": url_for("network.standalone", **args, **({"edges": "all"} if every else {})),
            "svg": url_for("network.svg", **args, **({"edges": "all"} if every else {})),
            "edges": url_for("network.view", **args, **({} if every else {"edges": "all"}))}


@twin(bp, "/network", "network.html", form=_form)
def view() -> Reply:
    f = parse_filters()
    data = _payload(f)

    def page() -> dict:
        focus_label = next((n["fullLabel"] for n in data["nodes"] if n["id"] == f.focus), f.focus)
        return {**_form(), "data": data, "filters": f, "focus_label": focus_label, "texts": _texts(),
                "links": _view_links(data["every_link"])}

    return Reply(json=lambda: data, page=page)


@bp.get("/network.html")
def standalone() -> Response:
    """The view as one HTML file to share: vis-network, the drawing's data and its script inlined,
    nothing fetched (web/network_export.py says how), offered as a download."""
    f = parse_filters()
    data = _payload(f)
    focus_label = next((n["fullLabel"] for n in data["nodes"] if n["id"] == f.focus), "")
    html = standalone_html(data, _texts(), focus_label)
    return Response(html, mimetype="text/html", headers={
        "Content-Disposition": 'attachment; filename="policygraph-network.html"'})


def filters_in_words(f: Filters) -> list[str]:
    """The chosen filters as "Municipality: Copenhagen", named by their labels (never an IRI)."""
    labels = Labeller(current_app.config["STORE"], g.lang)
    named = {"municipality": "net_municipality", "administration": "net_administration",
             "committee": "net_committee", "theme": "net_theme", "target_group": "net_target_group"}
    said = [f"{translate(key, g.lang)}: {labels(getattr(f, name))}" for name, key in named.items() if getattr(f, name)]
    if f.doctype:
        said.append(f"{translate('net_doctype', g.lang)}: {translate('net_cat_' + f.doctype.lower(), g.lang)}")
    if f.year is not None:
        said.append(f"{translate('net_year', g.lang)}: {f.year}")
    if f.focus:
        said.append(f"{translate('net_hops', g.lang)}: {f.hops}")
    return said


@bp.get("/network.svg")
def svg() -> Response:
    """The view as an SVG for a slide, drawn on the server from the page's own positions and looks
    (web/network_svg.py), offered as a download."""
    f = parse_filters()
    data = _payload(f)
    title = translate("net_title", g.lang)
    if f.focus:
        title += ": " + next((n["fullLabel"] for n in data["nodes"] if n["id"] == f.focus), "")
    words = {**_words(), "synergy": translate("net_svg_synergy", g.lang),
             "workshop": translate("workshop.decision.legend", g.lang)}
    drawing = network_svg(data, words, title, filters_in_words(f), g.lang)
    return Response(drawing, mimetype="image/svg+xml", headers={
        "Content-Disposition": 'attachment; filename="policygraph-network.svg"'})
