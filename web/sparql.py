"""A SPARQL 1.1 Protocol endpoint at `/sparql`, read-only unless an update token is configured.

What it does, and why:

* GET and POST (form-encoded, or the query as an `application/sparql-query` body), so any standard
  client (SPARQLWrapper, curl, YASGUI, another triple store's SERVICE) can ask the graph.
* Results in the format the client asks for (Accept header), or the one named by `format=` so that a
  plain browser link can download CSV or JSON.
* Without a query, RDF clients get a SPARQL 1.1 Service Description and browsers the workbench.
* Every query runs under a deadline (`QUERY_TIMEOUT` seconds) and a row limit (`RESULT_LIMIT`); a cut
  result says so in the `X-Result-Truncated` header. See `evaluate` for what the deadline can and
  cannot stop.
* `SERVICE` and `LOAD` (they make this server fetch other servers) are refused unless `ALLOW_SERVICE`
  is set, and so is a text nested deeper than the engine takes: the store guards every text
  (graph/sparql_text.py), `check_query` asks the same guard before a worker is taken. Updates are
  refused unless `UPDATE_TOKEN` is set and the client sends it.

The query machinery (`evaluate`, `serialize_results`, `QueryRefused`) is shared with the workbench,
which renders the same answers as an HTML table.
"""
from __future__ import annotations

import hmac
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, request, url_for

from graph.sparql_text import refusal
from graph.store import StoreError

bp = Blueprint("sparql", __name__)
T = TypeVar("T")

RESULT_FORMATS: dict[str, tuple[str, ox.QueryResultsFormat]] = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
}
GRAPH_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
# Aliases a browser link may use; `xml` means RDF/XML when the answer is a graph.
_GRAPH_ALIASES = {"turtle": "ttl", "xml": "rdfxml", "ntriples": "nt", "json": "jsonld"}
_RESULT_ALIASES = {"sparql-json": "json", "sparql-xml": "xml"}
_GRAPH_GENERIC = {"application/json": "jsonld", "application/xml": "rdfxml", "text/plain": "nt"}
_RESULT_GENERIC = {"application/json": "json", "application/xml": "xml"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Result-Truncated, X-Result-Limit",
}
# A few workers: enough for concurrent readers, few enough that runaway queries cannot eat the machine.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sparql")


class QueryRefused(Exception):
    """A request the endpoint will not (or cannot) answer, with the HTTP status and a plain message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Cancelled(Exception):
    """Raised inside a worker when the request that wanted its answer has given up."""


@dataclass
class Answer:
    """A query's answer held in memory (at most `limit` rows or triples), whatever its form."""

    kind: str                                    # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False
    limit: int = 0
    elapsed: float = 0.0


# ------------------------------------------------------------------------------ checks
def check_query(text: str, allow_service: bool) -> None:
    """Refuse what this endpoint will not run, before spending any time on it."""
    if not text or not text.strip():
        raise QueryRefused(400, "missing 'query' parameter")
    reason = refusal(text, allow_service)  # the store's own guard, asked before a worker is taken
    if reason:
        raise QueryRefused(400, reason)


# ------------------------------------------------------------------------------ evaluation
def run_with_deadline(work: Callable[[threading.Event], T], timeout: float) -> T:
    """Run `work(cancel)` in a worker thread and wait at most `timeout` seconds for it.

    On timeout the caller gets `QueryRefused(503)` at once and `cancel` is set; `work` is expected to
    check it between steps and stop. pyoxigraph releases the GIL while it evaluates, so waiting here
    costs nothing, but it offers no way to interrupt one evaluation step: a query whose first
    solution needs a long sort or aggregate keeps its worker busy until that step ends (its result is
    then thrown away). The pool has four workers, so at most four such queries run at once; further
    requests wait in the queue and time out with 503 too.
    """
    cancel = threading.Event()
    future = _POOL.submit(work, cancel)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        cancel.set()
        future.cancel()
        raise QueryRefused(503, f"the query took longer than {timeout:g} seconds and was stopped; "
                                "narrow it down (filters, LIMIT) and try again") from None


def _collect(result: Any, limit: int, cancel: threading.Event) -> Answer:
    """Read solutions or triples one by one, stopping at the limit or when the request gave up."""
    if isinstance(result, ox.QueryBoolean):
        return Answer("ask", boolean=bool(result))
    graph = not isinstance(result, ox.QuerySolutions)
    answer = Answer("graph" if graph else "select", limit=limit)
    if not graph:
        answer.variables = [v.value for v in result.variables]
    for item in result:
        if cancel.is_set():
            raise _Cancelled()
        if len(answer.triples) + len(answer.rows) >= limit:
            answer.truncated = True
            break
        if graph:  # a remote store's CONSTRUCT arrives as parsed quads
            answer.triples.append(ox.Triple(item.subject, item.predicate, item.object) if isinstance(item, ox.Quad) else item)
        else:
            answer.rows.append([item[v] for v in answer.variables])
    return answer


