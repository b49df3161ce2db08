"""A read-only SPARQL 1.1 Protocol endpoint: GET and POST, results in the format the client asks for."""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from graph.store import StoreError

bp = Blueprint("sparql", __name__)

_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _query_text() -> str | None:
    if request.method == "GET":
        return request.args.get("query")
    if request.mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    if "update" in request.form:
        return None
    return request.form.get("query")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    if request.method == "POST" and "update" in request.form:
        return Response("updates are not enabled on this endpoint\n", 403, mimetype="text/plain")
    text = _query_text()
    if not text:
        return Response("missing 'query' parameter\n", 400, mimetype="text/plain")
    try:
        result = current_app.config["STORE"].query(text)
    except StoreError as error:
        return Response(f"{error}\n", 400, mimetype="text/plain")
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        mime = request.accept_mimetypes.best_match(list(_RESULT_FORMATS), "application/sparql-results+json")
        body = result.serialize(format=_RESULT_FORMATS[mime])
    else:
        mime = request.accept_mimetypes.best_match(list(_GRAPH_FORMATS), "text/turtle")
        body = ox.serialize(list(result), format=_GRAPH_FORMATS[mime])
    response = Response(body, mimetype=mime)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
