"""A SPARQL 1.1 Protocol endpoint at `/sparql`, read-only unless an update token is configured.

What it does, and why:

* GET and POST (form-encoded, or the query as an `application/sparql-query` body), so any standard
  client (SPARQLWrapper, curl, YASGUI, another triple store's SERVICE) can ask the graph.
* Results in the format the client asks for (Accept header), or the one named by `format=` so that a
  plain browser link can download CSV or JSON.
* The dataset parameters of the protocol (`default-graph-uri` / `named-graph-uri` for queries,
  `using-graph-uri` / `using-named-graph-uri` for updates) take precedence over FROM / FROM NAMED,
  as the protocol says; without them and without FROM, the default graph is the union of all named
  graphs.
* Without a query, RDF clients get a SPARQL 1.1 Service Description and browsers the workbench.
* Every query runs under a deadline (`QUERY_TIMEOUT` seconds) and a row limit (`RESULT_LIMIT`); a cut
  result says so in the `X-Result-Truncated` header. See `evaluate` for what the deadline can and
  cannot stop.
* `SERVICE` and `LOAD` (they make this server fetch other servers) are refused unless `ALLOW_SERVICE`
  is set, and so is a text nested deeper than the engine takes: the store guards every text
  (graph/sparql/text.py), `check_query` asks the same guard before a worker is taken. Updates are
  refused unless `UPDATE_TOKEN` is set and the client sends it.

The query machinery (`evaluate`, `serialize_results`, `QueryRefused`) is shared with the workbench,
which renders the same answers as an HTML table.
"""
from __future__ import annotations

import hmac
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Callable, TypeVar

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, request, url_for

from graph.store.answers import Answer, Cancelled, collect, results_json
from graph.store.pool import PoolRefusal, QueryFailed, QueryPool
from graph.sparql.text import refusal
from graph.store import Dataset, StoreError, StoreTimeout
from graph.questions.results import spreadsheet_csv, term_text
from ontology import FORMATS, RDF, SD, all_prefixes
from web.errors import Problem

bp = Blueprint("sparql", __name__)
POOL_EXTENSION = "policygraph.query_pool"  # app.extensions key of the QueryPool, when the store has one
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


def evaluate(store: Any, text: str, *, limit: int, timeout: float, allow_service: bool = False,
             dataset: Dataset | None = None, base_iri: str | None = None,
             pool: QueryPool | None = None, client: str = "") -> Answer:
    """Check and run a query under the deadline and the row limit; problems become `QueryRefused`.

    `dataset` (the protocol's default-graph-uri / named-graph-uri) replaces the query's own;
    `base_iri` resolves relative IRIs. With a pool (an embedded store on disk), the query runs in a
    worker process that is killed at the deadline; otherwise (a store in memory, a remote endpoint)
    in a thread, see `run_with_deadline` for what that cannot stop."""
    check_query(text, allow_service)
    started = time.perf_counter()
    generation = store.generation() if pool is not None else None
    if generation is not None:
        try:
            return pool.run(generation, text, client=client, limit=limit, timeout=timeout,
                            dataset=dataset, base_iri=base_iri)
        except PoolRefusal as refusal:
            raise QueryRefused(refusal.status, refusal.message) from None
        except QueryFailed as error:
            raise QueryRefused(400, f"the query failed: {error}") from None

    def work(cancel: threading.Event) -> Answer:
        if cancel.is_set():  # waited in the queue past its deadline: do not start
            raise Cancelled()
        try:
            return collect(store.query(text, dataset=dataset, base_iri=base_iri), limit, cancel)
        except StoreTimeout as error:  # a remote engine's own time limit: the same 503 as ours
            raise QueryRefused(503, f"the query took too long and was stopped: {error}") from None
        except StoreError as error:
            raise QueryRefused(400, str(error)) from None
        except (SyntaxError, ValueError, OSError, RuntimeError) as error:
            raise QueryRefused(400, f"the query failed: {error}") from None

    answer = run_with_deadline(work, timeout)
    answer.elapsed = time.perf_counter() - started
    return answer