def evaluate(store: Any, text: str, *, limit: int, timeout: float, allow_service: bool = False) -> Answer:
    """Check and run a query under the deadline and the row limit; problems become `QueryRefused`."""
    check_query(text, allow_service)
    started = time.perf_counter()

    def work(cancel: threading.Event) -> Answer:
        if cancel.is_set():  # waited in the queue past its deadline: do not start
            raise _Cancelled()
        try:
            return _collect(store.query(text), limit, cancel)
        except StoreError as error:
            raise QueryRefused(400, str(error)) from None
        except (SyntaxError, ValueError, OSError, RuntimeError) as error:
            raise QueryRefused(400, f"the query failed: {error}") from None

    answer = run_with_deadline(work, timeout)
    answer.elapsed = time.perf_counter() - started
    return answer


# ------------------------------------------------------------------------------ serialisation
def term_json(term: Any) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def results_json(answer: Answer) -> bytes:
    if answer.kind == "ask":
        return json.dumps({"head": {}, "boolean": answer.boolean}).encode()
    bindings = [{v: term_json(t) for v, t in zip(answer.variables, row) if t is not None} for row in answer.rows]
    return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode()


def serialize_results(answer: Answer, key: str) -> bytes:
    """SELECT/ASK answers in one of RESULT_FORMATS; pyoxigraph writes XML, CSV and TSV from our JSON."""
    body = results_json(answer)
    if key == "json":
        return body
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[key][1])


def serialize_graph(triples: list[ox.Triple], key: str) -> bytes:
    rdf_format = GRAPH_FORMATS[key][1]
    if rdf_format == ox.RdfFormat.TURTLE:
        from ontology import PREFIXES, base_iri

        return ox.serialize(triples, format=rdf_format, prefixes={**PREFIXES, "id": base_iri()})
    return ox.serialize(triples, format=rdf_format)


# ------------------------------------------------------------------------------ negotiation
def _choose(formats: dict[str, tuple[str, Any]], aliases: dict[str, str], default: str,
            generic: dict[str, str]) -> str:
    """The format key from `format=`, else from the Accept header, else the default.

    `generic` maps plain media types (application/json, application/xml) to the key they mean here."""
    wanted = request.values.get("format")
    if wanted:
        key = aliases.get(wanted.lower(), wanted.lower())
        if key not in formats:
            raise QueryRefused(400, f"unknown format {wanted!r} for this kind of result; "
                                    f"use one of {', '.join(formats)}")
        return key
    by_mime = {**{mime: key for key, (mime, _) in formats.items()}, **generic}
    best = request.accept_mimetypes.best_match(list(by_mime))
    return by_mime.get(best, default) if best else default


