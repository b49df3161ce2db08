"""graph/store/labels.py: one name per resource, in one fallback order, wherever it is shown."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from graph.store.labels import Labeller, by_language, choose, chosen_language, other_language
from ontology import DEFAULT_BASE as ID
from ontology import DCT, PG, RDFS, SKOS

SMALL = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix : <https://w3id.org/policygraph/id/> .
@prefix doc: <https://w3id.org/policygraph/id/doc/> .
@prefix o: <https://w3id.org/policygraph/id/org/> .

o:by a pg:Municipality ; skos:prefLabel "Byen Kommune"@da , "Town Municipality"@en .
# Named in English by its title and in Danish only by rdfs:label: the old page-by-page lookups disagreed
# (the analytics and the network read titles only and named it in English on a Danish page).
doc:plan a pg:Policy ; dct:title "The plan"@en ; rdfs:label "Planen"@da ; pg:municipality o:by ;
    pg:hasFocusArea doc:plan-area .
doc:plan-area a pg:FocusArea ; skos:prefLabel "Område"@da .
doc:other a pg:Policy ; pg:municipality o:by ; dct:relation doc:plan .
:both skos:prefLabel "B-navn"@da ; dct:title "A-titel"@da .
:german foaf:name "Der Plan"@de .
:plain rdfs:label "plain"@de , "untagged" .
"""


@pytest.fixture
def small(store_from_turtle):
    return store_from_turtle(SMALL)


def test_the_fallback_order():
    both = {"da": "dansk", "en": "english", "": "untagged", "de": "deutsch"}
    assert choose(both, "da") == "dansk" and choose(both, "en") == "english"
    assert choose({"da": "dansk", "de": "deutsch"}, "en") == "dansk"       # the other of da/en
    assert choose({"en": "english"}, "da") == "english"
    assert choose({"de": "deutsch", "": "untagged"}, "da") == "untagged"   # then untagged, then by tag
    assert choose({"fr": "français", "de": "deutsch"}, "da") == "deutsch"
    assert choose({}, "da") is None


def test_one_label_per_language_by_property_then_text():
    assert by_language([(DCT + "title", "da", "A"), (SKOS + "prefLabel", "da", "B")]) == {"da": "B"}
    assert by_language([(RDFS + "label", "en", "b"), (RDFS + "label", "en", "a")]) == {"en": "a"}


def test_labeller_names_in_the_readers_language_then_falls_back(small):
    da, en = Labeller(small, "da"), Labeller(small, "en")
    assert da(ID + "doc/plan") == "Planen" and en(ID + "doc/plan") == "The plan"
    assert en(ID + "doc/plan-area") == "Område"
    assert da(ID + "both") == "B-navn"
    assert da(ID + "german") == "Der Plan"
    assert da(ID + "plain") == "untagged"
    assert da(ID + "doc/other") == "doc/other"                       # no label: the short form
    assert da(SKOS + "prefLabel") == "navn" and en(SKOS + "prefLabel") == "name"   # other vocabularies
    assert da(PG + "Nothing") == "pg:Nothing"


def test_the_labeller_says_the_language_of_the_name_it_gave_so_pages_can_mark_the_other_one(small):
    da, en = Labeller(small, "da"), Labeller(small, "en")
    assert en(ID + "doc/plan-area") == "Område" and en.language(ID + "doc/plan-area") == "da"
    assert en.other(ID + "doc/plan-area") == "da" and da.other(ID + "doc/plan-area") == ""
    assert da.language(ID + "doc/plan") == "da" and en.language(ID + "doc/plan") == "en"
    assert da.language(ID + "german") == "de" and da.other(ID + "german") == ""   # marked only between da and en
    assert da.language(ID + "plain") == "" and da.language(ID + "doc/other") == ""  # untagged; the short form
    assert en.language(SKOS + "prefLabel") == "en"                     # a name the ontology gives
    assert chosen_language({"en": "x", "": "y"}, "da") == "en" and chosen_language({}, "da") is None
    assert other_language("en", "da") == "en" and other_language("da", "da") == "" and other_language(None, "en") == ""


class CountingStore:
    """A store that counts the queries it is asked."""

    def __init__(self, store):
        self.store, self.queries = store, 0

    def query(self, *args, **kwargs):
        self.queries += 1
        return self.store.query(*args, **kwargs)


def test_a_page_reads_all_its_labels_in_one_query(small):
    counting = CountingStore(small)
    labels = Labeller(counting, "da")
    iris = [ID + "doc/plan", ID + "doc/other", ID + "org/by", ID + "german", ID + "nowhere"]
    labels.load(iris)
    names = [labels(i) for i in iris]
    assert counting.queries == 1 and names[0] == "Planen" and names[-1] == "nowhere"


def test_after_load_all_an_unlabelled_iri_costs_no_query(small):
    counting = CountingStore(small)
    labels = Labeller(counting, "da")
    labels.load_all()
    assert labels(ID + "org/by") == "Byen Kommune" and labels(ID + "doc/other") == "doc/other"
    assert counting.queries == 1


def test_every_page_names_a_resource_the_same(small):
    from graph.explore.analytics import read_graph
    from graph.explore.describe import describe
    from graph.explore.network import filter_choices, read_network_data
    from graph.explore.overview import list_documents
    from graph.explore.timeline import read_timeline
    from graph.questions.report import _cell
    from graph.pipeline.validation import _label
    from web.workbench import labels_for

    plan = ID + "doc/plan"
    expected = "Planen"
    data = rdflib.Graph().parse(data=SMALL, format="turtle")
    assert describe(small, plan, "da").label == expected
    assert describe(small, ID + "doc/plan-area", "da").hierarchy[0].label == expected
    assert read_graph(small, "da").label(plan) == expected                    # analytics and `policygraph analyse`
    assert read_network_data(small, "da").label(plan) == expected
    assert {d.title for d in list_documents(small, "da") if d.iri == plan} == {expected}
    assert {r.title for r in read_timeline(small, "da").undated if r.iri == plan} == {expected}
    assert _cell(ox.NamedNode(plan), Labeller(small, "da")) == expected         # the report
    assert labels_for(small, [plan], "da") == {plan: expected}                  # workbench and question tables
    assert _label(data, rdflib.URIRef(plan), "da") == expected                  # load findings
    assert (ID + "org/by", "Byen Kommune") in filter_choices(small, "da")["municipality"]