def evaluate_request(text: str, dataset: Dataset | None = None) -> Answer:
    """`evaluate` as the endpoint and the workbench run a person's query: the app's limits, its
    query pool, the client's address for the fair share, and this endpoint as the base IRI."""
    config = current_app.config
    return evaluate(config["STORE"], text, limit=int(config["RESULT_LIMIT"]), timeout=float(config["QUERY_TIMEOUT"]),
                    allow_service=bool(config.get("ALLOW_SERVICE")), dataset=dataset,
                    base_iri=url_for("sparql.endpoint", _external=True),
                    pool=current_app.extensions.get(POOL_EXTENSION), client=request.remote_addr or "")


# ------------------------------------------------------------------------------ serialisation
def serialize_results(answer: Answer, key: str, spreadsheet: bool = False) -> bytes:
    """SELECT/ASK answers in one of RESULT_FORMATS; pyoxigraph writes XML, CSV and TSV from our JSON.

    `spreadsheet`: a CSV download (a `format=csv` link) is opened in Excel, so cells that would be
    formulas are neutralised (graph.questions.results.spreadsheet_csv); CSV negotiated with `Accept: text/csv`
    goes to programs and stays the standard SPARQL CSV format, values untouched."""
    if key == "csv" and spreadsheet and answer.kind == "select":
        return spreadsheet_csv(answer.variables, ([term_text(t) for t in row] for row in answer.rows)).encode()
    body = results_json(answer)
    if key == "json":
        return body
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[key][1])


def serialize_graph(triples: list[ox.Triple], key: str) -> bytes:
    rdf_format = GRAPH_FORMATS[key][1]
    if rdf_format == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=rdf_format, prefixes=all_prefixes())
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


def _respond(body: bytes, mime: str, headers: dict[str, str] | None = None) -> Response:
    response = Response(body, 200, mimetype=mime)
    if mime.startswith("text/") or mime.endswith(("json", "xml", "triples")):
        response.charset = "utf-8"
    response.headers.update(headers or {})
    return response


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """Any web page may read our answers (and our refusals, which the error handler builds)."""
    response.headers.update(_CORS)
    return response


def answer_response(answer: Answer) -> Response:
    """An answer in the negotiated format, with the truncation headers and a file name for downloads."""
    if answer.kind == "graph":
        key = _choose(GRAPH_FORMATS, _GRAPH_ALIASES, "ttl", _GRAPH_GENERIC)
        body, mime = serialize_graph(answer.triples, key), GRAPH_FORMATS[key][0]
    else:
        key = _choose(RESULT_FORMATS, _RESULT_ALIASES, "json", _RESULT_GENERIC)
        body = serialize_results(answer, key, spreadsheet=bool(request.values.get("format")))
        mime = RESULT_FORMATS[key][0]
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


_DIRECT = {"application/sparql-query": "query", "application/sparql-update": "update"}
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_DATASET_PARAMETERS = {"query": ("default-graph-uri", "named-graph-uri"),
                       "update": ("using-graph-uri", "using-named-graph-uri")}


def _body() -> str:
    """A direct POST's body: SPARQL text is UTF-8 (the media types say so); anything else is refused
    rather than guessed at, since a misread query would be answered wrongly, not fail."""
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower().replace("-", "") != "utf8":
        raise QueryRefused(415, f"{request.mimetype} is sent as UTF-8, not {charset}")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryRefused(400, f"the body is not valid UTF-8: {error}") from None


def _operation() -> tuple[str, str | None]:
    """('query' | 'update', text) from the request, per SPARQL 1.1 Protocol sections 2.1 and 2.2.

    A POST says what its body is: a form or SPARQL text. One without a content type is refused,
    not guessed at: `query=ASK...` read as SPARQL, or SPARQL read as an empty form, would both be
    answered with something the client did not ask for."""
    if request.method == "POST":
        direct = _DIRECT.get(request.mimetype)
        if direct:
            given = [name for name in ("query", "update") if name in request.args]
            if given:
                raise QueryRefused(400, f"the {direct} is the body of this POST; do not also give "
                                        f"'{given[0]}' in the URL")
            return direct, _body()
        if request.mimetype not in _FORMS:
            raise QueryRefused(415, f"unsupported content type {request.mimetype or '(none)'!r}; send a "
                                    "form (application/x-www-form-urlencoded), application/sparql-query "
                                    "or application/sparql-update")
    query, update = _single("query"), _single("update")
    if query is not None and update is not None:
        raise QueryRefused(400, "give either 'query' or 'update', not both")
    if update is not None:
        if request.method != "POST":
            raise QueryRefused(400, "updates must be sent with POST")
        return "update", update
    return "query", query