def _respond(body: bytes, mime: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(body, status, mimetype=mime)
    if mime.startswith("text/") or mime.endswith(("json", "xml", "triples")):
        response.charset = "utf-8"
    response.headers.update(_CORS)
    response.headers.update(headers or {})
    return response


def plain(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    """Errors in plain text: a client (or a person with curl) reads the message as is."""
    response = Response(message.rstrip("\n") + "\n", status, mimetype="text/plain")
    response.headers.update(_CORS)
    response.headers.update(headers or {})
    return response


def answer_response(answer: Answer) -> Response:
    """An answer in the negotiated format, with the truncation headers and a file name for downloads."""
    if answer.kind == "graph":
        key = _choose(GRAPH_FORMATS, _GRAPH_ALIASES, "ttl", _GRAPH_GENERIC)
        body, mime = serialize_graph(answer.triples, key), GRAPH_FORMATS[key][0]
    else:
        key = _choose(RESULT_FORMATS, _RESULT_ALIASES, "json", _RESULT_GENERIC)
        body, mime = serialize_results(answer, key), RESULT_FORMATS[key][0]
    headers: dict[str, str] = {}
    if answer.truncated:
        headers.update({"X-Result-Truncated": "true", "X-Result-Limit": str(answer.limit)})
    if request.values.get("format"):
        headers["Content-Disposition"] = f'attachment; filename="result.{key}"'
    return _respond(body, mime, headers=headers)


# ------------------------------------------------------------------------------ the protocol
def _single(name: str) -> str | None:
    """A protocol parameter, from the URL or the form; given twice is a client mistake."""
    values = request.args.getlist(name) + (request.form.getlist(name) if request.method == "POST" else [])
    if len(values) > 1:
        raise QueryRefused(400, f"the parameter '{name}' was given {len(values)} times; give it once")
    return values[0] if values else None


def _operation() -> tuple[str, str | None]:
    """('query' | 'update', text) from the request, per SPARQL 1.1 Protocol sections 2.1 and 2.2."""
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        return "query", request.get_data(as_text=True)
    if request.method == "POST" and request.mimetype == "application/sparql-update":
        return "update", request.get_data(as_text=True)
    if request.method == "POST" and request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data", ""):
        raise QueryRefused(415, f"unsupported content type {request.mimetype!r}; send a form, "
                                "application/sparql-query or application/sparql-update")
    query, update = _single("query"), _single("update")
    if query is not None and update is not None:
        raise QueryRefused(400, "give either 'query' or 'update', not both")
    if update is not None:
        if request.method != "POST":
            raise QueryRefused(400, "updates must be sent with POST")
        return "update", update
    return "query", query


def _refuse_dataset() -> None:
    """Protocol dataset parameters would silently change the meaning of a query; say so instead."""
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if request.values.get(name):
            raise QueryRefused(400, f"'{name}' is not supported by this endpoint; the default graph is "
                                    "the union of all named graphs: use FROM / FROM NAMED or GRAPH "
                                    "in the query instead")


def _run_update(text: str) -> Response:
    """Updates only with the configured bearer token; compared in constant time."""
    token = current_app.config.get("UPDATE_TOKEN")
    given = request.headers.get("Authorization", "")
    if not token or not given.startswith("Bearer ") or \
            not hmac.compare_digest(given[len("Bearer "):].encode(), str(token).encode()):
        raise QueryRefused(403, "updates are not allowed: this endpoint is read-only unless an update "
                                "token is configured and sent as 'Authorization: Bearer <token>'")
    if not text.strip():
        raise QueryRefused(400, "missing 'update' text")
    try:
        current_app.config["STORE"].update(text)
    except StoreError as error:
        raise QueryRefused(400, str(error)) from None
    response = Response(status=204)
    response.headers.update(_CORS)
    return response


def _browser_wants_a_page() -> bool:
    """A person who followed a /sparql?query= link in a browser gets the workbench showing the result
    (SPARQL clients never prefer text/html; `format=` links are downloads and are answered as asked)."""
    if request.method != "GET" or request.values.get("format") or "workbench.editor" not in current_app.view_functions:
        return False
    offered = [mime for mime, _ in RESULT_FORMATS.values()] + [mime for mime, _ in GRAPH_FORMATS.values()]
    return request.accept_mimetypes.best_match(offered + ["text/html"]) == "text/html"


def _no_query() -> Response:
    """Browsers go to the workbench; RDF clients get the service description."""
    best = request.accept_mimetypes.best_match([mime for mime, _ in GRAPH_FORMATS.values()] + ["text/html"])
    if best == "text/html" and "workbench.editor" in current_app.view_functions:
        return redirect(url_for("workbench.editor"), 303)
    key = _choose(GRAPH_FORMATS, _GRAPH_ALIASES, "ttl", _GRAPH_GENERIC)
    return _respond(serialize_graph(service_description(), key), GRAPH_FORMATS[key][0])


def service_description() -> list[ox.Triple]:
    """SPARQL 1.1 Service Description of this endpoint: what it speaks and which formats it writes."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    formats = "http://www.w3.org/ns/formats/"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    endpoint = ox.NamedNode(url_for("sparql.endpoint", _external=True))
    service, dataset, graph = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")

    def t(s: Any, p: str, o: Any) -> ox.Triple:
        return ox.Triple(s, ox.NamedNode(p) if "://" in p else ox.NamedNode(sd + p), o)

    triples = [t(service, rdf_type.value, ox.NamedNode(sd + "Service")),
               t(service, "endpoint", endpoint),
               t(service, "supportedLanguage", ox.NamedNode(sd + "SPARQL11Query")),
               t(service, "feature", ox.NamedNode(sd + "UnionDefaultGraph")),
               t(service, "defaultDataset", dataset),
               t(dataset, rdf_type.value, ox.NamedNode(sd + "Dataset")),
               t(dataset, "defaultGraph", graph),
               t(graph, rdf_type.value, ox.NamedNode(sd + "Graph"))]
    if current_app.config.get("UPDATE_TOKEN"):
        triples.append(t(service, "supportedLanguage", ox.NamedNode(sd + "SPARQL11Update")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        triples.append(t(service, "resultFormat", ox.NamedNode(formats + name)))
    return triples


@bp.route("/sparql", methods=["OPTIONS"])
def preflight() -> Response:
    """CORS preflight for reads: any origin may query; no credentials, so no Authorization header."""
    response = Response(status=204)
    response.headers.update(_CORS)
    response.headers.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                             "Access-Control-Allow-Headers": "Accept, Content-Type",
                             "Access-Control-Max-Age": "86400"})
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    try:
        operation, text = _operation()
        _refuse_dataset()
        if operation == "update":
            return _run_update(text or "")
        if text is None:
            return _no_query()
        if _browser_wants_a_page():
            return redirect(url_for("workbench.editor", query=text), 303)
        config = current_app.config
        answer = evaluate(config["STORE"], text, limit=int(config["RESULT_LIMIT"]),
                          timeout=float(config["QUERY_TIMEOUT"]), allow_service=bool(config.get("ALLOW_SERVICE")))
        return answer_response(answer)
    except QueryRefused as refusal:
        headers = {"Retry-After": "60"} if refusal.status == 503 else None
        return plain(refusal.message, refusal.status, headers)
