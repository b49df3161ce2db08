"""The Python rules derive exactly what their SPARQL specification (tests/derive_reference.py) derives.

Compared on the example graph, a synthetic two-municipality graph and a small graph of edge cases
(cycles in broader, units of units, amounts in every numeric type, lines without a body of their
own), in one store each so that blank nodes are the same on both sides.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.pipeline.derive import INFERRED_GRAPH, derive
from graph.pipeline.load import graph_contents, ontology_content
from graph.store import OxigraphStore
from loaders import load_paths
from tests.derive_reference import reference_triples

ROOT = Path(__file__).resolve().parents[3]
PG = "https://w3id.org/policygraph/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

EDGE_CASES = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://w3id.org/policygraph/id/test/> .

:young skos:broader :people . :people skos:broader :everyone . :everyone skos:broader :people .
:sport skos:broader :leisure .
:town a pg:Municipality . :admin org:unitOf :town . :office org:unitOf :admin . :board pg:municipality :town .
:plan a pg:ActionPlan ; pg:municipality :town ; pg:adoptedBy :board ; pg:hasFocusArea :area ; pg:hasGoal :g0 .
:area pg:hasFocusArea :sub ; pg:hasGoal :g1 ; pg:underBearing :bearing .
:sub pg:hasInitiative :i1, :i2 ; pg:hasBudgetLine :line ; pg:hasSuccessCriterion :crit ; pg:underBearing :bearing .
:g0 a pg:Goal . :g1 a pg:Goal .
:i1 a pg:Initiative ; dct:audience :young ; dct:subject :sport ; pg:responsibleBody :office ; pg:coordinatesWith :i2 ;
    pg:hasTargetGroupSize [ pg:targetGroup :everyone ] ;
    pg:hasBudgetAllocation [ pg:fiscalYear "2021"^^xsd:gYear ; schema:value 1.5 ; pg:unitMultiplier 1000 ] ,
                           [ pg:fiscalYear "2019"^^xsd:gYear ; schema:value "2.50"^^xsd:decimal ] ,
                           [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 3 ; pg:unitMultiplier 1000 ] .
:i2 a pg:Initiative ; pg:continues :i0 ; pg:supports :g1 ;
    pg:hasBudgetAllocation [ pg:fiscalYear "2022"^^xsd:gYear ; schema:value 1.0E2 ; pg:unitMultiplier 3 ] ,
                           [ pg:fiscalYear "2022"^^xsd:gYear ; schema:value "many" ] .
:line pg:hasBudgetAllocation [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 0.1 ; pg:unitMultiplier 3 ] .
:loose a pg:Initiative ; pg:responsibleBody :office ; pg:implements :plan .
:j1 a pg:Initiative ; dct:audience :young ; dct:subject :sport ; pg:responsibleBody :office ;
    pg:validFrom "2010"^^xsd:gYear ; pg:validUntil "2012"^^xsd:gYear .
:j2 a pg:Initiative ; dct:audience :people ; dct:subject :leisure ; pg:responsibleBody :admin ; pg:validFrom "2015"^^xsd:gYear .
:j3 a pg:Initiative ; dct:audience :people ; dct:subject :leisure ; pg:responsibleBody :admin ; pg:validFrom "2011"^^xsd:gYear .
"""


def asserted_store(paths: list[Path]) -> OxigraphStore:
    store = OxigraphStore()
    store.replace_graphs([ontology_content()] + graph_contents(load_paths(paths)))
    return store


def python_triples(store: OxigraphStore) -> set[tuple]:
    """The derived graph as the Python rules write it, without the budget sum nodes (Python only)."""
    derive(store)
    quads = store.quads(INFERRED_GRAPH)
    sums = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == ox.NamedNode(PG + "BudgetSum")}
    return {(q.subject, q.predicate, q.object) for q in quads if q.subject not in sums}


def assert_same_derivation(store: OxigraphStore) -> set[tuple]:
    expected = reference_triples(store)
    store.drop_graphs([INFERRED_GRAPH])
    found = python_triples(store)
    assert sorted(map(str, found - expected))[:5] == [] and sorted(map(str, expected - found))[:5] == []
    return found


def test_rules_match_their_sparql_specification_on_the_example_graph():
    store = asserted_store([ROOT / "data"])
    found = assert_same_derivation(store)
    assert len(found) > 500
    assert any(p.value == PG + "mayOverlapWith" for s, p, o in found)


def test_rules_match_their_sparql_specification_on_edge_cases(tmp_path):
    path = tmp_path / "edge.ttl"
    path.write_text(EDGE_CASES, encoding="utf-8")
    found = assert_same_derivation(asserted_store([path]))
    test = "https://w3id.org/policygraph/id/test/"
    amounts = {o.value for s, p, o in found if p.value == PG + "amountDKK"}
    assert {"1500", "2.5", "3000", "300", "0.3"} <= amounts
    assert (ox.NamedNode(test + "young"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#broaderTransitive"),
            ox.NamedNode(test + "everyone")) in found
    assert (ox.NamedNode(test + "loose"), ox.NamedNode(PG + "inMunicipality"), ox.NamedNode(test + "town")) in found
    pairs = {(s.value[len(test):], o.value[len(test):]) for s, p, o in found if p.value == PG + "mayOverlapWith"}
    assert {("j1", "j3"), ("j3", "j1"), ("j2", "j3")} <= pairs
    assert ("j1", "j2") not in pairs  # 2010-2012 and from 2015: apart


def test_rules_match_their_sparql_specification_on_a_synthetic_graph(tmp_path):
    from bench.generate import Template, generate

    generate(tmp_path / "s.nq", municipalities=2, scale=2, seed=7, template=Template())
    found = assert_same_derivation(asserted_store([tmp_path / "s.nq"]))
    assert len(found) > 1500


def test_derive_replaces_the_derived_graph_and_keeps_budget_sums(tmp_path):
    store = asserted_store([ROOT / "data"])
    first = derive(store)
    assert derive(store) == first == store.count(INFERRED_GRAPH)
    assert store.query("ASK { GRAPH <%s> { ?s a pg:BudgetSum ; pg:amountDKK ?a ; pg:fiscalYear ?y } }" % INFERRED_GRAPH)



def test_a_load_into_an_empty_store_derives_what_reading_the_store_back_derives():
    from graph.pipeline.load import load_into_store

    store = OxigraphStore()
    load_into_store(store, [ROOT / "data"], validate=False)  # derives from the quads in hand

    def named_triples() -> set[tuple]:
        return {(q.subject, q.predicate, q.object) for q in store.quads(INFERRED_GRAPH)
                if not isinstance(q.subject, ox.BlankNode)}

    from_load, count = named_triples(), store.count(INFERRED_GRAPH)
    derive(store)  # reads the store back
    assert from_load and from_load == named_triples() and count == store.count(INFERRED_GRAPH)


def test_a_load_next_to_other_files_derives_from_all_of_them(tmp_path):
    from graph.pipeline.load import load_into_store

    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                     "<https://w3id.org/policygraph/id/tg/a> skos:broader <https://w3id.org/policygraph/id/tg/b> .\n")
    second.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                      "<https://w3id.org/policygraph/id/tg/b> skos:broader <https://w3id.org/policygraph/id/tg/c> .\n")
    store = OxigraphStore()
    load_into_store(store, [first], validate=False)
    load_into_store(store, [second], validate=False)  # the first file stays: read back from the store
    assert store.query("ASK { <https://w3id.org/policygraph/id/tg/a> skos:broaderTransitive "
                       "<https://w3id.org/policygraph/id/tg/c> }")
