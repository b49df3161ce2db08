"""The remote store on a real Virtuoso (graph/store/remote/store.py): the example data loads through
`policygraph --endpoint`, blank nodes round-trip as stable IRIs, a load that fails half-way leaves
the graphs as they were, and the engine's own graphs are never PolicyGraph's. Each test drops only
the graphs it wrote: the server is shared by the session."""
from __future__ import annotations

import uuid
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.pipeline.load import load_into_store
from graph.store import GraphContent, OxigraphStore, StoreError
from graph.store.remote.writes import STAGING
from graph.store.skolem import SKOLEM_MARK
from ontology import INFERRED_GRAPH
from web.cli import main

ROOT = Path(__file__).resolve().parents[4]
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture
def ex():
    """A name space of this test's own."""
    return f"http://example.org/remote-{uuid.uuid4().hex[:8]}/"


@pytest.fixture
def virtuoso(virtuoso_store):
    before = set(virtuoso_store.graphs())
    yield virtuoso_store
    virtuoso_store.drop_graphs(sorted(set(virtuoso_store.graphs()) - before))


def statement(quad: ox.Quad) -> tuple[str, str, str]:
    value = quad.object.value if isinstance(quad.object, ox.Literal) else str(quad.object)
    return str(quad.subject), str(quad.predicate), value


