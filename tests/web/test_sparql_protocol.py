"""The W3C SPARQL 1.1 Protocol test suite, read from its manifest and run against /sparql.

The manifest (tests/w3c_protocol/, vendored unchanged) describes each test as HTTP requests with the
response expected: a status class, and for answers their format ("boolean", "tabular", "RDF") and
the boolean. Each test gets a fresh app over a store holding the test's data, each in the named graph
the manifest gives it, with an update token configured; every request carries that token, so a
refusal the suite expects must come from the protocol rules, not from a missing token.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.store import GraphContent, OxigraphStore
from web import create_app

HERE = Path(__file__).resolve().parents[1] / "w3c_protocol"
MANIFEST_IRI = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest"
TOKEN = "w3c-protocol-token"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

RESULT_TYPES = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                "text/csv": ox.QueryResultsFormat.CSV,
                "text/tab-separated-values": ox.QueryResultsFormat.TSV}
# The suite's answer formats: booleans come as XML or JSON; tables as any results format; graphs as
# RDF/XML, Turtle or N-Triples (RDFa, also allowed, is not something this endpoint writes).
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
GRAPH_TYPES = {"application/rdf+xml": ox.RdfFormat.RDF_XML, "text/turtle": ox.RdfFormat.TURTLE,
               "application/n-triples": ox.RdfFormat.N_TRIPLES}


@dataclass
class Request:
    """One HTTP request of a test and the response the suite expects to it."""

    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    statuses: set[int]                      # acceptable status classes: 2 for 2xx, ...
    expected_format: str | None = None
    expected_boolean: bool | None = None


@dataclass
class ProtocolTest:
    name: str
    title: str
    graphs: dict[str, Path] = field(default_factory=dict)   # graph IRI -> data file
    requests: list[Request] = field(default_factory=list)


def _manifest() -> ox.Store:
    store = ox.Store()
    store.load(path=str(HERE / "manifest.ttl"), format=ox.RdfFormat.TURTLE, base_iri=MANIFEST_IRI + ".ttl")
    return store


def _objects(graph: ox.Store, subject, predicate: str) -> list:
    return [q.object for q in graph.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def _one(graph: ox.Store, subject, predicate: str):
    values = _objects(graph, subject, predicate)
    return values[0] if values else None


def _list(graph: ox.Store, head) -> list:
    items = []
    while head is not None and head != ox.NamedNode(RDF + "nil"):
        items.append(_one(graph, head, RDF + "first"))
        head = _one(graph, head, RDF + "rest")
    return items


def _request(graph: ox.Store, node) -> Request:
    body_node = _one(graph, node, HT + "body")
    body = None
    if body_node is not None:
        encoding = _one(graph, body_node, CNT + "characterEncoding")
        body = _one(graph, body_node, CNT + "chars").value.encode(encoding.value if encoding else "utf-8")
    headers = {_one(graph, h, HT + "fieldName").value: _one(graph, h, HT + "fieldValue").value
               for h in _list(graph, _one(graph, node, HT + "headers"))}
    response = _one(graph, node, HT + "resp")
    statuses = {int(s.value[len(HTS)]) for s in _objects(graph, response, MF + "expectedStatus")}
    expected_format = _one(graph, response, MF + "expectedFormat")
    expected_boolean = _one(graph, response, MF + "expectedBoolean")
    return Request(method=_one(graph, node, HT + "methodName").value,
                   path=_one(graph, node, HT + "absolutePath").value,
                   body=body, headers=headers, statuses=statuses,
                   expected_format=expected_format.value if expected_format else None,
                   expected_boolean=expected_boolean.value == "true" if expected_boolean else None)


def load_tests() -> list[ProtocolTest]:
    """Every entry of the manifest, in its order."""
    graph = _manifest()
    entries = _list(graph, _one(graph, ox.NamedNode(MANIFEST_IRI + ".ttl"), MF + "entries"))
    tests = []
    for entry in entries:
        test = ProtocolTest(name=entry.value.rsplit("#", 1)[1], title=_one(graph, entry, MF + "name").value)
        for data in _objects(graph, entry, UT + "graphData"):
            file_name = _one(graph, data, UT + "graph").value.rsplit("/", 1)[1]
            test.graphs[_one(graph, data, RDFS + "label").value] = HERE / file_name
        action = _one(graph, entry, MF + "action")
        test.requests = [_request(graph, r) for r in _list(graph, _one(graph, action, HT + "requests"))]
        if not test.requests or not all(r.statuses for r in test.requests):
            raise ValueError(f"{test.name}: no request or no expected status read from the manifest")
        tests.append(test)
    return tests


TESTS = load_tests()


def _store(test: ProtocolTest) -> OxigraphStore:
    store = OxigraphStore()
    contents = []
    for graph, path in test.graphs.items():
        triples = ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        contents.append(GraphContent(graph, [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
                                             for t in triples]))
    store.replace_graphs(contents)
    return store


def _answer_problems(request: Request, response) -> list[str]:
    """What is wrong with an answer's format or content, by the manifest's expectations."""
    mime = response.mimetype
    if request.expected_format == "RDF":
        if mime not in GRAPH_TYPES:
            return [f"expected RDF, got {mime}"]
        list(ox.parse(response.data, format=GRAPH_TYPES[mime]))  # raises if it is not what it says
        return []
    allowed = BOOLEAN_TYPES if request.expected_format == "boolean" else tuple(RESULT_TYPES)
    if mime not in allowed:
        return [f"expected a {request.expected_format} answer, got {mime}"]
    parsed = ox.parse_query_results(response.data, format=RESULT_TYPES[mime])
    if request.expected_format == "boolean":
        if not isinstance(parsed, ox.QueryBoolean):
            return ["expected a boolean answer"]
        if request.expected_boolean is not None and bool(parsed) != request.expected_boolean:
            return [f"expected {request.expected_boolean}, got {bool(parsed)}"]
    elif not isinstance(parsed, ox.QuerySolutions):
        return ["expected a table of solutions"]
    return []


def run(test: ProtocolTest) -> list[list[str]]:
    """The problems found with each request's response, in order (an empty list: that request passed).
    Later requests still run after a failed one, so that each check can be counted on its own."""
    app = create_app({"STORE": _store(test), "TESTING": True, "UPDATE_TOKEN": TOKEN})
    client = app.test_client()
    outcome = []
    for request in test.requests:
        # The manifest's paths start with /sparql/; this endpoint is /sparql (the manifest says to map it).
        path = "/sparql" + request.path[len("/sparql/"):] if request.path.startswith("/sparql/") else request.path
        headers = {"Authorization": f"Bearer {TOKEN}"}
        headers.update({("Content-Type" if k.lower() == "content-type" else k): v for k, v in request.headers.items()})
        response = client.open(path, method=request.method, data=request.body, headers=headers)
        problems = []
        if response.status_code // 100 not in request.statuses:
            problems.append(f"{request.method} {request.path}: status {response.status_code}, expected "
                            f"{' or '.join(f'{s}xx' for s in sorted(request.statuses))}: "
                            f"{response.get_data(as_text=True)[:200]!r}")
        elif response.status_code // 100 == 2 and request.expected_format:
            problems += _answer_problems(request, response)
        outcome.append(problems)
    return outcome


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(test: ProtocolTest):
    problems = [p for request in run(test) for p in request]
    assert problems == [], f"{test.name} ({test.title})"