def _dataset(operation: str) -> Dataset | None:
    """The dataset named by the protocol parameters of this operation (sections 2.1.4 and 2.2.3),
    or None. The other operation's parameters are refused: ignoring them would quietly answer over
    other graphs than the client meant."""
    own = _DATASET_PARAMETERS[operation]
    for kind, names in _DATASET_PARAMETERS.items():
        stray = [name for name in names if kind != operation and request.values.getlist(name)]
        if stray:
            raise QueryRefused(400, f"'{stray[0]}' is for {'queries' if kind == 'query' else 'updates'}; "
                                    f"a {operation} takes {' and '.join(own)}")
    default, named = ([*request.args.getlist(name), *(request.form.getlist(name) if request.method == "POST" else [])]
                      for name in own)
    if not default and not named:
        return None
    try:
        return Dataset(tuple(default), tuple(named))
    except ValueError as error:
        raise QueryRefused(400, f"{' / '.join(own)}: {error}") from None


def _run_update(text: str, dataset: Dataset | None) -> Response:
    """Updates only with the configured bearer token; compared in constant time. Relative IRIs in the
    update resolve against this endpoint (the protocol lets the service choose the base IRI)."""
    token = current_app.config.get("UPDATE_TOKEN")
    given = request.headers.get("Authorization", "")
    if not token or not given.startswith("Bearer ") or \
            not hmac.compare_digest(given[len("Bearer "):].encode(), str(token).encode()):
        raise QueryRefused(403, "updates are not allowed: this endpoint is read-only unless an update "
                                "token is configured and sent as 'Authorization: Bearer <token>'")
    if not text.strip():
        raise QueryRefused(400, "missing 'update' text")
    try:
        current_app.config["STORE"].update(text, dataset=dataset,
                                           base_iri=url_for("sparql.endpoint", _external=True))
    except StoreError as error:
        raise QueryRefused(400, str(error)) from None
    return Response(status=204)


def _browser_wants_a_page() -> bool:
    """A person who followed a /sparql?query= link in a browser gets the workbench showing the result
    (SPARQL clients never prefer text/html; `format=` links are downloads and are answered as asked)."""
    if request.method != "GET" or request.values.get("format"):
        return False
    offered = [mime for mime, _ in RESULT_FORMATS.values()] + [mime for mime, _ in GRAPH_FORMATS.values()]
    return request.accept_mimetypes.best_match(offered + ["text/html"]) == "text/html"


def _no_query() -> Response:
    """Browsers go to the workbench; RDF clients get the service description."""
    best = request.accept_mimetypes.best_match([mime for mime, _ in GRAPH_FORMATS.values()] + ["text/html"])
    if best == "text/html":
        return redirect(url_for("workbench.editor"), 303)
    key = _choose(GRAPH_FORMATS, _GRAPH_ALIASES, "ttl", _GRAPH_GENERIC)
    return _respond(serialize_graph(service_description(), key), GRAPH_FORMATS[key][0])


def service_description() -> list[ox.Triple]:
    """SPARQL 1.1 Service Description of this endpoint: what it speaks and which formats it writes."""
    sd, formats = SD, FORMATS
    rdf_type = ox.NamedNode(RDF + "type")
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
    response.headers.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                             "Access-Control-Allow-Headers": "Accept, Content-Type",
                             "Access-Control-Max-Age": "86400"})
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    try:
        operation, text = _operation()
        dataset = _dataset(operation)
        if operation == "update":
            return _run_update(text or "", dataset)
        if text is None:
            return _no_query()
        if dataset is None and _browser_wants_a_page():  # the workbench has no place for a dataset
            return redirect(url_for("workbench.editor", query=text), 303)
        return answer_response(evaluate_request(text, dataset))
    except QueryRefused as refusal:
        headers = {"Retry-After": "60"} if refusal.status in (429, 503) else None
        raise Problem(refusal.status, refusal.message, headers=headers) from None
