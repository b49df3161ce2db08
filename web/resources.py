"""Linked-data pages: every IRI of the graph dereferences to a page about it, and the same URL serves
its description as Turtle, JSON-LD or N-Triples to clients that ask (content negotiation), plus a
`.json` twin with the page's own data (what the network view's side panel reads).

IRIs under our base live at `/id/<path>` (so a w3id redirect just works), any other at
`/resource?iri=`. Hostile input (javascript: IRIs, huge strings) never reaches a query or an href:
IRIs are checked, bound as RDF terms, and links always point at our own pages.
"""
from __future__ import annotations

import pyoxigraph as ox
from babel.numbers import format_decimal
from flask import Blueprint, Response, current_app, g, jsonify, render_template, request

from graph.explore.describe import BadIri, check_iri, describe, exists, resource_triples
from ontology import PREFIXES
from ontology.texts import translate
from web.errors import Problem
from web.links import iri_from_path, resource_url

bp = Blueprint("resources", __name__)

# ?format= and file-name suffixes, for links and clients that cannot set Accept.
FORMATS = {"json": "application/json", "ttl": "text/turtle", "nt": "application/n-triples",
           "jsonld": "application/ld+json", "html": "text/html"}
SUFFIXES = {"." + name: mime for name, mime in FORMATS.items() if name != "html"}
OFFERED = ["text/html", "application/xhtml+xml", "text/turtle", "application/ld+json", "application/n-triples",
           "application/json"]


RDF_MEDIA_TYPES = ("text/turtle", "application/n-triples", "application/ld+json")


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    """A resource's triples in the RDF format asked for; Turtle with our prefixes but full data IRIs
    (a relative @base confuses readers)."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    prefixes = dict(PREFIXES) if fmt == ox.RdfFormat.TURTLE else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes) if prefixes else ox.serialize(triples, format=fmt)


@bp.app_template_filter("number")
def number(amount: float) -> str:
    """`{{ n|number }}` in every template: the reader's thousands separator."""
    return format_amount(amount, g.lang)


def format_amount(amount: float, lang: str) -> str:
    """Whole amounts with the reader's separators, as Babel (CLDR) writes them: 1.600.000 and 2,50 in
    Danish, 1,600,000 and 2.50 in English."""
    pattern = "#,##0" if amount == int(amount) else "#,##0.00"
    return format_decimal(amount, format=pattern, locale=lang)


def _wanted(forced: str | None) -> str:
    if forced:
        return forced
    name = request.args.get("format")
    if name:
        if name not in FORMATS:
            raise _problem(400, "res_bad_format", name)
        return FORMATS[name]
    mime = request.accept_mimetypes.best_match(OFFERED, "text/html")
    return "text/html" if mime == "application/xhtml+xml" else mime


def _problem(status: int, key: str, detail: str = "") -> Problem:
    """A refusal in the reader's language; the app's error handler answers it as a page or JSON."""
    return Problem(status, translate(key, g.lang), detail, key)


def _show(iri: str, forced: str | None = None):
    try:
        check_iri(iri)
    except BadIri as exc:
        raise _problem(400, "res_bad_iri", str(exc)) from None
    mime = _wanted(forced)
    store = current_app.config["STORE"]
    description = describe(store, iri, g.lang)
    if description is None:
        raise _problem(404, "res_not_found", iri)
    if mime in RDF_MEDIA_TYPES:
        response = Response(serialize(resource_triples(store, iri), mime), mimetype=mime)
    elif mime == "application/json":
        data = description.as_dict()
        data["page"] = resource_url(iri)
        data["lang"] = g.lang
        response = jsonify(data)
    else:
        response = Response(render_template("resource.html", d=description, formats=FORMATS,
                                            amount=lambda v: format_amount(v, g.lang),
                                            is_web=lambda v: v.startswith(("http://", "https://"))))
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/id/<path:path>")
def by_path(path: str):
    """A suffix (.json, .ttl, .nt, .jsonld) asks for that format, unless the IRI itself ends so."""
    store = current_app.config["STORE"]
    for suffix, mime in SUFFIXES.items():
        if path.endswith(suffix) and len(path) > len(suffix):
            plain = iri_from_path(path[:-len(suffix)])
            try:
                if describe_exists(store, iri_from_path(path)):
                    break
                if describe_exists(store, plain) or mime == "application/json":
                    return _show(plain, mime)  # an unknown x.json is a JSON 404, not an HTML one
            except BadIri:
                break
    return _show(iri_from_path(path))


def describe_exists(store, iri: str) -> bool:
    return exists(store, check_iri(iri))


@bp.get("/resource")
def by_iri():
    iri = request.args.get("iri", "")
    if not iri:
        raise _problem(400, "res_missing_iri")
    return _show(iri)
