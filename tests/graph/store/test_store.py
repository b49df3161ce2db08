"""The store API behaves the same on embedded Oxigraph and on remote SPARQL 1.1 endpoints: `oxigraph
serve` (or the endpoint POLICYGRAPH_TEST_ENDPOINT names) and a real Virtuoso. The remote stores
are shared by the session, so every test writes graphs under its own name space and drops them."""
from __future__ import annotations

import uuid

import pyoxigraph as ox
import pytest
import rdflib

from graph.store import GraphContent, MemoryReplica, OxigraphStore, StoreError, open_store

EX = f"http://example.org/store-test-{uuid.uuid4().hex[:8]}/"


def quad(s: str, p: str, o: str | ox.Literal, g: str) -> ox.Quad:
    obj = o if isinstance(o, ox.Literal) else ox.NamedNode(EX + o)
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + p), obj, ox.NamedNode(EX + g))


@pytest.fixture(params=["embedded", "remote", "replica", "virtuoso", "graph_store_remote", "graph_store_virtuoso"])
def store(request, memory_store, tmp_path):
    if request.param == "replica":
        replica = MemoryReplica(OxigraphStore(tmp_path / "disk"))
        yield replica
        replica.close()
        return
    if request.param == "embedded":
        yield memory_store
        return
    remote = request.getfixturevalue({"remote": "shared_remote_store"}.get(request.param, f"{request.param}_store"))
    yield remote
    drop_ours(remote)


def drop_ours(store) -> None:
    """Drop the graphs this test module wrote (and only those) from a shared endpoint."""
    rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    store.drop_graphs([row["g"].value for row in rows if row["g"].value.startswith(EX)])


def ours(store) -> list[str]:
    return [g for g in store.graphs() if g.startswith(EX)]


def test_replace_graphs_writes_named_graphs_and_replaces_on_reload(store):
    before = store.count()  # a shared endpoint may hold graphs of others
    store.replace_graphs([GraphContent(EX + "g1", [quad("a", "p", "b", "g1"), quad("a", "p", "c", "g1")]),
                          GraphContent(EX + "g2", [quad("x", "p", "y", "g2")])])
    assert ours(store) == [EX + "g1", EX + "g2"]
    assert store.count() == before + 3
    store.replace_graphs([GraphContent(EX + "g1", [quad("a", "p", "d", "g1")])])
    assert store.count(EX + "g1") == 1
    assert store.count() == before + 2


def test_default_graph_is_the_union_of_named_graphs(store):
    store.replace_graphs([GraphContent(EX + "g1", [quad("a", "p", "b", "g1")]),
                          GraphContent(EX + "g2", [quad("b", "p", "c", "g2")])])
    rows = list(store.query(f"SELECT ?z WHERE {{ <{EX}a> <{EX}p>/<{EX}p> ?z }}"))
    assert [r["z"].value for r in rows] == [EX + "c"]


def test_a_failed_write_leaves_the_store_as_it_was(store):
    store.replace_graphs([GraphContent(EX + "g1", [quad("a", "p", "b", "g1")])])
    with pytest.raises(StoreError):
        store.update(f"DROP GRAPH <{EX}g1> ; INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}a> <{EX}p> }} }}")
    assert store.count(EX + "g1") == 1


def test_bound_parameters_are_terms_not_text(store):
    hostile = 'x" } ; DROP ALL ; SELECT * { "'
    store.replace_graphs([GraphContent(EX + "g", [quad("a", "label", ox.Literal(hostile), "g"),
                                                  quad("b", "label", ox.Literal("plain"), "g")])])
    sparql = f"SELECT ?s WHERE {{ ?s <{EX}label> ?text }}"
    rows = list(store.query(sparql, {"text": hostile}))
    assert [r["s"].value for r in rows] == [EX + "a"]
    assert store.count(EX + "g") == 2


def test_bound_parameters_apply_inside_filters(store):
    year = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    store.replace_graphs([GraphContent(EX + "g", [quad("a", "year", ox.Literal("2019", datatype=year), "g"),
                                                  quad("b", "year", ox.Literal("2022", datatype=year), "g")])])
    sparql = f"SELECT ?s WHERE {{ ?s <{EX}year> ?y FILTER(?y >= ?from) }} ORDER BY ?s"
    assert [r["s"].value for r in store.query(sparql, {"from": 2020})] == [EX + "b"]


def test_syntax_errors_are_store_errors(store):
    with pytest.raises(StoreError):
        list(store.query("SELECT ?s WHERE { ?s ?p }"))


