"""Search over the graph's texts: stems, Danish letters either way, ranking, facets, passages, hostile
queries, and an index that follows the store (graph/explore/search.py)."""
from __future__ import annotations

import sqlite3

import pytest

from graph.explore.search import (build_index, fold, index_path, match_expression, query_terms, search,
                                  store_stamp)
from graph.store import OxigraphStore
from ontology import PG

T = "https://w3id.org/policygraph/id/t/"
SMALL = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://w3id.org/policygraph/id/t/> .

:kommune a pg:Municipality ; skos:prefLabel "Køge Kommune"@da , "Køge Municipality"@en .
:plan a pg:ActionPlan ; dct:title "Handleplan for trivsel"@da ; pg:municipality :kommune ;
    pg:validFrom "2020"^^xsd:gYear ; pg:validUntil "2023"^^xsd:gYear ; pg:hasInitiative :a , :b , :c .
:a a pg:Initiative ; skos:prefLabel "Sprogstøtte"@da ;
    dct:description "Støtte til børn i dagtilbud, også om trivsel."@da .
:b a pg:Initiative ; skos:prefLabel "Trivsel i skolen"@da ;
    dct:description "Trivsel for alle elever: trivsel måles hvert år."@da .
:c a pg:Initiative ; skos:prefLabel "Foreningsliv"@da ;
    prov:wasDerivedFrom [ pg:inDocument :kilde ; pg:locator "side 3" ; pg:quotation "Flere unge i foreningerne"@da ] .
:d a pg:Theme ; skos:prefLabel "<script>alert(1)</script> Mistrivsel"@da .
""" + "".join(f':t{n} a pg:Theme ; skos:prefLabel "Tema nummer {n}"@da .\n' for n in range(8))  # bm25 needs a corpus


@pytest.fixture
def small(store_from_turtle):
    return store_from_turtle(SMALL)


def iris(result) -> list[str]:
    return [hit.iri for hit in result.hits]


def test_danish_letters_are_folded_to_one_spelling():
    assert fold("København") == fold("Koebenhavn") == "koebenhavn"
    assert fold("Ærø") == "aeroe" and fold("Åbenrå") == "aabenraa" and fold("café") == "cafe"


def test_oe_finds_oe_and_the_other_way_round(small):
    assert T + "kommune" in iris(search(small, "Koege", "da"))
    assert T + "kommune" in iris(search(small, "KØGE", "da"))


def test_a_query_word_becomes_fts5_strings_only():
    expression = match_expression(query_terms('" OR * NEAR( a:b'))
    assert "NEAR(" not in expression.replace('"near"', "")
    assert all(part.startswith('("') for part in expression.split(" AND "))


@pytest.mark.parametrize("query", ['" OR * NEAR(', "NEAR(a b, 2)", "a:b", '"""', "*", "OR", "title:x", "^a", "(((", "-x"])
def test_a_hostile_query_answers_without_error_and_matches_nothing_it_does_not_say(small, query):
    assert search(small, query, "da").total == 0     # `*` or `NEAR(` passed raw would error or match all


def test_a_hostile_query_cannot_widen_the_search(small):
    assert search(small, "trivsel OR sprogstøtte", "da").total == 0  # OR is a word here, not an operator


def test_ranking_puts_the_resources_named_by_the_word_before_those_that_mention_it(small):
    result = search(small, "trivsel", "da")
    assert set(iris(result)[:2]) == {T + "b", T + "plan"}    # in their labels
    assert iris(result)[2:] == [T + "a"]                      # only in its description


def test_every_word_must_occur(small):
    assert iris(search(small, "trivsel skolen", "da")) == [T + "b"]


def test_a_source_quotation_finds_the_resource_it_is_evidence_for(small):
    result = search(small, "foreninger", "da")
    assert iris(result) == [T + "c"]
    assert result.hits[0].passage.field == "quote"
    assert ("foreningerne", True) in result.hits[0].passage.pieces


