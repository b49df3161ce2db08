"""`/search?q=...` (and its `.json` twin): full-text search over the graph's texts, with facets to
narrow it (type, municipality, document, period) and pages of hits. The search itself is
graph/explore/search.py; here the request is read and every hit and facet gets its link.

Facet values travel in the URL in their short form (`type=pg:Initiative`,
`municipality=org/koebenhavn`), and a full IRI is accepted alike (`ontology.expand` reads both)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, current_app, g, request, url_for

from graph.explore.search import FACETS, PAGE_SIZE, SearchResult, search
from ontology import curie, expand
from ontology.texts import translate
from web.errors import Problem
from web.links import resource_url
from web.paging import page_number
from web.twins import Reply, twin

bp = Blueprint("search", __name__)
MAX_QUERY_CHARS = 200
IRI_FACETS = ("type", "municipality", "document")


def _query() -> str:
    text = request.args.get("q", "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise Problem(400, translate("search.too_long", g.lang), text)
    return text


def _filters() -> dict[str, str]:
    """The facet filters as asked, IRIs expanded from the short form or taken as they are."""
    filters = {}
    for facet in FACETS:
        value = request.args.get(facet, "").strip()
        if value:
            filters[facet] = expand(value) if facet in IRI_FACETS else value
    return filters


def _page_number() -> int:
    number = page_number()
    if number is None:
        raise Problem(400, translate("search.bad_page", g.lang), request.args.get("page", "").strip())
    return number


def _url(query: str, filters: dict[str, str], page: int = 1, endpoint: str = "search.results",
         **changed: str | None) -> str:
    """This search with some filters changed (None removes one), facet values in their short form."""
    wanted = {**filters, **changed}
    args = {facet: (curie(value) if facet in IRI_FACETS else value) for facet, value in wanted.items() if value}
    return url_for(endpoint, q=query, **args, **({"page": str(page)} if page > 1 else {}))


def _shown(result: SearchResult, page: int) -> dict[str, Any]:
    """The result as the page and the twin show it: each hit and facet value with its link."""
    hits = []
    for hit in result.hits:
        data = asdict(hit)
        data["url"] = resource_url(hit.iri)
        data["municipality_url"] = resource_url(hit.municipality) if hit.municipality else None
        data["document_url"] = resource_url(hit.document) if hit.document else None
        hits.append(data)
    facets = {facet: [{**asdict(v), "short": curie(v.value) if facet in IRI_FACETS else v.value,
                       "url": _url(result.query, result.filters, **{facet: None if v.chosen else v.value})}
                      for v in values] for facet, values in result.facets.items()}
    pages = -(-result.total // result.limit) if result.total else 0
    return {"query": result.query, "total": result.total, "first": result.first, "last": result.last,
            "page": page, "pages": pages, "hits": hits, "facets": facets,
            "filters": {f: (curie(v) if f in IRI_FACETS else v) for f, v in result.filters.items()},
            "previous_url": _url(result.query, result.filters, page - 1) if page > 1 else None,
            "next_url": _url(result.query, result.filters, page + 1) if page < pages else None,
            "clear_url": _url(result.query, {}) if result.filters else None}


@twin(bp, "/search", "search.html")
def results() -> Reply:
    query, filters, page = _query(), _filters(), _page_number()
    result = search(current_app.config["STORE"], query, g.lang, filters=filters,
                    offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    shown = _shown(result, page)
    json_url = _url(query, filters, page, "search.results_json")
    return Reply(json=lambda: shown, page=lambda: {"data": shown, "json_url": json_url})