def _three_graphs(store) -> None:
    """a -p-> b in g1, b -p-> c in g2, c -p-> d in g3: a path over the default graph shows which it merges."""
    store.replace_graphs([GraphContent(EX + "g1", [quad("a", "p", "b", "g1")]),
                          GraphContent(EX + "g2", [quad("b", "p", "c", "g2")]),
                          GraphContent(EX + "g3", [quad("c", "p", "d", "g3")])])


def test_a_dataset_chooses_the_default_graph_and_the_named_graphs(store):
    from graph.store import Dataset

    _three_graphs(store)
    path = f"SELECT ?z WHERE {{ <{EX}a> <{EX}p>/<{EX}p> ?z }}"
    assert [r["z"].value for r in store.query(path, dataset=Dataset((EX + "g1", EX + "g2")))] == [EX + "c"]
    assert list(store.query(path, dataset=Dataset((EX + "g1", EX + "g3")))) == []
    named = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    assert [r["g"].value for r in store.query(named, dataset=Dataset(named_graphs=(EX + "g3",)))] == [EX + "g3"]
    # Only named graphs given: the default graph is empty, not the union.
    assert not store.query("ASK { ?s ?p ?o }", dataset=Dataset(named_graphs=(EX + "g1",)))
    # The dataset replaces the query's own FROM.
    assert not store.query(f"ASK FROM <{EX}g1> {{ <{EX}a> ?p ?o }}", dataset=Dataset((EX + "g2",)))


def test_a_query_reads_its_own_from_and_from_named(memory_store, tmp_path):
    """Oxigraph's union default graph overrides FROM unless the store leaves it off for such queries.
    (A remote endpoint applies its own rule here: Oxigraph's server started with
    --union-default-graph ignores FROM, so this is checked on the embedded backends only.)"""
    replica = MemoryReplica(OxigraphStore(tmp_path / "disk"))
    for store in (memory_store, replica):
        _three_graphs(store)
        assert not store.query(f"ASK FROM <{EX}g2> {{ <{EX}a> ?p ?o }}")
        assert store.query(f"ASK FROM <{EX}g1> FROM <{EX}g2> {{ <{EX}a> <{EX}p>/<{EX}p> <{EX}c> }}")
        rows = store.query(f"SELECT ?g FROM NAMED <{EX}g2> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
        assert [r["g"].value for r in rows] == [EX + "g2"]
        assert store.query(f"ASK {{ <{EX}a> <{EX}p>/<{EX}p> <{EX}c> }}")  # no FROM: still the union
    replica.close()


def test_an_update_reads_the_dataset_it_is_given(store):
    from graph.store import Dataset

    _three_graphs(store)
    store.update(f"INSERT {{ GRAPH <{EX}out> {{ ?s a <{EX}Seen> }} }} WHERE {{ ?s <{EX}p> ?o }}",
                 dataset=Dataset((EX + "g1", EX + "g3")))
    assert sorted(q.subject.value for q in store.quads(EX + "out")) == [EX + "a", EX + "c"]
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ ?s <{EX}p> ?o }} }}", dataset=Dataset(named_graphs=(EX + "g2",)))
    assert store.count(EX + "g2") == 0 and store.count(EX + "g1") == 1
    with pytest.raises(StoreError):
        store.update(f"WITH <{EX}g1> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", dataset=Dataset((EX + "g3",)))
    assert store.count(EX + "g1") == 1


def test_an_update_resolves_relative_iris_against_the_base_it_is_given(store):
    store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> <{EX}p> <thing> }} }}", base_iri=EX + "sparql")
    assert [q.object.value for q in store.quads(EX + "g")] == [EX + "thing"]
    rows = store.query(f"SELECT ?s WHERE {{ ?s <{EX}p> <thing> }}", base_iri=EX + "sparql")
    assert [r["s"].value for r in rows] == [EX + "s"]


def test_a_dataset_names_a_graph_by_an_absolute_iri():
    from graph.store import Dataset

    with pytest.raises(ValueError):
        Dataset()
    with pytest.raises(ValueError, match="absolute IRI"):
        Dataset(("data0.rdf",))


@pytest.mark.parametrize("fmt, parse_as", [("turtle", "turtle"), ("nquads", "nquads"), ("jsonld", "json-ld"),
                                           ("trig", "trig"), ("ntriples", "nt"), ("rdfxml", "xml")])