def test_a_hit_carries_its_type_municipality_document_and_period(small):
    hit = next(h for h in search(small, "sprogstøtte", "da").hits if h.iri == T + "a")
    assert (hit.type, hit.type_label) == (PG + "Initiative", "indsats")
    assert (hit.municipality, hit.municipality_label) == (T + "kommune", "Køge Kommune")
    assert (hit.document, hit.period) == (T + "plan", "2020-2023")


def test_facets_count_the_hits_and_filter_them(small):
    result = search(small, "trivsel", "da")
    types = {v.value: v.count for v in result.facets["type"]}
    assert types == {PG + "Initiative": 2, PG + "ActionPlan": 1}
    narrowed = search(small, "trivsel", "da", filters={"type": PG + "ActionPlan"})
    assert iris(narrowed) == [T + "plan"] and narrowed.facets["type"][0].chosen


def test_paging_gives_the_rest_and_says_where_it_is(small):
    first = search(small, "trivsel", "da", limit=2)
    second = search(small, "trivsel", "da", offset=2, limit=2)
    assert (first.first, first.last, first.total) == (1, 2, 3)
    assert (second.first, second.last) == (3, 3)
    assert set(iris(first)).isdisjoint(iris(second))


def test_a_passage_is_plain_text_for_whoever_escapes_it(small):
    hit = search(small, "mistrivsel", "da").hits[0]
    assert hit.label.startswith("<script>")      # as stated; web/templates/search.html escapes it


def test_a_store_in_memory_is_indexed_anew_by_build_index(small):
    assert search(small, "borgerservice", "da").total == 0
    small.update('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
                 'INSERT DATA { GRAPH <urn:x> { <urn:x:e> skos:prefLabel "Borgerservice"@da } }')
    build_index(small)
    assert search(small, "borgerservice", "da").total == 1


def test_an_index_on_disk_lives_beside_the_store_and_is_rebuilt_when_stale(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    try:
        store.update('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
                     'INSERT DATA { GRAPH <urn:x> { <urn:x:e> skos:prefLabel "Ældreråd"@da } }')
        build_index(store)
        path = index_path(store)
        assert path == tmp_path / "search.sqlite"
        assert search(store, "aeldrerad", "da").total == 0 and search(store, "aeldreraad", "da").total == 1
        store.update('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
                     'INSERT DATA { GRAPH <urn:x> { <urn:x:f> skos:prefLabel "Ældrerådet mødes"@da } }')
        stamp_before = sqlite3.connect(path).execute("SELECT value FROM meta").fetchone()[0]
        assert stamp_before != store_stamp(store)               # a new generation: the index is stale
        assert search(store, "ældreråd", "da").total == 2        # ... and rebuilt by the first search
        assert sqlite3.connect(path).execute("SELECT value FROM meta").fetchone()[0] == store_stamp(store)
    finally:
        store.close()


# ---------------------------------------------------------------- the seed documents

def test_diskrimination_finds_diskriminationen(example_store):
    """data/koebenhavn: 'diskriminationen' is only in inflected forms in some texts; the stem finds them."""
    result = search(example_store, "diskrimination", "da")
    texts = [piece for hit in result.hits if hit.passage for piece, matched in hit.passage.pieces if matched]
    assert result.total >= 5
    assert any(t.lower() == "diskrimination" for t in texts)
    inflected = search(example_store, "diskriminationen", "da")
    assert set(iris(inflected)) == set(iris(result))


def test_sikker_by_finds_the_leisure_time_job_initiative(example_store):
    """integrationshandleplan-2019-22.yaml: 'Den eksisterende fritidsjobindsats under Sikker By suppleres ...'"""
    result = search(example_store, "Sikker By", "da")
    hit = result.hits[0]
    assert hit.iri.endswith("doc/koebenhavn/integrationshandleplan-2019-22/fritidsjob")
    assert hit.label == "Fritidsjob" and hit.municipality_label == "Københavns Kommune"
    assert [p for p, matched in hit.passage.pieces if matched] == ["Sikker", "By"]


def test_personas_are_found_by_their_type(example_store):
    result = search(example_store, "persona", "en")
    assert {hit.type_label for hit in result.hits} >= {"persona"}
    assert sum(1 for hit in result.hits if hit.type == PG + "Persona") >= 4