def every_graph(store) -> set[str]:
    """Every graph the engine holds, its own included."""
    return {row["g"].value for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def test_the_example_data_loads_through_the_command_line_as_on_the_embedded_store(virtuoso, virtuoso_server, tmp_path):
    embedded = OxigraphStore()
    load_into_store(embedded, [ROOT / "data"])
    result = CliRunner().invoke(main, ["--endpoint", virtuoso_server["query"], "load", str(ROOT / "data")])
    assert result.exit_code == 0, result.output
    assert virtuoso.graphs() == embedded.graphs()
    assert virtuoso.count() == embedded.count()
    # The same derived links, on the same skolem IRIs (Virtuoso gives an integral xsd:decimal back as
    # xsd:integer, so literals compare by their value)
    assert {statement(q) for q in virtuoso.quads(INFERRED_GRAPH)} == {statement(q) for q in embedded.quads(INFERRED_GRAPH)}
    stats = CliRunner().invoke(main, ["--endpoint", virtuoso_server["query"], "stats", "--json"])
    assert f'"statements": {embedded.count()}' in stats.output


def test_the_engines_own_graphs_are_not_policygraphs(virtuoso, ex):
    virtuoso.replace_graphs([GraphContent("https://w3id.org/policygraph/id/graph/own-test.ttl", [ox.Quad(
        ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.Literal("x"),
        ox.NamedNode("https://w3id.org/policygraph/id/graph/own-test.ttl"))])])
    system = every_graph(virtuoso) - set(virtuoso.graphs())
    assert "http://www.openlinksw.com/schemas/virtrdf#" in system
    assert not {str(q.graph_name.value) for q in virtuoso.quads()} & system
    assert virtuoso.count() == sum(virtuoso.count(g) for g in virtuoso.graphs())
    assert "virtrdf" not in virtuoso.export("nquads").decode()


def test_blank_nodes_round_trip_as_stable_iris_with_their_derived_links(virtuoso, ex, tmp_path):
    turtle = tmp_path / "blank.ttl"
    turtle.write_text(f"@prefix skos: <{SKOS}> . @prefix ex: <{ex}> .\n"
                      "ex:a skos:broader [ skos:prefLabel \"middle\"@en ; skos:broader ex:c ] .\n")
    embedded = OxigraphStore()
    load_into_store(embedded, [turtle], validate=False)
    load_into_store(virtuoso, [turtle], validate=False)
    middle = [r["m"] for r in virtuoso.query(f"SELECT ?m WHERE {{ <{ex}a> skos:broader ?m }}")]
    assert len(middle) == 1 and SKOLEM_MARK in middle[0].value
    derived = {(r["x"].value, r["y"].value) for r in virtuoso.query(
        "SELECT ?x ?y WHERE { GRAPH ?g { ?x skos:broaderTransitive ?y } }", {"g": ox.NamedNode(INFERRED_GRAPH)})}
    assert {(ex + "a", middle[0].value), (middle[0].value, ex + "c"), (ex + "a", ex + "c")} <= derived
    graph = next(g for g in virtuoso.graphs() if g.endswith("blank.ttl"))
    first = {str(q) for q in virtuoso.quads(graph)}
    load_into_store(virtuoso, [turtle], validate=False)  # the parser names the blank node afresh
    assert {str(q) for q in virtuoso.quads(graph)} == first == {str(q) for q in embedded.quads(graph)}
    assert [r["m"] for r in virtuoso.query(f"SELECT ?m WHERE {{ <{ex}a> skos:broader ?m }}")] == middle


def test_a_graph_larger_than_one_operation_is_written_in_chunks(virtuoso, ex):
    graph = ex + "big"
    quads = [ox.Quad(ox.NamedNode(f"{ex}n{i}"), ox.NamedNode(ex + "p"), ox.Literal(str(i)), ox.NamedNode(graph))
             for i in range(2500)]  # Virtuoso refuses one operation of this size
    assert virtuoso.replace_graphs([GraphContent(graph, quads)]) == 2500
    assert virtuoso.count(graph) == 2500
    virtuoso.append([ox.Quad(ox.NamedNode(ex + "x"), ox.NamedNode(ex + "p"), ox.BlankNode(), ox.NamedNode(graph))])
    assert virtuoso.count(graph) == 2501 and graph in virtuoso.graphs()


def test_a_load_that_fails_half_way_leaves_the_previous_graphs_as_they_were(virtuoso, ex, monkeypatch):
    graphs = [ex + "g1", ex + "g2"]

    def content(value: str) -> list[GraphContent]:
        return [GraphContent(g, [ox.Quad(ox.NamedNode(f"{ex}n{i}"), ox.NamedNode(ex + "p"), ox.Literal(value),
                                         ox.NamedNode(g)) for i in range(30)]) for g in graphs]

    virtuoso.replace_graphs(content("old"))
    before = {g: sorted(str(q) for q in virtuoso.quads(g)) for g in graphs}
    writes, real_write = [], virtuoso._write

    def failing_write(sparql, **options):
        writes.append(sparql)
        if len(writes) == 4:  # the second graph's second chunk: the first graph is fully staged
            raise StoreError("the connection was lost")
        return real_write(sparql, **options)

    monkeypatch.setattr(virtuoso, "chunk_triples", 10)
    monkeypatch.setattr(virtuoso, "_write", failing_write)
    with pytest.raises(StoreError, match="connection was lost"):
        virtuoso.replace_graphs(content("new"))
    monkeypatch.undo()
    assert {g: sorted(str(q) for q in virtuoso.quads(g)) for g in graphs} == before
    assert not any(g.startswith(STAGING) for g in every_graph(virtuoso))


def test_the_example_data_loads_by_the_graph_store_protocol_as_on_the_embedded_store(virtuoso, virtuoso_server,
                                                                                     monkeypatch):
    """POLICYGRAPH_GRAPH_STORE: statements are POSTed as N-Triples (no INSERT DATA carries any), with
    the same graphs, statements and derived links as a load into the embedded store."""
    from graph.store.remote.auth import Connection

    embedded = OxigraphStore()
    load_into_store(embedded, [ROOT / "data"])
    sent, updates, real_send = [], [], Connection.send

    def watched_send(self, url, body, content_type, accept):
        (sent if content_type == "application/n-triples" else updates).append(body)
        return real_send(self, url, body, content_type, accept)

    monkeypatch.setattr(Connection, "send", watched_send)
    monkeypatch.setenv("POLICYGRAPH_GRAPH_STORE", virtuoso_server["graph_store"])
    result = CliRunner().invoke(main, ["--endpoint", virtuoso_server["query"], "load", str(ROOT / "data")])
    assert result.exit_code == 0, result.output
    assert sum(body.count(b" .\n") for body in sent) == embedded.count()
    assert not any(b"INSERT+DATA" in body for body in updates)
    assert virtuoso.graphs() == embedded.graphs() and virtuoso.count() == embedded.count()
    assert {statement(q) for q in virtuoso.quads(INFERRED_GRAPH)} == {statement(q) for q in embedded.quads(INFERRED_GRAPH)}


def test_a_graph_store_load_that_fails_half_way_leaves_the_previous_graphs_as_they_were(graph_store_virtuoso_store,
                                                                                      ex, monkeypatch):
    store, graphs = graph_store_virtuoso_store, [ex + "g1", ex + "g2"]

    def content(value: str) -> list[GraphContent]:
        return [GraphContent(g, [ox.Quad(ox.NamedNode(f"{ex}n{i}"), ox.NamedNode(ex + "p"), ox.Literal(value),
                                         ox.NamedNode(g)) for i in range(30)]) for g in graphs]

    store.replace_graphs(content("old"))
    before = {g: sorted(str(q) for q in store.quads(g)) for g in graphs}
    posts, real_send = [], store.connection.send

    def failing_send(url, body, content_type, accept):
        if content_type == "application/n-triples":
            posts.append(url)
            if len(posts) == 4:  # the second graph's second body: the first graph is fully staged
                raise StoreError("the connection was lost")
        return real_send(url, body, content_type, accept)

    monkeypatch.setattr(store, "graph_store_chunk_triples", 10)
    monkeypatch.setattr(store.connection, "send", failing_send)
    with pytest.raises(StoreError, match="connection was lost"):
        store.replace_graphs(content("new"))
    monkeypatch.undo()
    try:
        assert {g: sorted(str(q) for q in store.quads(g)) for g in graphs} == before
        assert not any(g.startswith(STAGING) for g in every_graph(store))
    finally:
        store.drop_graphs(graphs)


@pytest.fixture(scope="module")
def impatient_virtuoso(tmp_path_factory):
    """A Virtuoso of its own whose MaxQueryExecutionTime is one second, and that refuses a query whose
    estimated time passes 400 s (MaxQueryCostEstimationTime, which an operator may set)."""
    from tests.virtuoso import start_virtuoso, stop_virtuoso

    process, addresses = start_virtuoso(tmp_path_factory.mktemp("impatient-virtuoso"), query_seconds=1,
                                        estimate_seconds=400)
    yield addresses
    stop_virtuoso(process)


@pytest.mark.parametrize("sparql", [
    # refused up front: its estimated time passes MaxQueryCostEstimationTime
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    # started, then stopped at MaxQueryExecutionTime (or answered in part)
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(REGEX(CONCAT(STR(?c), STR(?f)), 'x(y|z)*q$')) }",
])
def test_a_query_past_the_engines_time_limit_is_a_timeout(impatient_virtuoso, sparql):
    """Virtuoso refuses a query it expects to take too long, stops one that does, or hands back what
    it had, marked as partial: each time the store says the query took too long, never a wrong answer."""
    from graph.store import SparqlEndpointStore, StoreTimeout

    store = SparqlEndpointStore(impatient_virtuoso["query"])
    with pytest.raises(StoreTimeout):
        list(store.query(sparql))


def _forms_sent(store, monkeypatch) -> list:
    sent, post = [], store.connection.post
    monkeypatch.setattr(store.connection, "post", lambda url, form, accept: sent.append(dict(form)) or post(url, form, accept))
    return sent


def test_virtuoso_is_handed_the_stores_time_limit(virtuoso, monkeypatch):
    """Virtuoso stops a query itself at the deadline it is given (its `timeout` form parameter, in ms):
    a query the store gave up on does not hold the engine until the engine's own, longer limit."""
    virtuoso.query("ASK {}")   # the first answer names the engine (its Server header)
    sent = _forms_sent(virtuoso, monkeypatch)
    virtuoso.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert sent[0]["timeout"] == str(int(virtuoso.timeout * 1000))


def test_other_engines_get_no_parameter_of_virtuosos(remote_store, monkeypatch):
    remote_store.query("ASK {}")
    sent = _forms_sent(remote_store, monkeypatch)
    remote_store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert "timeout" not in sent[0] and not remote_store.connection.virtuoso