def test_export_round_trips_through_rdflib(store, fmt, parse_as):
    store.replace_graphs([GraphContent(EX + "g", [quad("a", "p", ox.Literal("København", language="da"), "g")])])
    data = store.export(fmt)
    parsed = rdflib.Dataset()
    parsed.parse(data=data, format=parse_as)
    assert any(str(o) == "København" for _s, _p, o, _g in parsed.quads((None, None, None, None)))


def test_embedded_store_persists_on_disk(tmp_path):
    first = OxigraphStore(tmp_path / "store")
    first.replace_graphs([GraphContent(EX + "g", [quad("a", "p", "b", "g")])])
    first.close()
    again = OxigraphStore(tmp_path / "store")
    assert again.count() == 1


def test_a_memory_replica_starts_from_the_disk_and_writes_through_to_it(tmp_path):
    disk = OxigraphStore(tmp_path / "store")
    disk.replace_graphs([GraphContent(EX + "g", [quad("a", "p", "b", "g")])])
    disk.close()
    replica = open_store(tmp_path / "store", in_memory=True)
    assert isinstance(replica, MemoryReplica) and replica.count() == 1
    replica.append([quad("a", "p", "c", "g")])
    replica.update(f"INSERT DATA {{ GRAPH <{EX}h> {{ <{EX}x> <{EX}p> <{EX}y> }} }}")
    assert replica.memory.count() == 3
    replica.close()
    again = OxigraphStore(tmp_path / "store")
    assert again.count() == 3 and again.graphs() == [EX + "g", EX + "h"]
    again.close()


def test_unreachable_endpoint_is_a_clear_error():
    from graph.store import SparqlEndpointStore

    store = SparqlEndpointStore("http://127.0.0.1:9/sparql", timeout=2)
    with pytest.raises(StoreError, match="cannot reach"):
        store.query("ASK {}")


def test_derived_links_are_rebuilt_in_their_own_graph_on_every_load(memory_store, tmp_path):
    from graph.pipeline.derive import INFERRED_GRAPH
    from graph.pipeline.load import load_into_store

    (tmp_path / "v.ttl").write_text(
        f"@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix ex: <{EX}> .\n"
        "ex:a skos:broader ex:b . ex:b skos:broader ex:c .\n")
    load_into_store(memory_store, [tmp_path / "v.ttl"], validate=False)
    closure = {(r["a"].value, r["b"].value) for r in memory_store.query(
        "SELECT ?a ?b WHERE { GRAPH ?g { ?a skos:broaderTransitive ?b } }", {"g": ox.NamedNode(INFERRED_GRAPH)})}
    assert closure == {(EX + "a", EX + "b"), (EX + "b", EX + "c"), (EX + "a", EX + "c")}
    (tmp_path / "v.ttl").write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> . "
                                    f"<{EX}a> skos:broader <{EX}b> .\n")
    load_into_store(memory_store, [tmp_path / "v.ttl"], validate=False)
    assert memory_store.count(INFERRED_GRAPH) == 2  # a broaderTransitive b, b narrowerTransitive a


def test_a_failed_step_after_new_graphs_were_added_drops_them_again(memory_store):
    memory_store.replace_graphs([GraphContent(EX + "old", [quad("a", "p", "b", "old")])])
    with pytest.raises(StoreError):
        memory_store.replace_graphs([GraphContent(EX + "new", [quad("x", "p", "y", "new")]),
                                     GraphContent(EX + "old", [quad("a", "p", "c", "old")])],
                                    then=["INSERT DATA { this is not SPARQL }"])
    assert memory_store.graphs() == [EX + "old"]
    assert [r["o"].value for r in memory_store.query(f"SELECT ?o WHERE {{ <{EX}a> <{EX}p> ?o }}")] == [EX + "b"]


def test_derived_links_follow_the_named_graphs_inside_a_quad_file(memory_store, tmp_path):
    """An N-Quads file keeps its own graph names; derived links must still be built from them."""
    from graph.pipeline.derive import INFERRED_GRAPH
    from graph.pipeline.load import load_into_store

    skos = "http://www.w3.org/2004/02/skos/core#broader"
    (tmp_path / "v.nq").write_text(f"<{EX}a> <{skos}> <{EX}b> <{EX}g1> .\n<{EX}b> <{skos}> <{EX}c> <{EX}g2> .\n")
    load_into_store(memory_store, [tmp_path / "v.nq"], validate=False)
    assert memory_store.count(INFERRED_GRAPH) == 6
